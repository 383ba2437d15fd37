"""One Echo, several people: a recognised voice has its own progress, an unrecognised one the
account's, and disabling the skill forgets all of them.

Alexa names the recognised speaker in ``context.System.person.personId`` (skill
personalization, see skill/alexa/envelope.py). The conversations run through the console's
resolver and ``make_handler`` (the Lambda entry point) on SQLite and on DynamoDB Local.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alexa_api import API_TOKEN, DEVICE_ID
from test_no_set_lost import finish_set

from skill.certify import _disabled_event  # SkillDisabled as Alexa sends it: no person
from skill.config import Config
from skill.console import Console, Json, Resolver
from skill.entry import make_handler
from skill.ssml import to_plain_text
from skill.store.base import person_key
from skill.store.sqlite import SqliteStore
from skill.web import RedactingFilter

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "amzn1.ask.account.PEOPLEHOUSEHOLD"
# An account whose ID starts with the first one's: disabling the first must not touch it.
NEIGHBOUR = ACCOUNT + "2"
ALICE = "amzn1.ask.person.ALICEVOICE1234"
BOB = "amzn1.ask.person.BOBVOICE5678"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
RESOLVER = Resolver.for_locale("en-US")
SPOKEN = ("LaunchRequest", "IntentRequest")
FIVE = ("toe grips", "tiptoe walking", "ankle circles", "band foot pulls", "pencil pick-up")


class Speaker(Console):
    """A console on one Echo whose spoken requests carry ``person`` while ``person_id`` is set,
    as Alexa sends them when it recognises the voice. Requests no one spoke (the session
    ending, a touch on the screen) carry none: there was no voice to recognise."""

    def __init__(self, handler, account: str = ACCOUNT, person_id: str | None = None, **kw):
        super().__init__(handler, RESOLVER, user_id=account, clock=lambda: NOW, **kw)
        self.person_id = person_id

    def envelope(self, request: Json, new_session: bool) -> Json:
        envelope = super().envelope(request, new_session)
        if self.person_id is not None and request["type"] in SPOKEN:
            envelope["context"]["System"]["person"] = {"personId": self.person_id}
        return envelope


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path):
    if request.param == "sqlite":
        sqlite = SqliteStore(tmp_path / "people.sqlite3")
        yield sqlite
        sqlite.close()
    else:  # DynamoDB Local starts only when a DynamoDB case runs
        yield request.getfixturevalue("dynamo_store")


def said(response: dict) -> str:
    return to_plain_text(Console.speech_of(response))


def sets_left(text: str) -> int:
    match = re.search(r"You have (\w+) sets? left today", text)
    assert match, text
    return int(match.group(1))


def done(store, key: str) -> dict[str, int]:
    return dict(store.load(key, TODAY).today.done)


def household(store) -> tuple[Speaker, Speaker, Speaker]:
    """Alice does a set of ankle circles, an unrecognised voice a set of pencil pick-up, Bob
    only opens the skill: three records under one account."""
    handler = make_handler(Config(default_timezone="UTC"), store)
    alice = Speaker(handler, person_id=ALICE)
    bob = Speaker(handler, person_id=BOB)
    anyone = Speaker(handler)
    alice.say("open leg exercises")
    finish_set(alice, "start ankle circles")
    alice.say("stop")
    anyone.say("open leg exercises")
    finish_set(anyone, "start pencil pick up")
    anyone.say("stop")
    bob.say("open leg exercises")
    bob.say("stop")
    return alice, bob, anyone


def test_two_people_on_one_account_keep_their_own_day(store):
    alice, bob, anyone = household(store)

    heard_by_bob = said(bob.say("open leg exercises"))
    assert sets_left(heard_by_bob) == 15
    remaining = said(bob.say("what's left for today"))
    assert sets_left(remaining) == 15
    assert all(name in remaining for name in FIVE), remaining
    assert "3 sets each of toe grips, tiptoe walking, ankle circles" in remaining

    remaining = said(alice.say("what's left for today"))
    assert sets_left(remaining) == 14
    four = "3 sets each of toe grips, tiptoe walking, band foot pulls and pencil pick-up"
    assert four in remaining
    assert "plus 2 sets of ankle circles" in remaining

    # The voice Alexa did not recognise has the account's record, as before personalization.
    remaining = said(anyone.say("what's left for today"))
    assert sets_left(remaining) == 14
    assert "plus 2 sets of pencil pick-up" in remaining

    assert done(store, person_key(ACCOUNT, ALICE)) == {"ankle_circles": 1}
    assert done(store, person_key(ACCOUNT, BOB)) == {}
    assert done(store, ACCOUNT) == {"pencil_pickup": 1}


def test_a_request_nobody_was_recognised_in_is_the_accounts_even_mid_session(store):
    """Alice opens the session; Alexa does not recognise the next voice: it hears the account's
    day, not Alice's (the session's cached copy of her day is not used for it)."""
    alice, _, _ = household(store)
    assert "plus 2 sets of ankle circles" in said(alice.say("what's left for today"))
    alice.person_id = None  # same session, no person on the request
    remaining = said(alice.say("what's left for today"))
    assert "plus 2 sets of pencil pick-up" in remaining, remaining
    assert "ankle circles" in remaining and "plus 2 sets of ankle circles" not in remaining
    alice.person_id = ALICE  # and back to Alice, still the same session
    assert "plus 2 sets of ankle circles" in said(alice.say("what's left for today"))


def test_a_set_finished_then_walked_away_from_counts_for_whoever_did_it(store):
    """Nobody speaks when a session ends: the set counts for the person of the session."""
    handler = make_handler(Config(default_timezone="UTC"), store)
    alice = Speaker(handler, person_id=ALICE)
    alice.say("open leg exercises")
    finish_set(alice, "start ankle circles")
    alice.end_session("EXCEEDED_MAX_REPROMPTS")  # no person on a SessionEndedRequest
    assert done(store, person_key(ACCOUNT, ALICE)) == {"ankle_circles": 1}
    assert done(store, ACCOUNT) == {}


def test_a_button_on_the_screen_is_the_session_persons(store):
    """A touch on an Echo Show is no voice either: it carries on the session's person's set."""
    handler = make_handler(Config(default_timezone="UTC"), store)
    alice = Speaker(handler, person_id=ALICE, screen=True)

    def press(action: str) -> str:
        return said(
            alice.send(
                {
                    "type": "Alexa.Presentation.APL.UserEvent",
                    "token": "legExerciseScreen",
                    "arguments": [action],
                    "source": {"type": "TouchWrapper"},
                }
            )
        )

    alice.say("open leg exercises")
    reply = said(alice.say("start ankle circles"))
    for _ in range(20):
        if "finished" in reply:
            break
        reply = press("next")
    assert "finished" in reply
    press("pause")  # the finished set is counted by what comes after it: a touch too
    assert done(store, person_key(ACCOUNT, ALICE)) == {"ankle_circles": 1}
    assert done(store, ACCOUNT) == {}


def test_disabling_the_skill_deletes_the_account_and_every_person(store, tmp_path):
    household(store)
    neighbour = Speaker(make_handler(Config(), store), account=NEIGHBOUR, person_id=ALICE)
    finish_set(neighbour, "start toe grips")
    neighbour.say("stop")  # the finished set is counted with what comes after it
    keys = [ACCOUNT, person_key(ACCOUNT, ALICE), person_key(ACCOUNT, BOB)]
    assert all(store.load(key, TODAY).profile.safety_heard for key in keys)

    handler = make_handler(Config(), store)
    # SkillDisabled names the account only: Alexa sends no person with a skill event.
    handler(_disabled_event(ACCOUNT), None)

    for key in keys:
        snapshot = store.load(key, TODAY)
        assert snapshot.today.done == {} and not snapshot.profile.safety_heard, key
        assert store.recent_days(key, TODAY) == [], key
    # The account whose ID begins with the disabled one's keeps its person's set.
    assert done(store, person_key(NEIGHBOUR, ALICE)) == {"toe_grips": 1}
    # A recognised voice opening the skill again starts afresh.
    alice = Speaker(handler, person_id=ALICE)
    assert sets_left(said(alice.say("open leg exercises"))) == 15


def test_nothing_of_a_disabled_household_is_left_in_either_store(store, request):
    household(store)
    make_handler(Config(), store)(_disabled_event(ACCOUNT), None)
    if isinstance(store, SqliteStore):
        with store._db() as db:  # every table, every row
            left = [
                row
                for table in ("profiles", "day_sets", "day_left_out")
                for row in db.execute(f"SELECT user_id FROM {table}")
            ]
    else:
        client = request.getfixturevalue("dynamo_client")
        left = client.scan(TableName=store.table_name)["Items"]
    assert left == []


# --- DynamoDB: the account's list of its people ---------------------------------------------


def test_the_accounts_profile_lists_its_people_before_they_write(dynamo_store, dynamo_client):
    household(dynamo_store)
    item = dynamo_client.get_item(
        TableName=dynamo_store.table_name,
        Key={"pk": {"S": f"USER#{ACCOUNT}"}, "sk": {"S": "PROFILE"}},
        ConsistentRead=True,
    )["Item"]
    assert sorted(item["people"]["SS"]) == sorted(
        [person_key(ACCOUNT, ALICE), person_key(ACCOUNT, BOB)]
    )
    # The list is no setting: the account's own profile still reads as before.
    assert dynamo_store.load(ACCOUNT, TODAY).profile.safety_heard


def test_people_noted_at_once_from_many_devices_are_all_kept(dynamo_store, dynamo_client):
    people = [f"amzn1.ask.person.CONCURRENT{n:02d}" for n in range(12)]
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def note(person: str) -> None:
        try:
            start.wait()
            dynamo_store.note_person(ACCOUNT, person)
            dynamo_store.add_set(person_key(ACCOUNT, person), TODAY, "toe_grips", 3)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=note, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    dynamo_store.note_person(ACCOUNT, people[0])  # noted again: nothing changes
    item = dynamo_client.get_item(
        TableName=dynamo_store.table_name,
        Key={"pk": {"S": f"USER#{ACCOUNT}"}, "sk": {"S": "PROFILE"}},
        ConsistentRead=True,
    )["Item"]
    assert sorted(item["people"]["SS"]) == sorted(person_key(ACCOUNT, p) for p in people)
    dynamo_store.delete_user(ACCOUNT)
    assert dynamo_client.scan(TableName=dynamo_store.table_name)["Items"] == []


def test_a_malformed_list_never_reaches_another_account(dynamo_store, dynamo_client):
    dynamo_store.add_set(NEIGHBOUR, TODAY, "toe_grips", 3)
    dynamo_client.update_item(
        TableName=dynamo_store.table_name,
        Key={"pk": {"S": f"USER#{ACCOUNT}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression="ADD people :keys",
        ExpressionAttributeValues={":keys": {"SS": [NEIGHBOUR]}},
    )
    dynamo_store.delete_user(ACCOUNT)
    assert done(dynamo_store, NEIGHBOUR) == {"toe_grips": 1}


# --- reminders are the person's -------------------------------------------------------------


def test_each_voice_keeps_its_own_daily_reminder(alexa_api, tmp_path):
    store = SqliteStore(tmp_path / "reminders.sqlite3")
    handler = make_handler(Config(default_timezone="UTC"), store)

    def at_the_echo(person: str | None) -> Speaker:
        speaker = Speaker(
            handler, person_id=person, api_endpoint=alexa_api.endpoint, api_token=API_TOKEN
        )
        speaker.device_id = DEVICE_ID
        return speaker

    alice, bob, anyone = at_the_echo(ALICE), at_the_echo(BOB), at_the_echo(None)
    assert "every day at 9 in the morning" in said(alice.say("remind me every day at 9 am"))
    assert "every day at 10 in the morning" in said(bob.say("remind me every day at 10 am"))
    # Bob's reminder did not replace Alice's: both ring, each kept by its own voice.
    assert len(alexa_api.reminders) == 2
    assert "You don't have" in said(anyone.say("stop my reminder"))
    assert len(alexa_api.reminders) == 2
    said(bob.say("stop my reminder"))
    (left,) = alexa_api.reminders
    assert store.load(person_key(ACCOUNT, ALICE), TODAY).profile.reminder_token == left
    assert store.load(ACCOUNT, TODAY).profile.reminder_token is None
    store.close()


# --- logs -----------------------------------------------------------------------------------


def test_no_person_id_in_any_log_and_the_log_line_has_its_reference(store, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, root included
    alice, _, _ = household(store)
    alice.say("what's left for today")
    make_handler(Config(), store)(_disabled_event(ACCOUNT), None)

    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "skill.requests"]
    refs = {p: hashlib.sha256(p.encode()).hexdigest()[:12] for p in (ALICE, BOB)}
    assert {line["person"] for line in lines} == {*refs.values(), "-"}
    everything = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for person in (ALICE, BOB):
        assert person not in everything
        assert person.rsplit(".", 1)[1] not in everything


def test_the_web_hosts_filter_masks_person_ids_and_person_keys():
    key = person_key(ACCOUNT, ALICE)
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "person %s key %s", (BOB, f"USER#{key}"), None
    )
    assert RedactingFilter().filter(record)
    message = record.getMessage()
    assert "BOBVOICE5678" not in message and "ALICEVOICE1234" not in message
    assert "PEOPLEHOUSEHOLD" not in message
    assert message.count("amzn1.ask.person.<redacted>") == 2


# --- the manifest ---------------------------------------------------------------------------


def test_the_manifest_asks_for_skill_personalization():
    manifest = json.loads((ROOT / "interaction_model" / "skill.json").read_text())["manifest"]
    assert {"name": "alexa::person_id:read"} in manifest["permissions"]
