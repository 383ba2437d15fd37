"""The product reads the wall clock in one place, and a chosen "now" moves on as time does."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from skill.clock import parse_instant, starting_at, utc_now

SKILL = Path(__file__).resolve().parent.parent / "skill"
WALL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("datetime", "today"),
}


def _wall_clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in WALL_CLOCK_CALLS
        ):
            found.append(f"{path.relative_to(SKILL.parent)}:{node.lineno}")
    return found


def test_only_skill_clock_reads_the_wall_clock():
    calls = [c for p in sorted(SKILL.rglob("*.py")) for c in _wall_clock_calls(p)]
    assert len(calls) == 1 and calls[0].startswith("skill/clock.py:"), calls


def test_utc_now_is_aware_and_in_utc():
    now = utc_now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


def test_a_chosen_start_moves_on_with_elapsed_time():
    ticks = iter([100.0, 100.0, 161.5])
    clock = starting_at(datetime(2027, 12, 31, 23, 59, tzinfo=UTC), monotonic=lambda: next(ticks))
    assert clock() == datetime(2027, 12, 31, 23, 59, tzinfo=UTC)
    assert clock() == datetime(2028, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T15:00:00Z", datetime(2026, 11, 24, 15, tzinfo=UTC)),
        ("2026-11-24T15:00:00", datetime(2026, 11, 24, 15, tzinfo=UTC)),
        ("2026-11-25T04:00+14:00", datetime(2026, 11, 25, 4, tzinfo=timezone(timedelta(hours=14)))),
    ],
)
def test_instants_are_read_in_iso_8601_and_naive_ones_as_utc(text, expected):
    value = parse_instant(text)
    assert value == expected and value.utcoffset() == expected.utcoffset()


def test_a_naive_start_is_taken_as_utc():
    assert starting_at(datetime(2026, 1, 1))().tzinfo is not None


@pytest.mark.parametrize("text", ["", "tomorrow", "2026-13-01T00:00:00Z"])
def test_what_is_no_instant_is_refused(text):
    with pytest.raises(ValueError):
        parse_instant(text)
