"""Pure dialog state machine: ``(state, event, context) -> (new state, reply, effects)``.

Nothing here knows Alexa, AWS or HTTP. The edge (``skill.alexa``) turns requests into
:class:`Event` values, applies the returned :mod:`effects <skill.dialog.effects>` to the store,
and turns the :class:`Reply` into a response. Because every function is pure, a test can walk
every reachable state in milliseconds.

The package, by concern (each module imports only those above it; this one imports them all):

- ``effects``: what the edge must write (:data:`Effect`);
- ``messages``: what a reply says, rendered once the edge knows what was written (:func:`render`);
- ``state``: the events, the session's :class:`DialogState`, :class:`Reply`, :class:`Context`
  and :class:`Outcome`;
- ``turn``: ``_Turn``, which accumulates one reply, and the building blocks the handlers share;
- ``routine``: starting, resuming, advancing, skipping, starting over, the end of a round;
- ``answers``: how-to, what's left, progress, the week, the list, help, and the questions asked
  mid-set (how long is the hold, which rep, which side);
- ``care``: "it hurts": stop, rest, keep the place, leave the exercise out for today;
- ``settings``: pace, how much is said, the countdown, the exercises in the routine;
- ``controls``: next, previous, repeat, pause, stop, yes, no, the fallback, the goal, reset, the
  end of a session;
- here: the handler table, :func:`handle` (one turn) and :func:`remember`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..records import replace
from .answers import (
    _on_choose_exercise,
    _on_help,
    _on_hold_length,
    _on_how_to,
    _on_list,
    _on_progress,
    _on_remaining,
    _on_set_question,
    _on_week,
    howto_reps_key,
)
from .care import _on_pain
from .controls import (
    _on_fallback,
    _on_finished,
    _on_next,
    _on_no,
    _on_pause,
    _on_previous,
    _on_repeat,
    _on_reset_today,
    _on_session_ended,
    _on_set_goal,
    _on_stop,
    _on_yes,
)
from .effects import (
    AddSet,
    ChangeSettings,
    Effect,
    LeaveOut,
    MarkSafetyHeard,
    RecordGoalMet,
    ResetDay,
    SavePosition,
    SetGoal,
    WithdrawGoalMet,
)
from .messages import WriteResult, render
from .routine import (
    _on_launch,
    _on_resume,
    _on_skip,
    _on_start_exercise,
    _on_start_over,
    _on_start_routine,
)
from .settings import (
    _on_add_exercise,
    _on_countdown,
    _on_detail,
    _on_no_equipment,
    _on_pace,
    _on_reset_settings,
    _on_settings,
)
from .state import (
    DEFAULT_BUDGET_SECONDS,
    Context,
    DialogState,
    Event,
    EventKind,
    Mode,
    Outcome,
    Reply,
)
from .turn import _asked_to_mark_done, _at_last_segment, _in_set, _settle, _Turn

__all__ = [
    "DEFAULT_BUDGET_SECONDS",
    "NOT_REMEMBERED",
    "AddSet",
    "ChangeSettings",
    "Context",
    "DialogState",
    "Effect",
    "Event",
    "EventKind",
    "LeaveOut",
    "MarkSafetyHeard",
    "Mode",
    "Outcome",
    "RecordGoalMet",
    "Reply",
    "ResetDay",
    "SavePosition",
    "SetGoal",
    "WithdrawGoalMet",
    "WriteResult",
    "handle",
    "howto_reps_key",
    "remember",
    "render",
]


_HANDLERS: dict[EventKind, Callable[[_Turn, Event], None]] = {
    EventKind.LAUNCH: _on_launch,
    EventKind.START_ROUTINE: _on_start_routine,
    EventKind.START_EXERCISE: _on_start_exercise,
    EventKind.HOW_TO: _on_how_to,
    EventKind.CHOOSE_EXERCISE: _on_choose_exercise,
    EventKind.REMAINING: _on_remaining,
    EventKind.PROGRESS: _on_progress,
    EventKind.WEEK: _on_week,
    EventKind.LIST: _on_list,
    EventKind.SKIP: _on_skip,
    EventKind.SET_GOAL: _on_set_goal,
    EventKind.RESET_TODAY: _on_reset_today,
    EventKind.HELP: _on_help,
    EventKind.STOP: _on_stop,
    EventKind.FALLBACK: _on_fallback,
    EventKind.NEXT: _on_next,
    EventKind.PREVIOUS: _on_previous,
    EventKind.REPEAT: _on_repeat,
    EventKind.START_OVER: _on_start_over,
    EventKind.PAUSE: _on_pause,
    EventKind.RESUME: _on_resume,
    EventKind.YES: _on_yes,
    EventKind.NO: _on_no,
    EventKind.PAIN: _on_pain,
    EventKind.HOLD_LENGTH: _on_hold_length,
    EventKind.REP_COUNT: _on_set_question,
    EventKind.WHICH_SIDE: _on_set_question,
    EventKind.FINISHED: _on_finished,
    EventKind.PACE: _on_pace,
    EventKind.DETAIL: _on_detail,
    EventKind.COUNTDOWN: _on_countdown,
    EventKind.NO_EQUIPMENT: _on_no_equipment,
    EventKind.ADD_EXERCISE: _on_add_exercise,
    EventKind.SETTINGS: _on_settings,
    EventKind.RESET_SETTINGS: _on_reset_settings,
    EventKind.SESSION_ENDED: _on_session_ended,
}


# Events whose handlers deal with a set whose last rep was narrated; before any other event,
# that set is counted first (_settle), so no intent, phrase, button or ending can lose it.
_SETTLED_BY_HANDLER = frozenset(
    {
        EventKind.NEXT,
        EventKind.YES,
        EventKind.RESUME,
        EventKind.START_ROUTINE,
        EventKind.STOP,
        EventKind.PAUSE,
        EventKind.NO,
        EventKind.SKIP,
        EventKind.SESSION_ENDED,
        EventKind.START_OVER,
        # "Repeat" replays the set's end, which is still to be counted after it.
        EventKind.REPEAT,
        EventKind.PAIN,
        EventKind.FINISHED,
    }
)


NOT_REMEMBERED = frozenset({EventKind.REPEAT, EventKind.FALLBACK})
"""Events whose reply "repeat" does not replay: a repeat, and "sorry, I didn't get that" (a
new user asked for the coaching again after one and heard the apology instead)."""


def remember(state: DialogState, reply: Reply) -> DialogState:
    """The state with ``reply`` kept for "repeat" (a goodbye is not kept).

    Every reply the user hears goes through here, the dialog's and the edge's (reminders), and
    the edge calls it again with the reply as finally spoken, so "repeat" replays what the user
    heard, never words that were dropped because saving failed. The replies to the events in
    :data:`NOT_REMEMBERED` are not remembered.
    """
    if reply.end_session:
        return state
    return replace(
        state,
        last_speech=reply.speech,
        last_reprompt=reply.reprompt,
        last_question=reply.question or state.last_question,
    )


def handle(state: DialogState, event: Event, ctx: Context) -> Outcome:
    """Run one turn. The returned snapshot already has the effects applied."""
    today = ctx.snapshot.today
    if state.day != today.day.isoformat():
        # A new session, or the user's local day rolled over mid-routine: the round is the
        # new day's, and the set in progress counts on the day it ends.
        state = replace(
            state,
            day=today.day.isoformat(),
            skipped=(),
            round=today.current_round(ctx.snapshot.profile.goal),
        )
    turn = _Turn(state=state, ctx=ctx, snapshot=ctx.snapshot)
    profile = ctx.snapshot.profile
    if today.goal_met(profile.goal) and profile.last_met_day != today.day:
        # The goal was met but the streak was not recorded (a write that failed, or two
        # devices finishing the last sets at once): record it now.
        turn.effect(RecordGoalMet(today.day))
    elif profile.last_met_day == today.day and not today.goal_met(profile.goal):
        # Recorded as met, but it is not (a withdrawal whose write failed, another device):
        # the streak goes back to before today.
        turn.effect(WithdrawGoalMet(today.day))
    unanswered = event.kind is EventKind.FALLBACK and _asked_to_mark_done(turn)
    if (
        _in_set(turn)
        and _at_last_segment(turn)
        and event.kind not in _SETTLED_BY_HANDLER
        and not unanswered  # "I'm not sure" to "shall I mark this one done?": asked again
    ):
        _settle(turn)
    _HANDLERS[event.kind](turn, event)
    outcome = turn.outcome()
    if event.kind in NOT_REMEMBERED:
        return outcome
    return replace(outcome, state=remember(outcome.state, outcome.reply))
