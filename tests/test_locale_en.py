"""English as a native speaker says it: the faults the locale review quoted can no longer be
produced, and what the skill tells people to say is understood by every English model."""

from __future__ import annotations

import pytest

from skill.console import Resolver
from skill.content import EXERCISE_IDS
from skill.locales import strings_for

ENGLISH = ["en-US", "en-CA", "en-GB", "en-AU", "en-IN"]


@pytest.fixture(params=ENGLISH)
def s(request):
    return strings_for(request.param)


def _week_met(s, days: list[str]) -> str:
    return s.text("dialog.week_met", days=s.join(days))


def test_the_days_the_goal_was_met_read_as_english(s):
    today, yesterday = s.text("day_today"), s.text("day_yesterday")
    monday, saturday = s.raw("weekdays")[0], s.raw("weekdays")[5]
    assert _week_met(s, [today]) == "You met your daily goal today."
    assert "on today" not in _week_met(s, [saturday, monday, yesterday, today])
    assert _week_met(s, [monday, yesterday]) == "You met your daily goal on Monday and yesterday."


def test_counts_carry_their_noun(s):
    for count in (1, 2, 5):
        best = s.text("dialog.best_streak", count=count)
        assert best.endswith(("day.", "days.")) and "Your best is" not in best
        item = s.text("dialog.remaining_item", count=count, name="ankle circles")
        assert f"{count} of" not in item and "set" in item
        group = s.text("dialog.remaining_group", count=count, names="toe grips and ankle circles")
        assert "set" in group
    assert s.text("dialog.remaining_item", count=1, name="x") == "one set of x"
    assert "Today you've done 0 of" not in s.text("dialog.progress_today", done=0, total=15)


@pytest.mark.parametrize("key", ["dialog.goal_met_today", "dialog.goal_done_today"])
def test_a_goal_of_two_is_never_all_two_rounds(s, key):
    assert "all 2" not in s.text(key, goal=2)


def test_the_reviewed_lines_say_it_naturally(s):
    name = s.exercise_name("pencil_pickup")
    assert name == "pencil pick-up" and s.exercise_title("pencil_pickup") == "Pencil pick-up"
    assert not s.text("coach.resume_intro", name=name).startswith("Picking up")
    assert not s.text("dialog.paused", name=name).startswith("Paused in")
    assert s.text("dialog.howto_intro", name=name) == "Here's how to do pencil pick-up."
    assert "keep the time" not in s.text("coach.timed")
    assert not s.text("dialog.come_back_later", round=2).startswith("It's")
    step = s.exercise("band_foot_pulls", "steps")[3]
    assert "so the band pulls back" not in step and "against the band" in step
    if s.locale in ("en-GB", "en-AU", "en-IN"):
        assert "towards your shin" in step


@pytest.mark.parametrize("locale", ENGLISH)
def test_what_the_skill_tells_people_to_say_is_understood(locale):
    s, resolver = strings_for(locale), Resolver.for_locale(locale)
    told = {
        "next": "AMAZON.NextIntent",
        "pause": "AMAZON.PauseIntent",
        "repeat": "AMAZON.RepeatIntent",
        "skip": "SkipIntent",
        "stop": "AMAZON.StopIntent",
        "start": "StartRoutineIntent",
        "what's left for today": "RemainingIntent",
        "how do I do ankle circles": "HowToIntent",
        "two rounds a day": "SetGoalIntent",
        "three rounds a day": "SetGoalIntent",
    }
    for phrase, intent in told.items():
        assert resolver.resolve(phrase).intent == intent, phrase
    assert resolver.resolve("Alexa, open Leg Exercises").kind == "launch"
    for exercise_id in EXERCISE_IDS:
        command = s.text("dialog.round_left_skipped", name=s.exercise_name(exercise_id))
        found = resolver.resolve(command.rsplit(":", 1)[1].strip(" ."))
        assert found.intent == "StartExerciseIntent", command
        words = found.slots["exercise"]["value"]
        assert resolver.value_id("StartExerciseIntent", "exercise", words) == exercise_id
    # The old written name is still the spoken one.
    old = resolver.resolve("start pencil pick up")
    assert old.intent == "StartExerciseIntent"
    assert resolver.value_id("StartExerciseIntent", "exercise", "pencil pick up") == "pencil_pickup"


@pytest.mark.parametrize("locale", ENGLISH)
def test_the_collisions_the_review_heard_are_gone(locale):
    resolver = Resolver.for_locale(locale)
    expected = {
        "start the workout": "StartRoutineIntent",
        "do my leg exercises": "StartRoutineIntent",
        "start today's exercises": "StartRoutineIntent",
        "let's do this": "StartRoutineIntent",
        "begin the routine": "StartRoutineIntent",
        "skip to the next exercise": "AMAZON.NextIntent",
        "go to the next exercise": "AMAZON.NextIntent",
        "go to the next one": "AMAZON.NextIntent",
        "the next one": "AMAZON.NextIntent",
        "start the next exercise": "AMAZON.NextIntent",
        "hang on a minute": "AMAZON.PauseIntent",
    }
    for phrase, intent in expected.items():
        assert resolver.resolve(phrase).intent == intent, phrase
