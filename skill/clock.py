"""The one place the product reads the wall clock.

Every other module takes "now" from the request (an Alexa request's ``timestamp``, which decides
the user's day) or from a :data:`Clock` it is given; when neither is at hand it calls
:func:`utc_now`. Tests and the console choose "now" by passing a clock, never by patching this
module: ``leg-skill chat --now 2026-11-24T15:00:00Z`` starts the console's clock at that instant
(:func:`starting_at`), so a subprocess sees the same day as the test that started it.

Durations (retry back-off, fail-fast windows, audio playback) use :func:`time.monotonic`, which
is no wall clock and cannot move with the date. A turn's time limit is a :class:`Deadline` on that
same monotonic clock: every network call of the turn (the store, the Alexa APIs) asks it how long
it may still take.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from .records import field, record

__all__ = ["Clock", "Deadline", "parse_instant", "starting_at", "utc_now"]

Clock = Callable[[], datetime]
"""A source of "now": a function returning a timezone-aware :class:`~datetime.datetime`."""


def utc_now() -> datetime:
    """The current instant, read from the system clock.

    Returns
    -------
    datetime
        Timezone-aware, in UTC.
    """
    return datetime.now(UTC)


def starting_at(instant: datetime, monotonic: Callable[[], float] = time.monotonic) -> Clock:
    """A clock that reads ``instant`` now and then moves on with real elapsed time.

    Parameters
    ----------
    instant:
        Timezone-aware start; a naive value is taken as UTC.
    monotonic:
        Source of elapsed seconds (``time.monotonic``; tests may pass their own).

    Returns
    -------
    Clock
        Each call returns ``instant`` plus the seconds elapsed since this function was called.
    """
    start = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    origin = monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=monotonic() - origin)

    return now


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant such as ``2026-11-24T15:00:00Z`` or ``2026-11-24T16:00+01:00``.

    Parameters
    ----------
    text:
        Date and time; without an offset it is taken as UTC.

    Returns
    -------
    datetime
        Timezone-aware.

    Raises
    ------
    ValueError
        When ``text`` is not an ISO 8601 date and time.
    """
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@record(frozen=True)
class Deadline:
    """The moment by which a turn's network calls must have given up, on a monotonic clock.

    Alexa waits 8 s for a skill's answer, and the Lambda function times out sooner (7 s in
    ``template.yaml``): a call that is still waiting then means the user hears nothing. So each
    turn gets a deadline, and every call of that turn (each DynamoDB attempt, each Alexa API
    call) takes at most what is left of it, leaving time to say what could not be done.

    Attributes
    ----------
    at : float
        The deadline, in seconds of ``monotonic``'s clock.
    monotonic : callable
        Source of elapsed seconds (:func:`time.monotonic`; tests may pass their own).
    """

    at: float
    monotonic: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    @classmethod
    def after(cls, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> Deadline:
        """A deadline ``seconds`` from now (negative or zero: already spent)."""
        return cls(monotonic() + seconds, monotonic)

    def remaining(self) -> float:
        """Seconds left before the deadline; ``0.0`` once it has passed (never negative)."""
        return max(0.0, self.at - self.monotonic())

    @property
    def spent(self) -> bool:
        """``True`` once no time is left."""
        return self.remaining() <= 0.0

    def cap(self, seconds: float) -> float:
        """``seconds``, or what is left of the deadline when that is less (``0.0``: none)."""
        return max(0.0, min(seconds, self.remaining()))

    def earlier(self, seconds: float) -> Deadline:
        """The deadline ``seconds`` sooner: a part of the turn that must leave time after it."""
        return Deadline(self.at - seconds, self.monotonic)
