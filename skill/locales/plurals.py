"""The CLDR plural category of a whole count, for the shipped languages, without Babel.

Every count the skill says is a whole number (sets, reps, rounds, days, an hour on the dial),
so only the integer branch of each language's rule matters: CLDR's operands ``v`` (visible
fraction digits) and ``e`` (compact exponent) are 0, and ``i`` and ``n`` are the count itself
(Unicode CLDR, "Language Plural Rules",
https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html).

Why not ask Babel each time: on the first turn of a cold Lambda (Python 3.13, the shipped
package, no bytecode written) importing ``babel`` and building English's ``plural_form`` took
29 ms of a 200 ms first turn, measured with ``scripts/bench.py --shipped-only`` on 2026-11-30;
the issue's target for the whole turn is 138 ms. The table below restates Babel's rules
(Babel 2.18, CLDR 46) for whole numbers; ``tests/test_plurals.py`` holds every shipped
language to ``babel.Locale.plural_form`` for 0 to 20,000 and round millions up to 199 million,
so a language added without a row here, or a CLDR change, fails there. A language with no row
asks Babel.
"""

from __future__ import annotations

__all__ = ["integer_category"]

# language -> (the counts that are "one", whether round millions are "many").
#   en, de: one "i = 1 and v = 0"
#   es:     one "n = 1";          many "e = 0 and i != 0 and i % 1000000 = 0 and v = 0 or ..."
#   it:     one "i = 1 and v = 0"; many as es
#   fr:     one "i = 0,1";        many as es
_RULES: dict[str, tuple[frozenset[int], bool]] = {
    "en": (frozenset({1}), False),
    "de": (frozenset({1}), False),
    "es": (frozenset({1}), True),
    "it": (frozenset({1}), True),
    "fr": (frozenset({0, 1}), True),
}


def integer_category(language: str, count: int) -> str | None:
    """The CLDR plural category of the whole number ``count`` in ``language``.

    Parameters
    ----------
    language
        A language subtag (``fr``); regions do not change these rules.
    count
        A whole number, 0 or more.

    Returns
    -------
    str or None
        ``one``, ``many`` or ``other``; None when the table has no row for ``language`` (the
        caller then asks Babel).
    """
    rule = _RULES.get(language)
    if rule is None:
        return None
    ones, round_millions_are_many = rule
    if count in ones:
        return "one"
    if round_millions_are_many and count and count % 1_000_000 == 0:
        return "many"
    return "other"
