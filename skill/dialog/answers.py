"""Handlers that answer a question: how to do an exercise, what is left, progress, the week, the
list of exercises, help."""

from __future__ import annotations

from datetime import date, timedelta

from ..content import EXERCISE_IDS, ROUNDS_PER_DAY_CHOICES, HoldKind, get_exercise
from ..records import replace
from ..ssml import escape
from .routine import _ask_which, _on_start_exercise, _unknown_exercise
from .state import Event, EventKind, Mode
from .turn import (
    _at_last_segment,
    _follow_up,
    _in_set,
    _menu_question,
    _name,
    _offer_exercise,
    _reask,
    _reps_through,
    _say_streaks,
    _sets_phrase,
    _Turn,
    side_progress,
)


def howto_reps_key(exercise_id: str) -> str:
    """The how-to line on how many reps to do (its field: ``reps``); the home card uses it too."""
    exercise = get_exercise(exercise_id)
    if not exercise.sides:
        return "dialog.howto_reps_plain"
    return "dialog.howto_reps_per_side" if exercise.reps > 1 else "dialog.howto_once_per_side"


def _on_how_to(turn: _Turn, event: Event) -> None:
    exercise_id = event.exercise
    if exercise_id is None and not event.heard:
        exercise_id = _asked_about(turn)  # "how do I do this one?": the set, else the offer
    if exercise_id is None:
        if event.heard:
            _unknown_exercise(turn, event, "how_to")
        else:
            _ask_which(turn, "how_to")
        return
    exercise = get_exercise(exercise_id)
    if turn.state.exercise != exercise_id:  # a set under way keeps its parts as they are
        turn.state = replace(turn.state, full_steps=exercise_id)  # its next set in full
    turn.say("dialog.howto_intro", name=_name(turn, exercise_id))
    for step in turn.s.exercise(exercise_id, "steps"):
        turn.ssml(escape(step))
    turn.say(howto_reps_key(exercise_id), reps=exercise.reps)
    items = turn.s.join([turn.s.text(f"equipment.{k}") for k in exercise.equipment])
    turn.say("coach.you_need", items=items)
    turn.ssml(escape(turn.s.exercise(exercise_id, "tip")))  # practical, never a benefit
    turn.say(
        "dialog.howto_rounds", low=min(ROUNDS_PER_DAY_CHOICES), high=max(ROUNDS_PER_DAY_CHOICES)
    )
    if (
        turn.state.exercise is not None
        or turn.today.count(exercise_id) >= turn.goal
        or exercise_id not in turn.today.active()
    ):
        _follow_up(turn)
        return
    _offer_exercise(turn, exercise_id)


def _on_choose_exercise(turn: _Turn, event: Event) -> None:
    purpose = turn.state.offer if turn.state.mode is Mode.ASK_EXERCISE else "how_to"
    if purpose == "start":
        _on_start_exercise(turn, event)
    else:
        _on_how_to(turn, event)


def _on_remaining(turn: _Turn, event: Event) -> None:
    """ "What's left?": the sets left today, grouped by how many of each. Mid-set, "how many
    are left" most likely means reps, so the reps to go in this set come first."""
    exercise_id = turn.state.exercise
    if exercise_id is not None and not _at_last_segment(turn):
        _say_rep_count(turn, exercise_id, _reps_through(turn, exercise_id, turn.state.segment))
    remaining = turn.today.remaining(turn.goal)
    if not turn.today.active():
        turn.say("dialog.all_left_out_today")
        _follow_up(turn)
        return
    if not remaining:
        turn.say("dialog.remaining_none")
        _follow_up(turn)
        return
    turn.say("dialog.remaining_total", sets=_sets_phrase(turn, sum(remaining.values())))
    groups: dict[int, list[str]] = {}
    for exercise_id, left in remaining.items():
        groups.setdefault(left, []).append(_name(turn, exercise_id))
    phrases = []
    for left in sorted(groups, reverse=True):
        names = groups[left]
        if len(names) == 1:
            phrases.append(turn.s.text("dialog.remaining_item", count=left, name=names[0]))
        else:
            phrases.append(
                turn.s.text("dialog.remaining_group", count=left, names=turn.s.join(names))
            )
    turn.ssml(escape(turn.s.text("dialog.remaining_group_join").join(phrases)) + ".")
    _follow_up(turn)


def _on_progress(turn: _Turn, event: Event) -> None:
    done, total = turn.today.sets_done_of(turn.goal)
    if not turn.today.active():
        turn.say("dialog.all_left_out_today")
    elif done:
        turn.say("dialog.progress_today", done=turn.s.tally(done), total=total)
    else:  # "0 of 15" is no way to say it
        turn.say("dialog.progress_none_today", total=total)
    _say_streaks(turn)
    if event.history is not None:
        days = {d.day: d for d in event.history}
        days[turn.today.day] = turn.today
        week = {turn.today.day - timedelta(days=i) for i in range(7)}
        met = sum(
            1 for day, progress in days.items() if day in week and progress.goal_met(turn.goal)
        )
        earlier = any(p.total() for d, p in days.items() if d in week and d != turn.today.day)
        if met:
            turn.say("dialog.progress_week", count=met)
        elif earlier:  # on a first day, "not met in the last seven days" only discourages
            turn.say("dialog.progress_week_none")
    _follow_up(turn)


def _day_name(turn: _Turn, day: date) -> str:
    """ "today", "yesterday" or the weekday's name: the last seven days need nothing more."""
    if day == turn.today.day:
        return turn.s.text("day_today")
    if day == turn.today.day - timedelta(days=1):
        return turn.s.text("day_yesterday")
    weekdays: list[str] = turn.s.raw("weekdays")
    return weekdays[day.weekday()]


def _on_week(turn: _Turn, event: Event) -> None:
    """The last seven days: days exercised, sets in all, days the goal was met, streaks."""
    if event.history is None:  # the history could not be read: today's figures still help
        _on_progress(turn, event)
        return
    days = {d.day: d for d in event.history}
    days[turn.today.day] = turn.today
    week = [turn.today.day - timedelta(days=i) for i in range(6, -1, -1)]
    done = {day: days[day].total() for day in week if day in days and days[day].total()}
    if not done:
        turn.say("dialog.week_empty")
        _follow_up(turn)
        return
    turn.say("dialog.week_active", count=len(done), sets=_sets_phrase(turn, sum(done.values())))
    met = [day for day in week if day in done and days[day].goal_met(turn.goal)]
    if met:
        turn.say("dialog.week_met", days=turn.s.join([_day_name(turn, d) for d in met]))
    elif set(done) != {turn.today.day}:  # today alone is not over: nothing to judge yet
        # "that day" after one day of exercise, "any of them" after more
        turn.say("dialog.week_met_none", count=len(done))
    _say_streaks(turn)  # the best streak only when it is longer than this one: said once
    _follow_up(turn)


def _on_list(turn: _Turn, event: Event) -> None:
    names = turn.s.join([turn.s.exercise_name(e) for e in EXERCISE_IDS])
    turn.say("dialog.list_exercises", names=names)
    if turn.state.exercise is not None:
        _follow_up(turn)
    else:
        turn.ask("dialog.ask_list_follow", "dialog.reprompt_list_follow", Mode.MENU)


def _on_help(turn: _Turn, event: Event) -> None:
    """Help in every state: what the skill does and can be asked (one sentence; at a menu
    question, the commands too), then what this moment is about, then its question again."""
    mode = turn.state.mode
    if _in_set(turn) and turn.state.exercise is not None:
        turn.say("dialog.help_about")
        turn.say("dialog.help_in_set", name=_name(turn, turn.state.exercise))
        turn.say("settings.help_in_set")
        _follow_up(turn)
        return
    about = _CONFIRMATION_HELP.get(mode)
    if about and (mode is not Mode.CONFIRM_RESUME or turn.snapshot.profile.position):
        turn.say("dialog.help_about")
        turn.say(about)  # the resume question's reprompt after it names the exercise
        _reask(turn)
    elif mode in (Mode.ASK_EXERCISE, Mode.ASK_GOAL, Mode.OFFER_EXERCISE, Mode.OFFER_ROUND):
        turn.say("dialog.help_menu")  # the commands, once: then only the question (S1)
        turn.say("settings.help")
        _reask(turn, tell_answers=False)
    elif turn.today.goal_met(turn.goal) or not turn.today.active():
        # Nothing left to start today: what the coach is and can be asked, not "say start".
        turn.say("dialog.help_about")
        turn.say("settings.help")
        _menu_question(turn, told_what_to_ask=True)
    else:
        turn.say("dialog.help_menu")
        turn.say("settings.help")
        _menu_question(turn)


# What help says at a yes/no question, after what the skill does.
_CONFIRMATION_HELP = {
    Mode.CONFIRM_RESUME: "dialog.help_confirm_resume",
    Mode.CONFIRM_RESET: "dialog.help_confirm_reset",
    Mode.CONFIRM_LEAVE_OUT: "dialog.help_leave_out",
}


# --- questions asked mid-set: one sentence, then back to the set ---------------------------


def _asked_about(turn: _Turn) -> str | None:
    """The exercise a question about "this one" means: the set under way, else the one just
    offered (or asked about after "it hurts")."""
    if turn.state.exercise is not None:
        return turn.state.exercise
    if turn.state.mode in (Mode.OFFER_EXERCISE, Mode.CONFIRM_LEAVE_OUT):
        offered = turn.state.offer
        return offered if offered in EXERCISE_IDS else None
    return None


def _no_set_running(turn: _Turn) -> None:
    if not turn.settled:  # a set counted this turn was already acknowledged
        turn.say("dialog.no_set_running")
    _follow_up(turn)


def _on_hold_length(turn: _Turn, event: Event) -> None:
    exercise_id = _asked_about(turn)
    if exercise_id is None:
        turn.say("dialog.hold_which")
        _follow_up(turn)
        return
    exercise = get_exercise(exercise_id)
    fields = {"name": _name(turn, exercise_id), "rest": int(exercise.rest_seconds)}
    if exercise.hold_kind is HoldKind.COUNT:
        turn.say("dialog.hold_count", count=exercise.hold_amount, **fields)
    else:
        turn.say("dialog.hold_seconds", count=exercise.hold_amount, **fields)
    _follow_up(turn)


def _on_set_question(turn: _Turn, event: Event) -> None:
    """ "Which rep am I on?" (REP_COUNT) or "which side?" (WHICH_SIDE), about the set under way:
    reps narrated so far (per side where the set has sides, as announced), and the side of the
    next rep."""
    exercise_id = turn.state.exercise
    if exercise_id is None:
        _no_set_running(turn)
        return
    done = _reps_through(turn, exercise_id, turn.state.segment)
    exercise = get_exercise(exercise_id)
    name = _name(turn, exercise_id)
    if event.kind is EventKind.REP_COUNT:
        _say_rep_count(turn, exercise_id, done)
    elif not exercise.sides:
        turn.say("dialog.side_none", name=name)
    else:
        side_index = min(done // exercise.reps, len(exercise.sides) - 1)
        side = turn.s.side(exercise_id, exercise.sides[side_index])
        switching = done % exercise.reps == 0 and side_index > 0
        turn.say("dialog.side_switch" if switching else "dialog.side_next", side=side)
    _follow_up(turn)


def _say_rep_count(turn: _Turn, exercise_id: str, done: int) -> None:
    """ "Which rep am I on?": the reps done of those announced, ``done`` being narrated so far.

    Without sides, of the whole set ("6 of 10 reps of toe grips"); with sides, of the side under
    way ("On your left foot, you've done 6 of 10 reps"), and once a side is finished, the next
    side with its reps: the set was announced as "10 reps on each side", so no total of both
    sides (20) is ever said.
    """
    exercise = get_exercise(exercise_id)
    if not exercise.sides:
        total = exercise.total_reps
        turn.say(
            "dialog.reps_status",
            count=total - done,
            done=turn.s.tally(done),
            total=total,
            name=_name(turn, exercise_id),
        )
        return
    side_index, on_side = side_progress(exercise_id, done)
    if on_side >= exercise.reps and side_index + 1 < len(exercise.sides):
        following = turn.s.side(exercise_id, exercise.sides[side_index + 1])
        turn.say("dialog.reps_side_done", count=exercise.reps, side=following)
        return
    side = turn.s.side(exercise_id, exercise.sides[side_index])
    turn.say(
        "dialog.reps_status_side",
        count=exercise.reps - on_side,
        done=turn.s.tally(on_side),
        total=exercise.reps,
        side=side,
    )
