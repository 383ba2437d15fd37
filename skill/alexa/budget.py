"""How long a turn may wait on the network: its :class:`~skill.clock.Deadline`, from the host.

Alexa waits 8 s for an answer. On Lambda the function's own timeout comes first (7 s in
``template.yaml``), and the Lambda context says how much of it is left:
``context.get_remaining_time_in_millis()``, the Python runtime's documented context method, which
returns the milliseconds left before the execution times out (AWS Lambda Developer Guide,
"Using the Lambda context object to retrieve Python function information",
https://docs.aws.amazon.com/lambda/latest/dg/python-context.html). The web host
and the console have no such context; they give each turn a fixed budget from when the request
arrived (:class:`FixedBudget`, which answers the same method).

The turn's deadline is that budget (never more than ``turn_seconds``) less
:data:`ANSWER_SECONDS`, kept back for building and sending the answer once every call has given
up. :class:`DeadlineInterceptor` computes it before any handler runs; handlers read it with
:func:`deadline_of` and give it to the store (``store.within(deadline)``) and to the Alexa API
calls.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from ..clock import Deadline

__all__ = [
    "ANSWER_SECONDS",
    "TURN_SECONDS",
    "ZONE_LOOKUP_SECONDS",
    "DeadlineInterceptor",
    "FixedBudget",
    "deadline_of",
    "share",
    "turn_deadline",
]

#: A turn's budget where the host gives none (web host, console), and the most any turn gets:
#: the function's timeout in template.yaml, a second inside Alexa's 8 s.
TURN_SECONDS = 7.0
#: Kept back from the budget to build and send the answer after the last call has given up.
ANSWER_SECONDS = 0.75

#: The most the Settings API's time zone look-up may take (and at most a third of the turn).
ZONE_LOOKUP_SECONDS = 1.0

_DEADLINE_KEY = "deadline"


class FixedBudget:
    """A Lambda-like context for hosts without one: ``seconds`` from when it was made.

    Parameters
    ----------
    seconds : float
        The turn's budget.
    """

    def __init__(self, seconds: float):
        self._deadline = Deadline.after(seconds)

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left of the budget (never negative), as Lambda's context answers."""
        return int(self._deadline.remaining() * 1000)


def turn_deadline(context: Any, turn_seconds: float = TURN_SECONDS) -> Deadline:
    """The deadline of a turn that starts now.

    Parameters
    ----------
    context : object
        The host's context: Lambda's, or a :class:`FixedBudget`. Anything without a callable
        ``get_remaining_time_in_millis`` (``None``) gets ``turn_seconds`` from now.
    turn_seconds : float
        The most a turn may take in all.

    Returns
    -------
    Deadline
        ``min(remaining, turn_seconds) - ANSWER_SECONDS`` from now.
    """
    remaining = turn_seconds
    reader = getattr(context, "get_remaining_time_in_millis", None)
    if callable(reader):
        with contextlib.suppress(TypeError, ValueError):  # not a number: the fixed budget
            remaining = min(remaining, float(reader()) / 1000.0)
    return Deadline.after(remaining - ANSWER_SECONDS)


class DeadlineInterceptor(AbstractRequestInterceptor):
    """Start the turn's deadline from the request's context, before any handler runs.

    Parameters
    ----------
    turn_seconds : float
        The budget where the context gives none, and the most a turn gets.
    """

    def __init__(self, turn_seconds: float = TURN_SECONDS):
        self.turn_seconds = turn_seconds

    def process(self, handler_input: HandlerInput) -> None:
        """Put the deadline in the request attributes (read it with :func:`deadline_of`)."""
        deadline = turn_deadline(handler_input.context, self.turn_seconds)
        handler_input.attributes_manager.request_attributes[_DEADLINE_KEY] = deadline


def deadline_of(handler_input: HandlerInput) -> Deadline:
    """The turn's deadline as :class:`DeadlineInterceptor` set it (else one from now)."""
    deadline = handler_input.attributes_manager.request_attributes.get(_DEADLINE_KEY)
    if isinstance(deadline, Deadline):
        return deadline
    return turn_deadline(handler_input.context)


def share(deadline: Deadline, fraction: float, most: float) -> float:
    """Seconds for one step: ``fraction`` of what is left of ``deadline``, at most ``most``.

    A step that may fail and be followed by others (the time zone look-up before the store is
    read; a reminder before it is kept) takes only part of the time, so the rest still runs.
    """
    return max(0.0, min(most, deadline.remaining() * fraction))
