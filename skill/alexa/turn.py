"""One turn at the edge: session attributes and the store in, dialog out, effects written.

The snapshot of the user's progress is read from the store once per session (and again only
when the user's local day changes) and carried in the session attributes in between.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from .. import dialog
from ..clock import utc_now
from ..content import EXERCISE_IDS, ROUNDS_PER_DAY_CHOICES
from ..dialog import (
    AddSet,
    ChangeSettings,
    Context,
    DialogState,
    Event,
    EventKind,
    LeaveOut,
    MarkSafetyHeard,
    Outcome,
    RecordGoalMet,
    ResetDay,
    SavePosition,
    SetGoal,
    WithdrawGoalMet,
    WriteResult,
)
from ..exceptions import StoreError
from ..locales import Strings
from ..progress import (
    DEFAULT_RATE,
    RATES,
    DayProgress,
    Position,
    Profile,
    Settings,
    Snapshot,
    StreakBefore,
    local_day,
    parse_zone,
    zone_name_or_none,
)
from ..records import record, replace
from ..store.base import Store

__all__ = [
    "TurnInput",
    "TurnResult",
    "run_turn",
    "session_zone",
    "snapshot_from_dict",
    "snapshot_to_dict",
]

log = logging.getLogger(__name__)

STATE_KEY = "dialog"
SNAPSHOT_KEY = "progress"
ZONE_KEY = "zone"  # the zone this session runs on, once learnt
# Set while that zone is the configured default: neither the device nor the profile gave one.
ZONE_GUESSED_KEY = "zone_guessed"
NOTICES_KEY = "notices"  # the store notices already said this session ("write", "read")
RATE_KEY = "rate"  # the speaking rate the store holds, in percent (speech_rate_of)


@record(frozen=True)
class TurnInput:
    user_id: str
    event: Event
    timestamp: datetime | None
    session_attributes: Mapping[str, Any]
    strings: Strings
    timezone_name: str  # the configured default zone
    budget_seconds: float
    # The device's zone from the Alexa Settings API, asked once per session (None: unknown).
    device_zone: Callable[[], str | None] | None = None


@record(frozen=True)
class TurnResult:
    outcome: Outcome
    session_attributes: dict[str, Any]
    store_failed: bool


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, object]:
    p = snapshot.profile
    return {
        "day": snapshot.today.day.isoformat(),
        "done": dict(snapshot.today.done),
        "left_out": sorted(snapshot.today.left_out),
        "goal": p.goal,
        "safety": p.safety_heard,
        "position": p.position.to_dict() if p.position else None,
        "position_ts": p.position_ts,
        "streak": p.streak,
        "best": p.best_streak,
        "last_met": p.last_met_day.isoformat() if p.last_met_day else None,
        "rest_day": p.rest_day.isoformat() if p.rest_day else None,
        "rest_told": p.rest_day_told,
        "before": p.streak_before.to_dict() if p.streak_before else None,
        "zone": p.time_zone,
        "reminder": p.reminder_token,
        "rate": p.settings.rate,
        "detail": p.settings.detail,
        "cues": p.settings.cues,
        "out": sorted(p.settings.routine_out),
        "known": dict(p.known),
    }


def snapshot_from_dict(data: Any) -> Snapshot | None:
    """The cached snapshot, or ``None`` when absent or malformed (then the store is read)."""
    if not isinstance(data, Mapping):
        return None
    try:
        profile = Profile(
            goal=int(data["goal"]),
            safety_heard=bool(data["safety"]),
            position=Position.from_dict(data.get("position")),
            position_ts=int(data.get("position_ts") or 0),
            streak=int(data["streak"]),
            best_streak=int(data["best"]),
            last_met_day=date.fromisoformat(data["last_met"]) if data.get("last_met") else None,
            rest_day=date.fromisoformat(data["rest_day"]) if data.get("rest_day") else None,
            rest_day_told=bool(data.get("rest_told")),
            streak_before=StreakBefore.from_dict(data.get("before")),
            time_zone=zone_name_or_none(data.get("zone")),
            reminder_token=str(data["reminder"]) if data.get("reminder") else None,
            settings=Settings.read(
                data.get("rate"), data.get("detail"), data.get("cues"), data.get("out") or ()
            ),
            known={
                str(k): int(v)
                for k, v in dict(data.get("known") or {}).items()
                if k in EXERCISE_IDS
            },
        )
        done = {str(k): int(v) for k, v in dict(data["done"]).items()}
        left_out = frozenset(e for e in data.get("left_out") or () if e in EXERCISE_IDS)
        snapshot = Snapshot(profile, DayProgress(date.fromisoformat(data["day"]), done, left_out))
    except (KeyError, TypeError, ValueError, AttributeError):  # e.g. a position that is no dict
        return None
    # The store's check that a set never passes the goal uses the cached goal: a cache the skill
    # could not have written is read again rather than trusted.
    if profile.goal not in ROUNDS_PER_DAY_CHOICES or not all(
        0 <= n <= max(ROUNDS_PER_DAY_CHOICES) for n in done.values()
    ):
        return None
    return snapshot


def speech_rate_of(attributes: Mapping[str, Any]) -> int:
    """The person's speaking rate (percent) as the session last read or saved it, else 100.

    Kept apart from the cached snapshot, which is dropped whenever the profile may have changed
    behind it (a failed write, a reminder), so a reply is never said at a rate the store does
    not hold: after a failed write, the rate read before the turn.
    """
    rate = attributes.get(RATE_KEY)
    return rate if rate in RATES else DEFAULT_RATE


def session_zone(attributes: Mapping[str, Any]) -> str | None:
    """The zone the session runs on, once a turn has learnt it (session data is untrusted)."""
    return zone_name_or_none(attributes.get(ZONE_KEY))


def _apply(store: Store, user_id: str, effect: dialog.Effect, stamp_ms: int, goal: int) -> bool:
    """Write one effect; return ``False`` when an added set was refused (goal already met)."""
    if isinstance(effect, AddSet):
        # The store re-checks the goal atomically: another device may have got there first.
        return store.add_set(user_id, effect.day, effect.exercise_id, goal) is not None
    if isinstance(effect, SavePosition):
        store.update_profile(user_id, position=effect.position, position_ts=stamp_ms)
    elif isinstance(effect, SetGoal):
        store.update_profile(user_id, goal=effect.goal)
    elif isinstance(effect, MarkSafetyHeard):
        store.update_profile(user_id, safety_heard=True)
    elif isinstance(effect, RecordGoalMet):
        store.record_goal_met(user_id, effect.day)
    elif isinstance(effect, WithdrawGoalMet):
        store.withdraw_goal_met(user_id, effect.day)
    elif isinstance(effect, ResetDay):
        store.reset_day(user_id, effect.day)
    elif isinstance(effect, LeaveOut):
        store.leave_out(user_id, effect.day, effect.exercise_id)
    elif isinstance(effect, ChangeSettings):
        if effect.reset:
            store.reset_settings(user_id)
        if effect.routine is not None:
            store.set_in_routine(user_id, *effect.routine)
        if (effect.rate, effect.detail, effect.cues) != (None, None, None):
            store.update_profile(user_id, rate=effect.rate, detail=effect.detail, cues=effect.cues)
    return True


def _count_known(store: Store, user_id: str, exercise_id: str) -> None:
    """One more set of an exercise the person is still learning (for the short introduction).

    Best effort: the set itself is saved; a count that fails only means one more full
    introduction later.
    """
    try:
        store.count_known(user_id, exercise_id)
    except StoreError as exc:
        log.warning("store write failed: %s (known sets)", type(exc).__name__)


# Effects that rest on what the store said about the profile: skipped when it could not be read.
_NEEDS_PROFILE = (MarkSafetyHeard, SavePosition, RecordGoalMet, WithdrawGoalMet)


def _notices(attributes: Mapping[str, Any]) -> list[str]:
    """The store notices said this session (session data is untrusted)."""
    said = attributes.get(NOTICES_KEY)
    return [n for n in said if n in ("write", "read")] if isinstance(said, list) else []


def run_turn(store: Store, turn: TurnInput) -> TurnResult:
    """Load (once per session), run the dialog, write its effects, and say if writing failed."""
    now = turn.timestamp or utc_now()
    attributes = dict(turn.session_attributes or {})
    state = DialogState.from_dict(attributes.get(STATE_KEY))
    snapshot = snapshot_from_dict(attributes.get(SNAPSHOT_KEY))
    zone_name = session_zone(attributes)
    learnt = None
    if zone_name is None and turn.device_zone is not None:
        learnt = zone_name = zone_name_or_none(turn.device_zone())
    today = local_day(now, parse_zone(zone_name or turn.timezone_name))
    read_failed = False

    def load(day: date, carried: Snapshot | None) -> Snapshot:
        nonlocal read_failed
        try:
            return store.load(turn.user_id, day)
        except StoreError as exc:
            log.warning("store read failed: %s", type(exc).__name__)
            read_failed = True
            return Snapshot(carried.profile if carried else Profile(), DayProgress(day, {}))

    if snapshot is None or snapshot.today.day != today:
        snapshot = load(today, snapshot)
    if zone_name is None:
        # The Settings API did not answer: the zone it gave before, kept on the profile, is
        # better than the configured default.
        zone_name = snapshot.profile.time_zone or turn.timezone_name
        if snapshot.profile.time_zone:
            attributes.pop(ZONE_GUESSED_KEY, None)
        else:
            attributes[ZONE_GUESSED_KEY] = True  # a reminder must not rely on it unsaid
        day_there = local_day(now, parse_zone(zone_name))
        if day_there != today:
            today = day_there
            snapshot = load(today, snapshot)
    elif learnt is not None:
        attributes.pop(ZONE_GUESSED_KEY, None)
    if learnt is not None and snapshot.profile.time_zone != learnt and not read_failed:
        try:  # cache the device's zone on the profile: a later session may not reach the API
            store.update_profile(turn.user_id, time_zone=learnt)
            snapshot = Snapshot(replace(snapshot.profile, time_zone=learnt), snapshot.today)
        except StoreError as exc:
            log.warning("store write failed: %s (time zone)", type(exc).__name__)
    attributes[ZONE_KEY] = zone_name
    event = turn.event
    if event.kind in (EventKind.PROGRESS, EventKind.WEEK) and not read_failed:
        try:
            # The week counts without the exercises out of the routine, as today does.
            routine_out = snapshot.profile.settings.routine_out
            history = tuple(
                replace(day, out_of_routine=routine_out)
                for day in store.recent_days(turn.user_id, today, 7)
            )
        except StoreError:
            history = None
        event = Event(event.kind, history=history)
    outcome = dialog.handle(state, event, Context(snapshot, turn.strings, turn.budget_seconds))
    stamp_ms = int(now.timestamp() * 1000)
    results: dict[int, WriteResult] = {}
    write_failed = refused = False
    for index, effect in enumerate(outcome.effects):
        if (read_failed or write_failed) and isinstance(effect, _NEEDS_PROFILE):
            continue  # a streak follows a saved set; profile changes need a profile we read
        try:
            applied = _apply(store, turn.user_id, effect, stamp_ms, outcome.snapshot.profile.goal)
        except StoreError as exc:
            log.warning("store write failed: %s (%s)", type(exc).__name__, type(effect).__name__)
            write_failed = True
            results[index] = WriteResult.FAILED
            continue
        if not applied and isinstance(effect, AddSet):
            # Another device finished this exercise's last set for today first.
            refused = True
            results[index] = WriteResult.REFUSED
        elif isinstance(effect, AddSet) and not snapshot.profile.knows(effect.exercise_id):
            _count_known(store, turn.user_id, effect.exercise_id)
    # The reply as it is true now: acknowledgements of sets that were not written are left out.
    speech = dialog.render(outcome.messages, turn.strings, results)
    if write_failed or read_failed:
        # Said once a session: after that, the dropped "saved" words are the only sign.
        kind = "write" if write_failed else "read"
        said = _notices(attributes)
        if kind not in said:
            notice = turn.strings.say(
                "dialog.store_unavailable" if write_failed else "dialog.store_read_unavailable"
            )
            speech = notice + " " + speech
            attributes[NOTICES_KEY] = [*said, kind]
    if speech != outcome.reply.speech:
        reply = outcome.reply
        final = dialog.Reply(speech, reply.reprompt, reply.end_session, reply.question)
        # "Repeat" replays what was said, not the words dropped because saving failed.
        state = (
            outcome.state
            if event.kind in dialog.NOT_REMEMBERED
            else dialog.remember(outcome.state, final)
        )
        outcome = Outcome(state, final, outcome.effects, outcome.snapshot)
    attributes[STATE_KEY] = outcome.state.to_dict()
    if read_failed or write_failed or refused:
        attributes.pop(SNAPSHOT_KEY, None)  # the cached copy may be wrong: read again next turn
    else:
        attributes[SNAPSHOT_KEY] = snapshot_to_dict(outcome.snapshot)
    if not read_failed:  # the rate the store holds: the new one only once it is written
        saved = snapshot if write_failed else outcome.snapshot
        attributes[RATE_KEY] = saved.profile.settings.rate
    return TurnResult(outcome, attributes, write_failed or read_failed)
