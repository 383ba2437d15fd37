"""The committed transcripts (tests/golden/<locale>.txt) are what the skill says now: any change
to what is heard is a deliberate, reviewed diff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill.transcript import LOCALES, TIMES, golden_path, render

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_golden_transcript_is_what_the_skill_says(locale):
    path = golden_path(locale)
    assert path.is_file(), f"{path} is missing: run `python -m skill.transcript --write`"
    assert path.read_text(encoding="utf-8") == render(locale), (
        f"What {locale} says has changed: run `python -m skill.transcript --write` and review "
        f"the diff of {path.relative_to(ROOT)}"
    )


def test_the_transcript_covers_counts_times_sides_and_every_exercise():
    text = render("en-US")
    for count in (0, 1, 2, 3, 15):
        assert f"dialog.sets [count={count}]:" in text
    for hour, minute in TIMES:
        assert f"reminder.set [{hour}:{minute:02d}]:" in text
    assert "reminder.set [12:00]: Done. I'll remind you every day at noon." in text
    assert "coach.switch_side [right]:" in text and "coach.switch_side [left]:" in text
    assert text.count("dialog.paused [") == 5
    assert "## Say back" in text


def test_the_renderer_imports_neither_alexa_nor_aws():
    code = (
        "import sys, skill.transcript; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('ask_sdk_core', 'ask_sdk_model', 'boto3', 'botocore') or m.startswith('skill.alexa')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_command_line_prints_one_locale():
    done = subprocess.run(
        [sys.executable, "-m", "skill.transcript", "it-IT"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.stdout == render("it-IT")
