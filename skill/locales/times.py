"""A time of day as each language says it aloud after "every day", preposition included.

The clock convention and the names of the parts of the day come from the Unicode CLDR data that
Babel ships: a locale counts 12 hours where its short time pattern has ``h`` or ``K``
(``timeFormats``: en-US, en-CA, en-AU, en-IN, es-MX, es-US), 24 hours otherwise (de-DE, es-ES,
fr-FR, fr-CA, it-IT). One exception: English is spoken on a 12-hour clock everywhere. CLDR's
en-GB pattern (``HH:mm``) is how British English *writes* times (timetables, screens); aloud,
"at 1:05 in the afternoon" is what people say, and "at 13:05" sounds like a station announcement.

What CLDR cannot give is grammar: the article or preposition, which changes with the hour
("a la una" but "a las ocho", "all'una" but "alle otto"), and the words for half and quarter
past that a speech engine would otherwise read as digits ("y media", "e mezza", "et demie").
Those are the small per-language rules below. Each returns the whole phrase, so a template
only says ``{at}``: "Te lo recordaré todos los días {at}." The reviewers' forms
(``../shared/LOCALE-REVIEW.md``): es "a la una", "a las doce y media de la noche", es-MX "a la
una y cinco de la tarde"; it "all'una", "a mezzanotte e mezza", "a mezzogiorno", "alle 8 e
30"; fr "à 8 h", "à 13 h 05", "à minuit et demie"; de "um 8 Uhr", "um 13:05 Uhr"; en "noon"
(en-GB and en-AU "midday").

Hours are digits except where a speech engine would get the word wrong: Spanish and Italian
one o'clock is feminine ("una"), and a digit "1" is read "uno".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, time
from typing import TYPE_CHECKING

from ..records import record

if TYPE_CHECKING:  # Babel is imported when a time is first said, not on every cold start
    from babel import Locale

__all__ = ["TIME_FIELDS", "SpokenTime", "time_of_day"]

# The fields a time of day gives a template (SpokenTime.fields).
TIME_FIELDS = frozenset({"at", "clock", "hour", "minute", "period"})

# Languages spoken on a 12-hour clock whatever their CLDR pattern says (see the docstring).
_SPOKEN_TWELVE_HOUR = frozenset({"en"})


@record(frozen=True)
class SpokenTime:
    """A time of day as one locale says it aloud.

    Attributes
    ----------
    at
        The whole phrase with its preposition: ``at 8 in the morning``, ``at noon``,
        ``a la una y cinco de la tarde``, ``all'una``, ``à minuit et demie``, ``um 13:05 Uhr``.
    clock
        The dial's digits alone: ``8:00``, ``1:05`` on a 12-hour dial, ``13:05`` on a 24-hour one.
    hour
        The hour on the dial: 1 to 12 on a 12-hour clock, 0 to 23 on a 24-hour one.
    minute
        The minute, 0 to 59.
    period
        CLDR's part of the day for the time, as written after a time (``in the afternoon``,
        ``de la tarde``, ``abends``), or empty.
    """

    at: str
    clock: str
    hour: int
    minute: int
    period: str

    def fields(self) -> dict[str, str | int]:
        """The template fields (:data:`TIME_FIELDS`), ``minute`` in two digits (``"05"``)."""
        return {
            "at": self.at,
            "clock": self.clock,
            "hour": self.hour,
            "minute": f"{self.minute:02d}",
            "period": self.period,
        }


def _period_name(data: Locale, period_id: str) -> str:
    """A day period's name as it follows a time (CLDR "format" context), wide then abbreviated."""
    periods = data.day_periods.get("format", {})
    for width in ("wide", "abbreviated"):
        name = periods.get(width, {}).get(period_id)
        if name:
            return str(name).replace("\u00a0", " ").replace("\u202f", " ")
    return ""


@record(frozen=True)
class _Parts:
    """What a language rule needs: the 24-hour time, the dial, and CLDR's words."""

    hour: int  # 0-23
    minute: int
    dial: int  # the hour on the dial the locale speaks
    twelve: bool
    period: str
    noon: str
    midnight: str


def _english(t: _Parts) -> str:
    if t.minute == 0 and t.hour in (0, 12):
        return f"at {t.midnight if t.hour == 0 else t.noon}"
    said = str(t.dial) if t.minute == 0 else f"{t.dial}:{t.minute:02d}"
    return f"at {said} {t.period}".strip()


def _german(t: _Parts) -> str:
    if (t.hour, t.minute) == (0, 0):
        return f"um {t.midnight}"
    return f"um {t.hour} Uhr" if t.minute == 0 else f"um {t.hour}:{t.minute:02d} Uhr"


def _spanish_minutes(minute: int) -> str:
    return {0: "", 15: " y cuarto", 30: " y media"}.get(minute, f" y {minute}")


def _spanish(t: _Parts) -> str:
    if (t.hour, t.minute) == (0, 0):
        return f"a {t.midnight}"
    if (t.hour, t.minute) == (12, 0):
        return f"a las 12 del {t.noon}"
    dial = 12 if t.hour == 0 else t.dial
    said = "a la una" if dial == 1 else f"a las {dial}"
    if not t.twelve and t.hour >= 13 and t.minute:
        return f"a las {t.hour}:{t.minute:02d}"  # es-ES "a las 13:05", read as a 24-hour time
    said += _spanish_minutes(t.minute)
    if t.hour == 0:
        return f"{said} de la noche"  # not CLDR's "de la madrugada": the hour after midnight
    return f"{said} {t.period}" if t.twelve and t.period else said


def _french_minutes(minute: int) -> str:
    return {0: "", 15: " et quart", 30: " et demie"}.get(minute, f" {minute}")


def _french(t: _Parts) -> str:
    if t.hour in (0, 12):
        return f"à {t.midnight if t.hour == 0 else t.noon}{_french_minutes(t.minute)}"
    return f"à {t.hour} h" + (f" {t.minute:02d}" if t.minute else "")


def _italian(t: _Parts) -> str:
    minutes = {0: "", 15: " e un quarto", 30: " e mezza"}.get(t.minute, f" e {t.minute}")
    if t.hour in (0, 12):
        return f"a {t.midnight if t.hour == 0 else t.noon}{minutes}"
    return ("all'una" if t.hour == 1 else f"alle {t.hour}") + minutes


def _digits(t: _Parts) -> str:
    return f"{t.dial}:{t.minute:02d}"


_RULES: Mapping[str, Callable[[_Parts], str]] = {
    "en": _english,
    "de": _german,
    "es": _spanish,
    "fr": _french,
    "it": _italian,
}


def time_of_day(
    data: Locale, hour: int, minute: int, words: Mapping[str, str] | None = None
) -> SpokenTime:
    """``hour``:``minute`` as the locale of ``data`` says it aloud, from Babel's CLDR data.

    Parameters
    ----------
    data
        Babel's locale (``babel_locale("es-MX")``).
    hour
        0 to 23, local wall-clock time.
    minute
        0 to 59.
    words
        The locale file's ``clock_words``: ``noon`` and ``midnight`` where its speakers say
        another word than CLDR's (en-GB "midday"); CLDR's otherwise.

    Returns
    -------
    SpokenTime
        A 12-hour dial with CLDR's flexible day period ("in the morning", "de la tarde") where
        the locale's short time pattern counts 12 hours or its language is in
        ``_SPOKEN_TWELVE_HOUR``; a 24-hour dial otherwise. Pure: no clock is read.

    Raises
    ------
    ValueError
        When the hour or minute is out of range.
    """
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {hour}:{minute}")
    words = words or {}
    pattern = re.sub(r"'[^']*'", "", data.time_formats["short"].pattern)
    twelve = bool(re.search(r"[hK]", pattern)) or data.language in _SPOKEN_TWELVE_HOUR
    dial = ((hour % 12) or 12) if twelve else hour
    at = time(hour, minute, tzinfo=UTC)
    from babel.dates import get_period_id

    period = _period_name(data, get_period_id(at, type="selection", locale=data))
    parts = _Parts(
        hour=hour,
        minute=minute,
        dial=dial,
        twelve=twelve,
        period=period or _period_name(data, "am" if hour < 12 else "pm"),
        noon=words.get("noon") or _period_name(data, "noon") or "12",
        midnight=words.get("midnight") or _period_name(data, "midnight") or "0",
    )
    said = _RULES.get(data.language, _digits)(parts)
    return SpokenTime(said, f"{dial}:{minute:02d}", dial, minute, parts.period)
