"""The store interface: small enough that SQLite and DynamoDB pass one contract suite."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date
from enum import Enum
from typing import Final

from ..clock import Deadline
from ..progress import DETAIL_LEVELS, RATES, DayProgress, Position, Profile, Snapshot

__all__ = [
    "DAY_ITEM_TTL_DAYS",
    "PERSON_KEY_SEPARATOR",
    "REMINDER_TOKEN_MAX_CHARS",
    "TIME_ZONE_MAX_CHARS",
    "UNSET",
    "Store",
    "Unset",
    "check_profile_text",
    "check_settings",
    "day_key",
    "person_key",
]

# Day items expire after this many days: enough for the week view and a margin.
DAY_ITEM_TTL_DAYS = 35
# Bounds on the profile's strings (the edge validates first; longer is a programming error).
TIME_ZONE_MAX_CHARS = 64  # IANA names are far shorter ("America/Argentina/ComodRivadavia": 32)
REMINDER_TOKEN_MAX_CHARS = 512


class Unset(Enum):
    """The type of :data:`UNSET`, a value not given (where ``None`` means "clear it").

    One enum member, so that type checkers narrow ``value is UNSET`` in a union.
    """

    UNSET = "UNSET"

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "UNSET"


UNSET: Final = Unset.UNSET


def day_key(day: date) -> str:
    return day.isoformat()


# Between an account's user ID and a recognised speaker's person ID in the key of that person's
# records. Alexa's IDs ("amzn1.ask.account.<id>", "amzn1.ask.person.<id>") are letters, digits,
# dots, dashes and underscores, never "#": a key holding it once is a person's, and every person
# of an account shares the prefix ``<user id>#person#``.
PERSON_KEY_SEPARATOR = "#person#"


def person_key(account_id: str, person_id: str) -> str:
    """The key of a recognised speaker's records: ``<account user ID>#person#<person ID>``.

    Plain, not hashed: both IDs are Amazon's opaque per-skill IDs, the account's is already kept
    in full, and a key that starts with its account's lets a store find (SQLite: by prefix) and
    delete every person's records with the account's. A hash would hide nothing more and cost
    hashlib's import on a cold start.

    Parameters
    ----------
    account_id : str
        ``context.System.user.userId`` of the request.
    person_id : str
        ``context.System.person.personId``: sent when Alexa recognised the speaker's voice
        (skill personalization, see :mod:`skill.alexa.envelope`).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When either ID is empty or holds ``"#"`` (no ID Alexa issues does): such a key could be
        mistaken for another account's person.
    """
    for name, value in (("account_id", account_id), ("person_id", person_id)):
        if not value or "#" in value:
            raise ValueError(f"{name} must be a non-empty ID without '#'")
    return account_id + PERSON_KEY_SEPARATOR + person_id


def check_settings(rate: object = None, detail: object = None, cues: object = None) -> None:
    """Refuse, before anything is written, a coaching setting the skill could not have chosen.

    Raises
    ------
    ValueError
        For a ``rate`` not in :data:`~skill.progress.RATES`, a ``detail`` not in
        :data:`~skill.progress.DETAIL_LEVELS`, or a ``cues`` that is not a bool (``None``: not
        given).
    """
    if rate is not None and rate not in RATES:
        raise ValueError(f"rate must be one of {RATES}")
    if detail is not None and detail not in DETAIL_LEVELS:
        raise ValueError(f"detail must be one of {DETAIL_LEVELS}")
    if cues is not None and not isinstance(cues, bool):
        raise ValueError("cues must be a bool")


def check_profile_text(time_zone: object = UNSET, reminder_token: object = UNSET) -> None:
    """Refuse a ``time_zone`` or ``reminder_token`` no store should keep.

    ``UNSET`` and ``None`` always pass; otherwise the value must be a non-empty ``str`` of at
    most ``TIME_ZONE_MAX_CHARS`` / ``REMINDER_TOKEN_MAX_CHARS`` characters.

    Raises
    ------
    TypeError
        For a value of another type.
    ValueError
        For an empty or too long string.
    """
    for name, value, limit in (
        ("time_zone", time_zone, TIME_ZONE_MAX_CHARS),
        ("reminder_token", reminder_token, REMINDER_TOKEN_MAX_CHARS),
    ):
        if value is UNSET or value is None:
            continue
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
        if not value or len(value) > limit:
            raise ValueError(f"{name} must be 1 to {limit} characters, not {len(value)}")


class Store(ABC):
    """A user's profile and their per-day set counts.

    Every method raises :class:`skill.exceptions.StoreError` (or a subclass) on failure and never
    anything else, so the edge can tell the user plainly and carry on. The one exception is an
    invalid argument (a programming error, see :func:`check_profile_text`): ``ValueError`` or
    ``TypeError``, raised before anything is read or written.
    """

    @abstractmethod
    def load(self, user_id: str, day: date) -> Snapshot:
        """The profile and the day's progress, in one read."""

    @abstractmethod
    def add_set(self, user_id: str, day: date, exercise_id: str, goal: int) -> int | None:
        """Atomically count one set; return the new count, or ``None`` if already at ``goal``."""

    @abstractmethod
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
        """Change settings, all of them in one atomic write where the store allows.

        ``rate`` (percent, one of :data:`~skill.progress.RATES`), ``detail`` (one of
        :data:`~skill.progress.DETAIL_LEVELS`) and ``cues``: the coaching settings
        (:class:`~skill.progress.Settings`); ``None`` leaves them as they are.

        ``goal`` and ``safety_heard``: ``None`` leaves them as they are. ``position``,
        ``time_zone`` (an IANA name cached from the Alexa Settings API) and ``reminder_token``
        (the alert token of the daily reminder): ``UNSET`` leaves the value as it is, ``None``
        clears it, a value sets it.

        The position is written only if ``position_ts`` is not older than the stored one; when
        it is refused as stale, the other settings given in the same call are still written.
        Return ``False`` when the position was refused as stale, else ``True``.

        Raises ``ValueError`` (or ``TypeError``) before writing anything when ``time_zone`` is
        longer than ``TIME_ZONE_MAX_CHARS`` or ``reminder_token`` longer than
        ``REMINDER_TOKEN_MAX_CHARS`` characters (or either is empty or not a string).
        """

    @abstractmethod
    def set_in_routine(self, user_id: str, exercise_id: str, included: bool) -> None:
        """Put an exercise back in the user's routine, or take it out until it is put back
        (:attr:`~skill.progress.Settings.routine_out`); one atomic, idempotent write.

        Raises
        ------
        ValueError
            Before writing, for an id that is no exercise.
        """

    @abstractmethod
    def count_known(self, user_id: str, exercise_id: str) -> None:
        """Add one to the user's completed sets of ``exercise_id`` (:attr:`Profile.known`), an
        atomic increment. Raises ``ValueError`` for an id that is no exercise."""

    @abstractmethod
    def reset_settings(self, user_id: str) -> None:
        """Back to the default :class:`~skill.progress.Settings` (rate, detail, cues, and every
        exercise in the routine), in one atomic write; progress and streaks stay."""

    @abstractmethod
    def record_goal_met(self, user_id: str, day: date) -> Profile:
        """Extend the streak for a day whose goal was met (idempotent for that day)."""

    @abstractmethod
    def withdraw_goal_met(self, user_id: str, day: date) -> Profile:
        """Take back a day recorded by :meth:`record_goal_met` whose goal is no longer met:
        the streak as it was before it (:func:`~skill.progress.withdrawn_streak`). Changes
        nothing unless ``day`` is the last day recorded; atomic like :meth:`record_goal_met`."""

    @abstractmethod
    def leave_out(self, user_id: str, day: date, exercise_id: str) -> None:
        """Leave ``exercise_id`` out of that day's routine (idempotent); kept with the day's sets
        and forgotten with them. Raises ``ValueError`` for an id that is no exercise."""

    @abstractmethod
    def reset_day(self, user_id: str, day: date) -> None:
        """Forget that day's sets and what was left out of it."""

    @abstractmethod
    def recent_days(self, user_id: str, last_day: date, days: int = 7) -> list[DayProgress]:
        """Day progress for ``days`` days ending on ``last_day`` (days with no sets left out)."""

    @abstractmethod
    def delete_user(self, user_id: str) -> None:
        """Remove everything kept about the user.

        For an account's user ID, that includes the records of every person recognised under
        the account (kept under :func:`person_key` keys, noted by :meth:`note_person`): Alexa's
        ``SkillDisabled`` event names the account only.
        """

    def note_person(self, account_id: str, person_id: str) -> None:
        """Note that the account has a recognised speaker, before any of their records is written.

        So that :meth:`delete_user` of the account finds the person's records. Idempotent: a
        person noted again changes nothing. This default does nothing, for stores whose
        ``delete_user`` finds a person's records by the key's prefix (SQLite); DynamoDB, which
        cannot query a partition key by prefix, keeps the keys on the account's profile.

        Parameters
        ----------
        account_id, person_id : str
            As for :func:`person_key` (``ValueError`` for IDs it refuses).
        """
        person_key(account_id, person_id)

    def within(self, deadline: Deadline) -> Store:
        """This store for one turn, giving up on any call that would outlast ``deadline``.

        A store that waits on the network (DynamoDB) returns a view that cuts its timeouts,
        retries and back-offs to the deadline and then fails with ``StoreUnavailable``, so the
        turn still has time to say what could not be saved. This default, for stores that do
        not (SQLite, a local file), returns the store itself.

        Parameters
        ----------
        deadline : Deadline
            The turn's (:class:`skill.clock.Deadline`).

        Returns
        -------
        Store
        """
        return self

    def close(self) -> None:  # noqa: B027 - optional: most stores hold nothing to release
        """Release connections (optional)."""
