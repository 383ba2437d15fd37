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


def test_which_foot_mid_side_does_not_sound_like_a_switch(s):
    """Asked halfway through the left foot, "Next is your left foot" sounded like a change."""
    side = s.side("band_foot_pulls", "left")
    assert s.text("dialog.side_next", side=side) == "You're on your left foot."


def test_the_pencil_cue_names_the_foot_first_so_the_switch_is_heard(s):
    """The second foot of the pencil pick-up starts inside a part ("Rep 5 ... Rep 1"), with no
    "Now switch" line: the cue itself has to say the foot changed."""
    cue = s.exercise("pencil_pickup", "cue").format(side=s.side("pencil_pickup", "right"))
    assert cue.startswith("Now with your right foot:")


def test_counted_reps_and_progress_read_naturally(s):
    for count in (1, 3, 10):
        text = s.text("dialog.hold_count", count=count, name="ankle circles", rest=3)
        assert "lasts while" not in text and "lasts for a count of" in text
    done = s.text("dialog.progress_today", done=15, total=15)
    assert not done.startswith("So far") and done == "You've done 15 of today's 15 sets."
    assert "start with an exercise" not in s.text("dialog.help_menu")


# What people answer with in their own words, in every English model.
OWN_WORDS = {
    "maybe later": "AMAZON.NoIntent",
    "not at the moment": "AMAZON.NoIntent",
    "let's do it later": "AMAZON.NoIntent",
    "i'd rather not": "AMAZON.NoIntent",
    "yes i'm ready": "AMAZON.YesIntent",
    "i suppose so": "AMAZON.YesIntent",
    "hang on a sec": "AMAZON.PauseIntent",
    "just a minute": "AMAZON.PauseIntent",
    "wait a minute": "AMAZON.PauseIntent",
    "how many left": "RemainingIntent",
    "how many sets left": "RemainingIntent",
    "what rep is it": "RepCountIntent",
    "how long": "HoldLengthIntent",
    "what exercise is this": "AMAZON.HelpIntent",
    "i don't understand": "AMAZON.HelpIntent",
    "let's carry on": "AMAZON.NextIntent",
    "say again": "AMAZON.RepeatIntent",
    "from the start": "AMAZON.StartOverIntent",
    "start this one over": "AMAZON.StartOverIntent",
    "skip this": "SkipIntent",
    "i've had enough": "AMAZON.StopIntent",
    "make it two": "SetGoalIntent",
}


@pytest.mark.parametrize("locale", ENGLISH)
def test_what_people_say_in_their_own_words_is_understood(locale):
    resolver = Resolver.for_locale(locale)
    for phrase, intent in OWN_WORDS.items():
        assert resolver.resolve(phrase).intent == intent, phrase


def test_regional_answers_are_understood():
    australia, india = Resolver.for_locale("en-AU"), Resolver.for_locale("en-IN")
    assert australia.resolve("yeah nah").intent == "AMAZON.NoIntent"
    assert australia.resolve("no worries").intent == "AMAZON.YesIntent"
    for pain in ("my calf is paining", "my feet are paining", "it's paining"):
        assert india.resolve(pain).intent == "PainIntent", pain
