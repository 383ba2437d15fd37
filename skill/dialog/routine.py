"""Handlers and steps of the routine: starting, resuming, advancing, skipping, starting over, and
the end of a round."""

from __future__ import annotations

from ..content import EXERCISE_IDS, get_exercise
from ..records import replace
from .effects import SavePosition
from .state import Event, Mode
from .turn import (
    _ask_resume,
    _at_last_segment,
    _follow_up,
    _forget_place,
    _in_set,
    _menu_question,
    _name,
    _narrate,
    _next_in_round,
    _offer_exercise,
    _place_expired,
    _record_set,
    _reps_through,
    _resumable,
    _safety_once,
    _say_streak,
    _sets_phrase,
    _Turn,
    side_progress,
)


def _on_launch(turn: _Turn, event: Event) -> None:
    profile = turn.snapshot.profile
    position = profile.position
    if position is not None and _place_expired(turn, position):
        turn.effect(SavePosition(None))
        position = None
    if not profile.safety_heard and turn.today.total() == 0 and position is None:
        turn.say("dialog.welcome_new")
        _safety_once(turn)
    else:
        turn.say("dialog.welcome_back")
    if position is not None:
        _ask_resume(turn, position.exercise_id)
        return
    if turn.today.goal_met(turn.goal):
        turn.say("dialog.goal_met_today", goal=turn.goal)
        _say_streak(turn)
    elif not turn.today.active():
        turn.say("dialog.all_left_out_today")
    else:
        turn.say(
            "dialog.today_status", left=_sets_phrase(turn, turn.today.remaining_total(turn.goal))
        )
    _menu_question(turn)


def _on_start_routine(turn: _Turn, event: Event) -> None:
    if _in_set(turn):
        # "Let's go" answering "ready for X?" goes on with the routine already running.
        _advance(turn)
        return
    if turn.state.mode is Mode.OFFER_EXERCISE and turn.state.offer in EXERCISE_IDS:
        _start_exercise(turn, turn.state.offer)  # the next exercise of the routine, as offered
        return
    if _resumable(turn) is not None:
        _resume_position(turn)
        return
    if turn.today.goal_met(turn.goal):
        turn.say("dialog.goal_met_today", goal=turn.goal)
        _say_streak(turn)
        turn.ask("dialog.ask_anything_else", "dialog.reprompt_anything_else", Mode.MENU)
        return
    if not turn.today.active():
        turn.say("dialog.all_left_out")
        turn.finish()
        return
    round_ = turn.today.current_round(turn.goal)
    turn.state = replace(turn.state, round=round_, skipped=(), exercise=None, segment=0)
    turn.say("coach.round_intro", round=round_, goal=turn.goal)
    _continue_routine(turn, after=None)


def _resume_position(turn: _Turn) -> None:
    position = turn.snapshot.profile.position
    assert position is not None
    turn.state = replace(turn.state, round=turn.today.current_round(turn.goal), skipped=())
    if position.segment == 0:  # kept at its first part: it starts again from the top
        turn.say("dialog.start_over_set", name=_name(turn, position.exercise_id))
    else:
        turn.say("coach.resume_intro", name=_name(turn, position.exercise_id))
        exercise = get_exercise(position.exercise_id)
        done = _reps_through(turn, position.exercise_id, position.segment - 1)
        if exercise.sides and done % exercise.reps:
            # Hours later nobody remembers the foot: name it ("You're on your right foot."),
            # unless the part starts a side, whose first rep names it anyway.
            side = exercise.sides[side_progress(position.exercise_id, done)[0]]
            turn.say("dialog.side_next", side=turn.s.side(position.exercise_id, side))
    _narrate(turn, position.exercise_id, position.segment)


def _ask_which(turn: _Turn, purpose: str) -> None:
    names = turn.s.join([turn.s.exercise_name(e) for e in EXERCISE_IDS])
    turn.ask(
        "dialog.ask_which_exercise",
        "dialog.reprompt_which_exercise",
        Mode.ASK_EXERCISE,
        offer=purpose,
        names=names,
    )


def _unknown_exercise(turn: _Turn, event: Event, purpose: str) -> None:
    if event.heard:
        turn.say("dialog.unknown_exercise", heard=event.heard[:60])
    else:
        turn.say("dialog.unknown_exercise_no_name")
    if _in_set(turn):
        _follow_up(turn)  # a phrase that is no exercise name does not end the set under way
        return
    _ask_which(turn, purpose)


def _start_exercise(turn: _Turn, exercise_id: str) -> None:
    asked = turn.state.mode is Mode.OFFER_EXERCISE and turn.state.offer == exercise_id
    if exercise_id in turn.today.out_of_routine:
        # Out of the routine ("I don't have a band"): say how to add it back, start nothing.
        turn.say("settings.start_out_of_routine", name=_name(turn, exercise_id))
        _follow_up(turn)
        return
    if exercise_id in turn.today.left_out and not asked:
        # Left out today after "it hurts": check before starting it again.
        turn.say("dialog.left_out_earlier", name=_name(turn, exercise_id))
        _offer_exercise(turn, exercise_id)
        return
    if turn.today.count(exercise_id) >= turn.goal:
        turn.say("dialog.exercise_goal_met", name=_name(turn, exercise_id), goal=turn.goal)
        turn.state = replace(turn.state, exercise=None, segment=0)
        _menu_question(turn)
        return
    turn.state = replace(
        turn.state,
        round=turn.today.current_round(turn.goal),
        skipped=tuple(e for e in turn.state.skipped if e != exercise_id),
    )
    _narrate(turn, exercise_id, 0)


def _on_start_exercise(turn: _Turn, event: Event) -> None:
    if event.exercise is None:
        if event.heard:
            _unknown_exercise(turn, event, "start")
        else:
            _ask_which(turn, "start")
        return
    _start_exercise(turn, event.exercise)


def _on_skip(turn: _Turn, event: Event) -> None:
    current = turn.state.exercise
    if current is not None and _at_last_segment(turn):
        # The set is done: count it, and skip what was offered next.
        following = _next_in_round(turn, after=current)
        _record_set(turn)
        if following is None:
            _after_round(turn)
            return
        current = following
    elif current is None and turn.state.mode in (Mode.OFFER_EXERCISE, Mode.CONFIRM_LEAVE_OUT):
        current = turn.state.offer if turn.state.offer in EXERCISE_IDS else None
    if current is None:
        turn.say("dialog.nothing_to_skip")
        _follow_up(turn)
        return
    after_pain = turn.state.mode is Mode.CONFIRM_LEAVE_OUT
    turn.say("dialog.skipping", name=_name(turn, current))
    _forget_place(turn, current)  # skipped: never offered again as "pick up where..."
    skipped = tuple(e for e in EXERCISE_IDS if e in turn.state.skipped or e == current)
    turn.state = replace(turn.state, skipped=skipped, exercise=None, segment=0)
    following = _next_in_round(turn, after=current)
    if after_pain and following is not None:
        # Just after "it hurts": ask before the next exercise starts, never start it at once.
        _offer_exercise(turn, following)
        return
    _continue_routine(turn, after=current)


def _advance(turn: _Turn) -> None:
    """Go on from the segment just narrated: the next one, or count the set and move on."""
    current = turn.state.exercise
    assert current is not None
    if not _at_last_segment(turn):
        _narrate(turn, current, turn.state.segment + 1)
        return
    _record_set(turn)
    _continue_routine(turn, after=current)


def _on_start_over(turn: _Turn, event: Event) -> None:
    current = turn.state.exercise
    if current is not None and _at_last_segment(turn):
        _record_set(turn)  # the set was done: it counts, and "start over" does it once more
        if turn.today.count(current) >= turn.goal:
            _follow_up(turn)
            return
    elif current is None and (kept := _resumable(turn)) is not None:
        # A place kept, at the resume question or after an aside to it ("I don't know an
        # exercise called ..."): that exercise, not where it was left, from the top.
        current = kept.exercise_id
        turn.effect(SavePosition(None))
    if current is not None:
        turn.say("dialog.start_over_set", name=_name(turn, current))
        _narrate(turn, current, 0)
    else:
        _on_start_routine(turn, event)


def _on_resume(turn: _Turn, event: Event) -> None:
    if _in_set(turn):
        _advance(turn)
    elif turn.state.mode is Mode.OFFER_EXERCISE and turn.state.offer in EXERCISE_IDS:
        _start_exercise(turn, turn.state.offer)
    elif turn.snapshot.profile.position is not None:
        _resume_position(turn)
    else:
        turn.say("dialog.nothing_to_resume")
        _follow_up(turn)


def _after_round(turn: _Turn) -> None:
    """Nothing left in this round: congratulate, and offer the next round or say goodbye."""
    if turn.today.goal_met(turn.goal):
        turn.say_if_saved("dialog.goal_done_today", goal=turn.goal)
        _say_streak(turn, if_saved=True)
        turn.say("dialog.see_you_tomorrow")
        turn.finish()
        return
    skipped = [e for e in turn.state.skipped if turn.today.count(e) < turn.state.round]
    if skipped:
        turn.say("dialog.round_left_skipped", name=_name(turn, skipped[0]))
        _menu_question(turn)
        return
    finished_round = turn.state.round
    turn.say_if_saved("dialog.round_done", round=finished_round, goal=turn.goal)
    upcoming = turn.today.current_round(turn.goal)
    turn.say("dialog.come_back_later", round=upcoming)
    turn.ask(
        "dialog.ask_next_round", "dialog.reprompt_next_round", Mode.OFFER_ROUND, round=upcoming
    )


def _continue_routine(turn: _Turn, after: str | None) -> None:
    following = _next_in_round(turn, after=after)
    if following:
        _narrate(turn, following, 0)
    else:
        _after_round(turn)
