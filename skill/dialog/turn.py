"""The reply a handler builds (:class:`_Turn`) and the building blocks the handlers share."""

from __future__ import annotations

from ..coaching import Segment, plan_set
from ..content import EXERCISE_IDS, get_exercise
from ..locales import Strings
from ..progress import (
    DayProgress,
    Position,
    Settings,
    Snapshot,
    current_streak,
    next_streak,
    withdrawn_streak,
)
from ..records import field, record, replace
from ..ssml import escape
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
from .messages import IfSaved, Message, SavedAck, Say, Ssml, render
from .state import Context, DialogState, Mode, Outcome, Reply


@record
class _Turn:
    """Accumulates one reply while a handler runs."""

    state: DialogState
    ctx: Context
    snapshot: Snapshot
    parts: list[Message] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    reprompt: str | None = None
    question: str | None = None
    end: bool = False
    settled: bool = False  # a finished set was counted before this turn's event

    @property
    def s(self) -> Strings:
        return self.ctx.strings

    @property
    def today(self) -> DayProgress:
        return self.snapshot.today

    @property
    def goal(self) -> int:
        return self.snapshot.profile.goal

    def say(self, key: str, count: int | None = None, **fields: object) -> None:
        self.parts.append(Say(key, count, tuple(fields.items())))

    def ssml(self, fragment: str) -> None:
        self.parts.append(Ssml(fragment))

    def ask(
        self,
        key: str,
        reprompt_key: str,
        mode: Mode,
        *,
        offer: str | None = None,
        **fields: object,
    ) -> None:
        """End with a question; the reprompt repeats it in other words. ``offer`` is what the
        question offers (an exercise id) or asks for ("start", "how_to"), kept for the answer."""
        self.question = self.s.say(key, None, **fields)
        self.parts.append(Ssml(self.question))
        self.reprompt = self.s.say(reprompt_key, None, **fields)
        self.state = replace(self.state, mode=mode, offer=offer)
        self.end = False

    def say_if_saved(
        self, key: str, count: int | None = None, *, kind: type = AddSet, **fields: object
    ) -> None:
        """Say something that holds only if this turn's last effect of ``kind`` (by default the
        set recorded) is written; with no such effect, say it plainly."""
        message = Say(key, count, tuple(fields.items()))
        written = [i for i, e in enumerate(self.effects) if isinstance(e, kind)]
        self.parts.append(IfSaved(written[-1], message) if written else message)

    def finish(self) -> None:
        self.reprompt = None
        self.end = True

    def effect(self, effect: Effect) -> None:
        self.effects.append(effect)
        profile, today = self.snapshot.profile, self.snapshot.today
        if isinstance(effect, AddSet):
            today = today.with_set(effect.exercise_id)
        elif isinstance(effect, SavePosition):
            profile = replace(profile, position=effect.position)
        elif isinstance(effect, SetGoal):
            profile = replace(profile, goal=effect.goal)
        elif isinstance(effect, ResetDay):
            today = DayProgress(today.day, {})
        elif isinstance(effect, LeaveOut):
            today = today.with_left_out(effect.exercise_id)
        elif isinstance(effect, MarkSafetyHeard):
            profile = replace(profile, safety_heard=True)
        elif isinstance(effect, RecordGoalMet):
            profile = next_streak(profile, effect.day)
        elif isinstance(effect, WithdrawGoalMet):
            profile = withdrawn_streak(profile, effect.day)
        elif isinstance(effect, ChangeSettings):
            profile = replace(profile, settings=_changed(profile.settings, effect))
        if isinstance(effect, AddSet) and not profile.knows(effect.exercise_id):
            known = dict(profile.known)
            known[effect.exercise_id] = known.get(effect.exercise_id, 0) + 1
            profile = replace(profile, known=known)
        self.snapshot = Snapshot(profile, today)
        if (
            not isinstance(effect, (RecordGoalMet, WithdrawGoalMet))
            and profile.last_met_day == today.day
            and not self.snapshot.today.goal_met(profile.goal)
        ):
            # Today's goal was met and no longer is (sets cleared, the goal raised, an
            # exercise back in the routine): today leaves the streak.
            self.effect(WithdrawGoalMet(today.day))

    def outcome(self) -> Outcome:
        speech = render(self.parts, self.s)
        reply = Reply(
            speech,
            None if self.end else self.reprompt,
            self.end,
            None if self.end else self.question,
        )
        if not self.end and reply.reprompt is None:  # every open question gets a reprompt
            reply = replace(reply, reprompt=speech)
        return Outcome(self.state, reply, tuple(self.effects), self.snapshot, tuple(self.parts))


def _changed(settings: Settings, change: ChangeSettings) -> Settings:
    """``settings`` after ``change`` (a reset first, then the values it gives)."""
    if change.reset:
        settings = Settings()
    routine_out = settings.routine_out
    if change.routine is not None:
        exercise_id, included = change.routine
        routine_out = routine_out - {exercise_id} if included else routine_out | {exercise_id}
    return Settings(
        rate=settings.rate if change.rate is None else change.rate,
        detail=settings.detail if change.detail is None else change.detail,
        cues=settings.cues if change.cues is None else change.cues,
        routine_out=routine_out,
    )


# ---------------------------------------------------------------------------------------------
# Building blocks


def _name(turn: _Turn, exercise_id: str) -> str:
    return turn.s.exercise_name(exercise_id)


def _segments(turn: _Turn, exercise_id: str) -> tuple[Segment, ...]:
    """The set's parts as this person is coached: the short introduction once they know the
    exercise (or always, or never, as they chose; in full after "how do I do it?"), and the
    words inside long holds unless they said "no countdown". Neither changes while a set is
    under way: what is known changes when a set is counted, and "how do I do it" mid-set
    applies to the next set."""
    set_number = min(turn.goal, turn.today.count(exercise_id) + 1)
    profile = turn.snapshot.profile
    settings = profile.settings
    brief = turn.state.full_steps != exercise_id and (
        settings.detail == "less" or (settings.detail == "auto" and profile.knows(exercise_id))
    )
    return plan_set(
        exercise_id,
        turn.s,
        turn.ctx.budget_seconds,
        set_number,
        turn.goal,
        brief=brief,
        cues=settings.cues,
    )


def _safety_once(turn: _Turn) -> None:
    """The safety line, to a user who has not heard it, at most once a session (even when
    saving that it was heard fails)."""
    if not turn.snapshot.profile.safety_heard and not turn.state.safety_said:
        turn.say("dialog.safety")
        turn.state = replace(turn.state, safety_said=True)
        turn.effect(MarkSafetyHeard())


def _next_in_round(turn: _Turn, after: str | None = None) -> str | None:
    """The next exercise of the round: not yet done this round, not met, not skipped, not left
    out for the day."""
    for exercise_id in turn.today.active():
        count = turn.today.count(exercise_id)
        if (
            exercise_id != after
            and count < turn.state.round
            and count < turn.goal
            and exercise_id not in turn.state.skipped
        ):
            return exercise_id
    return None


def _encouragement(turn: _Turn, exercise_id: str) -> str:
    # Varies by exercise and set, but stays deterministic so replies can be tested.
    words = turn.s.raw("coach.encouragement")
    seed = EXERCISE_IDS.index(exercise_id) + turn.today.count(exercise_id)
    return escape(words[seed % len(words)])


def _narrate(turn: _Turn, exercise_id: str, segment_index: int) -> None:
    """Speak one segment of a set and ask to go on."""
    segments = _segments(turn, exercise_id)
    segment_index = max(0, min(segment_index, len(segments) - 1))
    if segment_index == 0:
        _safety_once(turn)
    segment = segments[segment_index]
    turn.ssml(segment.ssml)
    turn.state = replace(turn.state, exercise=exercise_id, segment=segment_index)
    if segment_index < len(segments) - 1:
        _say_reps_so_far(turn, exercise_id, segment.last_rep)
        # A part with the set-up and no rep yet (short replies, a long first rep) is not
        # "keep going": nothing has started.
        question = "ask_next_part" if segment.last_rep else "ask_first_part"
        turn.ask(f"dialog.{question}", "dialog.reprompt_next_part", Mode.IN_SET)
        return
    turn.ssml(_encouragement(turn, exercise_id))
    turn.say("coach.set_done", name=_name(turn, exercise_id))
    following = _next_in_round(turn, after=exercise_id)
    if following:
        turn.ask(
            "dialog.ask_next_exercise",
            "dialog.reprompt_next_exercise",
            Mode.IN_SET,
            name=_name(turn, following),
        )
    else:
        turn.ask("dialog.ask_finish_round", "dialog.reprompt_finish_round", Mode.IN_SET)


def side_progress(exercise_id: str, done: int) -> tuple[int, int]:
    """Where ``done`` reps into a set of ``exercise_id`` stand, side by side.

    Parameters
    ----------
    exercise_id
        An exercise of :data:`~skill.content.EXERCISE_IDS`.
    done
        Reps narrated so far over the whole set, 0 to ``total_reps`` (both sides counted).

    Returns
    -------
    tuple of int
        ``(side_index, done_on_side)``: the index in ``Exercise.sides`` of the side the last rep
        was on (0 for an exercise without sides, and before any rep), and the reps done on that
        side, 0 to ``Exercise.reps``. A side just finished keeps its own index (``(0, 10)``
        after the left foot's 10 reps), so what was done is said of the side it was done on.
    """
    exercise = get_exercise(exercise_id)
    if not exercise.sides or done <= 0:
        return 0, max(0, done)
    side_index = min((done - 1) // exercise.reps, len(exercise.sides) - 1)
    return side_index, done - side_index * exercise.reps


def _say_reps_so_far(turn: _Turn, exercise_id: str, done: int) -> None:
    """After a part of a set: the reps done, counted as announced ("10 reps on each side").

    Without sides, "That's 6 of 10."; with sides, per side: "That's 6 of 10 on your left foot."
    mid-side, "That's your left foot done." when the part ended with that side. Nothing when
    no rep was done yet (a part that held only the set's intro).
    """
    if done <= 0:
        return
    exercise = get_exercise(exercise_id)
    if not exercise.sides:
        turn.say("coach.segment_done", done=turn.s.tally(done), total=exercise.total_reps)
        return
    side_index, on_side = side_progress(exercise_id, done)
    side = turn.s.side(exercise_id, exercise.sides[side_index])
    if on_side >= exercise.reps:
        turn.say("coach.side_done", side=side)
    else:
        turn.say(
            "coach.segment_done_side", done=turn.s.tally(on_side), total=exercise.reps, side=side
        )


def _in_set(turn: _Turn) -> bool:
    """A set is under way (or finished and not yet counted), whatever the last question was."""
    return turn.state.exercise is not None


def _at_last_segment(turn: _Turn) -> bool:
    exercise_id = turn.state.exercise
    return exercise_id is not None and turn.state.segment >= len(_segments(turn, exercise_id)) - 1


def _asked_to_mark_done(turn: _Turn) -> bool:
    """The set's last rep was narrated and the question was "shall I mark this one done?"."""
    current = turn.state.exercise
    return (
        current is not None
        and _at_last_segment(turn)
        and _next_in_round(turn, after=current) is None
    )


def _settle(turn: _Turn) -> None:
    """Count the set whose last rep was narrated, before answering something else.

    What comes next is then the offer the user heard: the next exercise of the round
    ("ready for toe grips?"), or, at the end of the round, the menu.
    """
    current = turn.state.exercise
    assert current is not None
    following = _next_in_round(turn, after=current)
    _record_set(turn)
    turn.settled = True
    if following is not None:
        turn.state = replace(turn.state, mode=Mode.OFFER_EXERCISE, offer=following)


def _record_set(turn: _Turn) -> None:
    """Count the set just finished (the user has moved on) and clear its resume position."""
    exercise_id = turn.state.exercise
    assert exercise_id is not None
    turn.state = replace(turn.state, exercise=None, segment=0, mode=Mode.MENU)
    if turn.today.count(exercise_id) >= turn.goal:
        turn.say("dialog.set_already_full", name=_name(turn, exercise_id), goal=turn.goal)
        return
    was_met = turn.today.goal_met(turn.goal)
    set_number = turn.today.count(exercise_id) + 1
    turn.effect(AddSet(exercise_id, turn.today.day))
    if turn.state.full_steps == exercise_id:
        turn.state = replace(turn.state, full_steps=None)  # heard in full once: done
    turn.parts.append(
        SavedAck(len(turn.effects) - 1, _name(turn, exercise_id), set_number, turn.goal)
    )
    _forget_place(turn, exercise_id)
    if not was_met and turn.today.goal_met(turn.goal):
        turn.effect(RecordGoalMet(turn.today.day))


def _say_streak(turn: _Turn, *, if_saved: bool = False) -> None:
    """The streak as it stands; the first time a rest day kept it going (this turn's
    :class:`RecordGoalMet` turned ``rest_day_told`` on), the rest-day rule with it instead.

    The rule is said only if that write succeeds, for it is what marks the rule as said (and
    the set recorded this turn, without which it is not written); ``if_saved``: the plain
    streak only if the set recorded this turn is written.
    """
    streak = current_streak(turn.snapshot.profile, turn.today.day)
    if not streak:
        return
    if turn.snapshot.profile.rest_day_told and not turn.ctx.snapshot.profile.rest_day_told:
        rule: Say | IfSaved = Say("dialog.streak_rest_day", streak)
        for kind in (RecordGoalMet, AddSet):  # the set, if any, is written first
            written = [i for i, e in enumerate(turn.effects) if isinstance(e, kind)]
            if written:
                rule = IfSaved(written[-1], rule)
        turn.parts.append(rule)
    elif if_saved:
        turn.say_if_saved("dialog.streak", count=streak)
    else:
        turn.say("dialog.streak", count=streak)


def _say_streaks(turn: _Turn) -> None:
    """The current streak, and the best one when it is longer."""
    _say_streak(turn)
    best = turn.snapshot.profile.best_streak
    if best > current_streak(turn.snapshot.profile, turn.today.day):
        turn.say("dialog.best_streak", count=best)


def _menu_question(turn: _Turn, *, told_what_to_ask: bool = False) -> None:
    """The question asked whenever nothing is running: start the round, or what else.

    ``told_what_to_ask``: help has just said what can be asked, so with nothing left to start
    the question comes alone (a new user heard "you can ask how to do an exercise" twice)."""
    if turn.today.goal_met(turn.goal) or not turn.today.active():
        question = "ask_what_would_you_like" if told_what_to_ask else "ask_anything_else"
        turn.ask(f"dialog.{question}", "dialog.reprompt_anything_else", Mode.MENU)
    else:
        round_ = turn.today.current_round(turn.goal)
        # "Carry on with round 2" once any exercise has its set of round 2: "start" is for a
        # round nobody has begun.
        begun = any(turn.today.count(e) >= round_ for e in turn.today.active())
        question = "continue_round" if begun else "start_round"
        turn.ask(f"dialog.ask_{question}", f"dialog.reprompt_{question}", Mode.MENU, round=round_)


def _ask_about(turn: _Turn, exercise_id: str, question: str, mode: Mode) -> None:
    """Ask ``dialog.ask_{question}`` about one exercise, keeping it as what was offered."""
    turn.ask(
        f"dialog.ask_{question}",
        f"dialog.reprompt_{question}",
        mode,
        offer=exercise_id,
        name=_name(turn, exercise_id),
    )


def _offer_exercise(turn: _Turn, exercise_id: str) -> None:
    """Ask "want to start {name} now?"; yes, next or resume then start it."""
    _ask_about(turn, exercise_id, "start_this", Mode.OFFER_EXERCISE)


def _follow_up(turn: _Turn) -> None:
    """After an aside (how-to, what's left ...): back to the set in progress, the exercise
    offered, or the menu."""
    offered = turn.state.offer
    if (
        turn.state.exercise is None
        and turn.state.mode is Mode.OFFER_EXERCISE
        and offered in EXERCISE_IDS
        and turn.today.count(offered) < turn.goal
    ):
        _offer_exercise(turn, offered)
        return
    position = _resumable(turn)
    if turn.state.mode is Mode.CONFIRM_LEAVE_OUT and offered in EXERCISE_IDS:
        _ask_leave_out(turn, offered)  # still the question asked after "it hurts"
    elif turn.state.exercise is not None:
        turn.ask(
            "dialog.ask_back_to_routine",
            "dialog.reprompt_back_to_routine",
            Mode.IN_SET,
            name=_name(turn, turn.state.exercise),
        )
    elif position is not None:
        # The question asked at launch, also after a one-shot question ("ask leg exercises how
        # am I doing"): a kept place is offered by name, never resumed behind "start round 1?".
        _ask_resume(turn, position.exercise_id)
    else:
        _menu_question(turn)


def _ask_resume(turn: _Turn, exercise_id: str) -> None:
    """Say where the user stopped last time ("Last time you stopped partway through X."), then
    ask whether to pick up there.

    The question kept for a re-ask is the short one ("Shall I pick up where you left off?"):
    after "sorry, I didn't get that" or help, the reprompt names the exercise ("Say yes to carry
    on with X ..."), so the exercise is named once, never twice in a row.
    """
    name = _name(turn, exercise_id)
    turn.say("dialog.resume_where", name=name)
    position = turn.snapshot.profile.position
    if position is not None and position.segment == 0:
        # Kept at its first part, so yes starts it again from the top: ask just that, never
        # "pick up where you left off?" answered by "starting again from the top".
        turn.ask("dialog.ask_redo", "dialog.reprompt_redo", Mode.CONFIRM_RESUME, name=name)
        return
    turn.ask("dialog.ask_resume", "dialog.reprompt_resume", Mode.CONFIRM_RESUME, name=name)


def _ask_leave_out(turn: _Turn, exercise_id: str) -> None:
    """Ask "shall I leave {name} out for the rest of today?"; yes leaves it out."""
    _ask_about(turn, exercise_id, "leave_out", Mode.CONFIRM_LEAVE_OUT)


def _sets_phrase(turn: _Turn, n: int) -> str:
    return turn.s.text("dialog.sets", count=n)


def _keep_place(turn: _Turn, segment: int) -> None:
    exercise_id = turn.state.exercise
    assert exercise_id is not None
    turn.effect(SavePosition(Position(exercise_id, segment, turn.today.day)))


def _routine_shrank(turn: _Turn, was_met: bool) -> bool | None:
    """After an exercise leaves today's routine (left out after "it hurts", or out of the
    routine for want of a band): with none left, say so and end (``None``); with the goal met
    by it, record the streak and say so (``True``); else ``False``."""
    if not turn.today.active():
        turn.say("dialog.all_left_out")
        turn.finish()
        return None
    if not was_met and turn.today.goal_met(turn.goal):
        turn.effect(RecordGoalMet(turn.today.day))
        turn.say_if_saved("dialog.goal_done_today", goal=turn.goal)
        return True
    return False


def _forget_place(turn: _Turn, exercise_id: str) -> None:
    """Drop the place kept in ``exercise_id`` (its set counted, skipped or left out), if any."""
    kept = turn.snapshot.profile.position
    if kept is not None and kept.exercise_id == exercise_id:
        turn.effect(SavePosition(None))


def _place_expired(turn: _Turn, kept: Position) -> bool:
    """A kept place that is never to be picked up: its exercise done ``goal`` times today, or
    kept on another day (a new day starts with its own routine, not mid-set)."""
    return turn.today.count(kept.exercise_id) >= turn.goal or (
        kept.day is not None and kept.day != turn.today.day
    )


def _resumable(turn: _Turn) -> Position | None:
    """The place kept last time while it can still be picked up: not expired
    (:func:`_place_expired`) and its exercise not left out."""
    kept = turn.snapshot.profile.position
    if kept is None or kept.exercise_id not in turn.today.active():
        return None
    return None if _place_expired(turn, kept) else kept


def _reps_through(turn: _Turn, exercise_id: str, segment_index: int) -> int:
    """Reps of ``exercise_id``'s set narrated to the end of part ``segment_index`` (0 before
    the first part; a stored index past the set's end counts as its last part)."""
    if segment_index < 0:
        return 0
    parts = _segments(turn, exercise_id)
    return parts[min(segment_index, len(parts) - 1)].last_rep


def _reask(turn: _Turn, *, tell_answers: bool = True) -> None:
    """Say again what to answer (the reprompt) and ask the last question, keeping the mode.

    ``tell_answers=False`` leaves the reprompt out of the speech (it stays the reprompt): after
    help that has just listed the commands, saying them again is the doubled list of
    LOCALE-REVIEW.md, S1.
    """
    if turn.settled:
        _follow_up(turn)  # the last question was about the set just counted: ask what is next
    elif turn.state.last_reprompt and not tell_answers and turn.state.last_question:
        turn.ssml(turn.state.last_question)
        turn.question = turn.state.last_question
        turn.reprompt = turn.state.last_reprompt
        turn.end = False
    elif turn.state.last_reprompt:
        turn.ssml(turn.state.last_reprompt)
        question = turn.state.last_question
        if question and not turn.state.last_reprompt.rstrip().endswith("?"):
            turn.ssml(question)
        turn.question = question
        turn.reprompt = turn.state.last_reprompt
        turn.end = False
    else:
        _follow_up(turn)
