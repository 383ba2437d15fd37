"""What a reply says, kept as messages until the edge knows which effects were written.

A handler never renders words whose truth depends on the store: "Saved: toe grips, set 1 of 3
today" is a :class:`SavedAck` for one :class:`~skill.dialog.effects.AddSet`, and "that's round 1
done" an :class:`IfSaved`. The dialog renders its reply as if every write succeeds
(:attr:`~skill.dialog.state.Reply.speech`, what the pure tests and the state walk read); the edge
renders the same messages once more with what the store did (:func:`render`), so nothing edits
speech after the fact, and "repeat" keeps what was really said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

from ..locales import Strings
from ..records import record

__all__ = ["IfSaved", "Message", "SavedAck", "Say", "Ssml", "WriteResult", "render"]


class WriteResult(str, Enum):
    """What became of one effect at the store."""

    APPLIED = "applied"
    REFUSED = "refused"  # an AddSet the store turned down: the exercise was already full
    FAILED = "failed"  # the store could not be written


@record(frozen=True)
class Say:
    """A sentence from the locale files: ``key``, its plural ``count`` and its fields."""

    key: str
    count: int | None = None
    fields: tuple[tuple[str, object], ...] = ()

    def text(self, strings: Strings) -> str:
        """The sentence as SSML in ``strings``' language."""
        return strings.say(self.key, self.count, **dict(self.fields))


@record(frozen=True)
class Ssml:
    """Words already rendered (a coached segment, an exercise's steps)."""

    fragment: str


@record(frozen=True)
class SavedAck:
    """The acknowledgement of the :class:`AddSet` at index ``effect`` of the turn's effects.

    Rendered as "Saved: {name}, set {set_number} of {goal} today." when it was written, as
    "You had already done {name} {goal} times today ..." when the store refused it, and not at
    all when it failed.
    """

    effect: int
    name: str
    set_number: int
    goal: int


@record(frozen=True)
class IfSaved:
    """Words that hold only once the effect at index ``effect`` (an :class:`AddSet`, a
    :class:`LeaveOut`, a :class:`RecordGoalMet`) is written; nested, once each one is."""

    effect: int
    message: Say | IfSaved


Message = Say | Ssml | SavedAck | IfSaved


def _words(message: Message, strings: Strings, results: Mapping[int, WriteResult]) -> str:
    if isinstance(message, Ssml):
        return message.fragment
    if isinstance(message, Say):
        return message.text(strings)
    result = results.get(message.effect, WriteResult.APPLIED)
    if isinstance(message, IfSaved):
        return _words(message.message, strings, results) if result is WriteResult.APPLIED else ""
    if result is WriteResult.APPLIED:
        return strings.say(
            "dialog.saved_set",
            name=message.name,
            set_number=message.set_number,
            goal=message.goal,
        )
    if result is WriteResult.REFUSED:
        return strings.say("dialog.set_already_full", name=message.name, goal=message.goal)
    return ""


def render(
    messages: Iterable[Message],
    strings: Strings,
    results: Mapping[int, WriteResult] | None = None,
) -> str:
    """The reply's SSML (no ``<speak>``), given what became of each effect.

    Parameters
    ----------
    messages:
        The reply, in order.
    strings:
        The user's language.
    results:
        Effect index to its :class:`WriteResult`; an effect not listed counts as applied (the
        dialog renders with none, as if every write succeeds).

    Returns
    -------
    str
        The non-empty pieces joined by single spaces.
    """
    done = results or {}
    return " ".join(w for w in (_words(m, strings, done) for m in messages) if w)
