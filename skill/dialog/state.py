"""The dialog's state and events: what a turn reads, what a session keeps, what a turn returns."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from ..content import EXERCISE_IDS
from ..locales import Strings
from ..progress import DayProgress, Snapshot
from ..records import record
from .effects import Effect
from .messages import Message

# The longest estimated spoken-plus-paused time of one reply (LEG_SKILL_BUDGET_SECONDS, 60-240).
# Amazon documents no limit on how long speech and breaks may last in one response, only:
# outputSpeech under 8,000 characters and the whole response under 24 KB
# https://developer.amazon.com/docs/custom-skills/request-and-response-json-reference.html
# a <break> of at most 10 s, and 240 s for the combined audio files (<audio>) of a response
# https://developer.amazon.com/docs/custom-skills/speech-synthesis-markup-language-ssml-reference.html
# The default is that 240 s, the largest duration documented; the character and break limits are
# checked on every reply (tests/test_dialog_walk.py). A set of tiptoe walking fits one reply.
DEFAULT_BUDGET_SECONDS = 240.0


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
    PAIN = "pain"  # "it hurts": stop at once
    HOLD_LENGTH = "hold_length"  # "how long do I hold it?"
    REP_COUNT = "rep_count"  # "which rep am I on?", "how many are left?"
    WHICH_SIDE = "which_side"
    FINISHED = "finished"  # "I'm done": the set (or the session) is over
    PACE = "pace"  # heard: "slower", "faster" or "normal"
    DETAIL = "detail"  # heard: "less" or "more"
    COUNTDOWN = "countdown"  # heard: "on" or "off"
    NO_EQUIPMENT = "no_equipment"  # heard: the equipment's id ("band", "pencil") or None
    ADD_EXERCISE = "add_exercise"  # exercise, or heard: the equipment now at hand
    SETTINGS = "settings"  # "what are my settings?"
    RESET_SETTINGS = "reset_settings"
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
    CONFIRM_LEAVE_OUT = "confirm_leave_out"  # after "it hurts": leave it out for today?


@record(frozen=True)
class Event:
    """One user turn. ``exercise`` is a resolved id; ``heard`` the raw words when unresolved."""

    kind: EventKind
    exercise: str | None = None
    heard: str | None = None
    number: int | None = None
    history: tuple[DayProgress, ...] | None = None  # the last days, for progress and the week


@record(frozen=True)
class DialogState:
    """What a session remembers between turns (kept in Alexa's session attributes)."""

    mode: Mode = Mode.MENU
    exercise: str | None = None  # the set in progress
    segment: int = 0  # the segment of that set narrated last
    round: int = 1
    day: str | None = None  # ISO date the round belongs to
    skipped: tuple[str, ...] = ()
    # OFFER_EXERCISE, CONFIRM_LEAVE_OUT: the exercise's id; ASK_EXERCISE: "start" or "how_to"
    offer: str | None = None
    last_speech: str | None = None
    last_reprompt: str | None = None
    last_question: str | None = None  # the question last asked, for asking it again
    safety_said: bool = False  # the safety line was said in this session (saved or not)
    full_steps: str | None = None  # asked how to do it: this exercise's next set in full

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
            "full_steps": self.full_steps,
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

        full_steps = _text("full_steps")
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
            full_steps=full_steps if full_steps in EXERCISE_IDS else None,
        )


@record(frozen=True)
class Reply:
    """SSML fragments (no ``<speak>``); a reprompt whenever the session stays open."""

    speech: str
    reprompt: str | None
    end_session: bool
    question: str | None = None  # the question the speech ends with, when it asks one


@record(frozen=True)
class Context:
    """What a turn may read: the user's snapshot (for the request's local day) and settings."""

    snapshot: Snapshot
    strings: Strings
    budget_seconds: float = DEFAULT_BUDGET_SECONDS


@record(frozen=True)
class Outcome:
    state: DialogState
    reply: Reply
    effects: tuple[Effect, ...]
    snapshot: Snapshot
    # The reply as messages: the edge renders them again once it knows what was written.
    messages: tuple[Message, ...] = ()
