"""The one place the product reads the wall clock.

Every other module takes "now" from the request (an Alexa request's ``timestamp``, which decides
the user's day) or from a :data:`Clock` it is given; when neither is at hand it calls
:func:`utc_now`. Tests and the console choose "now" by passing a clock, never by patching this
module: ``leg-skill chat --now 2026-11-24T15:00:00Z`` starts the console's clock at that instant
(:func:`starting_at`), so a subprocess sees the same day as the test that started it.

Durations (retry back-off, fail-fast windows, audio playback) use :func:`time.monotonic`, which
is no wall clock and cannot move with the date.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["Clock", "parse_instant", "starting_at", "utc_now"]

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
