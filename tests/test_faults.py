"""Fault injection at the store, during a whole routine, and what the logs may hold.

A test double wraps a real :class:`DynamoDbStore` on DynamoDB Local and makes the Nth store call
fail, for every N of a scripted routine typed through the console ("open leg exercises", "start my
leg exercises", "next" ... until the round ends). The failure is a ``StoreUnavailable`` built
from a real error of the store's own DynamoDB client, each produced for real once per module:
a read timeout (a local
socket that accepts and never answers), a refused connection (a closed port), throttling and
access denied (a local HTTP server answering DynamoDB's error JSON), a missing table and a
failed condition (DynamoDB Local itself). A timeout may also strike after the write was made
(the answer lost on the way back).

Each run must:

* answer every turn with speech, and the turn the fault hit with the plain sentence from
  ``dialog.store_unavailable`` or ``dialog.store_read_unavailable``, never the apology;
* leave in the table every set the skill said was saved ("Saved: <name>, set N of G today."),
  and nothing past the goal;
* finish the round.

The log tests capture every logger (root included) at DEBUG over a full routine: one JSON line
per request from ``skill.requests`` (type, intent, latency, outcome, a 12-hex user hash), and no
line holding the user ID, the envelope's ``apiAccessToken`` or the user's ``accessToken``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from dynamodb_local import error_endpoint, free_port

from skill.config import Config
from skill.console import Console, Resolver
from skill.content import EXERCISE_IDS
from skill.entry import make_handler
from skill.exceptions import StoreUnavailable
from skill.locales import strings_for
from skill.ssml import to_plain_text
from skill.store.base import Store
from skill.store.dynamodb import DynamoDbStore, day_sk, user_pk
from skill.store.dynamodb_http import Credentials, DynamoDbHttpClient, DynamoDbHttpError
from skill.store.sqlite import SqliteStore

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
STRINGS = strings_for("en-US")
RESOLVER = Resolver.for_locale("en-US")
WRITE_NOTICE = STRINGS.text("dialog.store_unavailable")
READ_NOTICE = STRINGS.text("dialog.store_read_unavailable")
APOLOGY = STRINGS.text("dialog.error")
NAMES = {STRINGS.exercise_name(e): e for e in EXERCISE_IDS}
SAVED = re.compile(
    re.escape(STRINGS.raw("dialog.saved_set"))  # "Saved: {name}, set ..."
    .replace(r"\{name\}", "(?P<name>[a-z -]+?)")
    .replace(r"\{set_number\}", "(?P<n>[0-9]+)")
    .replace(r"\{goal\}", "(?P<goal>[0-9]+)")
)
ROUND_DONE = STRINGS.text("dialog.round_done", round=1, goal=3)
# Said when the round's last set has been narrated, whether or not saving it worked.
NEXT_ROUND_OFFER = STRINGS.text("dialog.ask_next_round", round=2)
GOAL = 3

API_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJmYXVsdHMiOiJsb2dzIn0.bG9nc2ln"
LWA_TOKEN = "Atza|IwEBIFaultsLogsAccessTokenNeverInLogs"


# --- real client errors --------------------------------------------------------------------------


def _error_body(type_name: str, message: str) -> bytes:
    return json.dumps({"__type": type_name, "message": message}).encode()


ERROR_BODIES = {
    "throttling": _error_body(
        "com.amazonaws.dynamodb.v20120810#ThrottlingException",
        "Rate of requests exceeds the allowed throughput.",
    ),
    "access_denied": _error_body(
        "com.amazon.coral.service#AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/leg-skill/fn is not authorized to "
        "perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-east-1:123456789012:"
        "table/leg-skill-progress",
    ),
}


@contextmanager
def silent_endpoint() -> Iterator[str]:
    """A socket that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def _client(endpoint: str, read_timeout: float = 2.0) -> DynamoDbHttpClient:
    """The production client (one attempt, so each fault shows at once) aimed at ``endpoint``."""
    return DynamoDbHttpClient(
        "us-east-1",
        lambda: Credentials("fault", "fault"),
        endpoint_url=endpoint,
        max_attempts=1,
        connect_timeout=1,
        read_timeout=read_timeout,
    )


def _store_error(store: DynamoDbStore) -> StoreUnavailable:
    """What the real store raises for an ``add_set`` at its endpoint."""
    with pytest.raises(StoreUnavailable) as caught:
        store.add_set("amzn1.ask.account.PROBE", TODAY, "toe_grips", GOAL)
    store.close()
    return caught.value


@pytest.fixture(scope="module")
def real_errors(dynamodb_local) -> dict[str, StoreUnavailable]:
    """One StoreUnavailable per fault kind, each caused by a client error produced for real."""
    errors: dict[str, StoreUnavailable] = {}
    with silent_endpoint() as url:
        errors["timeout"] = _store_error(
            DynamoDbStore("t", _client(url, read_timeout=0.3), fail_fast_seconds=0)
        )
    errors["unreachable"] = _store_error(
        DynamoDbStore("t", _client(f"http://127.0.0.1:{free_port()}"), fail_fast_seconds=0)
    )
    for kind, body in ERROR_BODIES.items():
        with error_endpoint(body) as (url, _):
            errors[kind] = _store_error(DynamoDbStore("t", _client(url), fail_fast_seconds=0))
    local = _client(dynamodb_local)
    errors["table_missing"] = _store_error(
        DynamoDbStore(f"missing-{uuid.uuid4().hex[:8]}", local, fail_fast_seconds=0)
    )
    # A condition that fails: the store answers it itself (a full exercise is refused), so a
    # StoreUnavailable from it is what the store raises when contention never settles.
    table = f"ccf-{uuid.uuid4().hex[:8]}"
    admin = boto3.session.Session().client("dynamodb", endpoint_url=dynamodb_local)
    admin.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    try:
        local.call("PutItem", {"TableName": table, "Item": {"pk": {"S": "x"}}})
        local.call(
            "PutItem",
            {
                "TableName": table,
                "Item": {"pk": {"S": "x"}},
                "ConditionExpression": "attribute_not_exists(pk)",
            },
        )
    except DynamoDbHttpError as exc:
        try:
            raise StoreUnavailable(
                "dynamodb update_item failed: ConditionalCheckFailedException"
            ) from exc
        except StoreUnavailable as wrapped:
            errors["condition_failed"] = wrapped
    finally:
        admin.delete_table(TableName=table)
        admin.close()
        local.close()

    codes = {
        "timeout": "ReadTimeoutError",
        "unreachable": "EndpointConnectionError",
        "throttling": "ThrottlingException",
        "access_denied": "AccessDeniedException",
        "table_missing": "ResourceNotFoundException",
        "condition_failed": "ConditionalCheckFailedException",
    }
    for kind, error in errors.items():  # the faults are what they claim to be
        assert isinstance(error.__cause__, DynamoDbHttpError), (kind, repr(error.__cause__))
        assert error.__cause__.response["Error"]["Code"] == codes[kind]
    return errors


# --- the test double ----------------------------------------------------------------------------

STORE_METHODS = (
    "load",
    "add_set",
    "update_profile",
    "record_goal_met",
    "leave_out",
    "reset_day",
    "recent_days",
    "delete_user",
)


class FaultyStore(Store):
    """Delegates to a real store; its ``fail_at``-th call (1-based) raises ``error`` instead.

    ``after=True`` makes the call first (the write happens) and then raises: an answer lost on
    the way back, as a read timeout can lose it.
    """

    def __init__(
        self,
        inner: Store,
        error: StoreUnavailable | None = None,
        fail_at: int = 0,
        after: bool = False,
    ):
        self.inner = inner
        self.error = error
        self.fail_at = fail_at
        self.after = after
        self.calls: list[str] = []
        self.fired_during: int | None = None  # the request number the fault struck in
        self.request = 0

    def _call(self, name: str, *args, **kwargs):
        self.calls.append(name)
        if len(self.calls) != self.fail_at or self.error is None:
            return getattr(self.inner, name)(*args, **kwargs)
        self.fired_during = self.request
        if self.after:
            getattr(self.inner, name)(*args, **kwargs)
        raise StoreUnavailable(str(self.error)) from self.error.__cause__

    def load(self, *a, **k):
        return self._call("load", *a, **k)

    def add_set(self, *a, **k):
        return self._call("add_set", *a, **k)

    def update_profile(self, *a, **k):
        return self._call("update_profile", *a, **k)

    def record_goal_met(self, *a, **k):
        return self._call("record_goal_met", *a, **k)

    def leave_out(self, *a, **k):
        return self._call("leave_out", *a, **k)

    def reset_day(self, *a, **k):
        return self._call("reset_day", *a, **k)

    def recent_days(self, *a, **k):
        return self._call("recent_days", *a, **k)

    def delete_user(self, *a, **k):
        return self._call("delete_user", *a, **k)

    def set_in_routine(self, *a, **k):
        return self._call("set_in_routine", *a, **k)

    def count_known(self, *a, **k):
        return self._call("count_known", *a, **k)

    def reset_settings(self, *a, **k):
        return self._call("reset_settings", *a, **k)

    def withdraw_goal_met(self, *a, **k):
        return self._call("withdraw_goal_met", *a, **k)


# --- the routine --------------------------------------------------------------------------------


def speech(response: dict) -> str:
    return to_plain_text(Console.speech_of(response))


def run_routine(store: FaultyStore, user_id: str, limit: int = 60) -> list[tuple[str, str]]:
    """Open, start, "next" until the round ends, then "no": every (utterance, reply)."""
    handler = make_handler(Config(), store)

    def counted(event, context):
        store.request += 1
        return handler(event, context)

    console = Console(counted, RESOLVER, user_id=user_id, clock=lambda: NOW)
    turns = []
    for utterance in ["open leg exercises", "start my leg exercises"] + ["next"] * limit:
        turns.append((utterance, speech(console.say(utterance))))
        if NEXT_ROUND_OFFER in turns[-1][1] or not console.in_session:
            break
    if console.in_session:
        turns.append(("no", speech(console.say("no"))))
    return turns


def said_saved(turns: list[tuple[str, str]]) -> dict[str, int]:
    """The highest set number the skill said it saved, per exercise."""
    saved: dict[str, int] = {}
    for _, reply in turns:
        for match in SAVED.finditer(reply):
            exercise_id = NAMES[match.group("name")]
            saved[exercise_id] = max(saved.get(exercise_id, 0), int(match.group("n")))
    return saved


def stored_counts(client, table: str, user_id: str) -> dict[str, int]:
    item = (
        client.get_item(
            TableName=table,
            ConsistentRead=True,
            Key={"pk": {"S": user_pk(user_id)}, "sk": {"S": day_sk(TODAY)}},
        ).get("Item")
        or {}
    )
    return {e: int(item[e]["N"]) for e in EXERCISE_IDS if e in item}


def test_the_clean_routine_saves_every_set(dynamo_store, dynamo_client, dynamo_table):
    """The baseline the fault runs are measured against."""
    store = FaultyStore(dynamo_store)
    user = f"amzn1.ask.account.FAULTS{uuid.uuid4().hex.upper()}"
    turns = run_routine(store, user)
    assert ROUND_DONE in turns[-2][1], turns[-2:]
    assert said_saved(turns) == {e: 1 for e in EXERCISE_IDS}
    assert stored_counts(dynamo_client, dynamo_table, user) == {e: 1 for e in EXERCISE_IDS}
    assert "load" in store.calls and store.calls.count("add_set") == 5


FAULTS = [
    ("timeout", False),
    ("timeout", True),
    ("unreachable", False),
    ("throttling", False),
    ("access_denied", False),
    ("table_missing", False),
    ("condition_failed", False),
]


@pytest.mark.parametrize(
    "kind,after", FAULTS, ids=[k + ("-after-write" if a else "") for k, a in FAULTS]
)
def test_a_fault_at_any_store_call_is_told_and_loses_nothing_said_saved(
    kind, after, real_errors, dynamo_store, dynamo_client, dynamo_table
):
    clean = FaultyStore(dynamo_store)
    run_routine(clean, f"amzn1.ask.account.FAULTS{uuid.uuid4().hex.upper()}")
    total = len(clean.calls)
    assert total >= 7, clean.calls
    for fail_at in range(1, total + 1):
        store = FaultyStore(dynamo_store, real_errors[kind], fail_at, after=after)
        user = f"amzn1.ask.account.FAULTS{uuid.uuid4().hex.upper()}"
        turns = run_routine(store, user)
        where = (
            f"{kind}{' after the write' if after else ''} at call {fail_at} "
            f"({clean.calls[fail_at - 1]})"
        )
        assert store.fired_during is not None, where
        for number, (utterance, reply) in enumerate(turns, start=1):
            assert reply.strip(), f"{where}: silence after {utterance!r}"
            assert APOLOGY not in reply, f"{where}: {reply[:200]}"
            # The known-sets counter (how much a set's introduction says) is best effort: the
            # set it follows is saved, nothing said rests on it, so its failure is not told.
            best_effort = clean.calls[fail_at - 1] == "count_known"
            if number == store.fired_during and not best_effort:
                assert WRITE_NOTICE in reply or READ_NOTICE in reply, (
                    f"{where}: the turn the store failed in said {reply[:300]!r}"
                )
                if clean.calls[fail_at - 1] == "add_set":
                    # The set was not saved: the round is not called done in the same breath.
                    assert ROUND_DONE not in reply, f"{where}: {reply[:300]!r}"
        assert any(NEXT_ROUND_OFFER in reply for _, reply in turns), (
            f"{where}: the round never ended: {turns[-1][1][:200]}"
        )
        saved = said_saved(turns)
        stored = stored_counts(dynamo_client, dynamo_table, user)
        for exercise_id, said in saved.items():
            assert stored.get(exercise_id, 0) >= said, (
                f"{where}: said {exercise_id} set {said} was saved, the table has {stored}"
            )
        assert all(n <= GOAL for n in stored.values()), (where, stored)
        # Nothing is stored that the skill did not say it saved, unless the write was made and
        # only its answer lost (then that one set is kept though the user heard it was not).
        extra = sum(stored.values()) - sum(saved.values())
        assert extra == (1 if after and clean.calls[fail_at - 1] == "add_set" else 0), (
            f"{where}: said {saved}, stored {stored}"
        )


# --- logs ---------------------------------------------------------------------------------------


def with_tokens(handler: Callable[[dict, Any], dict]) -> Callable[[dict, Any], dict]:
    """Put an ``apiAccessToken`` and the user's ``accessToken`` into every envelope, as Alexa
    does for a skill with permissions and account linking."""

    def wrapped(event: dict, context: Any) -> dict:
        event = copy.deepcopy(event)
        event["context"]["System"]["apiAccessToken"] = API_TOKEN
        # The token goes out for real (a Settings API look-up, refused by a closed local port).
        event["context"]["System"]["apiEndpoint"] = "https://127.0.0.1:1"
        event["context"]["System"]["user"]["accessToken"] = LWA_TOKEN
        if "session" in event:
            event["session"]["user"]["accessToken"] = LWA_TOKEN
        return handler(event, context)

    return wrapped


@pytest.fixture(params=["sqlite", "dynamodb"])
def any_store(request, tmp_path):
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "logs.sqlite3")
        yield store
        store.close()
    else:
        yield request.getfixturevalue("dynamo_store")


def test_one_log_line_per_request_and_no_secrets_in_any_log(any_store, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, root included, at the most verbose level
    user = f"amzn1.ask.account.LOGS{uuid.uuid4().hex.upper()}"
    calls: list[str] = []
    handler = with_tokens(make_handler(Config(), any_store))

    def counted(event, context):
        calls.append(event["request"]["type"])
        return handler(event, context)

    console = Console(counted, RESOLVER, user_id=user, clock=lambda: NOW)
    for utterance in [
        "open leg exercises",
        "what's left for today",
        "how am I doing",
        "start my leg exercises",
        *["next"] * 20,
        "pause",
    ]:
        console.say(utterance)
    console.say("open leg exercises")  # the kept place is offered; a new session
    console.say("stop")
    console.say("alexa ask leg exercises to start ankle circles")  # a one-shot
    console.end_session("EXCEEDED_MAX_REPROMPTS")
    assert len(calls) > 25

    lines = [r for r in caplog.records if r.name == "skill.requests"]
    assert len(lines) == len(calls), (len(lines), len(calls))
    expected_user = hashlib.sha256(user.encode()).hexdigest()[:12]
    for record, request_type in zip(lines, calls, strict=True):
        entry = json.loads(record.getMessage())
        assert {"request_type", "intent", "latency_ms", "outcome", "user"} <= set(entry)
        assert entry["request_type"] == request_type
        assert entry["user"] == expected_user and re.fullmatch(r"[0-9a-f]{12}", entry["user"])
        assert isinstance(entry["latency_ms"], (int, float)) and entry["latency_ms"] >= 0
        assert entry["outcome"] == "ok", entry
        if request_type == "IntentRequest":
            assert entry["intent"], entry

    secrets = {
        "user ID": user,
        "user ID (bare)": user.rsplit(".", 1)[1],
        "apiAccessToken": API_TOKEN,
        "apiAccessToken payload": API_TOKEN.split(".")[1],
        "accessToken": LWA_TOKEN,
        "accessToken (bare)": LWA_TOKEN.split("|", 1)[1],
    }
    everything = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records, "nothing was logged at all"
    for what, secret in secrets.items():
        leaking = sorted(
            {
                r.name
                for r in caplog.records
                if secret in r.getMessage() or secret in (r.exc_text or "")
            }
        )
        assert secret not in everything, f"the {what} is in the logs of {leaking}"


def test_store_failures_are_logged_without_the_user_or_tokens(real_errors, dynamo_store, caplog):
    """Every fault kind, mid-routine: the request line says ``store_error``, the turn logs the
    failure, and nothing logged names the user or carries a token."""
    caplog.set_level(logging.DEBUG)
    user = f"amzn1.ask.account.LOGFAULT{uuid.uuid4().hex.upper()}"
    for error in real_errors.values():
        store = FaultyStore(dynamo_store, error, fail_at=3)
        console = Console(
            with_tokens(make_handler(Config(), store)), RESOLVER, user_id=user, clock=lambda: NOW
        )
        for utterance in [
            "open leg exercises",
            "start my leg exercises",
            "next",
            "next",
            "next",
            "stop",
        ]:
            console.say(utterance)
    outcomes = [
        json.loads(r.getMessage())["outcome"] for r in caplog.records if r.name == "skill.requests"
    ]
    assert "store_error" in outcomes
    text = caplog.text
    assert "store write failed" in text or "store read failed" in text
    for secret in (user, user.rsplit(".", 1)[1], API_TOKEN, LWA_TOKEN):
        assert secret not in text
