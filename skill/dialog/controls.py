"""Handlers that steer the conversation: next, previous, repeat, pause, stop, yes, no, the
fallback, the goal, resetting the day, and the end of a session."""

from __future__ import annotations

from ..content import EXERCISE_IDS, ROUNDS_PER_DAY_CHOICES
from ..records import replace
from .care import _on_leave_out_confirmed, _on_leave_out_declined
from .effects import RecordGoalMet, ResetDay, SavePosition, SetGoal
from .routine import (
    _advance,
    _after_round,
    _on_skip,
    _on_start_routine,
    _resume_position,
    _start_exercise,
)
from .state import Event, Mode
from .turn import (
    _asked_to_mark_done,
    _at_last_segment,
    _follow_up,
    _in_set,
    _keep_place,
    _menu_question,
    _name,
    _narrate,
    _next_in_round,
    _offer_exercise,
    _reask,
    _record_set,
    _say_streak,
    _sets_phrase,
    _Turn,
)


def _on_set_goal(turn: _Turn, event: Event) -> None:
    if event.number not in ROUNDS_PER_DAY_CHOICES:
        if event.number is not None:
            turn.say("dialog.goal_invalid")
        turn.ask("dialog.ask_goal", "dialog.reprompt_goal", Mode.ASK_GOAL)
        return
    goal = int(event.number)
    was_met = turn.today.goal_met(turn.goal)
    if goal != turn.goal:
        turn.effect(SetGoal(goal))
    turn.say("dialog.goal_set", count=goal)
    if not was_met and turn.today.goal_met(goal):
        turn.effect(RecordGoalMet(turn.today.day))
        turn.say("dialog.goal_met_today", goal=goal)
        _say_streak(turn)
    if turn.state.mode is Mode.ASK_GOAL:
        turn.state = replace(turn.state, mode=Mode.MENU)
    current = turn.state.exercise
    if current is not None and turn.today.count(current) >= goal:
        # The set under way could no longer count: say so rather than carry on with it.
        turn.say("dialog.exercise_goal_met", name=_name(turn, current), goal=goal)
        turn.state = replace(turn.state, exercise=None, segment=0, mode=Mode.MENU)
    _follow_up(turn)


def _on_reset_today(turn: _Turn, event: Event) -> None:
    done = turn.today.total()
    if not done:
        turn.say("dialog.reset_nothing")
        _follow_up(turn)
        return
    turn.ask(
        "dialog.ask_reset",
        "dialog.reprompt_reset",
        Mode.CONFIRM_RESET,
        sets=_sets_phrase(turn, done),
    )


def _on_fallback(turn: _Turn, event: Event) -> None:
    turn.say("dialog.fallback")
    _reask(turn)


def _leave(turn: _Turn, paused: bool) -> None:
    """Stop or pause: count a finished set, keep the place in an unfinished one, say goodbye."""
    current = turn.state.exercise
    if current is not None:
        if _at_last_segment(turn):
            _record_set(turn)
            # "Pause" (or "hang on") after the last rep: the set counts, and the user hears how
            # to come back, as after a pause mid-set, not a bare goodbye.
            turn.say("dialog.paused_between" if paused else "dialog.goodbye")
        else:
            # The part just narrated was heard in full (its question came after it): the place
            # kept is the part after it, so no rep is done twice. Walking away keeps the part
            # itself (see _on_session_ended): nobody said it was done.
            _keep_place(turn, turn.state.segment + 1)
            turn.say(
                "dialog.paused" if paused else "dialog.goodbye_kept_place",
                name=_name(turn, current),
            )
        turn.finish()
        return
    if paused:
        turn.say("dialog.nothing_to_pause")
        _follow_up(turn)
        return
    turn.say("dialog.goodbye")
    turn.finish()


def _on_stop(turn: _Turn, event: Event) -> None:
    _leave(turn, paused=False)


def _on_pause(turn: _Turn, event: Event) -> None:
    _leave(turn, paused=True)


def _on_finished(turn: _Turn, event: Event) -> None:
    """ "I'm done": after a set's last rep, count it and offer what comes next (a question, so
    no exercise starts by itself); anywhere else the user is done for now: stop, keeping the
    place in a set under way."""
    current = turn.state.exercise
    if current is not None and _at_last_segment(turn):
        following = _next_in_round(turn, after=current)
        _record_set(turn)
        if following is not None:
            _offer_exercise(turn, following)
        else:
            _after_round(turn)
    elif turn.state.mode is Mode.CONFIRM_LEAVE_OUT:
        _on_leave_out_declined(turn)
    else:
        _leave(turn, paused=False)


def _on_next(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    if _in_set(turn):
        _advance(turn)
    elif mode is Mode.CONFIRM_LEAVE_OUT:
        _on_skip(turn, event)  # "next" past "leave it out for today?": offers the next one
    elif mode is Mode.CONFIRM_RESUME and turn.snapshot.profile.position:
        _resume_position(turn)
    elif mode is Mode.OFFER_EXERCISE and turn.state.offer in EXERCISE_IDS:
        _start_exercise(turn, turn.state.offer)
    elif mode is Mode.CONFIRM_RESET:
        _on_no(turn, event)
    else:
        # From the menu, or past a question ("which exercise?", "two or three?"): go on with
        # today's routine rather than ask the question again.
        turn.state = replace(turn.state, mode=Mode.MENU, offer=None)
        _on_start_routine(turn, event)


def _on_previous(turn: _Turn, event: Event) -> None:
    current = turn.state.exercise
    if current is None:
        turn.say("dialog.not_in_set_previous")
        _follow_up(turn)
        return
    if turn.state.segment == 0:
        turn.say("dialog.nothing_before", name=_name(turn, current))
    _narrate(turn, current, turn.state.segment - 1)


def _on_repeat(turn: _Turn, event: Event) -> None:
    if turn.state.last_speech:
        turn.ssml(turn.state.last_speech)
        turn.reprompt = turn.state.last_reprompt
        turn.end = False
        return
    turn.say("dialog.nothing_to_repeat")
    _follow_up(turn)


def _on_yes(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    if mode is Mode.CONFIRM_LEAVE_OUT:
        _on_leave_out_confirmed(turn)
    elif mode is Mode.CONFIRM_RESET:
        turn.effect(ResetDay(turn.today.day))
        turn.say("dialog.reset_done")
        turn.state = replace(turn.state, mode=Mode.MENU)
        _follow_up(turn)
    elif mode is Mode.OFFER_ROUND:
        _on_start_routine(turn, event)
    elif mode is Mode.MENU and turn.today.goal_met(turn.goal):
        turn.say("dialog.help_about")  # "yes" with nothing left to start: what can be asked
        _menu_question(turn, told_what_to_ask=True)
    else:
        _on_next(turn, event)


def _on_no(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    current = turn.state.exercise
    if current is not None and _asked_to_mark_done(turn):
        # "No" to "shall I mark this one done?": the one answer that leaves a set out.
        turn.state = replace(turn.state, exercise=None, segment=0)
        turn.say("dialog.set_not_counted", name=_name(turn, current))
        _offer_exercise(turn, current)
    elif current is not None and mode in (Mode.IN_SET, Mode.OFFER_EXERCISE, Mode.MENU):
        _leave(turn, paused=False)
    elif mode is Mode.CONFIRM_LEAVE_OUT:
        _on_leave_out_declined(turn)
    elif mode is Mode.CONFIRM_RESUME:
        turn.effect(SavePosition(None))
        turn.say("dialog.no_resume_fresh")
        _menu_question(turn)
    elif mode is Mode.CONFIRM_RESET:
        turn.say("dialog.reset_cancelled")
        turn.state = replace(turn.state, mode=Mode.MENU)
        _follow_up(turn)
    elif mode in (Mode.ASK_EXERCISE, Mode.ASK_GOAL) or (
        mode is Mode.OFFER_EXERCISE and current is not None
    ):
        turn.state = replace(turn.state, mode=Mode.MENU, offer=None)
        _follow_up(turn)
    else:
        # "No" to "Want to start X now?" or "Shall we start round N?": like "no" to "Ready for
        # X?", the user is done for now (the menu would only offer the same again).
        turn.say("dialog.goodbye")
        turn.finish()


def _on_session_ended(turn: _Turn, event: Event) -> None:
    if turn.state.exercise is not None:
        if _at_last_segment(turn):
            _record_set(turn)  # the last rep was narrated: the set counts, however it ended
        else:
            _keep_place(turn, turn.state.segment)
    turn.finish()
