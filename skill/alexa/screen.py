"""What a reply shows besides speech: the APL exercise screen and the Alexa app's home cards.

Pure functions of the turn's outcome; the handlers decide when to attach them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..coaching import plan_set
from ..content import EXERCISE_IDS, get_exercise
from ..dialog import DialogState, Mode, howto_reps_key
from ..locales import Strings
from ..progress import Snapshot, current_streak

if TYPE_CHECKING:
    from ..apl import ScreenView

__all__ = ["howto_card", "screen_view", "summary_card", "supports_apl"]


def supports_apl(envelope: Any) -> bool:
    """Whether the device that sent ``envelope`` has a screen that renders the skill's APL.

    True when the request's ``context.System.device.supportedInterfaces`` has
    ``Alexa.Presentation.APL`` (Amazon's APL interface reference: check it before sending an
    APL directive) and its ``runtime.maxVersion`` is at least the version the document declares
    (:func:`skill.apl.device_renders`); a screen with an older or unreadable runtime gets no
    directive.
    """
    system = getattr(getattr(envelope, "context", None), "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    # The model keeps interfaces it knows as attributes (``alexa_presentation_apl``).
    apl = getattr(interfaces, "alexa_presentation_apl", None)
    if apl is None:
        return False  # no screen: the APL module is not even imported (cold start)
    from ..apl import device_renders

    return device_renders(getattr(getattr(apl, "runtime", None), "max_version", None))


def screen_view(
    state: DialogState, snapshot: Snapshot, strings: Strings, budget_seconds: float
) -> ScreenView | None:
    """The screen for the exercise the reply is about, or ``None`` when it is about none.

    In a set: the segment just narrated (its reps, on its side). Offered after a how-to: the
    whole exercise.
    """
    exercise_id = None
    if state.mode is Mode.IN_SET and state.exercise in EXERCISE_IDS:
        exercise_id = state.exercise
    elif state.mode is Mode.OFFER_EXERCISE and state.offer in EXERCISE_IDS:
        exercise_id = state.offer
    if exercise_id is None:
        return None
    from ..apl import ScreenView  # only screens need it (see handlers)

    exercise = get_exercise(exercise_id)
    goal = snapshot.profile.goal
    per_side, sides = exercise.reps, exercise.sides
    total = per_side * max(1, len(sides))
    first, last, side = 1, total, None  # offered: the whole exercise
    if state.mode is Mode.IN_SET:  # the segment just narrated (plan_set is cached)
        set_number = min(goal, snapshot.today.count(exercise_id) + 1)
        segments = plan_set(exercise_id, strings, budget_seconds, set_number, goal)
        segment = segments[min(state.segment, len(segments) - 1)]
        first, last = segment.first_rep, segment.last_rep
    if sides and (first - 1) // per_side == (last - 1) // per_side:
        # Within one side: count reps on that side, as the coach does.
        side = sides[(first - 1) // per_side]
        offset = (first - 1) // per_side * per_side
        first, last, total = first - offset, last - offset, per_side
    return ScreenView(
        exercise_id=exercise_id,
        first_rep=first,
        last_rep=last,
        total_reps=total,
        side=side,
        done_today=dict(snapshot.today.done),
        goal=goal,
    )


def howto_card(strings: Strings, exercise_id: str) -> tuple[str, str]:
    """The title and text of a home card with an exercise's steps."""
    steps = [f"{n}. {step}" for n, step in enumerate(strings.exercise(exercise_id, "steps"), 1)]
    steps.append(strings.text(howto_reps_key(exercise_id), reps=get_exercise(exercise_id).reps))
    return strings.exercise_title(exercise_id), "\n".join(steps)


def summary_card(strings: Strings, snapshot: Snapshot) -> tuple[str, str]:
    """The title and text of the end-of-session card: done, left, streak."""
    goal = snapshot.profile.goal
    today = snapshot.today
    done, total = today.sets_done_of(goal)
    remaining = today.remaining(goal)
    if not today.active():
        lines = [strings.text("dialog.all_left_out_today")]
    else:
        lines = [strings.text("card.summary_done", done=done, total=total)]
        if remaining:
            names = [
                strings.text("dialog.remaining_item", count=n, name=strings.exercise_name(e))
                for e, n in remaining.items()
            ]
            lines.append(strings.text("card.summary_left", left=strings.join(names)))
        else:
            lines.append(strings.text("card.summary_all_done"))
    streak = current_streak(snapshot.profile, today.day)
    if streak:
        lines.append(strings.text("dialog.streak", count=streak))
    return strings.text("card.summary_title"), "\n".join(lines)
