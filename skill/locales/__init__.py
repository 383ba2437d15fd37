"""All spoken text, one JSON file per language, looked up by dotted key.

A locale such as ``en-GB`` reads ``en-GB.json`` over ``en.json`` (when it exists), so a regional
variant only holds the strings that differ. Unknown locales fall back to English.

Templates
---------
A leaf is a string filled with :meth:`str.format` (``"Done: {done} of {total} sets."``), or a
dict of forms chosen by a number, ``count``, passed to :meth:`Strings.say` / :meth:`Strings.text`.

Plural forms
    A dict's keys are CLDR plural categories: ``zero``, ``one``, ``two``, ``few``, ``many`` and
    ``other`` (Unicode CLDR, "Language Plural Rules",
    https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html). The
    category of ``count`` comes from the locale's CLDR rules as Babel ships them
    (``babel.Locale.plural_form``, https://babel.pocoo.org/en/latest/api/core.html), restated
    for whole counts in :mod:`.plurals` so the first turn does not load Babel. A file
    only writes the categories its language uses, and ``other`` always. When the chosen category
    is missing, ``one`` is used for a count of 1 and ``other`` for anything else, as before CLDR.
    Mind the rules: French counts 0 and 1 as ``one`` ("0 série", never "une série" for 0);
    Spanish, French and Italian use ``many`` for round millions only; English, German, Spanish
    and Italian have just ``one`` (1) and ``other``. ``{count}`` is filled in unless the call
    passes its own.

Exact numbers
    A key ``=0`` beside the plural ones wins for a count of exactly 0, as ICU MessageFormat's
    explicit values do (``{n, plural, =0 {...} one {...}}``,
    https://unicode-org.github.io/icu/userguide/format_parse/messages/). French needs it: CLDR
    files 0 under ``one``, and "une série" is wrong for 0 while a digit ("1 série") would be
    read as masculine "un"; so fr writes ``"=0": "aucune série"``, ``"one": "une série"``.

Times of day
    :func:`spoken_time` (rules in :mod:`.times`) says an hour and a minute as the locale does
    aloud, with its preposition, in one field: a template that says a time
    (``reminder.set``, ``reminder.set_in_zone``) writes ``{at}``: "every day {at}" -> "every
    day at 1:05 in the afternoon", "todos los días a la una y cinco de la tarde", "ogni giorno
    all'una", "tous les jours à minuit et demie", "jeden Tag um 13:05 Uhr". The clock
    convention and the parts of the day come from CLDR through Babel; ``{clock}``, ``{hour}``,
    ``{minute}`` and ``{period}`` are there too. A locale file's ``clock_words`` may name noon
    and midnight where its speakers use another word than CLDR (en-GB "midday").
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from ..ssml import escape
from .plurals import integer_category
from .times import TIME_FIELDS, SpokenTime, time_of_day

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "DEFAULT_LOCALE",
    "EXACT_FORMS",
    "PLURAL_CATEGORIES",
    "TIME_FIELDS",
    "SpokenTime",
    "Strings",
    "available_languages",
    "babel_locale",
    "plural_category",
    "spoken_time",
    "strings_for",
]

DEFAULT_LOCALE = "en-US"

# A language and an optional region, as Alexa sends them ("en-US", "de-DE"). Anything else
# (a path, a NUL byte, an empty string) is never used to name a file: it gets English.
_LOCALE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?")

# A locale file's content: nested JSON objects whose leaves are strings, lists and numbers.
Tree: TypeAlias = dict[str, Any]


# The language files sit beside this module, in the wheel and in the Lambda package alike.
# Plain file reads: importlib.resources cost 11 ms of imports on a cold first turn.
_HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str) -> Tree | None:
    try:
        with open(os.path.join(_HERE, f"{name}.json"), encoding="utf-8") as file:
            text = file.read()
    except FileNotFoundError:
        return None
    tree: Tree = json.loads(text)
    return tree


def _merge(base: Tree, override: Tree) -> Tree:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=1)
def _shipped() -> tuple[str, ...]:
    return tuple(sorted(name[:-5] for name in os.listdir(_HERE) if name.endswith(".json")))


def available_languages() -> list[str]:
    """Language files shipped (``en``, ``en-GB`` ...)."""
    return list(_shipped())


# CLDR's plural categories, in its order (https://cldr.unicode.org/index/cldr-spec/plural-rules).
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
# Keys a counted template may hold beside the plural ones, chosen for exactly that number.
EXACT_FORMS = ("=0",)


@cache
def babel_locale(locale: str) -> Locale:
    """Babel's CLDR data for ``locale`` (``fr-CA``), else its language's (``fr``), else English.

    Parameters
    ----------
    locale
        A BCP 47 tag as Alexa sends it (``en-US``) or a language alone (``en``).

    Returns
    -------
    babel.Locale
        The locale; the region is dropped when Babel has no data for it (the Lambda package
        keeps only the shipped locales' data, see ``scripts/build_lambda.py``).
    """
    from babel import Locale, UnknownLocaleError  # only times of day and unlisted languages

    language = locale.split("-")[0]
    for tag in (locale, language, "en"):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("Babel ships English")  # pragma: no cover


def plural_category(locale: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``locale``: ``one``, ``other`` ...

    Parameters
    ----------
    locale
        A BCP 47 tag (``fr-FR``).
    count
        The number said (a whole count of sets, rounds, days, or an hour on the dial).

    Returns
    -------
    str
        One of :data:`PLURAL_CATEGORIES`, from the Unicode CLDR plural rules that Babel ships
        (``babel.Locale.plural_form``), for whole counts from :mod:`.plurals`. French gives
        ``one`` for 0 and 1.
    """
    category = integer_category(locale.split("-")[0], abs(count))
    if category is None:
        category = str(babel_locale(locale).plural_form(abs(count)))
    return category


def spoken_time(locale: str, hour: int, minute: int) -> SpokenTime:
    """``hour``:``minute`` as ``locale`` says it aloud after "every day" (:mod:`.times`).

    Parameters
    ----------
    locale
        A BCP 47 tag (``es-MX``).
    hour, minute
        0 to 23 and 0 to 59, local wall-clock time.

    Returns
    -------
    SpokenTime
        The phrase with its preposition (``at``) and the dial's parts; the locale file's
        ``clock_words`` (en-GB "midday") win over CLDR's words for noon and midnight.

    Raises
    ------
    ValueError
        When the hour or minute is out of range.
    """
    return strings_for(locale).time(hour, minute)


class Strings:
    """The strings of one locale, with helpers to fill and join them.

    ``text`` returns plain text; ``say`` returns it escaped for SSML. Fields are escaped too.
    """

    def __init__(self, locale: str, data: Tree):
        self.locale = locale
        self._data = data

    def raw(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            node = node[part]
        return node

    def form(self, value: dict[str, str], count: int) -> str:
        """The form of a counted template for ``count`` (see "Plural forms" above).

        Parameters
        ----------
        value
            The template's forms, keyed by CLDR plural category.
        count
            The number the form agrees with.

        Returns
        -------
        str
            The form for exactly ``count`` (``=0``, see "Exact numbers" above), else the form
            of ``count``'s CLDR category, else ``one`` for 1, else ``other``.
        """
        if f"={count}" in value:
            return value[f"={count}"]
        category = plural_category(self.locale, count)
        if category in value:
            return value[category]
        return value["one"] if count == 1 and "one" in value else value["other"]

    def _template(self, key: str, count: int | None, fields: dict[str, Any]) -> str:
        """The string for ``key`` (its plural form when counted), ``count`` among fields."""
        value = self.raw(key)
        if isinstance(value, dict) and count is not None:
            value = self.form(value, count)
        if count is not None:
            fields.setdefault("count", count)
        return str(value)

    def text(self, key: str, count: int | None = None, **fields: Any) -> str:
        """The template ``key`` filled with ``fields``, as plain text.

        Parameters
        ----------
        key
            A dotted key (``dialog.sets``).
        count
            Chooses the plural form (CLDR category, see the module docstring); also ``{count}``.
        **fields
            The template's other fields.
        """
        return self._template(key, count, fields).format(**fields)

    def say(self, key: str, count: int | None = None, **fields: Any) -> str:
        """As :meth:`text`, escaped for SSML (the fields too)."""
        safe = {k: escape(str(v)) if isinstance(v, str) else v for k, v in fields.items()}
        return escape(self._template(key, count, safe)).format(**safe)

    def time(self, hour: int, minute: int) -> SpokenTime:
        """:func:`spoken_time` in this locale; ``say(key, **s.time(h, m).fields())``."""
        words: dict[str, str] = self._data.get("clock_words") or {}
        return time_of_day(babel_locale(self.locale), hour, minute, words)

    def number(self, n: int) -> str:
        words: list[str] = self.raw("numbers")
        return words[n] if 0 <= n < len(words) else str(n)

    def tally(self, n: int) -> str:
        """A count of sets or reps as this language says it next to their noun.

        Digits, except where the language's ``tally_words`` gives a word: Spanish and Italian
        "una", French "une" for 1, because "series", "repeticiones", "séries", "ripetizioni"
        are feminine and a speech engine reads the digit "1" as masculine "uno"/"un".

        Parameters
        ----------
        n
            The count (sets or reps).

        Returns
        -------
        str
            The word for ``n`` from ``tally_words``, else ``str(n)``.
        """
        words: dict[str, str] = self._data.get("tally_words") or {}
        return words.get(str(n), str(n))

    def join(self, items: Sequence[str]) -> str:
        """``a, b and c`` in this language."""
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        comma: str = self.raw("list_comma")
        and_word: str = self.raw("list_and")
        return comma.join(items[:-1]) + and_word + items[-1]

    def exercise(self, exercise_id: str, field: str) -> Any:
        return self.raw(f"exercises.{exercise_id}.{field}")

    def exercise_name(self, exercise_id: str) -> str:
        name: str = self.exercise(exercise_id, "name")
        return name

    def exercise_title(self, exercise_id: str) -> str:
        """The name as a title or a sentence start: names are spoken mid-sentence, so most
        start lower case."""
        name = self.exercise_name(exercise_id)
        return name[:1].upper() + name[1:]

    def side(self, exercise_id: str, side: str) -> str:
        sides: dict[str, dict[str, str]] = self.raw("sides")
        return sides.get(exercise_id, sides["default"])[side]


def _canonical(locale: object) -> str:
    """``en-us`` -> ``en-US``; a malformed locale or an unshipped language -> the default."""
    match = _LOCALE.fullmatch(locale) if isinstance(locale, str) else None
    if match is None:
        return DEFAULT_LOCALE
    language, region = match.group(1).lower(), match.group(2)
    if language not in available_languages():
        return DEFAULT_LOCALE
    return f"{language}-{region.upper()}" if region else language


def strings_for(locale: str | None) -> Strings:
    """Strings for a locale like ``en-US``: language file, then the regional overrides.

    Unknown languages and malformed locales fall back to ``en-US``; a known language with an
    unknown region (``en-NZ``, ``de-AT``) gets the language file alone.
    """
    return _strings_for(_canonical(locale))


@cache
def _strings_for(locale: str) -> Strings:
    language = locale.split("-")[0]
    data = _load(language)
    if data is None:  # pragma: no cover - _canonical only lets shipped languages through
        locale, language, data = DEFAULT_LOCALE, "en", _load("en")
        assert data is not None, "en.json ships with the package"
    regional = _load(locale) if locale != language else None
    if regional:
        data = _merge(data, regional)
    return Strings(locale, data)
