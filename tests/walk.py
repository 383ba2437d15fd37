"""Breadth-first walk over every reachable dialog state (used by tests and the benchmark)."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from skill.alexa.turn import snapshot_to_dict
from skill.content import EXERCISE_IDS
from skill.dialog import Context, DialogState, Event, EventKind, Mode, Outcome, handle
from skill.dialog.state import DEFAULT_BUDGET_SECONDS
from skill.locales import Strings
from skill.progress import DayProgress, Position, Profile, Settings, Snapshot

DAY = date(2026, 11, 24)


# The choices a settings event carries (skill/alexa/handlers.py INTENT_CHOICES, the Equipment
# slot's ids), and None: an Equipment value Alexa did not match.
_CHOICES = {
    EventKind.PACE: ("slower", "faster", "normal"),
    EventKind.DETAIL: ("less", "more"),
    EventKind.COUNTDOWN: ("off", "on"),
    EventKind.NO_EQUIPMENT: ("band", "pencil", None),
}


def events() -> list[Event]:
    """Every event kind, with each slot value the model can send (matched, unmatched, none)."""
    out: list[Event] = []
    for kind in EventKind:
        if kind in (EventKind.START_EXERCISE, EventKind.HOW_TO, EventKind.CHOOSE_EXERCISE):
            out += [Event(kind, exercise=e, heard=e.replace("_", " ")) for e in EXERCISE_IDS]
            out += [Event(kind, heard="jumping jacks"), Event(kind)]
        elif kind is EventKind.SET_GOAL:
            out += [Event(kind, number=n) for n in (2, 3, 7, None)]
        elif kind in _CHOICES:
            out += [Event(kind, heard=choice) for choice in _CHOICES[kind]]
        elif kind is EventKind.ADD_EXERCISE:
            out += [Event(kind, exercise=e) for e in EXERCISE_IDS]
            out += [Event(kind, heard="band"), Event(kind)]
        elif kind in (EventKind.PROGRESS, EventKind.WEEK):
            # No history (unread), an empty day, and the longest answer: every day of the
            # week done in full (seven day names to say).
            full_week = tuple(
                DayProgress(DAY - timedelta(days=i), {e: 3 for e in EXERCISE_IDS})
                for i in range(1, 7)
            )
            out += [
                Event(kind),
                Event(kind, history=(DayProgress(DAY, {}),)),
                Event(kind, history=full_week),
            ]
        else:
            out.append(Event(kind))
    return out


def starting_snapshots() -> dict[str, Snapshot]:
    """Where sessions begin: the situations a later session can find the user in."""
    new = Snapshot(Profile(), DayProgress(DAY, {}))
    paused = Snapshot(
        Profile(
            goal=2,
            safety_heard=True,
            position=Position("band_foot_pulls", 2),
            streak=4,
            best_streak=9,
            last_met_day=DAY.replace(day=23),
        ),
        DayProgress(DAY, {"toe_grips": 1, "tiptoe_walking": 1}),
    )
    met = Snapshot(
        Profile(goal=2, safety_heard=True, streak=1, best_streak=1, last_met_day=DAY),
        DayProgress(DAY, {e: 2 for e in EXERCISE_IDS}),
    )
    last_of_round = Snapshot(
        Profile(safety_heard=True), DayProgress(DAY, {e: 1 for e in EXERCISE_IDS[:-1]})
    )
    last_of_day = Snapshot(
        Profile(
            goal=2, safety_heard=True, streak=2, best_streak=2, last_met_day=DAY.replace(day=23)
        ),
        DayProgress(DAY, {**{e: 2 for e in EXERCISE_IDS[:-1]}, EXERCISE_IDS[-1]: 1}),
    )
    left_out = Snapshot(
        Profile(safety_heard=True),
        DayProgress(DAY, {"toe_grips": 1}, left_out=frozenset({"tiptoe_walking"})),
    )
    # Someone who has changed every setting and knows every exercise: short introductions,
    # silent holds, slow speech, no band (the walk's prune keeps settings as they start).
    adapted = Snapshot(
        Profile(
            safety_heard=True,
            settings=Settings(
                rate=70, detail="less", cues=False, routine_out=frozenset({"band_foot_pulls"})
            ),
            known={e: 3 for e in EXERCISE_IDS},
        ),
        DayProgress(DAY, {"toe_grips": 1}),
    )
    return {
        "new user": new,
        "settings changed": adapted,
        "an exercise left out": left_out,
        "paused mid-set": paused,
        "goal met": met,
        "last exercise of a round": last_of_round,
        "last set of the day": last_of_day,
    }


def within_one_set(start: Snapshot) -> Callable[[Outcome], bool]:
    """Prune outcomes more than one set away from ``start``, with another goal, with more than
    one exercise skipped, with an exercise left out (a starting snapshot covers that), with
    other settings (one starting snapshot has them changed), with a set asked for in full, or
    with a place kept mid-session
    (after "it hurts") once its question is answered: past that point the same code paths only
    repeat."""

    def prune(outcome: Outcome) -> bool:
        today = outcome.snapshot.today
        moved = sum(abs(today.count(e) - start.today.count(e)) for e in EXERCISE_IDS)
        return (
            moved > 1
            or outcome.snapshot.profile.goal != start.profile.goal
            or len(outcome.state.skipped) > 1
            or today.left_out != start.today.left_out
            or outcome.snapshot.profile.settings != start.profile.settings
            # sets learnt: "reset today" clears the day but not what was learnt
            or sum(outcome.snapshot.profile.known.values()) > sum(start.profile.known.values()) + 1
            # after "how do I do it", that exercise's next set in full: one step shows it
            or outcome.state.full_steps is not None
            or (
                outcome.snapshot.profile.position not in (None, start.profile.position)
                and outcome.state.mode is not Mode.CONFIRM_LEAVE_OUT
            )
        )

    return prune


@dataclass(frozen=True)
class Step:
    state: DialogState
    snapshot: Snapshot
    event: Event
    outcome: Outcome


def _key(state: DialogState, snapshot: Snapshot) -> str:
    data = state.to_dict()
    data.pop("last_speech")
    data.pop("last_reprompt")
    return json.dumps([data, snapshot_to_dict(snapshot), bool(state.last_speech)], sort_keys=True)


def walk(
    strings: Strings,
    budget: float = DEFAULT_BUDGET_SECONDS,
    starts: Iterable[Snapshot] | None = None,
    max_states: int = 200_000,
    prune: Callable[[Outcome], bool] | None = None,
) -> Iterator[Step]:
    """Yield every (state, event, outcome) reachable from the starting snapshots.

    Each starting snapshot opens a session; the walk follows it until it ends. What a later
    session sees (a kept place, sets done, the goal met) is covered by the starting snapshots.
    ``prune`` stops expanding an outcome (to bound how far progress may go in one walk).
    """
    queue: deque[tuple[DialogState, Snapshot]] = deque()
    seen: set[str] = set()
    for snapshot in starts or starting_snapshots().values():
        queue.append((DialogState(), snapshot))
    all_events = events()
    while queue:
        state, snapshot = queue.popleft()
        key = _key(state, snapshot)
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > max_states:
            raise AssertionError("the walk did not close: more states than expected")
        ctx = Context(snapshot, strings, budget)
        for event in all_events:
            outcome = handle(state, event, ctx)
            yield Step(state, snapshot, event, outcome)
            if prune is not None and prune(outcome):
                continue
            if not (outcome.reply.end_session or event.kind is EventKind.SESSION_ENDED):
                queue.append((outcome.state, outcome.snapshot))
