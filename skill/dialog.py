"""Pure dialog state machine: ``(state, event, context) -> (new state, reply, effects)``.

Nothing here knows Alexa, AWS or HTTP. The edge (``skill.alexa``) turns requests into
:class:`Event` values, applies the returned :mod:`effects <skill.dialog>` to the store, and turns
the :class:`Reply` into a response. Because every function is pure, a test can walk every
reachable state in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum

from .coaching import Segment, plan_set
from .content import EXERCISE_IDS, ROUNDS_PER_DAY_CHOICES, get_exercise
from .locales import Strings
from .progress import DayProgress, Position, Snapshot, current_streak, next_streak
from .ssml import escape

__all__ = [
    "DEFAULT_BUDGET_SECONDS",
    "AddSet",
    "Context",
    "DialogState",
    "Effect",
    "Event",
    "EventKind",
    "MarkSafetyHeard",
    "Mode",
    "Outcome",
    "RecordGoalMet",
    "Reply",
    "ResetDay",
    "SavePosition",
    "SetGoal",
    "handle",
    "howto_reps_key",
    "remember",
]

DEFAULT_BUDGET_SECONDS = 90.0


class EventKind(str, Enum):
    """What the user did, independent of how Alexa phrased it."""

    LAUNCH = "launch"
    START_ROUTINE = "start_routine"
    START_EXERCISE = "start_exercise"
    HOW_TO = "how_to"
    CHOOSE_EXERCISE = "choose_exercise"
    REMAINING = "remaining"
    PROGRESS = "progress"
    WEEK = "week"
    LIST = "list"
    SKIP = "skip"
    SET_GOAL = "set_goal"
    RESET_TODAY = "reset_today"
    HELP = "help"
    STOP = "stop"
    FALLBACK = "fallback"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    START_OVER = "start_over"
    PAUSE = "pause"
    RESUME = "resume"
    YES = "yes"
    NO = "no"
    SESSION_ENDED = "session_ended"


class Mode(str, Enum):
    """What the last reply asked, and so what yes, no and next mean now."""

    MENU = "menu"  # "shall we start round N?" or "what would you like?"
    IN_SET = "in_set"  # a segment was narrated; "ready to keep going?"
    CONFIRM_RESUME = "confirm_resume"
    CONFIRM_RESET = "confirm_reset"
    OFFER_EXERCISE = "offer_exercise"  # "want to start X now?"
    OFFER_ROUND = "offer_round"  # "start round N now?"
    ASK_EXERCISE = "ask_exercise"  # "which exercise?"
    ASK_GOAL = "ask_goal"


@dataclass(frozen=True)
class Event:
    """One user turn. ``exercise`` is a resolved id; ``heard`` the raw words when unresolved."""

    kind: EventKind
    exercise: str | None = None
    heard: str | None = None
    number: int | None = None
    history: tuple[DayProgress, ...] | None = None  # the last days, for progress and the week


@dataclass(frozen=True)
class DialogState:
    """What a session remembers between turns (kept in Alexa's session attributes)."""

    mode: Mode = Mode.MENU
    exercise: str | None = None  # the set in progress
    segment: int = 0  # the segment of that set narrated last
    round: int = 1
    day: str | None = None  # ISO date the round belongs to
    skipped: tuple[str, ...] = ()
    offer: str | None = None  # OFFER_EXERCISE: its id; ASK_EXERCISE: "start" or "how_to"
    last_speech: str | None = None
    last_reprompt: str | None = None
    last_question: str | None = None  # the question last asked, for asking it again
    safety_said: bool = False  # the safety line was said in this session (saved or not)

    def to_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode.value,
            "exercise": self.exercise,
            "segment": self.segment,
            "round": self.round,
            "day": self.day,
            "skipped": list(self.skipped),
            "offer": self.offer,
            "last_speech": self.last_speech,
            "last_reprompt": self.last_reprompt,
            "last_question": self.last_question,
            "safety_said": self.safety_said,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> DialogState:
        """Rebuild a state, dropping anything malformed rather than failing the turn."""
        if not isinstance(data, Mapping):
            return cls()
        try:
            mode = Mode(data.get("mode", Mode.MENU.value))
        except ValueError:
            mode = Mode.MENU
        exercise = data.get("exercise")
        if exercise not in EXERCISE_IDS:
            exercise = None
            if mode is Mode.IN_SET:
                mode = Mode.MENU

        def _text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        def _int(value: object, default: int) -> int:
            return int(value) if isinstance(value, (int, float)) and value >= 0 else default

        raw_skipped = data.get("skipped")
        skipped = (
            tuple(e for e in raw_skipped if e in EXERCISE_IDS)
            if isinstance(raw_skipped, (list, tuple))
            else ()
        )
        return cls(
            mode=mode,
            exercise=exercise,
            segment=_int(data.get("segment"), 0),
            round=max(1, _int(data.get("round"), 1)),
            day=_text("day"),
            skipped=skipped,
            offer=_text("offer"),
            last_speech=_text("last_speech"),
            last_reprompt=_text("last_reprompt"),
            last_question=_text("last_question"),
            safety_said=data.get("safety_said") is True,
        )


@dataclass(frozen=True)
class Reply:
    """SSML fragments (no ``<speak>``); a reprompt whenever the session stays open."""

    speech: str
    reprompt: str | None
    end_session: bool
    question: str | None = None  # the question the speech ends with, when it asks one


# Effects: what the edge must write. The dialog has already applied them to the snapshot.
@dataclass(frozen=True)
class AddSet:
    exercise_id: str
    day: date
    ack: str = ""  # the words that tell the user it was saved (replaced if saving fails)
    # Words true only once this set is saved ("that's round 1 done"): dropped if saving fails.
    contingent: tuple[str, ...] = ()


@dataclass(frozen=True)
class SavePosition:
    position: Position | None


@dataclass(frozen=True)
class SetGoal:
    goal: int


@dataclass(frozen=True)
class ResetDay:
    day: date


@dataclass(frozen=True)
class MarkSafetyHeard:
    pass


@dataclass(frozen=True)
class RecordGoalMet:
    day: date


Effect = AddSet | SavePosition | SetGoal | ResetDay | MarkSafetyHeard | RecordGoalMet


@dataclass(frozen=True)
class Context:
    """What a turn may read: the user's snapshot (for the request's local day) and settings."""

    snapshot: Snapshot
    strings: Strings
    budget_seconds: float = DEFAULT_BUDGET_SECONDS


@dataclass(frozen=True)
class Outcome:
    state: DialogState
    reply: Reply
    effects: tuple[Effect, ...]
    snapshot: Snapshot


@dataclass
class _Turn:
    """Accumulates one reply while a handler runs."""

    state: DialogState
    ctx: Context
    snapshot: Snapshot
    parts: list[str] = field(default_factory=list)
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
        self.parts.append(self.s.say(key, count, **fields))

    def ssml(self, fragment: str) -> None:
        self.parts.append(fragment)

    def ask(self, key: str, reprompt_key: str, mode: Mode, **fields: object) -> None:
        """End with a question; the reprompt repeats it in other words."""
        self.question = self.s.say(key, None, **fields)
        self.parts.append(self.question)
        self.reprompt = self.s.say(reprompt_key, None, **fields)
        self.state = replace(self.state, mode=mode, offer=None)
        self.end = False

    def say_if_saved(self, key: str, count: int | None = None, **fields: object) -> None:
        """Say something that holds only if the set recorded this turn is saved."""
        text = self.s.say(key, count, **fields)
        self.parts.append(text)
        for i in range(len(self.effects) - 1, -1, -1):
            effect = self.effects[i]
            if isinstance(effect, AddSet):
                self.effects[i] = replace(effect, contingent=(*effect.contingent, text))
                break

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
        elif isinstance(effect, MarkSafetyHeard):
            profile = replace(profile, safety_heard=True)
        elif isinstance(effect, RecordGoalMet):
            streak, best = next_streak(profile, effect.day)
            profile = replace(profile, streak=streak, best_streak=best, last_met_day=effect.day)
        self.snapshot = Snapshot(profile, today)

    def outcome(self) -> Outcome:
        speech = " ".join(p for p in self.parts if p)
        reply = Reply(
            speech,
            None if self.end else self.reprompt,
            self.end,
            None if self.end else self.question,
        )
        if not self.end and reply.reprompt is None:  # every open question gets a reprompt
            reply = replace(reply, reprompt=speech)
        return Outcome(self.state, reply, tuple(self.effects), self.snapshot)


# ---------------------------------------------------------------------------------------------
# Building blocks


def _name(turn: _Turn, exercise_id: str) -> str:
    return turn.s.exercise_name(exercise_id)


def _segments(turn: _Turn, exercise_id: str) -> tuple[Segment, ...]:
    set_number = min(turn.goal, turn.today.count(exercise_id) + 1)
    return plan_set(exercise_id, turn.s, turn.ctx.budget_seconds, set_number, turn.goal)


def _safety_once(turn: _Turn) -> None:
    """The safety line, to a user who has not heard it, at most once a session (even when
    saving that it was heard fails)."""
    if not turn.snapshot.profile.safety_heard and not turn.state.safety_said:
        turn.say("dialog.safety")
        turn.state = replace(turn.state, safety_said=True)
        turn.effect(MarkSafetyHeard())


def _next_in_round(turn: _Turn, after: str | None = None) -> str | None:
    """The next exercise of the round: not yet done this round, not met, not skipped."""
    for exercise_id in EXERCISE_IDS:
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
        total = get_exercise(exercise_id).total_reps
        turn.say("coach.segment_done", done=segment.last_rep, total=total)
        turn.ask("dialog.ask_next_part", "dialog.reprompt_next_part", Mode.IN_SET)
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
    position = turn.snapshot.profile.position
    turn.state = replace(turn.state, exercise=None, segment=0, mode=Mode.MENU)
    if turn.today.count(exercise_id) >= turn.goal:
        turn.say("dialog.set_already_full", name=_name(turn, exercise_id), goal=turn.goal)
        return
    was_met = turn.today.goal_met(turn.goal)
    ack = turn.s.say(
        "dialog.saved_set",
        name=_name(turn, exercise_id),
        set_number=turn.today.count(exercise_id) + 1,
        goal=turn.goal,
    )
    turn.effect(AddSet(exercise_id, turn.today.day, ack))
    turn.ssml(ack)
    if position is not None and position.exercise_id == exercise_id:
        turn.effect(SavePosition(None))
    if not was_met and turn.today.goal_met(turn.goal):
        turn.effect(RecordGoalMet(turn.today.day))


def _say_streak(turn: _Turn) -> None:
    streak = current_streak(turn.snapshot.profile, turn.today.day)
    if streak:
        turn.say("dialog.streak", count=streak)


def _say_streaks(turn: _Turn) -> None:
    """The current streak, and the best one when it is longer."""
    _say_streak(turn)
    best = turn.snapshot.profile.best_streak
    if best > current_streak(turn.snapshot.profile, turn.today.day):
        turn.say("dialog.best_streak", count=best)


def _after_round(turn: _Turn) -> None:
    """Nothing left in this round: congratulate, and offer the next round or say goodbye."""
    if turn.today.goal_met(turn.goal):
        turn.say_if_saved("dialog.goal_done_today", goal=turn.goal)
        streak = current_streak(turn.snapshot.profile, turn.today.day)
        if streak:
            turn.say_if_saved("dialog.streak", count=streak)
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


def _menu_question(turn: _Turn) -> None:
    """The question asked whenever nothing is running: start the round, or what else."""
    if turn.today.goal_met(turn.goal):
        turn.ask("dialog.ask_anything_else", "dialog.reprompt_anything_else", Mode.MENU)
    else:
        round_ = turn.today.current_round(turn.goal)
        turn.ask("dialog.ask_start_round", "dialog.reprompt_start_round", Mode.MENU, round=round_)


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
        turn.ask(
            "dialog.ask_start_this",
            "dialog.reprompt_start_this",
            Mode.OFFER_EXERCISE,
            name=_name(turn, offered),
        )
        turn.state = replace(turn.state, offer=offered)
        return
    if turn.state.exercise is not None:
        turn.ask(
            "dialog.ask_back_to_routine",
            "dialog.reprompt_back_to_routine",
            Mode.IN_SET,
            name=_name(turn, turn.state.exercise),
        )
    else:
        _menu_question(turn)


def _sets_phrase(turn: _Turn, n: int) -> str:
    return turn.s.text("dialog.sets", count=n)


def _keep_place(turn: _Turn, segment: int) -> None:
    exercise_id = turn.state.exercise
    assert exercise_id is not None
    turn.effect(SavePosition(Position(exercise_id, segment)))


# ---------------------------------------------------------------------------------------------
# Handlers, one per event kind


def _on_launch(turn: _Turn, event: Event) -> None:
    profile = turn.snapshot.profile
    position = profile.position
    if position is not None and turn.today.count(position.exercise_id) >= turn.goal:
        turn.effect(SavePosition(None))
        position = None
    if not profile.safety_heard and turn.today.total() == 0 and position is None:
        turn.say("dialog.welcome_new")
        _safety_once(turn)
    else:
        turn.say("dialog.welcome_back")
    if position is not None:
        turn.ask(
            "dialog.ask_resume",
            "dialog.reprompt_resume",
            Mode.CONFIRM_RESUME,
            name=_name(turn, position.exercise_id),
        )
        return
    if turn.today.goal_met(turn.goal):
        turn.say("dialog.goal_met_today", goal=turn.goal)
        _say_streak(turn)
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
    position = turn.snapshot.profile.position
    if position is not None and turn.today.count(position.exercise_id) < turn.goal:
        _resume_position(turn)
        return
    if turn.today.goal_met(turn.goal):
        turn.say("dialog.goal_met_today", goal=turn.goal)
        _say_streak(turn)
        turn.ask("dialog.ask_anything_else", "dialog.reprompt_anything_else", Mode.MENU)
        return
    round_ = turn.today.current_round(turn.goal)
    turn.state = replace(turn.state, round=round_, skipped=(), exercise=None, segment=0)
    turn.say("coach.round_intro", round=round_, goal=turn.goal)
    _continue_routine(turn, after=None)


def _resume_position(turn: _Turn) -> None:
    position = turn.snapshot.profile.position
    assert position is not None
    turn.state = replace(turn.state, round=turn.today.current_round(turn.goal), skipped=())
    turn.say("coach.resume_intro", name=_name(turn, position.exercise_id))
    _narrate(turn, position.exercise_id, position.segment)


def _ask_which(turn: _Turn, purpose: str) -> None:
    names = turn.s.join([turn.s.exercise_name(e) for e in EXERCISE_IDS])
    turn.ask(
        "dialog.ask_which_exercise",
        "dialog.reprompt_which_exercise",
        Mode.ASK_EXERCISE,
        names=names,
    )
    turn.state = replace(turn.state, offer=purpose)


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


def howto_reps_key(exercise_id: str) -> str:
    """The how-to line on how many reps to do (its field: ``reps``); the home card uses it too."""
    exercise = get_exercise(exercise_id)
    if not exercise.sides:
        return "dialog.howto_reps_plain"
    return "dialog.howto_reps_per_side" if exercise.reps > 1 else "dialog.howto_once_per_side"


def _on_how_to(turn: _Turn, event: Event) -> None:
    exercise_id = event.exercise
    if exercise_id is None and not event.heard and turn.state.exercise is not None:
        exercise_id = turn.state.exercise  # "how do I do this one?"
    if exercise_id is None:
        if event.heard:
            _unknown_exercise(turn, event, "how_to")
        else:
            _ask_which(turn, "how_to")
        return
    exercise = get_exercise(exercise_id)
    turn.say("dialog.howto_intro", name=_name(turn, exercise_id))
    for step in turn.s.exercise(exercise_id, "steps"):
        turn.ssml(escape(step))
    turn.say(howto_reps_key(exercise_id), reps=exercise.reps)
    items = turn.s.join([turn.s.text(f"equipment.{k}") for k in exercise.equipment])
    turn.say("coach.you_need", items=items)
    turn.ssml(escape(turn.s.exercise(exercise_id, "why")))
    turn.say(
        "dialog.howto_rounds", low=min(ROUNDS_PER_DAY_CHOICES), high=max(ROUNDS_PER_DAY_CHOICES)
    )
    if turn.state.exercise is not None or turn.today.count(exercise_id) >= turn.goal:
        _follow_up(turn)
        return
    turn.ask(
        "dialog.ask_start_this",
        "dialog.reprompt_start_this",
        Mode.OFFER_EXERCISE,
        name=_name(turn, exercise_id),
    )
    turn.state = replace(turn.state, offer=exercise_id)


def _on_choose_exercise(turn: _Turn, event: Event) -> None:
    purpose = turn.state.offer if turn.state.mode is Mode.ASK_EXERCISE else "how_to"
    if purpose == "start":
        _on_start_exercise(turn, event)
    else:
        _on_how_to(turn, event)


def _on_remaining(turn: _Turn, event: Event) -> None:
    remaining = turn.today.remaining(turn.goal)
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
    total = turn.goal * len(EXERCISE_IDS)
    turn.say("dialog.progress_today", done=min(total, turn.today.total()), total=total)
    _say_streaks(turn)
    if event.history is not None:
        days = {d.day: d for d in event.history}
        days[turn.today.day] = turn.today
        week = {turn.today.day - timedelta(days=i) for i in range(7)}
        met = sum(
            1 for day, progress in days.items() if day in week and progress.goal_met(turn.goal)
        )
        if met:
            turn.say("dialog.progress_week", count=met)
        else:
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
    else:
        turn.say("dialog.week_met_none")
    _say_streak(turn)
    best = turn.snapshot.profile.best_streak
    if best:  # the week view always gives the best streak, even when it is the current one
        turn.say("dialog.best_streak", count=best)
    _follow_up(turn)


def _on_list(turn: _Turn, event: Event) -> None:
    names = turn.s.join([turn.s.exercise_name(e) for e in EXERCISE_IDS])
    turn.say("dialog.list_exercises", names=names)
    if turn.state.exercise is not None:
        _follow_up(turn)
    else:
        turn.ask("dialog.ask_list_follow", "dialog.reprompt_list_follow", Mode.MENU)


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
    elif current is None and turn.state.mode is Mode.OFFER_EXERCISE:
        current = turn.state.offer if turn.state.offer in EXERCISE_IDS else None
    if current is None:
        turn.say("dialog.nothing_to_skip")
        _follow_up(turn)
        return
    turn.say("dialog.skipping", name=_name(turn, current))
    skipped = tuple(e for e in EXERCISE_IDS if e in turn.state.skipped or e == current)
    turn.state = replace(turn.state, skipped=skipped, exercise=None, segment=0)
    _continue_routine(turn, after=current)


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


def _on_help(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    if _in_set(turn) and turn.state.exercise is not None:
        turn.say("dialog.help_in_set", name=_name(turn, turn.state.exercise))
        _follow_up(turn)
    elif mode is Mode.CONFIRM_RESUME and turn.snapshot.profile.position:
        turn.say(
            "dialog.help_confirm_resume",
            name=_name(turn, turn.snapshot.profile.position.exercise_id),
        )
        _reask(turn)
    elif mode is Mode.CONFIRM_RESET:
        turn.say("dialog.help_confirm_reset")
        _reask(turn)
    elif mode in (Mode.ASK_EXERCISE, Mode.ASK_GOAL, Mode.OFFER_EXERCISE, Mode.OFFER_ROUND):
        turn.say("dialog.help_menu")
        _reask(turn)
    else:
        turn.say("dialog.help_menu")
        _menu_question(turn)


def _reask(turn: _Turn) -> None:
    """Say again what to answer (the reprompt) and ask the last question, keeping the mode."""
    if turn.settled:
        _follow_up(turn)  # the last question was about the set just counted: ask what is next
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


def _on_fallback(turn: _Turn, event: Event) -> None:
    turn.say("dialog.fallback")
    _reask(turn)


def _leave(turn: _Turn, paused: bool) -> None:
    """Stop or pause: count a finished set, keep the place in an unfinished one, say goodbye."""
    current = turn.state.exercise
    if current is not None:
        if _at_last_segment(turn):
            _record_set(turn)
            turn.say("dialog.goodbye")
        else:
            _keep_place(turn, turn.state.segment)
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


def _advance(turn: _Turn) -> None:
    """Go on from the segment just narrated: the next one, or count the set and move on."""
    current = turn.state.exercise
    assert current is not None
    if not _at_last_segment(turn):
        _narrate(turn, current, turn.state.segment + 1)
        return
    _record_set(turn)
    _continue_routine(turn, after=current)


def _on_next(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    if _in_set(turn):
        _advance(turn)
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


def _on_start_over(turn: _Turn, event: Event) -> None:
    current = turn.state.exercise
    position = turn.snapshot.profile.position
    if current is not None and _at_last_segment(turn):
        _record_set(turn)  # the set was done: it counts, and "start over" does it once more
        if turn.today.count(current) >= turn.goal:
            _follow_up(turn)
            return
    elif current is None and turn.state.mode is Mode.CONFIRM_RESUME and position is not None:
        current = position.exercise_id  # not where it was left: from the top
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


def _on_yes(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    if mode is Mode.CONFIRM_RESET:
        turn.effect(ResetDay(turn.today.day))
        turn.say("dialog.reset_done")
        turn.state = replace(turn.state, mode=Mode.MENU)
        _follow_up(turn)
    elif mode is Mode.OFFER_ROUND:
        _on_start_routine(turn, event)
    elif mode is Mode.MENU and turn.today.goal_met(turn.goal):
        turn.say("dialog.help_menu")
        _menu_question(turn)
    else:
        _on_next(turn, event)


def _on_no(turn: _Turn, event: Event) -> None:
    mode = turn.state.mode
    current = turn.state.exercise
    if current is not None and _asked_to_mark_done(turn):
        # "No" to "shall I mark this one done?": the one answer that leaves a set out.
        turn.state = replace(turn.state, exercise=None, segment=0)
        turn.say("dialog.set_not_counted", name=_name(turn, current))
        turn.ask(
            "dialog.ask_start_this",
            "dialog.reprompt_start_this",
            Mode.OFFER_EXERCISE,
            name=_name(turn, current),
        )
        turn.state = replace(turn.state, offer=current)
    elif current is not None and mode in (Mode.IN_SET, Mode.OFFER_EXERCISE, Mode.MENU):
        _leave(turn, paused=False)
    elif mode is Mode.CONFIRM_RESUME:
        turn.effect(SavePosition(None))
        turn.say("dialog.no_resume_fresh")
        _menu_question(turn)
    elif mode is Mode.CONFIRM_RESET:
        turn.say("dialog.reset_cancelled")
        turn.state = replace(turn.state, mode=Mode.MENU)
        _follow_up(turn)
    elif mode in (Mode.ASK_EXERCISE, Mode.ASK_GOAL, Mode.OFFER_EXERCISE):
        turn.state = replace(turn.state, mode=Mode.MENU, offer=None)
        _follow_up(turn)
    else:
        turn.say("dialog.goodbye")
        turn.finish()


def _on_session_ended(turn: _Turn, event: Event) -> None:
    if turn.state.exercise is not None:
        if _at_last_segment(turn):
            _record_set(turn)  # the last rep was narrated: the set counts, however it ended
        else:
            _keep_place(turn, turn.state.segment)
    turn.finish()


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
    }
)


def remember(state: DialogState, reply: Reply) -> DialogState:
    """The state with ``reply`` kept for "repeat" (a goodbye is not kept).

    Every reply the user hears goes through here, the dialog's and the edge's (reminders), and
    the edge calls it again with the reply as finally spoken, so "repeat" replays what the user
    heard, never words that were dropped because saving failed. A repeat is not remembered.
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
    if _in_set(turn) and _at_last_segment(turn) and event.kind not in _SETTLED_BY_HANDLER:
        _settle(turn)
    _HANDLERS[event.kind](turn, event)
    outcome = turn.outcome()
    if event.kind is EventKind.REPEAT:
        return outcome
    return replace(outcome, state=remember(outcome.state, outcome.reply))
