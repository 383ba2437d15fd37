"""Pure model of a user's progress: today's sets, what remains, rounds, streaks, local dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .content import DEFAULT_ROUNDS_PER_DAY, EXERCISE_IDS
from .records import field, record, replace

__all__ = [
    "DEFAULT_RATE",
    "DETAIL_LEVELS",
    "KNOWN_AFTER_SETS",
    "RATES",
    "REST_DAY_SPACING_DAYS",
    "DayProgress",
    "Position",
    "PositionDict",
    "Profile",
    "Settings",
    "Snapshot",
    "StreakBefore",
    "current_streak",
    "local_day",
    "next_streak",
    "parse_zone",
    "withdrawn_streak",
    "zone_name_or_none",
]


class PositionDict(TypedDict, total=False):
    """A :class:`Position` as kept in session attributes and the SQLite store (JSON)."""

    exercise: str
    segment: int
    day: str  # ISO date; absent in places kept before it was recorded


@record(frozen=True)
class Position:
    """Where a paused set resumes: the exercise, the segment to narrate next, and the day.

    Attributes
    ----------
    exercise_id : str
    segment : int
        The part of the set to narrate next (0: from the top).
    day : date or None
        The person's local date when the place was kept; ``None`` for places kept before the
        day was recorded. A place from an earlier day is not offered again. Not part of
        ``==``: two positions are the same place whatever their days.
    """

    exercise_id: str
    segment: int
    # Not compared: the same place in the set, whichever day it was kept on.
    day: date | None = field(default=None, compare=False)

    def to_dict(self) -> PositionDict:
        data: PositionDict = {"exercise": self.exercise_id, "segment": self.segment}
        if self.day is not None:
            data["day"] = self.day.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> Position | None:
        if not data:
            return None
        exercise_id = data.get("exercise")
        segment = data.get("segment", 0)
        if exercise_id not in EXERCISE_IDS or not isinstance(segment, (int, float)):
            return None
        # A day that cannot be read: kept as before days were recorded.
        return cls(str(exercise_id), max(0, int(segment)), _iso_date(data.get("day")))


def _iso_date(value: object) -> date | None:
    """``"2026-11-24"`` as a date; ``None`` for anything else (never raises)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@record(frozen=True)
class StreakBefore:
    """The streak as it stood before ``last_met_day``'s goal was recorded.

    Kept so that the day can be taken back exactly (:func:`withdrawn_streak`) when its goal
    stops being met: today's sets cleared, the goal raised, an exercise put back in the routine.

    Attributes
    ----------
    streak, best_streak : int
        Days, as :class:`Profile` has them.
    last_met_day, rest_day : date or None
        As :class:`Profile` has them.
    """

    streak: int = 0
    best_streak: int = 0
    last_met_day: date | None = None
    rest_day: date | None = None

    def to_dict(self) -> dict[str, int | str | None]:
        """As JSON: ``{"streak", "best", "last_met", "rest_day"}``, dates as ISO strings."""
        return {
            "streak": self.streak,
            "best": self.best_streak,
            "last_met": self.last_met_day.isoformat() if self.last_met_day else None,
            "rest_day": self.rest_day.isoformat() if self.rest_day else None,
        }

    @classmethod
    def from_dict(cls, data: object) -> StreakBefore | None:
        """What :meth:`to_dict` wrote, or ``None`` for anything else (never raises)."""
        if not isinstance(data, Mapping):
            return None
        try:
            return cls(
                streak=max(0, int(data.get("streak") or 0)),
                best_streak=max(0, int(data.get("best") or 0)),
                last_met_day=_iso_date(data.get("last_met")),
                rest_day=_iso_date(data.get("rest_day")),
            )
        except (TypeError, ValueError):
            return None


# Speaking rates a person can step through with "slower" and "faster", in percent of the voice's
# normal rate, as SSML's <prosody rate="85%"> takes them (Alexa accepts 20% and up: "Speech
# Synthesis Markup Language (SSML) Reference", prosody,
# https://developer.amazon.com/en-US/docs/alexa/custom-skills/speech-synthesis-markup-language-ssml-reference.html).
RATES: tuple[int, ...] = (70, 85, 100, 115)
DEFAULT_RATE = 100
# How much a set's introduction says: "auto" (all of it until the exercise is known, then a
# short reminder), "less" (the short one always), "more" (all of it always).
DETAIL_LEVELS: tuple[str, ...] = ("auto", "less", "more")
# Completed sets of an exercise after which "auto" gives the short introduction: the fourth set
# of an exercise is introduced in one line.
KNOWN_AFTER_SETS = 3


@record(frozen=True)
class Settings:
    """How this person wants to be coached; the defaults for someone new.

    Attributes
    ----------
    rate:
        Speaking rate in percent of normal, one of :data:`RATES`; holds and rests keep their
        seconds whatever the rate.
    detail:
        One of :data:`DETAIL_LEVELS`.
    cues:
        Words inside holds and rests of 10 s or more ("halfway", "three, two, one"); False:
        silence.
    routine_out:
        Exercise ids left out of this person's routine until they are added back (no
        resistance band, no pencil): not due, not "left", not holding the goal back.
    """

    rate: int = DEFAULT_RATE
    detail: str = "auto"
    cues: bool = True
    routine_out: frozenset[str] = frozenset()

    def is_default(self) -> bool:
        return self == Settings()

    @classmethod
    def read(
        cls, rate: object, detail: object, cues: object, routine_out: Iterable[object]
    ) -> Settings:
        """Settings from a store's item or the session's cache: the default for any value the
        skill could not have written (a rate not in :data:`RATES`, a cues that is no bool),
        and only exercise ids in ``routine_out``.

        Parameters
        ----------
        rate, detail, cues
            The stored values, or None where nothing is stored.
        routine_out
            The stored exercise ids (anything iterable; empty when nothing is stored).
        """
        default = cls()
        return cls(
            rate=rate if isinstance(rate, int) and rate in RATES else default.rate,
            detail=detail
            if isinstance(detail, str) and detail in DETAIL_LEVELS
            else default.detail,
            cues=cues if isinstance(cues, bool) else default.cues,
            routine_out=frozenset(e for e in routine_out if e in EXERCISE_IDS),
        )


@record(frozen=True)
class Profile:
    """What the skill keeps about a user beyond one day."""

    goal: int = DEFAULT_ROUNDS_PER_DAY
    safety_heard: bool = False
    position: Position | None = None
    position_ts: int = 0  # request time (ms) of the session that wrote the position
    streak: int = 0  # days with the goal met in a row (one rest day in 7), to last_met_day
    best_streak: int = 0
    last_met_day: date | None = None
    rest_day: date | None = None  # the last missed day that kept the streak going
    rest_day_told: bool = False  # the rest-day rule was said, the first time it kept a streak
    # The streak before last_met_day's goal was recorded (None: unknown, or nothing recorded).
    streak_before: StreakBefore | None = None
    time_zone: str | None = None  # IANA name from the Alexa Settings API; None: never learned
    reminder_token: str | None = None  # alert token of the daily reminder; None: no reminder
    settings: Settings = Settings()
    # Completed sets per exercise id, counted up to KNOWN_AFTER_SETS (then no longer written).
    known: Mapping[str, int] = field(default_factory=dict)

    def knows(self, exercise_id: str) -> bool:
        """Has done :data:`KNOWN_AFTER_SETS` sets of the exercise (across days)."""
        return int(self.known.get(exercise_id, 0)) >= KNOWN_AFTER_SETS


@record(frozen=True)
class DayProgress:
    """Sets done on one local day, per exercise id, and the exercises left out that day.

    Attributes
    ----------
    day:
        The user's local date.
    done:
        Sets done per exercise id (missing: none).
    left_out:
        Exercise ids the user chose to leave out for the rest of this day (after saying
        something hurt). They are not "left" and do not hold the goal back; nothing says why.
    out_of_routine:
        Exercise ids out of the person's routine (:attr:`Settings.routine_out`), counted like
        ``left_out``; :class:`Snapshot` keeps it in step with the profile.
    """

    day: date
    done: Mapping[str, int] = field(default_factory=dict)
    left_out: frozenset[str] = frozenset()
    out_of_routine: frozenset[str] = frozenset()

    def count(self, exercise_id: str) -> int:
        return int(self.done.get(exercise_id, 0))

    def total(self) -> int:
        return sum(self.count(e) for e in EXERCISE_IDS)

    def active(self) -> tuple[str, ...]:
        """The exercises of today's routine, in order: all five but those left out today or
        out of the person's routine."""
        return tuple(
            e for e in EXERCISE_IDS if e not in self.left_out and e not in self.out_of_routine
        )

    def remaining(self, goal: int) -> dict[str, int]:
        """Sets left per exercise, in routine order, leaving out those that are complete or
        left out for the day."""
        left = {e: goal - self.count(e) for e in self.active()}
        return {e: n for e, n in left.items() if n > 0}

    def remaining_total(self, goal: int) -> int:
        return sum(self.remaining(goal).values())

    def sets_done_of(self, goal: int) -> tuple[int, int]:
        """Sets done and sets due today (no set past the goal counts).

        An exercise left out is due no more, but the sets already done of it stay done: a
        person told "Saved: ankle circles" before leaving it out hears "2 of today's 13
        sets", never "1 of 12", so done and due differ by exactly the sets still left.

        Returns
        -------
        tuple of int
            ``(done, due)``: ``(12, 12)`` once the goal is met with one exercise left out
            before any set of it; ``(2, 13)`` with one set of it done first.
        """
        done = sum(min(goal, self.count(e)) for e in EXERCISE_IDS)  # left out or not
        return done, done + self.remaining_total(goal)

    def goal_met(self, goal: int) -> bool:
        """Every exercise not left out done ``goal`` times (never, with all five left out)."""
        return bool(self.active()) and not self.remaining(goal)

    def current_round(self, goal: int) -> int:
        """The round of the day in progress: one more than the fewest sets of any exercise
        still in the routine (``goal`` when every exercise is left out)."""
        active = self.active()
        if not active:
            return goal
        return min(goal, min(self.count(e) for e in active) + 1)

    def with_set(self, exercise_id: str, count: int | None = None) -> DayProgress:
        done = dict(self.done)
        done[exercise_id] = count if count is not None else self.count(exercise_id) + 1
        return replace(self, done=done)

    def with_left_out(self, exercise_id: str) -> DayProgress:
        return replace(self, left_out=self.left_out | {exercise_id})


@record(frozen=True)
class Snapshot:
    """What one session needs from the store: the profile and today's progress.

    Today's ``out_of_routine`` always equals the profile's ``settings.routine_out``: every
    snapshot is built here, so what is left, rounds, the goal and the streak all count without
    the exercises a person left out of their routine.
    """

    profile: Profile
    today: DayProgress

    def __post_init__(self) -> None:
        routine_out = self.profile.settings.routine_out
        if self.today.out_of_routine != routine_out:
            object.__setattr__(self, "today", replace(self.today, out_of_routine=routine_out))


# Names zoneinfo loads that are no place a device could be in.
_NOT_A_PLACE = frozenset({"localtime", "posixrules"})
MAX_ZONE_NAME = 64


def zone_name_or_none(value: object) -> str | None:
    """``value`` if it names a time zone (``"Pacific/Auckland"``), else ``None``.

    For names from outside (the Settings API, session attributes): anything but a short string
    that zoneinfo loads as a real place is refused, never used to open a file.
    """
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ZONE_NAME:
        return None
    if value in _NOT_A_PLACE:
        return None
    try:
        ZoneInfo(value)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        return None
    return value


def parse_zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """Return the zone called ``name``, or ``fallback`` when it is missing or unknown."""
    for candidate in (name, fallback, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    raise AssertionError("UTC is always available")  # pragma: no cover


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar date of ``instant`` in ``zone`` (naive instants are taken as UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone).date()


REST_DAY_SPACING_DAYS = 7
"""Days from one forgiven rest day to the next: one rest day in any 7 days."""


def _rest_day_forgiven(profile: Profile, missed: date) -> bool:
    """Whether ``missed``, the one day between ``last_met_day`` and the day after ``missed``,
    keeps the streak going (see :func:`next_streak`)."""
    if profile.streak <= 0 or profile.last_met_day != missed - timedelta(days=1):
        return False
    last_rest = profile.rest_day
    return last_rest is None or missed - last_rest >= timedelta(days=REST_DAY_SPACING_DAYS)


def current_streak(profile: Profile, today: date) -> int:
    """The streak as it stands on ``today``, before or after today's goal is met.

    It is the saved streak while it can still grow today: the goal was met today or yesterday,
    or the day before yesterday with yesterday a rest day that :func:`next_streak` would forgive
    (then meeting today's goal makes it one longer); else it has lapsed and is 0. So what the
    person hears ("how am I doing", the week) is always what meeting the goal would build on:
    ``next_streak(profile, today).streak`` is this plus one (or 1 when this is 0) on a day after
    ``last_met_day``.

    Parameters
    ----------
    profile:
        The stored profile (``streak``, ``last_met_day``, ``rest_day``).
    today:
        The person's local date.

    Returns
    -------
    int
        Days with the goal met in the streak; 0 when there is none.
    """
    last_met = profile.last_met_day
    if last_met is None:
        return 0
    if last_met >= today - timedelta(days=1):
        return profile.streak
    if _rest_day_forgiven(profile, today - timedelta(days=1)):
        return profile.streak
    return 0


def next_streak(profile: Profile, met_day: date) -> Profile:
    """The profile once the goal is met on ``met_day``: the streak, best streak and rest day.

    The rule: a streak counts the days the goal was met, one after another, and one missed day
    in any 7 days does not break it. Exactly: meeting the goal the day after ``last_met_day``
    adds one day; meeting it two days after (one day missed in between) adds one day too when
    no missed day of this streak was forgiven in the 6 days before that one, so never two in
    any 7 days of a streak (``rest_day`` is then that day); any longer gap, or a second rest
    day that soon, starts again at 1, with no rest day (a new streak gets its own). The rest
    day itself is not counted: "5 days" always means five days with the goal met, which is
    what the person did. Rest days are calendar days, so month and year ends change nothing.

    Meeting the goal again on ``last_met_day`` (another device, a retried write) changes
    nothing. A ``met_day`` before ``last_met_day`` starts again at 1, as any gap does.

    Parameters
    ----------
    profile:
        The profile as stored before this day's goal was met.
    met_day:
        The person's local date on which the goal was met.

    Returns
    -------
    Profile
        ``profile`` with ``streak``, ``best_streak`` (never lower), ``last_met_day``
        (``met_day``), ``rest_day`` (the missed day just forgiven; ``None`` when the streak
        starts again; else as it was) and
        ``rest_day_told`` (``True`` once a rest day has been forgiven: the dialog says the rule
        the first time, in the turn that turns it on) and ``streak_before`` (these fields as
        they were, for :func:`withdrawn_streak`) set; all else unchanged.
    """
    if profile.last_met_day == met_day:
        return replace(profile, best_streak=max(profile.best_streak, profile.streak))
    missed = met_day - timedelta(days=1)
    rest_day, told = profile.rest_day, profile.rest_day_told
    before = StreakBefore(
        profile.streak, profile.best_streak, profile.last_met_day, profile.rest_day
    )
    if profile.last_met_day == missed:
        streak = profile.streak + 1
    elif _rest_day_forgiven(profile, missed):
        streak = profile.streak + 1
        rest_day, told = missed, True
    else:
        # A new streak: an old one's rest day does not count against it (a new user was told
        # "one day" after one rest day, because of a rest day in the streak that had ended).
        streak, rest_day = 1, None
    return replace(
        profile,
        streak=streak,
        best_streak=max(profile.best_streak, streak),
        last_met_day=met_day,
        rest_day=rest_day,
        rest_day_told=told,
        streak_before=before,
    )


def withdrawn_streak(profile: Profile, day: date) -> Profile:
    """The profile once ``day``'s goal is no longer met: the streak as it was before it.

    A day's goal can stop being met after it was recorded (:func:`next_streak`): its sets
    cleared ("reset today"), the goal raised, an exercise put back in the routine. Then the
    day no longer counts: streak, best streak, last day met and rest day go back to
    :attr:`Profile.streak_before`. If that is unknown (a profile written before it was kept),
    the streak ends and the best streak stays. The flag that the rest-day rule was said stays:
    the person heard it.

    Parameters
    ----------
    profile:
        The profile as stored.
    day:
        The person's local date whose goal is no longer met.

    Returns
    -------
    Profile
        ``profile`` unchanged when ``day`` is not its ``last_met_day``; else with ``streak``,
        ``best_streak``, ``last_met_day`` and ``rest_day`` as they were, and
        ``streak_before`` cleared.
    """
    if profile.last_met_day != day:
        return profile
    before = profile.streak_before or StreakBefore(best_streak=profile.best_streak)
    return replace(
        profile,
        streak=before.streak,
        best_streak=before.best_streak,
        last_met_day=before.last_met_day,
        rest_day=before.rest_day,
        streak_before=None,
    )
