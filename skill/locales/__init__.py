"""All spoken text, one JSON file per language, looked up by dotted key.

A locale such as ``en-GB`` reads ``en-GB.json`` over ``en.json`` (when it exists), so a regional
variant only holds the strings that differ. Unknown locales fall back to English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any, TypeAlias

from ..ssml import escape

__all__ = ["DEFAULT_LOCALE", "Strings", "available_languages", "strings_for"]

DEFAULT_LOCALE = "en-US"

# A language and an optional region, as Alexa sends them ("en-US", "de-DE"). Anything else
# (a path, a NUL byte, an empty string) is never used to name a file: it gets English.
_LOCALE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?")

# A locale file's content: nested JSON objects whose leaves are strings, lists and numbers.
Tree: TypeAlias = dict[str, Any]


def _load(name: str) -> Tree | None:
    try:
        text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
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
    return tuple(
        sorted(
            p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".json")
        )
    )


def available_languages() -> list[str]:
    """Language files shipped (``en``, ``en-GB`` ...)."""
    return list(_shipped())


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

    def _template(self, key: str, count: int | None, fields: dict[str, Any]) -> str:
        """The string for ``key`` (its one/other form when counted), ``count`` among fields."""
        value = self.raw(key)
        if isinstance(value, dict) and count is not None:
            value = value["one" if count == 1 else "other"]
        if count is not None:
            fields.setdefault("count", count)
        return str(value)

    def text(self, key: str, count: int | None = None, **fields: Any) -> str:
        return self._template(key, count, fields).format(**fields)

    def say(self, key: str, count: int | None = None, **fields: Any) -> str:
        safe = {k: escape(str(v)) if isinstance(v, str) else v for k, v in fields.items()}
        return escape(self._template(key, count, safe)).format(**safe)

    def number(self, n: int) -> str:
        words: list[str] = self.raw("numbers")
        return words[n] if 0 <= n < len(words) else str(n)

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
