"""The effects a turn asks the edge to write to the store."""

from __future__ import annotations

from datetime import date

from ..progress import Position
from ..records import record


# Effects: what the edge must write. The dialog has already applied them to the snapshot.
@record(frozen=True)
class AddSet:
    exercise_id: str
    day: date


@record(frozen=True)
class SavePosition:
    position: Position | None


@record(frozen=True)
class SetGoal:
    goal: int


@record(frozen=True)
class ResetDay:
    day: date


@record(frozen=True)
class LeaveOut:
    """Leave the exercise out of the routine for the rest of ``day`` (nothing says why)."""

    exercise_id: str
    day: date


@record(frozen=True)
class MarkSafetyHeard:
    pass


@record(frozen=True)
class RecordGoalMet:
    day: date


@record(frozen=True)
class WithdrawGoalMet:
    """``day``'s goal, recorded as met, is no longer met: the streak goes back to before it."""

    day: date


@record(frozen=True)
class ChangeSettings:
    """Change how this person is coached (:class:`~skill.progress.Settings`).

    ``rate``, ``detail``, ``cues``: the new value, or ``None`` to leave it; ``routine``: an
    exercise id and whether it is in the routine; ``reset``: back to every default first.
    """

    rate: int | None = None
    detail: str | None = None
    cues: bool | None = None
    routine: tuple[str, bool] | None = None
    reset: bool = False


Effect = (
    AddSet
    | SavePosition
    | SetGoal
    | ResetDay
    | LeaveOut
    | MarkSafetyHeard
    | RecordGoalMet
    | WithdrawGoalMet
    | ChangeSettings
)
