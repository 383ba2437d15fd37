"""Pure: turn one set of one exercise into segments of speech, each within the time budget.

A set is a list of reps (per side where the exercise has sides). Each rep is narrated: a rep
number, the cue, the hold (counted aloud, or a timed silence), the release, and a rest. Reps are
packed greedily into segments whose estimated spoken-plus-paused time, including the set's intro
on the first segment and a reserve for the closing question, stays under the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .content import Exercise, HoldKind, get_exercise
from .locales import Strings
from .ssml import escape, pause, spoken_seconds

__all__ = [
    "CLOSING_RESERVE_SECONDS",
    "COUNT_GAP_SECONDS",
    "GET_READY_SECONDS",
    "SIDE_SWITCH_SECONDS",
    "Rep",
    "Segment",
    "narrate_rep",
    "plan_set",
    "set_intro",
]

COUNT_GAP_SECONDS = 1.0  # silence after each counted number: about one count a second
SIDE_SWITCH_SECONDS = 3.0  # time to change feet or legs
GET_READY_SECONDS = 3.0  # time to get into position after the set's instructions
# What the dialog may add around a segment: a "saved" line before, a question after.
CLOSING_RESERVE_SECONDS = 15.0


@dataclass(frozen=True)
class Rep:
    """One rep: its number within its side, the side (or ``None``) and its SSML."""

    number: int
    side: str | None
    ssml: str


@dataclass(frozen=True)
class Segment:
    """A run of reps narrated in one response."""

    index: int
    ssml: str
    first_rep: int  # 1-based, over the whole set
    last_rep: int
    seconds: float


def _hold(exercise: Exercise, strings: Strings) -> str:
    if exercise.hold_kind is HoldKind.COUNT:
        words = [escape(strings.number(n)) for n in range(1, exercise.hold_amount + 1)]
        return pause(COUNT_GAP_SECONDS).join(words) + pause(COUNT_GAP_SECONDS)
    hold_line = strings.exercise(exercise.id, "hold")
    return (escape(hold_line) + " " if hold_line else "") + pause(exercise.hold_seconds)


def narrate_rep(
    exercise: Exercise, strings: Strings, number: int, side: str | None, last_of_side: bool
) -> Rep:
    """The SSML of one rep; the rest is left out after the last rep of a side."""
    parts = []
    if exercise.reps > 1:
        parts.append(strings.say("coach.rep", n=number))
    side_name = strings.side(exercise.id, side) if side else ""
    # The full cue on the first rep of a side; a short one after, as a coach would.
    cue = strings.exercise(exercise.id, "cue_again") if number > 1 else ""
    cue = cue or strings.exercise(exercise.id, "cue")
    parts.append(escape(cue.format(side=side_name)))
    parts.append(_hold(exercise, strings))
    parts.append(escape(strings.exercise(exercise.id, "release")))
    ssml = " ".join(p for p in parts if p)
    if not last_of_side:
        ssml += pause(exercise.rest_seconds)
    return Rep(number, side, ssml)


def set_intro(exercise: Exercise, strings: Strings, set_number: int, goal: int) -> str:
    """Name, set number, equipment, position and rep plan, then time to get ready."""
    items = strings.join([strings.text(f"equipment.{k}") for k in exercise.equipment])
    lines = [
        strings.say(
            "coach.set_intro",
            name=strings.exercise_title(exercise.id),
            set_number=set_number,
            goal=goal,
        ),
        strings.say("coach.you_need", items=items),
        escape(strings.exercise(exercise.id, "setup")),
    ]
    if exercise.sides:
        first_side = strings.side(exercise.id, exercise.sides[0])
        key = "coach.reps_per_side" if exercise.reps > 1 else "coach.reps_once_per_side"
        lines.append(strings.say(key, reps=exercise.reps, first_side=first_side))
    else:
        lines.append(strings.say("coach.reps_plain", reps=exercise.reps))
    lines.append(
        strings.say("coach.counted" if exercise.hold_kind is HoldKind.COUNT else "coach.timed")
    )
    lines.append(strings.say("coach.get_ready") + pause(GET_READY_SECONDS))
    return " ".join(lines)


def _reps(exercise: Exercise, strings: Strings) -> list[Rep]:
    reps: list[Rep] = []
    for side in exercise.sides or (None,):
        for number in range(1, exercise.reps + 1):
            reps.append(narrate_rep(exercise, strings, number, side, number == exercise.reps))
    return reps


def _side_switch(exercise: Exercise, strings: Strings, side: str) -> str:
    """What is said before the first rep on the second side: "Now switch to your right foot."

    The side is named once (LOCALE-REVIEW.md, S2): when the first rep's cue names it already
    ("Lift your {side} and ..."), the switch is that cue alone, after the same pause.
    """
    if "{side}" in strings.exercise(exercise.id, "cue"):
        return pause(SIDE_SWITCH_SECONDS)
    return strings.say("coach.switch_side", side=strings.side(exercise.id, side)) + pause(
        SIDE_SWITCH_SECONDS
    )


@lru_cache(maxsize=256)
def plan_set(
    exercise_id: str,
    strings: Strings,
    budget_seconds: float,
    set_number: int,
    goal: int,
    *,
    brief: bool = False,
    cues: bool = True,
) -> tuple[Segment, ...]:
    """Cut one set into segments that each fit ``budget_seconds`` with the closing reserve."""
    exercise = get_exercise(exercise_id)
    reps = _reps(exercise, strings)
    limit = budget_seconds - CLOSING_RESERVE_SECONDS
    segments: list[Segment] = []
    current = set_intro(exercise, strings, set_number, goal)
    first = 1  # the first rep of the segment being filled
    for i, rep in enumerate(reps):
        piece = rep.ssml
        if rep.side and rep.number == 1 and rep.side != exercise.sides[0]:
            piece = _side_switch(exercise, strings, rep.side) + " " + piece
        candidate = current + " " + piece
        if spoken_seconds(candidate) > limit:
            # Close the segment; the set's intro may stand alone when a long rep follows it.
            segments.append(Segment(len(segments), current, first, i, spoken_seconds(current)))
            current, first = piece, i + 1
        else:
            current = candidate
    segments.append(Segment(len(segments), current, first, len(reps), spoken_seconds(current)))
    for segment in segments:
        if segment.seconds > limit:
            raise ValueError(f"one rep of {exercise_id} does not fit a {budget_seconds} s budget")
    return tuple(segments)
