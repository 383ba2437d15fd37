"""The whole-count plural table agrees with Babel's CLDR rules for every shipped language."""

from __future__ import annotations

import pytest
from babel import Locale

from skill.locales import available_languages, plural_category
from skill.locales.plurals import integer_category

LANGUAGES = sorted({name.split("-")[0] for name in available_languages()})
# Every count a person could hear, then round millions and their neighbours (CLDR's "many").
COUNTS = [*range(0, 20_001), *(m * 1_000_000 + d for m in range(1, 200) for d in (-1, 0, 1))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_language_has_a_row_that_matches_babel(language: str) -> None:
    rule = Locale.parse(language).plural_form
    wrong = [(n, integer_category(language, n), rule(n)) for n in COUNTS]
    assert [w for w in wrong if w[1] != w[2]][:3] == []


@pytest.mark.parametrize(
    ("locale", "count", "category"),
    [("fr-CA", 0, "one"), ("fr-FR", 2, "other"), ("es-MX", 1_000_000, "many"), ("en-GB", 1, "one")],
)
def test_regions_follow_their_language(locale: str, count: int, category: str) -> None:
    assert plural_category(locale, count) == category


def test_a_language_without_a_row_asks_babel() -> None:
    assert integer_category("pl", 3) is None
    assert plural_category("pl-PL", 3) == "few"  # Polish: 3 is "few", 5 is "many"
    assert plural_category("pl-PL", 5) == "many"
