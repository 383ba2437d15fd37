"""The testing instructions in the skill package, played word for word as a tester would.

Amazon's certification testers follow ``publishingInformation.testingInstructions``. Every phrase
it quotes is typed here, in its order, through the console on a real SQLite store, with the
Settings and Reminders APIs on the local HTTPS server (tests/alexa_api.py). Each reply must be
the one the instructions promise, and what the user was told must match what the store holds.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from alexa_api import API_TOKEN, DEVICE_ID

from skill.config import Config
from skill.console import Console, Resolver
from skill.entry import make_handler
from skill.ssml import to_plain_text
from skill.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
USER = "amzn1.ask.account.TESTER"

# What each quoted phrase must bring, in the instructions' order: (phrase, words in the reply).
SCRIPT = [
    ("Alexa, open leg exercises", "if anything hurts, stop and tell me"),
    ("yes", "That's toe grips finished."),
    ("repeat", "That's toe grips finished."),
    ("how long do I hold it", "Want to start tiptoe walking now?"),
    ("start band foot pulls", "Ready to keep going?"),
    ("pause", "Paused partway through band foot pulls."),
    ("Alexa, open leg exercises", "Shall I pick up where you left off?"),
    ("yes", "Back to band foot pulls"),
    ("skip", "Skipping tiptoe walking. Ankle circles."),
    ("it hurts", "Shall I leave ankle circles out for the rest of today?"),
    ("yes", "I'll leave ankle circles out for the rest of today. Rest now"),
    ("Alexa, ask leg exercises what's left for today", "sets left today"),
    ("how am I doing", "done 3 of today's 13 sets."),
    ("slower", "I'll speak more slowly from now on."),
    ("I don't have a pencil", "That leaves 7 sets for today."),
    ("set my goal to two rounds", "Your daily goal is now 2 rounds."),
    ("how do I do ankle circles", "Here's how to do ankle circles."),
    ("help", "I'm your foot and leg exercise coach."),
    ("stop", "see you later"),
    ("Alexa, ask leg exercises to reset today", "Are you sure?"),
    ("yes", "Today starts again from zero."),
    ("Alexa, ask leg exercises how was my week", "seven days"),
    ("Alexa, ask leg exercises to remind me every day at 8 am", "every day at 8 in the morning"),
    ("Alexa, ask leg exercises to stop my reminder", "daily reminder"),
]


def instructions() -> str:
    manifest = json.loads((ROOT / "interaction_model" / "skill.json").read_text(encoding="utf-8"))
    text: str = manifest["manifest"]["publishingInformation"]["testingInstructions"]
    return text


def test_the_instructions_quote_exactly_the_phrases_played_here():
    assert re.findall(r'"([^"]+)"', instructions()) == [phrase for phrase, _ in SCRIPT]


def test_the_instructions_say_that_silences_in_a_set_are_timed_holds():
    text = instructions()
    assert "silences" in text and "timed holds" in text


def test_a_tester_following_the_instructions_hears_what_they_promise(alexa_api, tmp_path):
    alexa_api.time_zone = "America/New_York"
    store = SqliteStore(tmp_path / "p.sqlite3")
    handler = make_handler(Config(default_timezone="UTC"), store)  # the 240 s default budget
    console = Console(
        handler,
        Resolver.for_locale("en-US"),
        user_id=USER,
        clock=lambda: NOW,
        api_endpoint=alexa_api.endpoint,
        api_token=API_TOKEN,
    )
    console.device_id = DEVICE_ID
    heard = []
    for phrase, promised in SCRIPT:
        words = re.sub(r"^Alexa, ", "", phrase)
        response = console.say(words)
        reply = to_plain_text(Console.speech_of(response))
        heard.append(f"{phrase} -> {reply[:160]}")
        assert promised in reply, "\n".join(heard)
        assert "didn't get that" not in reply, "\n".join(heard)
        if not response["response"].get("shouldEndSession", True):
            assert reply.rstrip().endswith("?"), "\n".join(heard)  # an open reply asks
    # What the tester was told is what the store holds: today cleared, the reminder gone.
    loaded = store.load(USER, NOW.date())
    assert loaded.today.total() == 0 and not loaded.today.left_out
    assert loaded.profile.goal == 2 and not loaded.profile.reminder_token
    # "slower" and "I don't have a pencil" are kept: reset today clears only the day.
    assert loaded.profile.settings.rate == 85
    assert loaded.profile.settings.routine_out == {"pencil_pickup"}
