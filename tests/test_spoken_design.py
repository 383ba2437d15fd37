"""The dialog-design findings of the locale review (docs: /work/shared/LOCALE-REVIEW.md, "Cross-
locale notes"), checked on the words spoken in every locale through the pure dialog:

- S1: help lists the commands once (not the help, then the reprompt's list again);
- S2: on the side switch the side is named once;
- S3: after a finished set, an aside neither offers to carry on with the finished exercise nor
  counts that set as still to do.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from skill.coaching import plan_set
from skill.content import EXERCISE_IDS, get_exercise
from skill.dialog import Context, DialogState, Event, EventKind, Mode, handle
from skill.locales import strings_for
from skill.progress import DayProgress, Profile, Snapshot
from skill.ssml import to_plain_text

LOCALES = [
    "en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE",
    "es-ES", "es-MX", "es-US", "fr-FR", "fr-CA", "it-IT",
]  # fmt: skip
DAY = date(2026, 11, 24)
BUDGET = 90.0


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]


class _Session:
    """A session of the pure dialog: events in, plain text out, the snapshot carried along."""

    def __init__(self, locale: str):
        self.strings = strings_for(locale)
        self.state = DialogState()
        self.snapshot = Snapshot(Profile(safety_heard=True), DayProgress(DAY, {}))

    def send(self, kind: EventKind, **fields: object) -> str:
        outcome = handle(
            self.state, Event(kind, **fields), Context(self.snapshot, self.strings, BUDGET)
        )
        self.state, self.snapshot = outcome.state, outcome.snapshot
        return to_plain_text(outcome.reply.speech)

    def text(self, key: str, **fields: object) -> str:
        return to_plain_text(self.strings.say(key, **fields))

    def name(self, exercise_id: str) -> str:
        return self.strings.exercise_name(exercise_id)


@pytest.mark.parametrize("locale", LOCALES)
def test_help_mid_set_lists_the_commands_once(locale):
    session = _Session(locale)
    session.send(EventKind.LAUNCH)
    session.send(EventKind.YES)
    assert session.state.mode is Mode.IN_SET
    in_set_reprompt = to_plain_text(session.state.last_reprompt or "")
    heard = session.send(EventKind.HELP)
    name = session.name("toe_grips")
    assert heard == " ".join(
        [
            session.text("dialog.help_about"),  # what the skill does, in every state's help
            session.text("dialog.help_in_set", name=name),
            session.text("settings.help_in_set"),  # "if I'm going too fast, say slower"
            session.text("dialog.ask_back_to_routine", name=name),
        ]
    )
    assert in_set_reprompt not in heard


@pytest.mark.parametrize("locale", LOCALES)
def test_help_at_a_menu_question_lists_the_commands_then_asks_again(locale):
    session = _Session(locale)
    session.send(EventKind.LAUNCH)
    asked = session.send(EventKind.START_EXERCISE)  # "start" with no exercise: which one?
    assert session.state.mode is Mode.ASK_EXERCISE
    question = to_plain_text(session.state.last_question or "")
    reprompt = to_plain_text(session.state.last_reprompt or "")
    assert question and question in asked
    heard = session.send(EventKind.HELP)
    # the commands, how to change the coaching (issue 19), then the question again
    assert heard == " ".join(
        [session.text("dialog.help_menu"), session.text("settings.help"), question]
    )
    assert reprompt not in heard
    assert len(set(_sentences(heard))) == len(_sentences(heard))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("exercise_id", [e for e in EXERCISE_IDS if get_exercise(e).sides])
def test_the_second_side_is_named_once(locale, exercise_id):
    strings = strings_for(locale)
    exercise = get_exercise(exercise_id)
    spoken = to_plain_text(
        " ".join(s.ssml for s in plan_set(exercise_id, strings, BUDGET, 1, 3))
    ).lower()
    second = strings.side(exercise_id, exercise.sides[1]).lower()
    switch = spoken[spoken.index(second) - 80 : spoken.index(second) + 120]
    assert spoken.count(second) == 1, switch


@pytest.mark.parametrize("locale", LOCALES)
def test_an_aside_after_a_finished_set_goes_on_to_the_next_exercise(locale):
    session = _Session(locale)
    session.send(EventKind.LAUNCH)
    session.send(EventKind.YES)
    finished, following = session.name("toe_grips"), session.name("tiptoe_walking")
    for _ in range(10):  # narrate toe grips to its end: "Ready for tiptoe walking?"
        session.send(EventKind.NEXT)
        if following in to_plain_text(session.state.last_question or ""):
            break
    assert session.snapshot.today.count("toe_grips") == 0  # finished, not yet saved
    heard = session.send(EventKind.REMAINING)
    assert session.text("dialog.ask_back_to_routine", name=finished) not in heard
    assert session.snapshot.today.count("toe_grips") == 1
    assert session.strings.text("dialog.sets", count=14) in heard
    assert following in heard
