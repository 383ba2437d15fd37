"""How a person wants to be coached: pace, how much is said, the countdown, their routine.

Every change is one :class:`~skill.dialog.effects.ChangeSettings` effect, confirmed only if it
is saved ("I'll speak more slowly from now on"), then the conversation goes back to where it
was (the set under way, the exercise offered, or the menu). The speaking rate applies from the
reply that confirms it (the edge wraps each reply in SSML ``prosody``); the amount said and the
countdown from the next set, so a set's parts never change under way.

An exercise taken out of the routine (no resistance band, no pencil) stays out, day after day,
until the person adds it back: what is left, rounds, the goal, the card and the week count
without it (:class:`~skill.progress.DayProgress` ``out_of_routine``). The skill says so once,
when it is taken out, with the sets now left today.
"""

from __future__ import annotations

from ..content import EXERCISES, get_exercise
from ..progress import RATES, Settings
from ..records import replace
from .effects import ChangeSettings
from .state import Event, Mode
from .turn import (
    _follow_up,
    _forget_place,
    _name,
    _offer_exercise,
    _routine_shrank,
    _sets_phrase,
    _Turn,
)

# What a person may say they lack, and the exercise that needs it.
_NEEDS = {item: e.id for e in EXERCISES for item in e.equipment if item in ("band", "pencil")}


def _change(turn: _Turn, key: str, change: ChangeSettings, **fields: object) -> None:
    """Apply ``change`` and say ``key``, which holds only if it is saved."""
    turn.effect(change)
    turn.say_if_saved(key, None, kind=ChangeSettings, **fields)


def _on_pace(turn: _Turn, event: Event) -> None:
    """ "Slower", "faster", "normal speed": one step of :data:`RATES`, or back to 100%."""
    current = turn.snapshot.profile.settings.rate
    if event.heard == "slower":
        slower = [r for r in RATES if r < current]
        if slower:
            _change(turn, "settings.pace_slower", ChangeSettings(rate=slower[-1]))
        else:
            turn.say("settings.pace_slowest")
    elif event.heard == "faster":
        faster = [r for r in RATES if r > current]
        if faster:
            _change(turn, "settings.pace_faster", ChangeSettings(rate=faster[0]))
        else:
            turn.say("settings.pace_fastest")
    elif current != Settings().rate:
        _change(turn, "settings.pace_normal", ChangeSettings(rate=Settings().rate))
    else:
        turn.say("settings.pace_already_normal")
    _follow_up(turn)


def _on_detail(turn: _Turn, event: Event) -> None:
    """ "Less talking" (short introductions always) or "more detail" (full ones always)."""
    detail = "less" if event.heard == "less" else "more"
    if turn.snapshot.profile.settings.detail == detail:
        turn.say(f"settings.detail_already_{detail}")
    else:
        _change(turn, f"settings.detail_{detail}", ChangeSettings(detail=detail))
    _follow_up(turn)


def _on_countdown(turn: _Turn, event: Event) -> None:
    """ "No countdown" (silent holds) or "countdown on"."""
    cues = event.heard != "off"
    state = "on" if cues else "off"
    if turn.snapshot.profile.settings.cues == cues:
        turn.say(f"settings.countdown_already_{state}")
    else:
        _change(turn, f"settings.countdown_{state}", ChangeSettings(cues=cues))
    _follow_up(turn)


def _on_no_equipment(turn: _Turn, event: Event) -> None:
    """ "I don't have a resistance band": that exercise leaves the routine until added back."""
    exercise_id = _NEEDS.get(event.heard or "")
    if exercise_id is None:
        turn.say("settings.equipment_needed")
        _follow_up(turn)
        return
    name = _name(turn, exercise_id)
    if exercise_id in turn.snapshot.profile.settings.routine_out:
        turn.say("settings.already_out", name=name)
        _follow_up(turn)
        return
    was_met = turn.today.goal_met(turn.goal)
    if turn.state.exercise == exercise_id:  # a set of it under way stops here
        turn.state = replace(turn.state, exercise=None, segment=0, mode=Mode.MENU)
    if turn.state.offer == exercise_id:
        turn.state = replace(turn.state, offer=None, mode=Mode.MENU)
    _forget_place(turn, exercise_id)
    _change(turn, "settings.taken_out", ChangeSettings(routine=(exercise_id, False)), name=name)
    shrank = _routine_shrank(turn, was_met)
    if shrank is None:
        return
    left = turn.today.remaining_total(turn.goal)
    if not shrank and left:
        turn.say_if_saved(
            "settings.sets_left_now", kind=ChangeSettings, sets=_sets_phrase(turn, left)
        )
    turn.say("settings.add_back_hint", name=name)
    _follow_up(turn)


def _on_add_exercise(turn: _Turn, event: Event) -> None:
    """ "Add band foot pulls back", "I have a band now": back in the routine, and offered."""
    routine_out = turn.snapshot.profile.settings.routine_out
    exercise_id = event.exercise or _NEEDS.get(event.heard or "")
    if exercise_id is None:
        if routine_out:
            names = turn.s.join([_name(turn, e) for e in sorted(routine_out, key=_order)])
            turn.say("settings.add_which", names=names)
        else:
            turn.say("settings.nothing_out")
        _follow_up(turn)
        return
    name = _name(turn, exercise_id)
    if exercise_id not in routine_out and exercise_id in turn.today.left_out:
        # Left out for today after "it hurts", not out of the routine: say so, and offer it
        # as "start it" does (a new user heard "your routine already has it" instead).
        turn.say("dialog.left_out_earlier", name=name)
        _offer_exercise(turn, exercise_id)
        return
    if exercise_id not in routine_out:
        turn.say("settings.already_in", name=name)
        _follow_up(turn)
        return
    _change(turn, "settings.added_back", ChangeSettings(routine=(exercise_id, True)), name=name)
    if (
        turn.state.exercise is None
        and exercise_id in turn.today.active()
        and turn.today.count(exercise_id) < turn.goal
    ):
        _offer_exercise(turn, exercise_id)
        return
    _follow_up(turn)


def _on_settings(turn: _Turn, event: Event) -> None:
    """ "What are my settings?": pace, how much is said, the countdown, what is out."""
    settings = turn.snapshot.profile.settings
    turn.say(
        "settings.summary",
        rate=turn.s.text(f"settings.rate_{settings.rate}"),
        detail=turn.s.text(f"settings.detail_is_{settings.detail}"),
        countdown=turn.s.text(f"settings.countdown_is_{'on' if settings.cues else 'off'}"),
    )
    if settings.routine_out:
        names = [_name(turn, e) for e in sorted(settings.routine_out, key=_order)]
        turn.say("settings.summary_out", count=len(names), names=turn.s.join(names))
    # The countdown's way off, or its way back on when it is off.
    command = "countdown_off_command" if settings.cues else "countdown_on_command"
    turn.say("settings.how_to_change", command=turn.s.text(f"settings.{command}"))
    _follow_up(turn)


def _on_reset_settings(turn: _Turn, event: Event) -> None:
    """ "Reset my settings": the defaults, all five exercises back; progress stays."""
    if turn.snapshot.profile.settings.is_default():
        turn.say("settings.already_default")
    else:
        _change(turn, "settings.reset_done", ChangeSettings(reset=True))
    _follow_up(turn)


def _order(exercise_id: str) -> int:
    return EXERCISES.index(get_exercise(exercise_id))
