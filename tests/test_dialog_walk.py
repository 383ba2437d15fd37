"""Walk every reachable dialog state and check every reply against Alexa's limits.

From each starting situation the walk sends every event (each intent, with matched, unmatched
and missing slot values) in every state it reaches, until no new state appears (within one
completed set of the start; see ``walk.within_one_set``).
"""

from __future__ import annotations

import json
from functools import cache
from xml.etree import ElementTree

import pytest
from walk import starting_snapshots, walk, within_one_set

from skill.alexa.screen import howto_card, screen_view, summary_card
from skill.alexa.turn import snapshot_to_dict
from skill.apl import ScreenView, render_directive
from skill.coaching import plan_set
from skill.content import EXERCISE_IDS
from skill.dialog import DEFAULT_BUDGET_SECONDS, EventKind, Mode
from skill.locales import strings_for
from skill.progress import Position
from skill.ssml import (
    MAX_BREAK_SECONDS,
    MAX_SPEECH_CHARS,
    break_seconds,
    speak,
    split_on_breaks,
    spoken_seconds,
    to_plain_text,
)

MAX_RESPONSE_BYTES = 24 * 1024
BUDGET = DEFAULT_BUDGET_SECONDS  # 240 s: the limits must hold at the default
STARTS = starting_snapshots()


@cache
def _screen_bytes(view_key: tuple, locale: str) -> int:
    exercise_id, first, last, total, side, done, goal = view_key
    view = ScreenView(exercise_id, first, last, total, side, dict(done), goal)
    return len(json.dumps(render_directive(view, strings_for(locale))).encode("utf-8"))


def _response_bytes(step, strings) -> int:
    """The size of the response the SDK sends for this outcome on a device with a screen
    (the APL exercise screen and the home card included), session attributes included."""
    reply, outcome = step.outcome.reply, step.outcome
    body = {
        "outputSpeech": {"type": "SSML", "ssml": speak(reply.speech)},
        "shouldEndSession": reply.end_session,
    }
    if reply.reprompt:
        body["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": speak(reply.reprompt)}}
    if step.event.kind is EventKind.HOW_TO and step.event.exercise:
        title, text = howto_card(strings, step.event.exercise)
        body["card"] = {"type": "Simple", "title": title, "content": text}
    elif reply.end_session:
        title, text = summary_card(strings, outcome.snapshot)
        body["card"] = {"type": "Simple", "title": title, "content": text}
    envelope = {
        "version": "1.0",
        "response": body,
        "userAgent": "ask-python/1.19.0",
        "sessionAttributes": {
            "dialog": outcome.state.to_dict(),
            "progress": snapshot_to_dict(outcome.snapshot),
            "zone": "America/Argentina/ComodRivadavia",
        },
    }
    size = len(json.dumps(envelope).encode("utf-8"))
    view = screen_view(outcome.state, outcome.snapshot, strings, BUDGET)
    if view is not None:
        key = (
            view.exercise_id,
            view.first_rep,
            view.last_rep,
            view.total_reps,
            view.side,
            tuple(sorted(view.done_today.items())),
            view.goal,
        )
        size += len(',"directives":[]') + _screen_bytes(key, strings.locale)
    return size


@cache
def _speech_problems(speech: str, reprompt: str | None, end_session: bool) -> tuple[str, ...]:
    """The checks that depend on the words alone (replies repeat: each is checked once)."""
    found = []
    ssml = speak(speech)
    if len(ssml) >= MAX_SPEECH_CHARS:
        found.append(f"speech of {len(ssml)} characters")
    for fragment in (speech, reprompt or ""):
        try:
            ElementTree.fromstring(speak(fragment))
        except ElementTree.ParseError as exc:
            found.append(f"SSML does not parse: {exc}")
        if any(b > MAX_BREAK_SECONDS for b in break_seconds(fragment)):
            found.append("a break over 10 s")
        # Holds and rests say something at least every 10 s ("Halfway there.", "three, two,
        # one"): no run of breaks leaves the user in more than 10 s of silence.
        if any(p > MAX_BREAK_SECONDS for _, p in split_on_breaks(fragment)):
            found.append("more than 10 s of silence in a row")
    if spoken_seconds(speech) > BUDGET:
        found.append(f"{spoken_seconds(speech):.0f} s of speech and pauses")
    if not end_session and not (reprompt or "").strip():
        found.append("open question without a reprompt")
    if reprompt and spoken_seconds(reprompt) > BUDGET:
        found.append("reprompt over the budget")
    return tuple(found)


def _problems(step, strings) -> list[str]:
    reply = step.outcome.reply
    found = list(_speech_problems(reply.speech, reply.reprompt, reply.end_session))
    if not step.snapshot.profile.settings.cues:
        # "No countdown": silent holds are what the person asked for (up to 20 s, each break
        # still at most 10 s, which the check above keeps).
        found = [f for f in found if f != "more than 10 s of silence in a row"]
    if reply.speech.strip() == "" and step.event.kind is not EventKind.SESSION_ENDED:
        found.append("silent reply")
    size = _response_bytes(step, strings)
    if size >= MAX_RESPONSE_BYTES:
        found.append(f"response of {size} bytes")
    # A set finished under the old goal is counted before a lowered goal takes effect.
    goal = max(step.outcome.snapshot.profile.goal, step.snapshot.profile.goal)
    before, after = step.snapshot.today, step.outcome.snapshot.today
    for exercise_id in EXERCISE_IDS:
        if after.count(exercise_id) > max(goal, before.count(exercise_id)):
            found.append(f"{exercise_id} past the day's goal")
        confirmed_reset = step.state.mode is Mode.CONFIRM_RESET and step.event.kind is EventKind.YES
        if after.count(exercise_id) < before.count(exercise_id) and not confirmed_reset:
            found.append(f"{exercise_id} went backwards")
    if step.event.kind in (EventKind.STOP, EventKind.SESSION_ENDED) and not reply.end_session:
        found.append("stop did not end the session")
    found += _conversation_problems(step, strings)
    return found


# "Repeat" replays the end of a finished set: it is still to be counted afterwards.
_INSIDE_THE_SET = (EventKind.REPEAT,)
# Events that may leave a set under way: moving on, stopping (the place is kept), or choosing
# another exercise.
_LEAVES_THE_SET = (
    EventKind.NEXT,
    EventKind.YES,
    EventKind.RESUME,
    EventKind.START_ROUTINE,
    EventKind.SKIP,
    EventKind.STOP,
    EventKind.PAUSE,
    EventKind.NO,
    EventKind.SESSION_ENDED,
    EventKind.PREVIOUS,
    EventKind.START_OVER,
    EventKind.FINISHED,
    EventKind.PAIN,  # the place is kept on the profile (checked below)
)


def _last_segment(state, snapshot, strings) -> int:
    goal = snapshot.profile.goal
    set_number = min(goal, snapshot.today.count(state.exercise) + 1)
    return len(plan_set(state.exercise, strings, BUDGET, set_number, goal)) - 1


def _conversation_problems(step, strings) -> list[str]:
    """The no-set-lost invariants, on one transition."""
    found = []
    state, event, outcome = step.state, step.event, step.outcome
    reply = outcome.reply
    before, after = step.snapshot.today, outcome.snapshot.today
    text = to_plain_text(reply.speech).strip()
    if not reply.end_session and not text.endswith("?"):
        found.append("an open reply that asks nothing")
    if event.kind is EventKind.REPEAT and state.last_speech and reply.speech != state.last_speech:
        found.append("repeat said something else")
    begun = outcome.state.exercise
    if (
        begun in after.left_out
        and begun != state.exercise
        and event.kind in (EventKind.NEXT, EventKind.YES, EventKind.START_ROUTINE, EventKind.SKIP)
        # unless it answers "you left X out today ... want to start X now?"
        and not (state.mode is Mode.OFFER_EXERCISE and state.offer == begun)
    ):
        found.append("the routine went into an exercise left out for the day")
    exercise = state.exercise
    if exercise is None:
        return found
    goal = step.snapshot.profile.goal
    finished = state.segment >= _last_segment(state, step.snapshot, strings)
    asked_to_mark = (state.last_speech or "").endswith(strings.say("dialog.ask_finish_round"))
    declined = event.kind is EventKind.NO and asked_to_mark
    if finished and declined:
        if after.count(exercise) != before.count(exercise):
            found.append("a declined set was counted")
    elif finished and (
        event.kind in _INSIDE_THE_SET or (event.kind is EventKind.FALLBACK and asked_to_mark)
    ):
        # Not understood at "Shall I mark this one done?": asked again, the set still waiting.
        if outcome.state.exercise != exercise:
            found.append(f"{event.kind.value} left a finished set uncounted")
    elif finished:
        expected = min(goal, before.count(exercise) + 1)
        if after.count(exercise) != max(expected, before.count(exercise)):
            found.append(f"a finished set was not counted after {event.kind.value}")
    elif event.kind is EventKind.PAIN:
        if outcome.snapshot.profile.position != Position(exercise, state.segment):
            found.append("pain mid-set did not keep the place in the part under way")
        if after.count(exercise) != before.count(exercise):
            found.append("pain mid-set counted the set")
    elif (
        event.kind not in _LEAVES_THE_SET
        # "I don't have a band" during band foot pulls: out of the routine, the set with it
        and not (event.kind is EventKind.NO_EQUIPMENT and exercise in after.out_of_routine)
        and not (
            event.kind in (EventKind.START_EXERCISE, EventKind.CHOOSE_EXERCISE) and event.exercise
        )
        and not (  # a goal lowered to what is done already: the set could no longer count
            event.kind is EventKind.SET_GOAL
            and before.count(exercise) >= outcome.snapshot.profile.goal
        )
        and (outcome.state.exercise, outcome.state.segment) != (exercise, state.segment)
    ):
        found.append(f"{event.kind.value} lost the place in a set under way")
    return found


@pytest.mark.parametrize("start", list(STARTS))
def test_every_reply_of_every_reachable_state_is_within_limits(start, strings):
    snapshot = STARTS[start]
    problems: dict[str, str] = {}
    modes, segments, steps = set(), set(), 0
    for step in walk(strings, BUDGET, [snapshot], prune=within_one_set(snapshot)):
        steps += 1
        modes.add(step.outcome.state.mode)
        if step.outcome.state.exercise:
            segments.add((step.outcome.state.exercise, step.outcome.state.segment))
        for problem in _problems(step, strings):
            problems.setdefault(
                problem,
                f"{step.state.mode.value} + {step.event}: {step.outcome.reply.speech[:300]}",
            )
    assert not problems, json.dumps(problems, indent=1)
    assert steps > 300
    if start == "new user":
        # The walk really went everywhere: every mode, every segment of every exercise. (The
        # place kept after "it hurts" makes "shall I pick up where you left off?" reachable.)
        assert modes == set(Mode) - {Mode.OFFER_ROUND}
        expected = {
            (e, i) for e in EXERCISE_IDS for i in range(len(plan_set(e, strings, BUDGET, 1, 3)))
        }
        assert expected <= segments
    if start == "paused mid-set":
        assert Mode.CONFIRM_RESUME in modes
    if start == "last exercise of a round":
        assert Mode.OFFER_ROUND in modes
    if start == "an exercise left out":
        assert Mode.OFFER_EXERCISE in modes


def test_the_walk_hears_a_long_silence_and_an_over_long_reply(strings):
    """The checks above can fail: tiptoe walking without cues is 20 s of silence in a row, and
    a whole set at twice the default budget is over it."""
    silent = " ".join(s.ssml for s in plan_set("tiptoe_walking", strings, BUDGET, 1, 3, cues=False))
    assert "more than 10 s of silence in a row" in _speech_problems(silent, "Ready?", False)
    cued = " ".join(s.ssml for s in plan_set("tiptoe_walking", strings, BUDGET, 1, 3))
    assert _speech_problems(cued + " Ready?", "Ready?", False) == ()
    doubled = " ".join([cued, cued]) + " Ready?"
    assert any(p.endswith("s of speech and pauses") for p in _speech_problems(doubled, "R?", False))
