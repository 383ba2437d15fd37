"""CLDR plural categories and times of day through Babel (skill/locales)."""

from __future__ import annotations

import pytest

from skill.locales import Strings, plural_category, spoken_time, strings_for


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
        ("en-US", 8, 0, "8 in the morning"),
        ("en-US", 0, 0, "midnight"),
        ("en-US", 12, 0, "noon"),
        ("en-AU", 12, 0, "midday"),
        ("en-US", 13, 5, "1:05 in the afternoon"),
        ("en-US", 21, 15, "9:15 at night"),
        ("en-CA", 0, 30, "12:30 in the morning"),
        ("es-MX", 13, 5, "1:05 de la tarde"),
        ("es-US", 12, 0, "12 del mediodía"),
        ("es-ES", 13, 5, "13:05"),
        ("de-DE", 8, 0, "8:00"),
        ("fr-FR", 0, 30, "0:30"),
        ("fr-CA", 8, 0, "8 h"),
        ("fr-CA", 13, 5, "13 h 05"),
        ("it-IT", 21, 15, "21:15"),
        ("en-GB", 13, 5, "13:05"),  # CLDR: en-GB writes a 24-hour clock
    ],
)
def test_times_are_said_as_the_locale_says_them(locale, hour, minute, said):
    assert spoken_time(locale, hour, minute).time == said


def test_the_dial_hour_is_the_count_and_noon_and_midnight_are_forms():
    es = spoken_time("es-MX", 13, 5)
    assert (es.hour, es.clock, es.period, es.form) == (1, "1:05", "de la tarde", None)
    it = spoken_time("it-IT", 12, 0)
    assert (it.hour, it.moment, it.form) == (12, "mezzogiorno", "noon")
    assert spoken_time("de-DE", 0, 0).moment == "Mitternacht"
    forms = {
        "one": "a la {time}",
        "other": "a las {time}",
        "noon": "al {moment}",
        "midnight": "a {moment}",
    }
    template = _strings("es-ES", forms)
    said = [template.text("t", **spoken_time("es-ES", h, m).fields()) for h, m in [(1, 5), (8, 0)]]
    assert said == ["a la 1:05", "a las 8:00"]
    italian = _strings("it-IT", {"one": "all'{time}", "other": "alle {time}", "noon": "a {moment}"})
    assert italian.text("t", **spoken_time("it-IT", 12, 0).fields()) == "a mezzogiorno"
    assert italian.text("t", **spoken_time("it-IT", 1, 0).fields()) == "all'1:00"


def test_a_time_out_of_range_is_refused():
    with pytest.raises(ValueError):
        spoken_time("en-US", 24, 0)


def test_the_shipped_reminder_keys_still_render_in_every_language():
    for locale in ("en-US", "de-DE", "es-MX", "fr-CA", "it-IT"):
        strings = strings_for(locale)
        assert "{" not in strings.say("reminder.set", **strings.time(8, 0).fields())
