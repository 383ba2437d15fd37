"""`leg-skill chat` refuses option values it cannot use, in one line, before the chat starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def chat(tmp_path: Path, *args: str, env: dict[str, str] | None = None, text: str = ""):
    environ = {k: v for k, v in os.environ.items() if k != "LEG_SKILL_DB"}
    environ.update({"XDG_DATA_HOME": str(tmp_path / "xdg")}, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "skill", "chat", "--now", "2026-11-24T15:00:00Z", *args],
        input=text,
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "5"], "'5': give a number of seconds from 60 to 240"),
        (["--budget", "1000"], "'1000': give a number of seconds from 60 to 240"),
        (["--budget", "soon"], "'soon': give a number of seconds from 60 to 240"),
        (["--timezone", "Mars/Olympus"], "'Mars/Olympus' is not an IANA time zone"),
        (["--locale", "xx-XX"], "no interaction model for locale xx-XX (there are: de-DE, en-AU"),
    ],
)
def test_unusable_values_are_refused_in_one_line(tmp_path, args, message):
    result = chat(tmp_path, "--store", str(tmp_path / "p.sqlite3"), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "p.sqlite3").exists()


def test_the_chat_keeps_progress_where_leg_skill_db_says(tmp_path):
    store = tmp_path / "from-env.sqlite3"
    result = chat(
        tmp_path,
        env={"LEG_SKILL_DB": str(store)},
        text="open leg exercises\nstart toe grips\nnext\nnext\nstop\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Saved: toe grips, set 1 of 3 today." in result.stdout
    assert store.exists()
    assert not (tmp_path / "xdg").exists()


def test_two_recognised_people_on_one_account_keep_their_own_day(tmp_path):
    """`--person` speaks as a voice Alexa recognises: each person's what's left is their own,
    and the account's (no --person) is apart from both (issue 19)."""
    store = str(tmp_path / "shared.sqlite3")
    alice = chat(
        tmp_path,
        "--store",
        store,
        "--person",
        "alice",
        text="open leg exercises\nI don't have a resistance band\nstart toe grips\nstop\n",
    )
    assert alice.returncode == 0, alice.stderr
    assert "That leaves 12 sets for today." in alice.stdout
    assert "Saved: toe grips, set 1 of 3 today." in alice.stdout
    for person, left in (("bob", 15), (None, 15), ("alice", 11)):
        args = ["--store", store] + (["--person", person] if person else [])
        result = chat(tmp_path, *args, text="open leg exercises\nwhat's left for today\n")
        assert result.returncode == 0, result.stderr
        assert f"You have {left} sets left today" in result.stdout, (person, result.stdout)


def test_a_person_name_that_is_no_name_is_refused(tmp_path):
    result = chat(tmp_path, "--store", str(tmp_path / "p.sqlite3"), "--person", "al ice#1")
    assert result.returncode == 2
    assert "a name of letters and digits" in result.stderr
