"""The Lambda store: one DynamoDB table holding a profile item and one item per user-day.

Key design (single table, every item bounded in size)::

    pk                sk                 attributes
    USER#<user id>    PROFILE            goal, safety_heard, position {exercise, segment, day},
                                         position_ts, streak, best_streak, last_met_day,
                                         rest_day (S), rest_day_told (BOOL),
                                         streak_before {streak, best, last_met, rest_day},
                                         time_zone (S), reminder_token (S) (both bounded),
                                         rate (N), detail (S), cues (BOOL),
                                         routine_out (SS of exercise ids),
                                         known_<exercise id> (N, at most 5 of them)
    USER#<user id>    DAY#YYYY-MM-DD     one number per exercise id (sets done that day),
                                         expires_at (TTL, epoch seconds)

A recognised speaker's records are the same items under ``USER#<user id>#person#<person id>``
(:func:`~.base.person_key`). DynamoDB cannot query partition keys by prefix, so the account's
profile item also holds ``people``, a string set of those keys: ``note_person`` ADDs a key (one
atomic, idempotent ``UpdateItem``) before the person's first write, and ``delete_user`` of the
account reads it and deletes each person's items before the account's own. The set grows by one
short key per voice profile in the household.

No item grows with days of use: history is one small item per day, and DynamoDB's TTL removes
day items ``DAY_ITEM_TTL_DAYS`` after their day.

Access patterns: a session reads once (``BatchGetItem`` of the profile and today's item); each
counted set is one conditional ``UpdateItem`` (``ADD``, never read-modify-write); settings are one
``UpdateItem``; the week view is one ``Query``. The table is created by ``template.yaml``.

The client (``dynamodb_http``: JSON over HTTPS, SigV4) is created on first use, and botocore is
not imported at all on Lambda's path: that saves about 100 ms of every cold start.

A turn works on ``store.within(deadline)``: the same table, client and fail-fast state, but no
call, retry or back-off of that view outlasts the turn's :class:`~skill.clock.Deadline`.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from typing import Any, TypeAlias

from ..clock import Deadline
from ..content import EXERCISE_IDS
from ..exceptions import LegSkillError, StoreError, StoreUnavailable
from ..progress import (
    DayProgress,
    Position,
    Profile,
    Settings,
    Snapshot,
    StreakBefore,
    next_streak,
    withdrawn_streak,
)
from ..records import field, record
from .base import (
    DAY_ITEM_TTL_DAYS,
    PERSON_KEY_SEPARATOR,
    UNSET,
    Store,
    Unset,
    check_profile_text,
    check_settings,
    day_key,
    person_key,
)
from .dynamodb_http import DynamoDbHttpClient, Response

__all__ = ["DAY_SK_PREFIX", "PROFILE_SK", "DynamoDbStore", "day_sk", "expires_at", "user_pk"]

log = logging.getLogger(__name__)

# DynamoDB's typed values as its JSON has them: {"S": "..."}, {"N": "3"}, {"BOOL": true},
# {"M": {name: value}}; an item (or a key) maps attribute names to them.
AttributeValue: TypeAlias = dict[str, Any]
Item: TypeAlias = dict[str, AttributeValue]

PROFILE_SK = "PROFILE"
# Profile attributes counting the sets that taught a person an exercise: known_<exercise id>.
_KNOWN_PREFIX = "known_"
DAY_SK_PREFIX = "DAY#"
_USER_PK_PREFIX = "USER#"
_TTL_ATTRIBUTE = "expires_at"
# Attributes of a day item that are not exercise counters.
# The id of the last add_set applied to a day item: a retry of that same call (its answer lost
# to a timeout after DynamoDB applied it) is recognised instead of counting the set twice.
_LAST_WRITE_ATTRIBUTE = "last_write"
_LEFT_OUT_ATTRIBUTE = "left_out"  # a string set of exercise ids, on the day item
_PEOPLE_ATTRIBUTE = "people"  # a string set of person keys, on the account's profile item
_DAY_RESERVED = frozenset({"pk", "sk", _TTL_ATTRIBUTE, _LAST_WRITE_ATTRIBUTE, _LEFT_OUT_ATTRIBUTE})

# Alexa waits 8 s for a response and the function times out at 7 s, so a call that keeps
# failing must give up well before that and leave time for the skill to say "I couldn't save
# your progress". Three attempts in all (botocore's "standard" retry mode), a 1 s connect
# timeout and a 2 s read timeout: a throttled call gives up after at most ~3 s (jittered backoff
# of at most 1 s, then 2 s), an unreachable endpoint after ~3 s (3 x 1 s), a hung one after ~6 s
# (3 x 2 s). botocore's defaults (60 s timeouts, 5 attempts) would let Lambda time out instead.
# Several calls in one turn could still add up past 7 s: a turn's view of the store
# (``within(deadline)``) cuts every attempt, retry and back-off to what is left of the turn.
_CLIENT_CONFIG: dict[str, Any] = {"max_attempts": 3, "connect_timeout": 1, "read_timeout": 2}
# After the store was found unreachable (retries exhausted, throttled, table missing, no access),
# later calls on this store fail at once for this long, so one turn that has several writes to
# make does not pay the retry budget above once per write and overrun Alexa's 8 s.
FAIL_FAST_SECONDS = 5.0
# Errors about one request (not about the store being reachable): they do not trip fail-fast.
_REQUEST_SPECIFIC_CODES = frozenset(
    {
        # The turn's time ran out before any attempt had its full timeouts: says nothing
        # about the store, and must not make the next turn fail at once.
        "DeadlineExceeded",
        "ValidationException",
        "SerializationException",
        "ItemCollectionSizeLimitExceededException",
    }
)
# botocore (the credential chain off Lambda, an injected client) logs whole request and response
# bodies at DEBUG from these two loggers, and every key in this table holds the Alexa user ID:
# they stay at INFO or above even when LOG_LEVEL is DEBUG.
_BODY_LOGGERS = ("botocore.endpoint", "botocore.parsers")
_BATCH_ATTEMPTS = 4  # for UnprocessedKeys / UnprocessedItems, on top of the client's retries
_GOAL_MET_ATTEMPTS = 4  # optimistic retries when two devices record the goal at once
_BATCH_WRITE_MAX = 25  # DynamoDB's limit per BatchWriteItem
# The store's method names and DynamoDB's names for the same operations.
_OPERATIONS = {
    "batch_get_item": "BatchGetItem",
    "batch_write_item": "BatchWriteItem",
    "get_item": "GetItem",
    "update_item": "UpdateItem",
    "delete_item": "DeleteItem",
    "query": "Query",
}


@record
class _Shared:
    """What a store and its turn views (:meth:`DynamoDbStore.within`) have in common."""

    client: Any
    unavailable_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def user_pk(user_id: str) -> str:
    """The partition key of everything kept about ``user_id``."""
    return _USER_PK_PREFIX + user_id


def day_sk(day: date) -> str:
    """The sort key of the user's item for ``day``."""
    return DAY_SK_PREFIX + day_key(day)


def expires_at(day: date) -> int:
    """TTL of the item for ``day``: midnight UTC ``DAY_ITEM_TTL_DAYS`` after it, epoch seconds."""
    expiry = datetime.combine(day + timedelta(days=DAY_ITEM_TTL_DAYS), dt_time.min, tzinfo=UTC)
    return int(expiry.timestamp())


class _ConditionFailed(LegSkillError):
    """A condition expression was false; ``item`` is the item as it was (when returned).

    Never leaves the store: its methods catch it and decide what the refusal means.
    """

    def __init__(self, item: Mapping[str, Any] | None):
        super().__init__("conditional check failed")
        self.item = item


class DynamoDbStore(Store):
    """DynamoDB implementation of :class:`~skill.store.base.Store`.

    Parameters
    ----------
    table_name:
        The table created by ``template.yaml`` (``pk``/``sk`` string keys, TTL on
        ``expires_at``).
    client:
        A DynamoDB client to use instead of creating one: a botocore client works too (tests,
        the benchmark). When ``None``, a :class:`~.dynamodb_http.DynamoDbHttpClient` is
        created on first use from the standard AWS environment (region, credentials, and
        ``AWS_ENDPOINT_URL_DYNAMODB`` for DynamoDB Local) and reused.
    fail_fast_seconds:
        After the store was found unavailable, fail at once for this long (``0`` disables).

    Notes
    -----
    Safe to share between threads (both clients are thread-safe). Every public method raises
    :class:`~skill.exceptions.StoreError` (``StoreUnavailable`` for anything from AWS) and
    nothing else. Logs name the operation and the error code, never the user.
    """

    def __init__(
        self, table_name: str, client: Any = None, *, fail_fast_seconds: float = FAIL_FAST_SECONDS
    ):
        self.table_name = table_name
        self._shared = _Shared(client)
        self._fail_fast_seconds = fail_fast_seconds
        self._deadline: Deadline | None = None

    def within(self, deadline: Deadline) -> DynamoDbStore:
        """This store for one turn: no call of the view outlasts ``deadline``.

        The view shares the client, its connections and the fail-fast state with this store.
        Each DynamoDB attempt's connect and read timeouts are cut to what is left, no retry or
        back-off starts that would end after it, and once it has passed every call raises
        :class:`~skill.exceptions.StoreUnavailable` at once. An injected client other than
        :class:`~.dynamodb_http.DynamoDbHttpClient` (botocore's) cannot be cut short: with
        it, only calls made after the deadline are refused.

        Parameters
        ----------
        deadline : Deadline
            The turn's.

        Returns
        -------
        DynamoDbStore
            A view; the store itself is unchanged.
        """
        view = copy.copy(self)
        view._deadline = deadline
        return view

    # -- plumbing -------------------------------------------------------------------------

    @property
    def _client(self) -> Any:
        """The client if it exists yet (``None`` before the first call)."""
        return self._shared.client

    @property
    def client(self) -> Any:
        """The DynamoDB client, created on first use.

        Raises
        ------
        StoreUnavailable
            When the client cannot be configured (no region, no credentials).
        """
        shared = self._shared
        client = shared.client
        if client is not None:
            return client
        with shared.lock:
            if shared.client is None:
                try:
                    for name in _BODY_LOGGERS:
                        body_log = logging.getLogger(name)
                        body_log.setLevel(max(body_log.level, logging.INFO))
                    shared.client = DynamoDbHttpClient.from_environment(**_CLIENT_CONFIG)
                except Exception as exc:  # the contract: StoreError, nothing else
                    log.warning("dynamodb client not created: %s", type(exc).__name__)
                    raise StoreUnavailable(
                        f"cannot create a DynamoDB client: {type(exc).__name__}"
                    ) from exc
            return shared.client

    def _call(self, operation: str, **params: Any) -> Response:
        """Run one client operation, mapping every failure to :class:`StoreUnavailable`.

        ``ConditionalCheckFailedException`` becomes :class:`_ConditionFailed` (not an error:
        callers decide what it means).
        """
        shared = self._shared
        if self._fail_fast_seconds and time.monotonic() < shared.unavailable_until:
            raise StoreUnavailable(f"dynamodb {operation} skipped: store unavailable just now")
        deadline = self._deadline
        if deadline is not None and deadline.spent:
            log.warning("dynamodb %s skipped: the turn's time is spent", operation)
            raise StoreUnavailable(f"dynamodb {operation} skipped: the turn's time is spent")
        client = self.client
        try:
            response: Response
            if deadline is not None and isinstance(client, DynamoDbHttpClient):
                response = client.call(_OPERATIONS[operation], params, deadline=deadline)
            else:
                response = getattr(client, operation)(**params)
            return response
        except Exception as exc:  # an injected botocore client raises many unrelated classes
            code = _error_code(exc)
            if code == "ConditionalCheckFailedException":
                raise _ConditionFailed(getattr(exc, "response", {}).get("Item")) from None
            log.warning("dynamodb %s failed: %s", operation, code)
            if code not in _REQUEST_SPECIFIC_CODES:
                shared.unavailable_until = time.monotonic() + self._fail_fast_seconds
            raise StoreUnavailable(f"dynamodb {operation} failed: {code}") from exc

    def _pause(self, seconds: float, operation: str) -> None:
        """Wait before a batch's next round, unless that would pass the turn's deadline."""
        if self._deadline is not None and seconds >= self._deadline.remaining():
            log.warning("dynamodb %s stopped: the turn's time is spent", operation)
            raise StoreUnavailable(f"dynamodb {operation} stopped: the turn's time is spent")
        time.sleep(seconds)

    def _key(self, user_id: str, sk: str) -> Item:
        return {"pk": {"S": user_pk(user_id)}, "sk": {"S": sk}}

    # -- Store ------------------------------------------------------------------------------

    def load(self, user_id: str, day: date) -> Snapshot:
        """The profile and the day's sets: one ``BatchGetItem`` (strongly consistent).

        Parameters
        ----------
        user_id:
            The Alexa user ID.
        day:
            The user's local day.

        Returns
        -------
        Snapshot
            Defaults for a user never seen before.
        """
        profile_key = self._key(user_id, PROFILE_SK)
        day_item_key = self._key(user_id, day_sk(day))
        items = self._batch_get([profile_key, day_item_key])
        by_sk = {item.get("sk", {}).get("S"): item for item in items}
        return Snapshot(_profile(by_sk.get(PROFILE_SK)), _day(day, by_sk.get(day_sk(day))))

    def _batch_get(self, keys: list[Item]) -> list[Item]:
        # Consistent reads: a set just saved on another device shows up in the next session.
        request: dict[str, Any] = {self.table_name: {"Keys": keys, "ConsistentRead": True}}
        items: list[Item] = []
        for attempt in range(_BATCH_ATTEMPTS):
            response = self._call("batch_get_item", RequestItems=request)
            items.extend(response.get("Responses", {}).get(self.table_name, []))
            unprocessed = response.get("UnprocessedKeys") or {}
            if not unprocessed.get(self.table_name, {}).get("Keys"):
                return items
            request = unprocessed
            self._pause(0.05 * 2**attempt, "batch_get_item")
        log.warning("dynamodb batch_get_item failed: UnprocessedKeys")
        raise StoreUnavailable("dynamodb batch_get_item failed: keys left unprocessed")

    def add_set(self, user_id: str, day: date, exercise_id: str, goal: int) -> int | None:
        """Count one set with a single conditional ``UpdateItem`` (``ADD``).

        The call carries a write id, and the item keeps the last one applied: when a timeout
        hides that DynamoDB applied the write, the client's retry (the same request) fails the
        condition, and the item it returns shows the set was counted, once.

        Returns
        -------
        int or None
            The new count, or ``None`` when the exercise was already at ``goal`` (another
            device may have got there first).
        """
        if not exercise_id or exercise_id in _DAY_RESERVED:
            raise StoreError("invalid exercise id")
        write_id = os.urandom(16).hex()  # 128 random bits, as uuid4's (not imported: 0.7 ms)
        try:
            response = self._call(
                "update_item",
                TableName=self.table_name,
                Key=self._key(user_id, day_sk(day)),
                UpdateExpression="ADD #ex :one SET #ttl = :ttl, #last = :write",
                ConditionExpression="(attribute_not_exists(#ex) OR #ex < :goal) AND "
                "(attribute_not_exists(#last) OR #last <> :write)",
                ExpressionAttributeNames={
                    "#ex": exercise_id,
                    "#ttl": _TTL_ATTRIBUTE,
                    "#last": _LAST_WRITE_ATTRIBUTE,
                },
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":goal": _n(goal),
                    ":ttl": _n(expires_at(day)),
                    ":write": {"S": write_id},
                },
                ReturnValues="UPDATED_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except _ConditionFailed as refused:
            item = refused.item or {}
            if item.get(_LAST_WRITE_ATTRIBUTE, {}).get("S") == write_id:
                return _int_of(item.get(exercise_id), "counter")  # applied by an earlier try
            return None
        return _int_of(response.get("Attributes", {}).get(exercise_id), "counter")

    def update_profile(
        self,
        user_id: str,
        *,
        goal: int | None = None,
        safety_heard: bool | None = None,
        position: Position | Unset | None = UNSET,
        position_ts: int = 0,
        time_zone: str | Unset | None = UNSET,
        reminder_token: str | Unset | None = UNSET,
        rate: int | None = None,
        detail: str | None = None,
        cues: bool | None = None,
    ) -> bool:
        """Change settings in one ``UpdateItem`` (``SET`` and ``REMOVE`` in one expression).

        ``time_zone`` and ``reminder_token`` are ``S`` attributes; ``None`` removes them. The
        position is written only if ``position_ts`` is not older than the stored one; when it is
        stale, the other settings given in the same call are still written (a second
        ``UpdateItem``, only in that case).

        Returns
        -------
        bool
            ``False`` when the position was refused as stale, else ``True``.

        Raises
        ------
        ValueError, TypeError
            Before any call, for a ``time_zone`` or ``reminder_token`` that is too long,
            empty or not a string (see :func:`~.base.check_profile_text`).
        """
        check_profile_text(time_zone, reminder_token)
        check_settings(rate, detail, cues)
        fields: dict[str, AttributeValue] = {}
        remove: list[str] = []
        if goal is not None:
            fields["goal"] = _n(goal)
        if rate is not None:
            fields["rate"] = _n(rate)
        if detail is not None:
            fields["detail"] = {"S": detail}
        if cues is not None:
            fields["cues"] = {"BOOL": cues}
        if safety_heard is not None:
            fields["safety_heard"] = {"BOOL": bool(safety_heard)}
        for name, text in (("time_zone", time_zone), ("reminder_token", reminder_token)):
            if text is None:
                remove.append(name)
            elif text is not UNSET:
                fields[name] = {"S": str(text)}
        key = self._key(user_id, PROFILE_SK)
        if position is UNSET:
            if fields or remove:
                self._set_fields(key, fields, remove)
            return True
        with_position = dict(fields)
        with_position["position_ts"] = _n(position_ts)
        if isinstance(position, Position):
            place: dict[str, Any] = {
                "exercise": {"S": position.exercise_id},
                "segment": _n(position.segment),
            }
            if position.day is not None:
                place["day"] = {"S": day_key(position.day)}
            with_position["position"] = {"M": place}
            with_remove = remove
        else:
            with_remove = [*remove, "position"]
        try:
            self._set_fields(
                key,
                with_position,
                with_remove,
                condition="attribute_not_exists(#position_ts) OR #position_ts <= :position_ts",
            )
        except _ConditionFailed:
            if fields or remove:
                self._set_fields(key, fields, remove)
            return False
        return True

    def _set_fields(
        self,
        key: Item,
        fields: Mapping[str, AttributeValue],
        remove: list[str],
        condition: str | None = None,
    ) -> Response:
        """One ``UpdateItem``: ``SET`` ``fields`` and ``REMOVE`` ``remove`` (either may be
        empty, not both)."""
        clauses = []
        if fields:
            clauses.append("SET " + ", ".join(f"#{name} = :{name}" for name in fields))
        if remove:
            clauses.append("REMOVE " + ", ".join(f"#{name}" for name in remove))
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": key,
            "UpdateExpression": " ".join(clauses),
            "ExpressionAttributeNames": {f"#{name}": name for name in [*fields, *remove]},
        }
        if fields:  # DynamoDB refuses an empty ExpressionAttributeValues
            params["ExpressionAttributeValues"] = {
                f":{name}": value for name, value in fields.items()
            }
        if condition:
            params["ConditionExpression"] = condition
        return self._call("update_item", **params)

    def set_in_routine(self, user_id: str, exercise_id: str, included: bool) -> None:
        """``DELETE`` the id from, or ``ADD`` it to, the profile's ``routine_out`` string set:
        one ``UpdateItem``, idempotent (DynamoDB removes an emptied set)."""
        if exercise_id not in EXERCISE_IDS:
            raise ValueError("not an exercise id")
        action = "DELETE" if included else "ADD"
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=self._key(user_id, PROFILE_SK),
            UpdateExpression=f"{action} #out :ids",
            ExpressionAttributeNames={"#out": "routine_out"},
            ExpressionAttributeValues={":ids": {"SS": [exercise_id]}},
        )

    def count_known(self, user_id: str, exercise_id: str) -> None:
        """``ADD`` 1 to the profile's ``known_<exercise id>``: one ``UpdateItem``."""
        if exercise_id not in EXERCISE_IDS:
            raise ValueError("not an exercise id")
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=self._key(user_id, PROFILE_SK),
            UpdateExpression="ADD #known :one",
            ExpressionAttributeNames={"#known": f"{_KNOWN_PREFIX}{exercise_id}"},
            ExpressionAttributeValues={":one": {"N": "1"}},
        )

    def reset_settings(self, user_id: str) -> None:
        """``REMOVE`` the coaching settings and ``routine_out``: one ``UpdateItem`` (missing
        attributes read as the defaults)."""
        self._set_fields(
            self._key(user_id, PROFILE_SK), {}, ["rate", "detail", "cues", "routine_out"]
        )

    def record_goal_met(self, user_id: str, day: date) -> Profile:
        """Extend the streak once for ``day``, however many devices report it
        (:meth:`_change_streak`; a day already recorded is not written again)."""
        return self._change_streak(user_id, "record_goal_met", lambda p: next_streak(p, day))

    def withdraw_goal_met(self, user_id: str, day: date) -> Profile:
        """Take ``day`` out of the streak once, if it is the last day recorded as met
        (:meth:`_change_streak`; any other day changes nothing and is not written)."""
        return self._change_streak(user_id, "withdraw_goal_met", lambda p: withdrawn_streak(p, day))

    def _change_streak(
        self, user_id: str, operation: str, change: Callable[[Profile], Profile]
    ) -> Profile:
        """Write ``change(profile)``'s streak fields; nothing when it changes nothing.

        One consistent ``GetItem`` of the profile, then an ``UpdateItem`` conditional on the
        streak fields being as read; if another device changed them meanwhile, the change is
        made again on the item the failed condition returned. The rest day, the flag that its
        rule was said and the streak before the last day met
        (:func:`~skill.progress.next_streak`) are written in the same update, on the same
        condition.
        """
        key = self._key(user_id, PROFILE_SK)
        item = self._call("get_item", TableName=self.table_name, Key=key, ConsistentRead=True).get(
            "Item"
        )
        for _ in range(_GOAL_MET_ATTEMPTS):
            profile = _profile(item)
            after = change(profile)
            if after == profile:
                return profile
            names = {
                "#streak": "streak",
                "#best": "best_streak",
                "#last": "last_met_day",
                "#rest": "rest_day",
                "#told": "rest_day_told",
                "#before": "streak_before",
            }
            values: dict[str, Any] = {
                ":streak": _n(after.streak),
                ":best": _n(after.best_streak),
                ":told": {"BOOL": after.rest_day_told},
            }
            sets = ["#streak = :streak", "#best = :best", "#told = :told"]
            removes = []
            for name, value in (
                ("#last", _day_value(after.last_met_day)),
                ("#rest", _day_value(after.rest_day)),
                ("#before", _streak_before_value(after.streak_before)),
            ):
                if value is None:
                    removes.append(name)
                else:
                    sets.append(f"{name} = :{name[1:]}")
                    values[f":{name[1:]}"] = value
            update = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
            if profile.last_met_day is None:
                condition = "attribute_not_exists(#last)"
            else:
                condition = "#last = :old_last AND #streak = :old_streak"
                values[":old_last"] = {"S": day_key(profile.last_met_day)}
                values[":old_streak"] = _n(profile.streak)
            # The rest day and its flag as read, too (an old item has neither).
            if profile.rest_day is None:
                condition += " AND attribute_not_exists(#rest)"
            else:
                condition += " AND #rest = :old_rest"
                values[":old_rest"] = {"S": day_key(profile.rest_day)}
            if profile.rest_day_told:
                condition += " AND #told = :true"
                values[":true"] = {"BOOL": True}
            else:
                condition += " AND (attribute_not_exists(#told) OR #told = :false)"
                values[":false"] = {"BOOL": False}
            try:
                response = self._call(
                    "update_item",
                    TableName=self.table_name,
                    Key=key,
                    UpdateExpression=update,
                    ConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                    ReturnValues="ALL_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except _ConditionFailed as failed:
                item = failed.item
                continue
            return _profile(response.get("Attributes"))
        log.warning("dynamodb %s failed: contention", operation)
        raise StoreUnavailable(f"dynamodb {operation} failed: too many concurrent updates")

    def leave_out(self, user_id: str, day: date, exercise_id: str) -> None:
        """Add the id to the day item's ``left_out`` string set: one ``UpdateItem`` (``ADD``,
        idempotent, so a retried write changes nothing), which also sets the item's TTL."""
        if exercise_id not in EXERCISE_IDS:
            raise ValueError("not an exercise id")
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=self._key(user_id, day_sk(day)),
            UpdateExpression="ADD #out :ids SET #ttl = :ttl",
            ExpressionAttributeNames={"#out": _LEFT_OUT_ATTRIBUTE, "#ttl": _TTL_ATTRIBUTE},
            ExpressionAttributeValues={
                ":ids": {"SS": [exercise_id]},
                ":ttl": _n(expires_at(day)),
            },
        )

    def reset_day(self, user_id: str, day: date) -> None:
        """Forget the day's sets and what was left out: one ``DeleteItem``."""
        self._call("delete_item", TableName=self.table_name, Key=self._key(user_id, day_sk(day)))

    def recent_days(self, user_id: str, last_day: date, days: int = 7) -> list[DayProgress]:
        """The days with sets among ``days`` days ending on ``last_day``: one ``Query``.

        Days older than ``DAY_ITEM_TTL_DAYS`` may already have expired.
        """
        if days < 1:
            return []
        first = last_day - timedelta(days=days - 1)
        result: list[DayProgress] = []
        for item in self._query(
            user_id,
            "#sk BETWEEN :first AND :last",
            {":first": {"S": day_sk(first)}, ":last": {"S": day_sk(last_day)}},
        ):
            if _counters(item):
                sk = _str_of(item.get("sk"), "sk")
                result.append(_day(_date_of(sk[len(DAY_SK_PREFIX) :]), item))
        return result

    def _query(
        self,
        user_id: str,
        sk_condition: str | None = None,
        values: Mapping[str, AttributeValue] | None = None,
        projection: str | None = None,
    ) -> list[Item]:
        """Every item of the user (whose ``sk`` meets ``sk_condition``), all pages."""
        condition = "#pk = :pk" + (f" AND {sk_condition}" if sk_condition else "")
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {"#pk": "pk", "#sk": "sk"},
            "ExpressionAttributeValues": {":pk": {"S": user_pk(user_id)}, **(values or {})},
            "ConsistentRead": True,
        }
        if projection:
            params["ProjectionExpression"] = projection
        if "#sk" not in condition + (projection or ""):
            del params["ExpressionAttributeNames"]["#sk"]
        items: list[Item] = []
        while True:
            response = self._call("query", **params)
            items.extend(response.get("Items", []))
            last_key = response.get("LastEvaluatedKey")
            if not last_key:
                return items
            params["ExclusiveStartKey"] = last_key

    def note_person(self, account_id: str, person_id: str) -> None:
        """ADD the person's key to the ``people`` string set of the account's profile item.

        One ``UpdateItem``: atomic (two devices noting two people at once both stay) and
        idempotent (a person noted again changes nothing). It creates the profile item when the
        account has none; its settings then read as defaults.

        Raises
        ------
        ValueError
            For IDs :func:`~.base.person_key` refuses, before any call.
        """
        key = person_key(account_id, person_id)
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=self._key(account_id, PROFILE_SK),
            UpdateExpression="ADD #people :key",
            ExpressionAttributeNames={"#people": _PEOPLE_ATTRIBUTE},
            ExpressionAttributeValues={":key": {"SS": [key]}},
        )

    def delete_user(self, user_id: str) -> None:
        """Remove the profile and every day item, first those of each person the account's
        profile lists (``people``): a consistent ``GetItem`` of that list, then per key a
        keys-only ``Query`` and ``BatchWriteItem`` deletes (25 a call; at most ~36 items a key
        exist thanks to the TTL).

        The account's own items go last: if a call fails half-way, the list is still there for
        the retry (Alexa sends ``SkillDisabled`` again when the skill's answer is an error). Only
        keys that start with ``<user_id>#person#`` are followed: a malformed list never reaches
        another account's items.
        """
        profile = self._call(
            "get_item",
            TableName=self.table_name,
            Key=self._key(user_id, PROFILE_SK),
            ConsistentRead=True,
            ProjectionExpression="#people",
            ExpressionAttributeNames={"#people": _PEOPLE_ATTRIBUTE},
        ).get("Item")
        listed = ((profile or {}).get(_PEOPLE_ATTRIBUTE) or {}).get("SS") or []
        prefix = user_id + PERSON_KEY_SEPARATOR
        people = sorted(k for k in listed if isinstance(k, str) and k.startswith(prefix))
        for key in [*people, user_id]:
            self._delete_partition(key)

    def _delete_partition(self, user_key: str) -> None:
        """Every item under ``USER#<user_key>``: a keys-only ``Query``, then ``BatchWriteItem``."""
        keys = [
            {"pk": item["pk"], "sk": item["sk"]}
            for item in self._query(user_key, projection="#pk, #sk")
        ]
        for start in range(0, len(keys), _BATCH_WRITE_MAX):
            requests = [
                {"DeleteRequest": {"Key": key}} for key in keys[start : start + _BATCH_WRITE_MAX]
            ]
            self._batch_write(requests)

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending: dict[str, Any] = {self.table_name: requests}
        for attempt in range(_BATCH_ATTEMPTS):
            response = self._call("batch_write_item", RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
            if not pending.get(self.table_name):
                return
            self._pause(0.05 * 2**attempt, "batch_write_item")
        log.warning("dynamodb batch_write_item failed: UnprocessedItems")
        raise StoreUnavailable("dynamodb batch_write_item failed: items left unprocessed")

    def close(self) -> None:
        """Close the client's connections; a later call creates a new client."""
        with self._shared.lock:
            client, self._shared.client = self._shared.client, None
        if client is not None and hasattr(client, "close"):
            with contextlib.suppress(Exception):  # closing is best effort
                client.close()


# -- typed values ----------------------------------------------------------------------------


def _n(value: int) -> AttributeValue:
    return {"N": str(int(value))}


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, Mapping):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(exc).__name__


def _int_of(value: Any, what: str) -> int:
    try:
        return int(value["N"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"malformed {what} in DynamoDB item") from exc


def _str_of(value: Any, what: str) -> str:
    try:
        return str(value["S"])
    except (KeyError, TypeError) as exc:
        raise StoreError(f"malformed {what} in DynamoDB item") from exc


def _date_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise StoreError("malformed date in DynamoDB item") from exc


def _day(day: date, item: Mapping[str, Any] | None) -> DayProgress:
    """A day item as :class:`DayProgress` (an empty day when there is none)."""
    left_out = (item or {}).get(_LEFT_OUT_ATTRIBUTE)
    ids = left_out.get("SS", []) if isinstance(left_out, Mapping) else []
    return DayProgress(day, _counters(item), frozenset(e for e in ids if e in EXERCISE_IDS))


def _counters(item: Mapping[str, Any] | None) -> dict[str, int]:
    """The exercise counters of a day item, as ``int`` (never ``Decimal``)."""
    if not item:
        return {}
    return {
        name: _int_of(value, "counter")
        for name, value in item.items()
        if name not in _DAY_RESERVED and isinstance(value, Mapping) and "N" in value
    }


def _settings(item: Mapping[str, Any]) -> Settings:
    """The coaching settings of a profile item; defaults for what is missing or unknown."""
    rate = item.get("rate", {}).get("N")
    return Settings.read(
        int(rate) if rate is not None else None,
        item.get("detail", {}).get("S"),
        item.get("cues", {}).get("BOOL"),
        item.get("routine_out", {}).get("SS", ()),
    )


def _day_value(day: date | None) -> dict[str, str] | None:
    return {"S": day_key(day)} if day is not None else None


def _streak_before_value(before: StreakBefore | None) -> dict[str, Any] | None:
    """The streak before the last day met, as a map attribute of what
    :meth:`~skill.progress.StreakBefore.to_dict` gives (numbers as ``N``, dates as ``S``,
    absent dates left out)."""
    if before is None:
        return None
    return {
        "M": {
            name: {"N": str(value)} if isinstance(value, int) else {"S": value}
            for name, value in before.to_dict().items()
            if value is not None
        }
    }


def _streak_before(item: Mapping[str, Any]) -> StreakBefore | None:
    """What :func:`_streak_before_value` wrote, through ``StreakBefore.from_dict``."""
    raw = item.get("streak_before", {}).get("M")
    if not raw:
        return None
    return StreakBefore.from_dict({name: v.get("N", v.get("S")) for name, v in raw.items()})


def _profile(item: Mapping[str, Any] | None) -> Profile:
    """The profile item as a :class:`Profile`; defaults for what is missing."""
    defaults = Profile()
    if not item:
        return defaults
    try:
        goal = int(item["goal"]["N"]) if "goal" in item else 0
        position = None
        raw_position = item.get("position", {}).get("M")
        if raw_position:
            position = Position.from_dict(
                {
                    "exercise": raw_position.get("exercise", {}).get("S"),
                    "segment": int(raw_position.get("segment", {}).get("N", "0")),
                    "day": raw_position.get("day", {}).get("S"),
                }
            )
        last_met = item.get("last_met_day", {}).get("S")
        rest_day = item.get("rest_day", {}).get("S")
        return Profile(
            goal=goal or defaults.goal,
            safety_heard=bool(item.get("safety_heard", {}).get("BOOL", False)),
            position=position,
            position_ts=int(item.get("position_ts", {}).get("N", "0")),
            streak=int(item.get("streak", {}).get("N", "0")),
            best_streak=int(item.get("best_streak", {}).get("N", "0")),
            last_met_day=date.fromisoformat(last_met) if last_met else None,
            rest_day=date.fromisoformat(rest_day) if rest_day else None,
            rest_day_told=bool(item.get("rest_day_told", {}).get("BOOL", False)),
            streak_before=_streak_before(item),
            time_zone=item.get("time_zone", {}).get("S") or None,
            reminder_token=item.get("reminder_token", {}).get("S") or None,
            settings=_settings(item),
            known={
                e: int(item[f"{_KNOWN_PREFIX}{e}"]["N"])
                for e in EXERCISE_IDS
                if f"{_KNOWN_PREFIX}{e}" in item
            },
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreError("malformed profile item in DynamoDB") from exc
