"""When something hurts: stop at once, advise rest, keep the place, and offer to leave the
exercise out for the rest of the day.

Nothing is stored about pain or any condition (Amazon's policy for skills that are not
HIPAA-eligible): only that an exercise is left out of one day's routine, which is what the user
asked for, and which says nothing of why.
"""

from __future__ import annotations

from ..records import replace
from .effects import LeaveOut
from .state import Event, Mode
from .turn import (
    _ask_leave_out,
    _at_last_segment,
    _forget_place,
    _keep_place,
    _name,
    _record_set,
    _routine_shrank,
    _Turn,
)


def _on_pain(turn: _Turn, event: Event) -> None:
    """Stop the set where it is (or count it, when its last rep was narrated), say to rest and
    when to see someone, then offer to leave the exercise out for today, or say goodbye."""
    current = turn.state.exercise
    turn.say("dialog.pain_stop")
    turn.say("dialog.pain_advice")  # the advice comes straight after "stop", before any "Saved"
    turn.say("dialog.pain_urgent")  # "I fell", "my chest hurts" come here too: say to get help
    if current is not None and _at_last_segment(turn):
        _record_set(turn)  # every rep was narrated: it counts, and the rest of today is asked
    elif current is not None:
        # Cut short inside the part under way: that part is where it resumes.
        _keep_place(turn, turn.state.segment)
        turn.state = replace(turn.state, exercise=None, segment=0, mode=Mode.MENU)
    if (
        current is not None
        and current not in turn.today.left_out
        and turn.today.count(current) < turn.goal
    ):
        _ask_leave_out(turn, current)
        return
    turn.say("dialog.pain_goodbye")
    turn.finish()


def _on_leave_out_confirmed(turn: _Turn) -> None:
    """Yes to "leave {name} out for the rest of today?": left out, then rest. Nothing else is
    offered straight after something hurt; the routine goes on when the user comes back."""
    exercise_id = turn.state.offer
    assert exercise_id is not None
    was_met = turn.today.goal_met(turn.goal)
    turn.effect(LeaveOut(exercise_id, turn.today.day))
    turn.say_if_saved("dialog.left_out", kind=LeaveOut, name=_name(turn, exercise_id))
    _forget_place(turn, exercise_id)  # nothing to resume in an exercise left out
    turn.state = replace(turn.state, mode=Mode.MENU, offer=None, exercise=None, segment=0)
    if _routine_shrank(turn, was_met) is None:
        return
    turn.say("dialog.rest_now")
    turn.finish()


def _on_leave_out_declined(turn: _Turn) -> None:
    """No to "leave {name} out for the rest of today?": it stays, its place kept; rest now."""
    exercise_id = turn.state.offer
    position = turn.snapshot.profile.position
    if position is not None and position.exercise_id == exercise_id and position.segment > 0:
        turn.say("dialog.pain_kept_place", name=_name(turn, position.exercise_id))
    else:
        turn.say("dialog.pain_kept")
    turn.state = replace(turn.state, mode=Mode.MENU, offer=None)
    turn.finish()
