"""German wording: the faults the native review quoted for de-DE cannot be produced any more.

Templates are rendered through ``strings_for("de-DE")`` with every exercise name; what the skill
tells people to say goes through the console's resolver; one set is narrated in the console to
show that "spring zur nächsten Übung" after a finished set keeps that set and starts the next
exercise instead of skipping it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache

import pytest

from skill.config import Config
from skill.console import Console, Elicitation, Resolver
from skill.entry import make_handler
from skill.locales import strings_for
from skill.ssml import to_plain_text
from skill.store.sqlite import SqliteStore

S = strings_for("de-DE")
IDS = ("toe_grips", "tiptoe_walking", "ankle_circles", "band_foot_pulls", "pencil_pickup")
NAMES = [S.exercise_name(e) for e in IDS]
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _texts(node, path=()):
    """(key, text) for every spoken or shown string; the console's own phrases left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "_comment" or (not path and key.startswith("console_")):
                continue
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, (*path, str(i)))
    elif isinstance(node, str):
        yield ".".join(path), node


TEXTS = dict(_texts(S._data))
WITH_NAME = {key: text for key, text in TEXTS.items() if "{name}" in text}
# Where a bare name is grammatical: a heading ("Fußkreisen. Satz 1 von 3"), a label after a
# colon, a measure ("einen Satz Fußkreisen"), the command "starte Fußkreisen", "die Übung X".
BARE_NAME_AFTER = ("Übung ", "Satz ", "Sätze ", "starte ", ": ")


@cache
def _resolver() -> Resolver:
    return Resolver.for_locale("de-DE")


def _resolve(utterance: str, asked: Elicitation | None = None):
    return _resolver().resolve(utterance, asked)


def test_the_tiptoe_exercise_is_a_verbal_noun_and_the_old_name_is_still_understood():
    assert S.exercise_name("tiptoe_walking") == "Zehenspitzengehen"
    assert not any("Zehenspitzengang" in text for text in TEXTS.values())
    for said in ("Zehenspitzengang", "starte den Zehenspitzengang", "Zehenspitzengehen"):
        asked = (
            None if said.startswith("starte") else Elicitation("ChooseExerciseIntent", "exercise")
        )
        found = _resolve(said, asked)
        (slot,) = found.slots.values()
        value = slot["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]
        assert value["id"] == "tiptoe_walking", said


@pytest.mark.parametrize("key", sorted(WITH_NAME))
def test_no_exercise_name_stands_where_german_needs_an_article(key):
    """'So geht Zehenspitzengang', 'mit Zehenspitzengang anfangen', 'Zehenkrallen ist
    geschafft' and the like: every {name} has an article, or stands where none is needed."""
    text = WITH_NAME[key]
    for match in re.finditer(r"\{name\}", text):
        before = text[: match.start()]
        heading = not before and text[match.end() :].startswith(". ")
        assert heading or before.endswith(BARE_NAME_AFTER), f"{key}: {text}"


@pytest.mark.parametrize(
    ("key", "fields", "fault"),
    [
        ("dialog.howto_intro", {"name": "Zehenspitzengehen"}, "So geht Zehenspitzengehen"),
        ("dialog.ask_next_exercise", {"name": "Fußkreisen"}, "kommt Fußkreisen"),
        ("dialog.ask_start_this", {"name": "Bandziehen"}, "mit Bandziehen anfangen"),
        ("dialog.resume_where", {"name": "Fußkreisen"}, "bei Fußkreisen mittendrin"),
        ("coach.set_done", {"name": "Zehenkrallen"}, "^Zehenkrallen ist geschafft"),
        ("dialog.skipping", {"name": "Fußkreisen"}, "Ich überspringe"),
        ("dialog.start_over_set", {"name": "Stift aufheben"}, "fangen Stift aufheben"),
        ("dialog.nothing_before", {"name": "Fußkreisen"}, "Anfang von Fußkreisen"),
        ("dialog.reset_done", {}, "Heute fängt"),
        ("screen.hold_count", {"count": 3}, "bis 3 gezählt"),
        ("dialog.welcome_new", {}, "stoppe"),
        ("dialog.reprompt_next_part", {}, "Stelle zu behalten"),
        ("dialog.help_in_set", {"name": "Fußkreisen"}, "Stelle zu behalten"),
        ("dialog.goodbye_kept_place", {"name": "Fußkreisen"}, "deine Stelle"),
        ("dialog.reprompt_next_exercise", {"name": "Fußkreisen"}, "für jetzt"),
        ("dialog.reprompt_next_round", {"round": 2}, "für jetzt"),
        ("dialog.goal_met_today", {"goal": 2}, "alle 2"),
        ("dialog.goal_done_today", {"goal": 2}, "alle 2"),
        ("dialog.set_already_full", {"name": "Fußkreisen", "goal": 2}, "hattest"),
        ("dialog.exercise_goal_met", {"name": "Fußkreisen", "goal": 2}, "Fußkreisen heute"),
        ("reminder.permission_denied", {}, "Alexa App"),
    ],
)
def test_a_quoted_fault_is_gone(key, fields, fault):
    assert not re.search(fault, S.text(key, **fields)), fault


def test_the_card_and_the_counts_agree_with_their_nouns():
    one = S.text("dialog.remaining_item", count=1, name="Zehenspitzengehen")
    card = S.text("card.summary_left", left=one)
    assert "Noch offen: einen" not in card
    assert card == "Du hast heute noch einen Satz Zehenspitzengehen vor dir."
    assert S.text("dialog.best_streak", count=1) == "Dein bisheriger Rekord: ein Tag."
    assert "5 Tage" in S.text("dialog.best_streak", count=5)
    assert "los" not in S.exercise("toe_grips", "steps")[-1].split()


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("weiter", "AMAZON.NextIntent"),
        ("Pause", "AMAZON.PauseIntent"),
        ("stopp", "AMAZON.StopIntent"),
        ("ja", "AMAZON.YesIntent"),
        ("nein", "AMAZON.NoIntent"),
        ("wiederholen", "AMAZON.RepeatIntent"),
        ("überspringen", "SkipIntent"),
        ("starten", "StartRoutineIntent"),
        ("wie geht Fußkreisen", "HowToIntent"),
        ("zwei Runden am Tag", "SetGoalIntent"),
        # collisions and gaps of the review
        ("spring zur nächsten Übung", "AMAZON.NextIntent"),
        ("weiter mit der nächsten Übung", "AMAZON.NextIntent"),
        ("fang mit dem Training an", "StartRoutineIntent"),
        ("Übungen machen", "StartRoutineIntent"),
        ("was muss ich noch machen", "RemainingIntent"),
        ("das tut weh", "PainIntent"),
        ("ich brauche eine kurze Pause", "AMAZON.PauseIntent"),
        ("noch mal von vorn", "AMAZON.StartOverIntent"),
    ],
)
def test_what_the_skill_tells_people_to_say_is_understood(utterance, intent):
    assert _resolve(utterance).intent == intent


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_commands_with_a_name_are_understood(exercise_id):
    name = S.exercise_name(exercise_id)
    command = S.text("dialog.round_left_skipped", name=name).rsplit(":", 1)[1].strip(" .")
    assert command == f"starte {name}"
    for said in (command, f"starte die Übung {name}"):
        found = _resolve(said)
        (slot,) = found.slots.values()
        value = slot["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]
        assert (found.intent, value["id"]) == ("StartExerciseIntent", exercise_id), said
    assert _resolve("Alexa, öffne Beinübungen").kind == "launch"


def test_going_to_the_next_exercise_after_a_set_starts_it(tmp_path):
    store = SqliteStore(tmp_path / "progress.sqlite3")
    user = "amzn1.ask.account.DE"
    console = Console(
        make_handler(Config(default_timezone="UTC"), store),
        Resolver.for_locale("de-DE"),
        user_id=user,
        locale="de-DE",
        clock=lambda: NOW,
    )
    console.say("öffne Beinübungen")
    done = S.text("coach.set_done", name="Zehenkrallen")
    text = to_plain_text(Console.speech_of(console.say("starte Zehenkrallen")))
    for _ in range(20):
        if done in text:
            break
        text = to_plain_text(Console.speech_of(console.say("weiter")))
    assert done in text
    # "go to the next exercise" goes on to it: the set is saved, and the next one is not skipped
    text = to_plain_text(Console.speech_of(console.say("spring zur nächsten Übung")))
    assert S.text("dialog.skipping", name="Zehenspitzengehen") not in text
    assert S.text("coach.set_intro", name="Zehenspitzengehen", set_number=1, goal=3) in text
    assert store.load(user, NOW.date()).today.done.get("toe_grips") == 1


def test_the_pencil_cue_names_the_foot_first_so_the_switch_is_heard():
    """The second foot of the pencil pick-up starts inside a part ("Wiederholung 5 ...
    Wiederholung 1"), with no "Wechsle jetzt" line: the cue itself says which foot is next."""
    cue = S.exercise("pencil_pickup", "cue").format(side=S.side("pencil_pickup", "right"))
    assert cue.startswith("Jetzt mit dem rechten Fuß:")


@pytest.mark.parametrize("exercise_id", ["toe_grips", "ankle_circles"])
def test_a_counted_rep_is_not_called_a_hold(exercise_id):
    """Ankle circles are counted too, but nobody holds a circle."""
    name = S.exercise_name(exercise_id)
    for count in (1, 3, 10):
        text = S.text("dialog.hold_count", count=count, name=name, rest=2)
        assert "hältst du" not in text and "bis ich" not in text
        assert "zähle ich bei jeder Wiederholung bis" in text


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        # yes and no in other words
        ("vielleicht später", "AMAZON.NoIntent"),
        ("nicht jetzt", "AMAZON.NoIntent"),
        ("heute nicht", "AMAZON.NoIntent"),
        ("lass uns das später machen", "AMAZON.NoIntent"),
        ("na gut", "AMAZON.YesIntent"),
        ("meinetwegen", "AMAZON.YesIntent"),
        ("alles klar", "AMAZON.YesIntent"),
        ("ja ich bin bereit", "AMAZON.YesIntent"),
        # a moment, not goodbye
        ("Moment mal", "AMAZON.PauseIntent"),
        ("eine Sekunde", "AMAZON.PauseIntent"),
        ("warte mal", "AMAZON.PauseIntent"),
        # mid-set questions and the rest
        ("wie viele fehlen noch", "RemainingIntent"),
        ("bin ich fertig", "RemainingIntent"),
        ("welche Wiederholung", "RepCountIntent"),
        ("welche Übung ist das", "AMAZON.HelpIntent"),
        ("ich verstehe das nicht", "AMAZON.HelpIntent"),
        ("wo war ich", "AMAZON.ResumeIntent"),
        ("nochmal von vorne", "AMAZON.StartOverIntent"),
        ("das reicht für heute", "AMAZON.StopIntent"),
        ("das kann ich nicht", "SkipIntent"),
        ("nur zwei Runden", "SetGoalIntent"),
    ],
)
def test_what_people_say_in_their_own_words_is_understood(utterance, intent):
    assert _resolve(utterance).intent == intent
