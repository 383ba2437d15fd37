"""The five exercises as data: the one place that holds their counts, holds, rests and sides.

The numbers come from the seed article (``shared/seed``); every word the skill speaks about them
lives in the locale files (``skill/locales``), keyed by the ``id`` used here and in the
interaction model's ``ExerciseName`` slot type.
"""

from __future__ import annotations

from enum import Enum

from .records import record

__all__ = [
    "DEFAULT_ROUNDS_PER_DAY",
    "EXERCISES",
    "EXERCISE_IDS",
    "ROUNDS_PER_DAY_CHOICES",
    "Exercise",
    "HoldKind",
    "get_exercise",
]


class HoldKind(str, Enum):
    """How a hold is timed: by counting aloud, or by a silent timed pause."""

    COUNT = "count"  # the coach counts "one, two, three" at one count a second
    SECONDS = "seconds"  # the coach says "hold" and stays silent for the seconds


@record(frozen=True)
class Exercise:
    """One exercise of the routine.

    Attributes
    ----------
    id:
        Stable identifier, shared with the interaction model's slot ids and the store.
    reps:
        Repetitions per side (or in all, when ``sides`` is empty).
    sides:
        ``("left", "right")`` for exercises done once per foot or leg, else ``()``.
    hold_kind, hold_amount:
        A count of ``hold_amount`` (spoken) or a silent hold of ``hold_amount`` seconds.
    rest_seconds:
        Silence after each rep but the last of a side, to recover or to release.
    equipment:
        Keys of the locale's ``equipment`` strings: what to have ready.
    """

    id: str
    reps: int
    sides: tuple[str, ...]
    hold_kind: HoldKind
    hold_amount: int
    rest_seconds: float
    equipment: tuple[str, ...]

    @property
    def hold_seconds(self) -> float:
        """Seconds one hold lasts; a count runs at one count a second."""
        return float(self.hold_amount)

    @property
    def total_reps(self) -> int:
        """Reps in one set, over all sides."""
        return self.reps * max(1, len(self.sides))


# Seed facts: toe grips hold for a count of three, 10 reps; tiptoe walking 20 s, rest 10 to 15 s,
# 5 times; ankle circles clockwise to a count of ten, once per leg; band pulls hold 5 s, 10 per
# foot; pencil pick-up hold 10 s, 5 per foot. Each exercise 2 to 3 times a day.
# Rests the seed leaves open ("release", "relax") are ours: long enough to let go and reset.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "toe_grips",
        reps=10,
        sides=(),
        hold_kind=HoldKind.COUNT,
        hold_amount=3,
        rest_seconds=2,
        equipment=("clear_floor",),
    ),
    Exercise(
        "tiptoe_walking",
        reps=5,
        sides=(),
        hold_kind=HoldKind.SECONDS,
        hold_amount=20,
        rest_seconds=15,
        equipment=("clear_floor",),
    ),
    Exercise(
        "ankle_circles",
        reps=1,
        sides=("left", "right"),
        hold_kind=HoldKind.COUNT,
        hold_amount=10,
        rest_seconds=3,
        equipment=("mat",),
    ),
    Exercise(
        "band_foot_pulls",
        reps=10,
        sides=("left", "right"),
        hold_kind=HoldKind.SECONDS,
        hold_amount=5,
        rest_seconds=2,
        equipment=("band",),
    ),
    Exercise(
        "pencil_pickup",
        reps=5,
        sides=("left", "right"),
        hold_kind=HoldKind.SECONDS,
        hold_amount=10,
        rest_seconds=3,
        equipment=("pencil",),
    ),
)

EXERCISE_IDS: tuple[str, ...] = tuple(e.id for e in EXERCISES)

# The seed: "2 to 3 times a day". A round is one set of each exercise.
ROUNDS_PER_DAY_CHOICES: tuple[int, ...] = (2, 3)
DEFAULT_ROUNDS_PER_DAY = 3

_BY_ID = {e.id: e for e in EXERCISES}


def get_exercise(exercise_id: str) -> Exercise:
    """Return the exercise with this id; raise ``KeyError`` for an unknown one."""
    return _BY_ID[exercise_id]
