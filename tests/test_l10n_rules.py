"""CLDR plural categories and times of day through Babel (skill/locales)."""

from __future__ import annotations

import re

import pytest

from skill.locales import Strings, plural_category, spoken_time, strings_for
from skill.transcript import LOCALES


@pytest.mark.parametrize(
    ("locale", "count", "category"),
    [
        ("en-US", 0, "other"),
        ("en-US", 1, "one"),
        ("fr-FR", 0, "one"),  # French's singular zero
        ("fr-CA", 1, "one"),
        ("fr-FR", 2, "other"),
        ("fr-FR", 1_000_000, "many"),
        ("es-MX", 1_000_000, "many"),
        ("it-IT", 1, "one"),
        ("de-DE", 15, "other"),
        ("xx-YY", 1, "one"),  # unknown: English rules
    ],
)
def test_plural_categories_follow_cldr(locale, count, category):
    assert plural_category(locale, count) == category


def _strings(locale: str, template: object) -> Strings:
    return Strings(locale, {"t": template})


def test_a_plural_template_picks_the_cldr_category_then_falls_back():
    forms = {"one": "{count} série", "other": "{count} séries", "many": "{count} de séries"}
    fr = _strings("fr-FR", forms)
    assert [fr.text("t", n) for n in (0, 1, 2, 1_000_000)] == [
        "0 série",
        "1 série",
        "2 séries",
        "1000000 de séries",
    ]
    en = _strings("en-US", {"one": "one set", "other": "{count} sets"})
    assert [en.text("t", n) for n in (0, 1, 2)] == ["0 sets", "one set", "2 sets"]
    # A category the file does not write: "one" for 1, else "other" (as before CLDR).
    fr_other_only = _strings("fr-FR", {"one": "une série", "other": "{count} séries"})
    assert fr_other_only.text("t", 1_000_000) == "1000000 séries"
    ru_like = _strings("fr-FR", {"other": "{count} x"})
    assert ru_like.text("t", 1) == "1 x"


@pytest.mark.parametrize(
    ("locale", "hour", "minute", "said"),
    [
        # 12-hour English everywhere, en-GB too (skill/locales/times.py), CLDR's day periods
        ("en-US", 8, 0, "at 8 in the morning"),
        ("en-US", 0, 0, "at midnight"),
        ("en-US", 12, 0, "at noon"),
        ("en-GB", 12, 0, "at midday"),
        ("en-AU", 12, 0, "at midday"),
        ("en-GB", 13, 5, "at 1:05 in the afternoon"),
        ("en-US", 21, 15, "at 9:15 at night"),
        ("en-CA", 0, 30, "at 12:30 in the morning"),
        ("en-IN", 1, 0, "at 1 in the morning"),
        # Spanish: the article fits the hour; one o'clock is "una", never the digit
        ("es-MX", 13, 5, "a la una y 5 de la tarde"),
        ("es-US", 1, 0, "a la una de la madrugada"),
        ("es-MX", 0, 30, "a las 12 y media de la noche"),
        ("es-US", 12, 0, "a las 12 del mediodía"),
        ("es-MX", 21, 15, "a las 9 y cuarto de la noche"),
        ("es-ES", 1, 0, "a la una"),
        ("es-ES", 0, 30, "a las 12 y media de la noche"),
        ("es-ES", 8, 0, "a las 8"),
        ("es-ES", 13, 5, "a las 13:05"),
        ("es-ES", 0, 0, "a medianoche"),
        # German: "um 8 Uhr", minutes only when there are some
        ("de-DE", 8, 0, "um 8 Uhr"),
        ("de-DE", 13, 5, "um 13:05 Uhr"),
        ("de-DE", 0, 30, "um 0:30 Uhr"),
        ("de-DE", 0, 0, "um Mitternacht"),
        # French: "8 h", "13 h 05", midnight and noon by name
        ("fr-FR", 0, 30, "à minuit et demie"),
        ("fr-FR", 8, 0, "à 8 h"),
        ("fr-FR", 12, 0, "à midi"),
        ("fr-CA", 13, 5, "à 13 h 05"),
        ("fr-CA", 12, 15, "à midi et quart"),
        # Italian: "all'una", midnight and noon by name, "e mezza", "e un quarto"
        ("it-IT", 1, 0, "all'una"),
        ("it-IT", 0, 30, "a mezzanotte e mezza"),
        ("it-IT", 12, 0, "a mezzogiorno"),
        ("it-IT", 8, 0, "alle 8"),
        ("it-IT", 21, 15, "alle 21 e un quarto"),
        ("it-IT", 13, 5, "alle 13 e 5"),
    ],
)
def test_times_are_said_as_the_locale_says_them(locale, hour, minute, said):
    assert spoken_time(locale, hour, minute).at == said


def test_the_dial_follows_the_clock_the_locale_speaks():
    es = spoken_time("es-MX", 13, 5)
    assert (es.hour, es.clock, es.period) == (1, "1:05", "de la tarde")
    it = spoken_time("it-IT", 13, 5)
    assert (it.hour, it.clock) == (13, "13:05")
    assert spoken_time("en-GB", 21, 15).clock == "9:15"


@pytest.mark.parametrize("locale", sorted(LOCALES))
@pytest.mark.parametrize(("hour", "minute"), [(0, 30), (1, 0), (1, 5), (12, 0), (13, 5), (21, 15)])
def test_no_reminder_time_says_a_fault_the_review_heard(locale, hour, minute):
    strings = strings_for(locale)
    said = strings.text("reminder.set", **strings.time(hour, minute).fields())
    # "a las 1:00" (one o'clock is feminine: "a la una"), "alle 1:00" ("all'una"), the hour
    # after midnight as 0, a whole hour read with ":00", an AM/PM marker
    faults = r"a las 1\b|alle 1\b|all'1\b|a las 0\b|alle 0\b|à 0 h|:00|\b(AM|PM|a\.m\.|p\.m\.)"
    assert not re.search(faults, said), (locale, said)
    if locale.startswith("en") or locale in ("es-MX", "es-US"):  # a 12-hour clock, aloud
        assert not re.search(r"\b(1[3-9]|2[0-3]):", said), (locale, said)


def test_a_time_out_of_range_is_refused():
    with pytest.raises(ValueError):
        spoken_time("en-US", 24, 0)


def test_the_shipped_reminder_keys_still_render_in_every_language():
    for locale in ("en-US", "de-DE", "es-MX", "fr-CA", "it-IT"):
        strings = strings_for(locale)
        assert "{" not in strings.say("reminder.set", **strings.time(8, 0).fields())
