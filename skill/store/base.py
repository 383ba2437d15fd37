"""The store interface: small enough that SQLite and DynamoDB pass one contract suite."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date

from ..progress import DayProgress, Position, Profile, Snapshot

__all__ = ["Store", "day_key", "DAY_ITEM_TTL_DAYS", "UNSET"]

# Day items expire after this many days: enough for the week view and a margin.
DAY_ITEM_TTL_DAYS = 35


class _Unset:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "UNSET"


UNSET = _Unset()


def day_key(day: date) -> str:
    return day.isoformat()


class Store(ABC):
    """A user's profile and their per-day set counts.

    Every method raises :class:`skill.exceptions.StoreError` (or a subclass) on failure and never
    anything else, so the edge can tell the user plainly and carry on.
    """

    @abstractmethod
    def load(self, user_id: str, day: date) -> Snapshot:
        """The profile and the day's progress, in one read."""

    @abstractmethod
    def add_set(self, user_id: str, day: date, exercise_id: str, goal: int) -> int | None:
        """Atomically count one set; return the new count, or ``None`` if already at ``goal``."""

    @abstractmethod
    def update_profile(self, user_id: str, *, goal: int | None = None,
                       safety_heard: bool | None = None,
                       position: Position | None | object = UNSET,
                       position_ts: int = 0) -> bool:
        """Change settings; a position is written only if ``position_ts`` is newer than the
        stored one. Return ``False`` when the position was refused as stale."""

    @abstractmethod
    def record_goal_met(self, user_id: str, day: date) -> Profile:
        """Extend the streak for a day whose goal was met (idempotent for that day)."""

    @abstractmethod
    def reset_day(self, user_id: str, day: date) -> None:
        """Forget that day's sets."""

    @abstractmethod
    def recent_days(self, user_id: str, last_day: date, days: int = 7) -> list[DayProgress]:
        """Day progress for ``days`` days ending on ``last_day`` (days with no sets left out)."""

    @abstractmethod
    def delete_user(self, user_id: str) -> None:
        """Remove everything kept about the user."""

    def close(self) -> None:
        """Release connections (optional)."""
