"""Pure: turn one set of one exercise into segments of speech, each within the time budget.

A set is a list of reps (per side where the exercise has sides). Each rep is narrated: a rep
number, the cue, the hold (counted aloud, or a timed silence), the release, and a rest. Reps are
packed greedily into segments whose estimated spoken-plus-paused time, including the set's intro
on the first segment and a reserve for the closing question, stays under the budget.

Cues inside long silences (``cues=True``, the default). A timed hold or a rest of
``CUE_MIN_SECONDS`` (10 s) or more is not one silence: a timed hold says "Halfway."
(``coach.halfway``) when half its seconds have passed, a rest says "Five more seconds."
(``coach.five_more``) five seconds before it ends, and both count their last
``COUNTDOWN_FROM`` (3) seconds aloud, "three, two, one", one number a second (the locale's
``numbers``). The silences are shortened by the speech put into them, so that the hold as heard
still lasts the seed's seconds: each cue word is given the time the budget gives it,
:func:`skill.ssml.spoken_seconds` (``SECONDS_PER_WORD`` a word), and

* the break before the middle word lasts until the word's start (``H / 2`` into a hold of
  ``H`` s, ``R - 5`` into a rest of ``R`` s);
* the break after it lasts until the count starts (``3`` s before the end), less the word's
  estimated time;
* each counted number and the break after it make one second.

So, for every cued hold and rest, the breaks plus the estimated cue speech equal the seed's
seconds exactly (up to the millisecond a break is written in), and no break is negative (a cue
too long for its gap raises ``ValueError``; the tests try every locale) or longer than 10 s
(:func:`skill.ssml.pause` chains longer silences). Counted holds (``HoldKind.COUNT``) and
shorter silences stay as they are; ``cues=False`` gives pure silences throughout.

``brief=True`` gives a short set intro for someone who knows the exercise: the name and set
number, a one-line reminder of the position (``exercises.<id>.setup_short``), the rep plan and
the time to get ready; no equipment line and no full setup.
"""

from __future__ import annotations

from functools import lru_cache

from .content import Exercise, HoldKind, get_exercise
from .locales import Strings
from .records import record
from .ssml import escape, pause, spoken_seconds

__all__ = [
    "CLOSING_RESERVE_SECONDS",
    "COUNTDOWN_FROM",
    "COUNT_GAP_SECONDS",
    "CUE_MIN_SECONDS",
    "FIVE_MORE_SECONDS",
    "GET_READY_SECONDS",
    "SIDE_SWITCH_SECONDS",
    "Rep",
    "Segment",
    "narrate_rep",
    "plan_set",
    "set_intro",
]

COUNT_GAP_SECONDS = 1.0  # silence after each counted number: about one count a second
SIDE_SWITCH_SECONDS = 3.0  # time to change feet or legs
GET_READY_SECONDS = 3.0  # time to get into position after the set's instructions
# What the dialog may add around a segment: a "saved" line before, a question after.
CLOSING_RESERVE_SECONDS = 15.0
CUE_MIN_SECONDS = 10.0  # timed holds and rests this long or longer get cues (see above)
COUNTDOWN_FROM = 3  # the last seconds counted aloud: "three, two, one"
FIVE_MORE_SECONDS = 5.0  # "five more seconds" is said this long before a rest ends


@record(frozen=True)
class Rep:
    """One rep: its number within its side, the side (or ``None``) and its SSML."""

    number: int
    side: str | None
    ssml: str


@record(frozen=True)
class Segment:
    """A run of reps narrated in one response."""

    index: int
    ssml: str
    first_rep: int  # 1-based, over the whole set
    last_rep: int
    seconds: float


def _cued_silence(seconds: float, word: str, word_at: float, strings: Strings) -> str:
    """``seconds`` of time with ``word`` said ``word_at`` seconds in and the last
    ``COUNTDOWN_FROM`` seconds counted; breaks plus estimated speech make ``seconds``."""
    count_at = seconds - COUNTDOWN_FROM
    said = escape(word)
    after_word = count_at - word_at - spoken_seconds(said)
    if word_at < 0 or after_word < 0:
        raise ValueError(f"{word!r} does not fit {seconds:g} s before the count")
    parts = [pause(word_at), said, pause(after_word)]
    for n in range(COUNTDOWN_FROM, 0, -1):
        number = escape(strings.number(n))
        gap = 1.0 - spoken_seconds(number)
        if gap < 0:
            raise ValueError(f"{number!r} takes more than a second to say")
        parts += [number, pause(gap)]
    return " ".join(p for p in parts if p)


def _hold(exercise: Exercise, strings: Strings, cues: bool) -> str:
    if exercise.hold_kind is HoldKind.COUNT:
        words = [escape(strings.number(n)) for n in range(1, exercise.hold_amount + 1)]
        return pause(COUNT_GAP_SECONDS).join(words) + pause(COUNT_GAP_SECONDS)
    hold_line = strings.exercise(exercise.id, "hold")
    seconds = exercise.hold_seconds
    if cues and seconds >= CUE_MIN_SECONDS:
        silence = _cued_silence(seconds, strings.text("coach.halfway"), seconds / 2, strings)
    else:
        silence = pause(seconds)
    return (escape(hold_line) + " " if hold_line else "") + silence


def _rest(exercise: Exercise, strings: Strings, cues: bool) -> str:
    seconds = exercise.rest_seconds
    if cues and seconds >= CUE_MIN_SECONDS:
        word_at = seconds - FIVE_MORE_SECONDS
        return _cued_silence(seconds, strings.text("coach.five_more"), word_at, strings)
    return pause(seconds)


def narrate_rep(
    exercise: Exercise,
    strings: Strings,
    number: int,
    side: str | None,
    last_of_side: bool,
    *,
    cues: bool = True,
) -> Rep:
    """The SSML of one rep: its number, the cue, the hold, the release, then the rest.

    Parameters
    ----------
    exercise : Exercise
        The exercise (its hold and rest seconds come from :mod:`skill.content`).
    strings : Strings
        The locale's strings.
    number : int
        The rep's number within its side, from 1.
    side : str or None
        ``"left"`` or ``"right"`` for exercises with sides, else ``None``.
    last_of_side : bool
        The last rep of its side (or of the set): no rest follows it.
    cues : bool, keyword-only
        Speak inside timed holds and rests of ``CUE_MIN_SECONDS`` or more ("Halfway.", "Five
        more seconds.", "three, two, one"), with the breaks shortened so the hold or rest still
        lasts its seconds (module docstring); ``False`` gives pure silences.

    Returns
    -------
    Rep
        The rep with its SSML fragment.

    Raises
    ------
    ValueError
        When a locale's cue words are too long for their gap (no locale's are; tested).
    """
    parts = []
    if exercise.reps > 1:
        parts.append(strings.say("coach.rep", n=number))
    side_name = strings.side(exercise.id, side) if side else ""
    # The full cue on the first rep of a side; a short one after, as a coach would.
    cue = strings.exercise(exercise.id, "cue_again") if number > 1 else ""
    cue = cue or strings.exercise(exercise.id, "cue")
    parts.append(escape(cue.format(side=side_name)))
    parts.append(_hold(exercise, strings, cues))
    parts.append(escape(strings.exercise(exercise.id, "release")))
    ssml = " ".join(p for p in parts if p)
    if not last_of_side:
        ssml += _rest(exercise, strings, cues)
    return Rep(number, side, ssml)


def set_intro(
    exercise: Exercise, strings: Strings, set_number: int, goal: int, *, brief: bool = False
) -> str:
    """The set's opening: name and set number, what to have and how to stand, the rep plan,
    then time to get ready.

    Parameters
    ----------
    exercise : Exercise
        The exercise.
    strings : Strings
        The locale's strings.
    set_number, goal : int
        "Set ``set_number`` of ``goal`` today."
    brief : bool, keyword-only
        For someone who knows the exercise: the name and set number, the one-line reminder of
        the position (``exercises.<id>.setup_short``), the rep plan and the get-ready pause;
        no "You'll need" line, no full setup, no word on counting or timing.

    Returns
    -------
    str
        An SSML fragment ending with ``GET_READY_SECONDS`` of silence.
    """
    lines = [
        strings.say(
            "coach.set_intro",
            name=strings.exercise_title(exercise.id),
            set_number=set_number,
            goal=goal,
        )
    ]
    if brief:
        lines.append(escape(strings.exercise(exercise.id, "setup_short")))
    else:
        items = strings.join([strings.text(f"equipment.{k}") for k in exercise.equipment])
        lines.append(strings.say("coach.you_need", items=items))
        lines.append(escape(strings.exercise(exercise.id, "setup")))
    if exercise.sides:
        first_side = strings.side(exercise.id, exercise.sides[0])
        key = "coach.reps_per_side" if exercise.reps > 1 else "coach.reps_once_per_side"
        lines.append(strings.say(key, reps=exercise.reps, first_side=first_side))
    else:
        lines.append(strings.say("coach.reps_plain", reps=exercise.reps))
    if not brief:
        counted = exercise.hold_kind is HoldKind.COUNT
        lines.append(strings.say("coach.counted" if counted else "coach.timed"))
    lines.append(strings.say("coach.get_ready") + pause(GET_READY_SECONDS))
    return " ".join(lines)


def _reps(exercise: Exercise, strings: Strings, cues: bool) -> list[Rep]:
    reps: list[Rep] = []
    for side in exercise.sides or (None,):
        for number in range(1, exercise.reps + 1):
            last = number == exercise.reps
            reps.append(narrate_rep(exercise, strings, number, side, last, cues=cues))
    return reps


def _side_switch(exercise: Exercise, strings: Strings, side: str) -> str:
    """What is said before the first rep on the second side: "Now switch to your right foot."

    The side is named once (LOCALE-REVIEW.md, S2): when the first rep's cue names it already
    ("Lift your {side} and ..."), the switch is that cue alone, after the same pause.
    """
    if "{side}" in strings.exercise(exercise.id, "cue"):
        return pause(SIDE_SWITCH_SECONDS)
    return strings.say("coach.switch_side", side=strings.side(exercise.id, side)) + pause(
        SIDE_SWITCH_SECONDS
    )


@lru_cache(maxsize=256)
def plan_set(
    exercise_id: str,
    strings: Strings,
    budget_seconds: float,
    set_number: int,
    goal: int,
    *,
    brief: bool = False,
    cues: bool = True,
) -> tuple[Segment, ...]:
    """Cut one set into segments that each fit ``budget_seconds`` with the closing reserve.

    Cached (every argument is hashable): the dialog and the screen ask for the same plan.

    Parameters
    ----------
    exercise_id : str
        An id of :data:`skill.content.EXERCISE_IDS`.
    strings : Strings
        The locale's strings.
    budget_seconds : float
        The longest estimated spoken-plus-paused time of one reply, in seconds
        (:func:`skill.ssml.spoken_seconds`); each segment stays within it less
        ``CLOSING_RESERVE_SECONDS``.
    set_number, goal : int
        "Set ``set_number`` of ``goal`` today", in the intro.
    brief : bool, keyword-only
        The short intro (:func:`set_intro`).
    cues : bool, keyword-only
        Cues inside long holds and rests (:func:`narrate_rep`).

    Returns
    -------
    tuple of Segment
        The segments in order; the first starts with the intro, together they narrate every rep
        once.

    Raises
    ------
    KeyError
        For an unknown exercise id.
    ValueError
        When one rep does not fit the budget, or a cue does not fit its gap.
    """
    exercise = get_exercise(exercise_id)
    limit = budget_seconds - CLOSING_RESERVE_SECONDS
    # Where the parts break is decided once for every way of saying the set: with the full
    # intro and the cues. So "less talking", "more detail" or "no countdown" said between two
    # parts never moves a rep into another part (a rep skipped or said twice). Speech at a
    # slower rate is not in the estimate: at 70% a part can run about 10 s past the budget.
    bounds = _part_bounds(exercise, strings, limit, set_number, goal)
    pieces = _pieces(exercise, strings, cues)
    intro = set_intro(exercise, strings, set_number, goal, brief=brief)
    segments: list[Segment] = []
    for index, (first, last) in enumerate(bounds):
        text = " ".join(([intro] if index == 0 else []) + pieces[first - 1 : last])
        segment = Segment(index, text, first, last, spoken_seconds(text))
        if segment.seconds > limit:
            raise ValueError(f"one rep of {exercise_id} does not fit a {budget_seconds} s budget")
        segments.append(segment)
    return tuple(segments)


def _pieces(exercise: Exercise, strings: Strings, cues: bool) -> list[str]:
    """Each rep's SSML, with the switch of side before the first rep of the second side."""
    pieces = []
    for rep in _reps(exercise, strings, cues):
        piece = rep.ssml
        if rep.side and rep.number == 1 and rep.side != exercise.sides[0]:
            piece = _side_switch(exercise, strings, rep.side) + " " + piece
        pieces.append(piece)
    return pieces


def _part_bounds(
    exercise: Exercise, strings: Strings, limit: float, set_number: int, goal: int
) -> list[tuple[int, int]]:
    """``(first rep, last rep)`` of each part, 1-based over the whole set; reps packed greedily
    so each part's :func:`spoken_seconds` stays within ``limit`` (the intro may stand alone
    when a long rep follows it: ``(1, 0)``)."""
    bounds: list[tuple[int, int]] = []
    current = set_intro(exercise, strings, set_number, goal)
    first = 1
    pieces = _pieces(exercise, strings, cues=True)
    for i, piece in enumerate(pieces):
        candidate = current + " " + piece
        if spoken_seconds(candidate) > limit:
            bounds.append((first, i))
            current, first = piece, i + 1
        else:
            current = candidate
    bounds.append((first, len(pieces)))
    return bounds
