"""DynamoDB-specific behaviour, against DynamoDB Local (no mocks of DynamoDB).

Concurrency between devices, the TTL of day items, round trips per session, the day rolling
over at the user's midnight, faults (missing table, throttling, unreachable endpoint) through
the whole skill, and SkillDisabled.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta

import pytest
from dynamodb_local import create_table_from_template, error_endpoint, free_port

from skill.clock import utc_now
from skill.config import Config
from skill.console import Console, Resolver
from skill.entry import make_handler
from skill.exceptions import StoreError, StoreUnavailable
from skill.locales import strings_for
from skill.progress import Position
from skill.ssml import to_plain_text
from skill.store.base import DAY_ITEM_TTL_DAYS
from skill.store.dynamodb import DynamoDbStore, day_sk, expires_at, user_pk

USER = "amzn1.ask.account.DYNAMO-TEST-USER"
NOON_UTC = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TODAY = NOON_UTC.date()
STRINGS = strings_for("en-US")
RESOLVER = Resolver.for_locale("en-US")
# These conversations were written at a 90 s budget, where toe grips and tiptoe walking come
# in parts ("Ready to keep going?"); the 240 s default says those sets in one reply
# (tests/test_cues.py, tests/test_dialog_walk.py and tests/test_audio.py run at the default).
PARTS_BUDGET = 90.0


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_console(
    store,
    user_id: str = USER,
    clock: Callable[[], datetime] | None = None,
    timezone_name: str = "UTC",
) -> Console:
    handler = make_handler(
        Config(default_timezone=timezone_name, budget_seconds=PARTS_BUDGET), store
    )
    return Console(handler, RESOLVER, user_id=user_id, clock=clock or (lambda: NOON_UTC))


def speech(response: dict) -> str:
    return to_plain_text(Console.speech_of(response))


NEXT_PART = STRINGS.text("dialog.ask_next_part")
SAVED_PREFIX = STRINGS.raw("dialog.saved_set").split("{", 1)[0]  # "Saved: "
KEPT_PLACE = STRINGS.raw("dialog.goodbye_kept_place").split("{", 1)[0]  # "Okay. I've kept..."
WRITE_NOTICE = STRINGS.text("dialog.store_unavailable")
READ_NOTICE = STRINGS.text("dialog.store_read_unavailable")
APOLOGY = STRINGS.text("dialog.error")


def to_last_segment(console: Console, exercise_name: str) -> dict:
    """Start an exercise and say next until its last segment is being narrated."""
    response = console.say(f"start {exercise_name}")
    for _ in range(20):
        if NEXT_PART not in speech(response):
            return response
        response = console.say("next")
    raise AssertionError("the set never reached its last segment")


def raw_items(client, table: str, user_id: str = USER) -> list[dict]:
    return client.query(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": user_pk(user_id)}},
        ConsistentRead=True,
    )["Items"]


# -- the client -----------------------------------------------------------------------------


def test_importing_the_store_does_not_import_boto3():
    code = (
        "import sys, skill.store.dynamodb as m; m.DynamoDbStore('t'); "
        "print('boto3' in sys.modules or 'botocore' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_client_is_lazy_reused_and_fits_alexas_deadline(dynamodb_local):
    store = DynamoDbStore("any-table")
    assert store._client is None  # nothing created until the first call
    client = store.client
    assert store.client is client
    assert client.endpoint_url == dynamodb_local  # from AWS_ENDPOINT_URL_DYNAMODB
    assert client.max_attempts == 3
    assert (client.connect_timeout, client.read_timeout) == (1, 2)
    store.close()


# -- concurrency ----------------------------------------------------------------------------


def test_eight_devices_finish_a_set_at_the_same_moment(dynamo_store, dynamo_table):
    """8 devices of one user, each with its own store and session, finish one set at once:
    two sets each of four exercises (goal 2): every set is counted."""
    dynamo_store.update_profile(USER, goal=2, safety_heard=True)
    exercises = ["toe grips", "tiptoe walking", "ankle circles", "band foot pulls"] * 2
    barrier = threading.Barrier(len(exercises), timeout=60)

    def device(exercise_name: str) -> str:
        store = DynamoDbStore(dynamo_table)
        try:
            console = make_console(store)
            console.say("open leg exercises")
            to_last_segment(console, exercise_name)
            barrier.wait()
            return speech(console.say("stop"))  # the set is finished: it is counted
        finally:
            store.close()

    with ThreadPoolExecutor(max_workers=len(exercises)) as pool:
        replies = list(pool.map(device, exercises))
    for reply in replies:
        assert SAVED_PREFIX in reply and WRITE_NOTICE not in reply, reply
    done = dynamo_store.load(USER, TODAY).today.done
    assert dict(done) == {
        "toe_grips": 2,
        "tiptoe_walking": 2,
        "ankle_circles": 2,
        "band_foot_pulls": 2,
    }


def test_concurrent_add_set_never_passes_the_goal(dynamo_table):
    stores = [DynamoDbStore(dynamo_table) for _ in range(8)]
    barrier = threading.Barrier(len(stores), timeout=30)

    def add(store: DynamoDbStore) -> int | None:
        barrier.wait()
        return store.add_set(USER, TODAY, "toe_grips", 5)

    with ThreadPoolExecutor(max_workers=len(stores)) as pool:
        results = list(pool.map(add, stores))
    assert sorted(r for r in results if r is not None) == [1, 2, 3, 4, 5]
    assert results.count(None) == 3
    assert stores[0].load(USER, TODAY).today.count("toe_grips") == 5


def test_concurrent_goal_met_extends_the_streak_once(dynamo_store, dynamo_table):
    yesterday = TODAY - timedelta(days=1)
    dynamo_store.record_goal_met(USER, yesterday - timedelta(days=1))
    dynamo_store.record_goal_met(USER, yesterday)  # streak 2, best 2
    stores = [DynamoDbStore(dynamo_table) for _ in range(8)]
    barrier = threading.Barrier(len(stores), timeout=30)

    def met(store: DynamoDbStore):
        barrier.wait()
        return store.record_goal_met(USER, TODAY)

    with ThreadPoolExecutor(max_workers=len(stores)) as pool:
        profiles = list(pool.map(met, stores))
    assert {(p.streak, p.best_streak, p.last_met_day) for p in profiles} == {(3, 3, TODAY)}
    stored = dynamo_store.load(USER, TODAY).profile
    assert (stored.streak, stored.best_streak, stored.last_met_day) == (3, 3, TODAY)


def test_goal_met_on_a_stale_rest_day_is_written_as_the_item_holds_it(
    dynamo_store, dynamo_client, monkeypatch
):
    """The streak's update is conditional on the rest day as read, too: a profile read before
    another device forgave a rest day does not forgive a second one 3 days later."""
    for offset in (-3, -1, 0):  # TODAY - 2 rested: streak 3
        dynamo_store.record_goal_met(USER, TODAY + timedelta(days=offset))
    (profile_item,) = [
        i for i in raw_items(dynamo_client, dynamo_store.table_name) if i["sk"]["S"] == "PROFILE"
    ]
    assert profile_item["rest_day"] == {"S": (TODAY - timedelta(days=2)).isoformat()}
    assert profile_item["rest_day_told"] == {"BOOL": True}
    call = dynamo_store._call

    def stale(operation, **params):
        response = call(operation, **params)
        if operation == "get_item":  # as read before the rest day was written
            response["Item"].pop("rest_day")
            response["Item"]["rest_day_told"] = {"BOOL": False}
        return response

    monkeypatch.setattr(dynamo_store, "_call", stale)
    after = dynamo_store.record_goal_met(USER, TODAY + timedelta(days=2))  # TODAY + 1 missed
    # Not forgiven: the streak starts again, with no rest day of its own yet.
    assert (after.streak, after.best_streak, after.rest_day) == (1, 3, None)
    stored = dynamo_store.load(USER, TODAY + timedelta(days=2)).profile
    assert stored == after


# -- item layout and TTL --------------------------------------------------------------------


def test_day_items_carry_their_expiry_and_the_profile_does_not(dynamo_store, dynamo_client):
    table = dynamo_store.table_name
    dynamo_store.add_set(USER, TODAY, "toe_grips", 3)
    dynamo_store.add_set(USER, TODAY, "ankle_circles", 3)
    dynamo_store.update_profile(USER, goal=2, position=Position("toe_grips", 1), position_ts=5)
    items = {item["sk"]["S"]: item for item in raw_items(dynamo_client, table)}
    assert set(items) == {"PROFILE", day_sk(TODAY)}
    day_item = items[day_sk(TODAY)]
    assert day_item["toe_grips"] == {"N": "1"} and day_item["ankle_circles"] == {"N": "1"}
    # An epoch in seconds (not ms): midnight UTC, DAY_ITEM_TTL_DAYS after the day.
    stamp = int(day_item["expires_at"]["N"])
    assert stamp == expires_at(TODAY)
    assert datetime.fromtimestamp(stamp, UTC) == datetime(2026, 12, 29, tzinfo=UTC)
    assert DAY_ITEM_TTL_DAYS == 35
    assert "expires_at" not in items["PROFILE"]
    assert items["PROFILE"]["position"] == {
        "M": {"exercise": {"S": "toe_grips"}, "segment": {"N": "1"}}
    }


def test_dynamodb_sweeps_a_day_item_once_it_expires(dynamo_client, dynamodb_local):
    """TTL for real: DynamoDB Local deletes expired items by its own clock, which is this
    machine's (moved along with the tests under faketime), so this test alone takes its days
    from the clock the engine reads."""
    table = f"leg-skill-ttl-{uuid.uuid4().hex[:12]}"
    create_table_from_template(dynamo_client, table, ttl=True)
    ttl = dynamo_client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == "expires_at"
    store = DynamoDbStore(table)
    try:
        engine_today = utc_now().date()
        expired_day = engine_today - timedelta(days=DAY_ITEM_TTL_DAYS + 1)  # expired yesterday
        store.add_set(USER, expired_day, "toe_grips", 3)
        store.add_set(USER, engine_today, "toe_grips", 3)
        deadline = time.monotonic() + 30
        while True:
            kept = {item["sk"]["S"] for item in raw_items(dynamo_client, table)}
            if day_sk(expired_day) not in kept or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert kept == {day_sk(engine_today)}
    finally:
        store.close()
        dynamo_client.delete_table(TableName=table)


# -- round trips ----------------------------------------------------------------------------

READ_OPS = {"BatchGetItem", "GetItem", "Query", "Scan"}


@contextmanager
def counting_calls(store: DynamoDbStore) -> Iterator[list[str]]:
    """The DynamoDB operations the store calls (one entry per API call, not per retry)."""
    calls: list[str] = []

    def record(operation: str, params) -> None:
        calls.append(operation)

    store.client.observers.append(record)
    try:
        yield calls
    finally:
        store.client.observers.remove(record)


def test_one_read_per_session_and_one_write_per_saved_set_or_setting(dynamo_store):
    console = make_console(dynamo_store)
    turns = []  # (utterance, operations, sets saved in the reply)
    with counting_calls(dynamo_store) as calls:
        for utterance in ["open leg exercises", "start my leg exercises"] + ["next"] * 7 + ["stop"]:
            before = len(calls)
            reply = speech(console.say(utterance))
            turns.append((utterance, calls[before:], reply.count(SAVED_PREFIX), reply))
        session_calls = list(calls)
    reads = [op for op in session_calls if op in READ_OPS]
    assert reads == ["BatchGetItem"], turns
    assert turns[0][1][0] == "BatchGetItem"  # read once, at the start of the session
    saved = sum(n for _, _, n, _ in turns)
    assert saved >= 2, turns  # the script finishes at least two sets
    for utterance, ops, saved_here, reply in turns:
        writes = [op for op in ops if op not in READ_OPS]
        assert set(writes) <= {"UpdateItem"}, (utterance, ops)
        # One write per saved set, plus one per changed setting: the safety line heard at the
        # first launch, the place kept when stopping mid-set. While a person learns an
        # exercise (its first KNOWN_AFTER_SETS sets: all of these, for a new user), each saved
        # set also adds one to the profile's known-sets counter.
        settings = (utterance == "open leg exercises") + (KEPT_PLACE in reply)
        assert len(writes) == 2 * saved_here + settings, (utterance, ops, saved_here)
    assert KEPT_PLACE in turns[-1][3], turns[-1]  # the script stops mid-set
    assert session_calls.count("UpdateItem") == 2 * saved + 2
    print(
        f"\nsession of {len(turns)} turns: {len(reads)} read, "
        f"{session_calls.count('UpdateItem')} writes ({saved} sets, {saved} known-set "
        f"counts, 2 settings): "
        f"{session_calls}"
    )

    # The next session resumes the kept place: again one read; finishing that set is one write
    # for the set, one to clear the kept place and one to count it as learnt.
    with counting_calls(dynamo_store) as calls:
        resumed = [speech(console.say(u)) for u in ("open leg exercises", "yes")]
        while NEXT_PART in resumed[-1]:
            resumed.append(speech(console.say("next")))
        resumed.append(speech(console.say("next")))
        second = list(calls)
    assert [op for op in second if op in READ_OPS] == ["BatchGetItem"], second
    assert second.count("UpdateItem") == 3 and resumed[-1].count(SAVED_PREFIX) == 1, second


def test_settings_time_zone_and_reminder_are_one_update_item(
    dynamo_store, dynamo_table, dynamo_client
):
    sent: list[tuple[str, dict]] = []
    dynamo_store.client.observers.append(lambda op, params: sent.append((op, dict(params))))

    def profile_item() -> dict:
        items = {i["sk"]["S"]: i for i in raw_items(dynamo_client, dynamo_table)}
        return items["PROFILE"]

    token = "amzn1.alert.reminder.TOKEN"
    # goal + time zone + reminder + position: one conditional UpdateItem.
    assert (
        dynamo_store.update_profile(
            USER,
            goal=2,
            time_zone="Pacific/Auckland",
            reminder_token=token,
            position=Position("toe_grips", 1),
            position_ts=10,
        )
        is True
    )
    assert [op for op, _ in sent] == ["UpdateItem"]
    params = sent[-1][1]
    assert params["UpdateExpression"] == (
        "SET #goal = :goal, #time_zone = :time_zone, #reminder_token = :reminder_token, "
        "#position_ts = :position_ts, #position = :position"
    )
    assert params["ConditionExpression"] == (
        "attribute_not_exists(#position_ts) OR #position_ts <= :position_ts"
    )
    item = profile_item()
    assert item["time_zone"] == {"S": "Pacific/Auckland"} and item["reminder_token"] == {"S": token}

    # Clearing the reminder and the position while setting the zone: SET and REMOVE in one.
    sent.clear()
    assert (
        dynamo_store.update_profile(
            USER, time_zone="Europe/Berlin", reminder_token=None, position=None, position_ts=20
        )
        is True
    )
    assert [op for op, _ in sent] == ["UpdateItem"]
    assert sent[-1][1]["UpdateExpression"] == (
        "SET #time_zone = :time_zone, #position_ts = :position_ts REMOVE #reminder_token, #position"
    )
    item = profile_item()
    assert "reminder_token" not in item and "position" not in item
    assert item["time_zone"] == {"S": "Europe/Berlin"} and item["goal"] == {"N": "2"}

    # Only a removal: REMOVE alone, no ExpressionAttributeValues (DynamoDB refuses them empty).
    sent.clear()
    assert dynamo_store.update_profile(USER, time_zone=None) is True
    assert [op for op, _ in sent] == ["UpdateItem"]
    assert sent[-1][1]["UpdateExpression"] == "REMOVE #time_zone"
    assert "ExpressionAttributeValues" not in sent[-1][1]
    assert "time_zone" not in profile_item()

    # A stale position: refused; the other settings follow in a second, unconditional call.
    sent.clear()
    assert (
        dynamo_store.update_profile(USER, reminder_token=token, position=None, position_ts=5)
        is False
    )
    assert [op for op, _ in sent] == ["UpdateItem", "UpdateItem"]
    assert sent[-1][1]["UpdateExpression"] == "SET #reminder_token = :reminder_token"
    assert "ConditionExpression" not in sent[-1][1]
    assert profile_item()["reminder_token"] == {"S": token}

    # Nothing to change, or an invalid value: no call at all.
    sent.clear()
    assert dynamo_store.update_profile(USER) is True
    with pytest.raises(ValueError):
        dynamo_store.update_profile(USER, time_zone="x" * 65)
    assert sent == []


# -- the day rolls over at the user's midnight ----------------------------------------------


def test_a_set_finished_after_local_midnight_counts_on_the_new_day(dynamo_store):
    clock = Clock(datetime(2026, 11, 24, 10, 59, tzinfo=UTC))  # 23:59 in Auckland
    console = make_console(dynamo_store, clock=clock, timezone_name="Pacific/Auckland")
    nz_today, nz_tomorrow = date(2026, 11, 24), date(2026, 11, 25)
    console.say("open leg exercises")
    to_last_segment(console, "ankle circles")
    assert SAVED_PREFIX in speech(console.say("next"))  # before midnight
    to_last_segment(console, "toe grips")
    clock.now = datetime(2026, 11, 24, 11, 1, tzinfo=UTC)  # 00:01 on the 25th (NZDT)
    reply = speech(console.say("next"))
    assert SAVED_PREFIX in reply and WRITE_NOTICE not in reply
    assert dict(dynamo_store.load(USER, nz_today).today.done) == {"ankle_circles": 1}
    assert dict(dynamo_store.load(USER, nz_tomorrow).today.done) == {"toe_grips": 1}


# -- faults through the whole skill ---------------------------------------------------------

THROTTLE_BODY = json.dumps(
    {
        "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "message": "Rate exceeded",
    }
).encode()


def store_at(endpoint: str, table_name: str = "any-table") -> DynamoDbStore:
    """A DynamoDbStore whose client (created as in Lambda, from the standard configuration)
    talks to ``endpoint``: AWS_ENDPOINT_URL_DYNAMODB is set only while the client is made."""
    store = DynamoDbStore(table_name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        assert store.client.endpoint_url == endpoint
    return store


@pytest.fixture(params=["missing_table", "throttled", "unreachable"])
def faulty_store(request, dynamodb_local):
    """A factory of DynamoDbStores that fail in one way, with what the failure should log."""
    if request.param == "missing_table":
        yield (
            (lambda: DynamoDbStore(f"missing-{uuid.uuid4().hex[:8]}")),
            "ResourceNotFoundException",
            None,
        )
    elif request.param == "throttled":
        with error_endpoint(THROTTLE_BODY) as (url, seen):
            yield (lambda: store_at(url)), "ProvisionedThroughputExceededException", seen
    else:
        closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        yield (lambda: store_at(closed)), "EndpointConnectionError", None


def assert_answered(response: dict, *notices: str) -> str:
    text = speech(response)
    assert text, response
    assert APOLOGY not in text, text
    if notices:
        assert any(n in text for n in notices), text
    return text


def test_faults_the_skill_still_answers_and_loses_nothing_acknowledged(
    dynamo_store, dynamo_table, dynamo_client, faulty_store, caplog
):
    make_faulty, code, seen = faulty_store
    caplog.set_level(logging.DEBUG, logger="skill")
    good = make_handler(Config(budget_seconds=PARTS_BUDGET), dynamo_store)
    broken_store = make_faulty()
    broken = make_handler(Config(budget_seconds=PARTS_BUDGET), broken_store)
    console = make_console(dynamo_store)

    # A session that starts fine: one set saved and acknowledged.
    console.say("open leg exercises")
    to_last_segment(console, "ankle circles")
    first = speech(console.say("next"))  # saves ankle circles, narrates toe grips
    assert SAVED_PREFIX + "ankle circles" in first

    # The store fails mid-session: the skill carries on and says it could not save.
    console.handler = broken
    started = time.monotonic()
    response = console.say("next")
    while NEXT_PART in speech(response):
        response = console.say("next")
    response = console.say("next")  # finishes toe grips: the write fails
    assert_answered(response, WRITE_NOTICE)
    console.handler = good
    assert_answered(console.say("stop"))

    # A new session on the failing store: the read fails, the skill still answers.
    fresh = Console(broken, RESOLVER, user_id=USER, clock=lambda: NOON_UTC)
    replies = [
        assert_answered(fresh.say("open leg exercises"), READ_NOTICE, WRITE_NOTICE),
        assert_answered(fresh.say("start ankle circles")),
        assert_answered(fresh.say("stop")),
    ]
    # Each notice once a session: the user is told, not told again at every turn.
    assert sum(READ_NOTICE in r for r in replies) <= 1, replies
    assert sum(WRITE_NOTICE in r for r in replies) <= 1, replies
    elapsed = time.monotonic() - started
    assert elapsed < 14, elapsed  # two failing calls at most, each well inside Alexa's 8 s

    # Nothing acknowledged while the store worked is lost.
    assert dynamo_store.load(USER, TODAY).today.count("ankle_circles") == 1
    day_item = dynamo_client.get_item(
        TableName=dynamo_table,
        ConsistentRead=True,
        Key={"pk": {"S": user_pk(USER)}, "sk": {"S": day_sk(TODAY)}},
    )["Item"]
    assert day_item["ankle_circles"] == {"N": "1"}

    # The failure is logged by its code, never with the user.
    ours = [r for r in caplog.records if r.name.startswith("skill")]
    assert any(code in r.getMessage() for r in ours), [r.getMessage() for r in ours]
    assert not any(USER in r.getMessage() for r in ours)
    if seen is not None:  # throttled: 3 attempts for a call, then later calls fail fast
        assert seen[:3] == ["UpdateItem"] * 3, seen
        assert len(seen) in (3, 6), seen
    broken_store.close()


@pytest.mark.parametrize("fault", ["missing_table", "throttled", "unreachable"])
def test_every_store_method_raises_store_unavailable_only(fault, dynamodb_local):
    """Each method, failing for real (no fail-fast, one attempt: fast), raises
    StoreUnavailable and nothing else."""
    import boto3
    from botocore.config import Config as BotoConfig

    def client_at(endpoint: str):
        return boto3.session.Session().client(
            "dynamodb",
            endpoint_url=endpoint,
            config=BotoConfig(
                retries={"mode": "standard", "total_max_attempts": 1},
                connect_timeout=1,
                read_timeout=2,
            ),
        )

    server = (
        error_endpoint(THROTTLE_BODY) if fault == "throttled" else nullcontext((dynamodb_local, []))
    )
    with server as (url, _):
        endpoint = url if fault != "unreachable" else f"http://127.0.0.1:{free_port()}"
        store = DynamoDbStore(
            f"missing-{uuid.uuid4().hex[:8]}", client_at(endpoint), fail_fast_seconds=0
        )
        calls = {
            "load": lambda: store.load(USER, TODAY),
            "add_set": lambda: store.add_set(USER, TODAY, "toe_grips", 3),
            "update_profile": lambda: store.update_profile(USER, goal=2),
            "update_position": lambda: store.update_profile(
                USER, goal=2, position=Position("toe_grips", 0), position_ts=1
            ),
            "record_goal_met": lambda: store.record_goal_met(USER, TODAY),
            "reset_day": lambda: store.reset_day(USER, TODAY),
            "recent_days": lambda: store.recent_days(USER, TODAY),
            "delete_user": lambda: store.delete_user(USER),
        }
        for name, call in calls.items():
            with pytest.raises(StoreUnavailable):
                call()
                pytest.fail(f"{name} did not raise")
        store.close()


def test_fail_fast_after_the_store_was_unreachable(dynamodb_local):
    store = store_at(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailable):
        store.load(USER, TODAY)
    with counting_calls(store) as calls, pytest.raises(StoreUnavailable):
        store.add_set(USER, TODAY, "toe_grips", 3)
    assert calls == []  # failed at once, without trying the network again
    store.close()


# -- SkillDisabled --------------------------------------------------------------------------


def skill_disabled_envelope(user_id: str) -> dict:
    application = {"applicationId": "amzn1.ask.skill.console"}
    return {
        "version": "1.0",
        "context": {
            "System": {
                "application": application,
                "user": {"userId": user_id},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "type": "AlexaSkillEvent.SkillDisabled",
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": "2026-11-24T12:00:00Z",
            "eventCreationTime": "2026-11-24T12:00:00Z",
            "eventPublishingTime": "2026-11-24T12:00:01Z",
            "locale": "en-US",
            "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
        },
    }


def test_skill_disabled_deletes_the_users_items(dynamo_store, dynamo_table, dynamo_client):
    other = "amzn1.ask.account.SOMEONE-ELSE"
    for offset in range(3):
        dynamo_store.add_set(USER, TODAY - timedelta(days=offset), "toe_grips", 3)
    dynamo_store.update_profile(USER, goal=2, safety_heard=True)
    dynamo_store.add_set(other, TODAY, "toe_grips", 3)
    assert len(raw_items(dynamo_client, dynamo_table)) == 4

    handler = make_handler(Config(budget_seconds=PARTS_BUDGET), dynamo_store)
    handler(skill_disabled_envelope(USER), None)

    assert raw_items(dynamo_client, dynamo_table) == []
    assert len(raw_items(dynamo_client, dynamo_table, other)) == 1


def test_skill_disabled_raises_when_the_store_fails_so_alexa_retries(dynamodb_local):
    handler = make_handler(
        Config(budget_seconds=PARTS_BUDGET), DynamoDbStore(f"missing-{uuid.uuid4().hex[:8]}")
    )
    with pytest.raises(StoreError):
        handler(skill_disabled_envelope(USER), None)
