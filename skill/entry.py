"""The one entry point every host calls: ``handler(event, context) -> response dict``.

Lambda uses it as ``lambda_handler``; the console calls it with the envelopes it builds; so all
of them run the same serialisation, skill ID check, handlers and interceptors.

Lambda passes its context, whose ``get_remaining_time_in_millis()`` gives the turn its deadline;
a host with no context (``None``: the console, tests) gets a fixed budget, ``turn_seconds``
from when the handler was called (:mod:`skill.alexa.budget`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope

from .alexa import build_skill_builder
from .alexa.budget import TURN_SECONDS, FixedBudget
from .config import Config
from .store import Store, open_store

__all__ = ["make_handler", "session_ended_as_known"]

log = logging.getLogger(__name__)

# What a request the ASK model cannot read gets (a request type newer than the model, a
# malformed field): an empty response, as for any request type the skill does not use, rather
# than an exception that Lambda reports as a function error.
_NOT_UNDERSTOOD: dict[str, Any] = {"version": "1.0", "response": {}}


# The fields of a SessionEndedRequest that every version of the ASK model reads.
_SESSION_ENDED_FIELDS = ("type", "requestId", "timestamp", "locale")


def session_ended_as_known(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """A SessionEndedRequest without the fields an older ASK model cannot read, else ``None``.

    Alexa may add session-end reasons and error types the installed ``ask_sdk_model`` does not
    know (``SessionEndedReason`` and ``SessionEndedErrorType`` are closed enums there, so such a
    request fails to deserialise). The session ended all the same, and the skill must learn of
    it: the reason and error are dropped, the rest of the envelope is kept.

    Parameters
    ----------
    event:
        The request envelope as Alexa sent it (parsed JSON).

    Returns
    -------
    dict or None
        A copy with ``request`` cut to its type, id, timestamp and locale; ``None`` when the
        event is not a SessionEndedRequest.
    """
    request = event.get("request")
    if not isinstance(request, Mapping) or request.get("type") != "SessionEndedRequest":
        return None
    kept = {k: request[k] for k in _SESSION_ENDED_FIELDS if k in request}
    return {**event, "request": kept}


def make_handler(
    config: Config, store: Store | None = None, *, turn_seconds: float = TURN_SECONDS
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """Build the skill once and return its Lambda-style handler.

    Parameters
    ----------
    config : Config
        The skill's settings.
    store : Store, optional
        Where progress is kept; by default the one ``config`` names (DynamoDB or SQLite).
    turn_seconds : float
        The most a turn may take, in seconds: its budget when the handler is called without a
        context (``None``), and the cap on what Lambda's context says is left.

    Returns
    -------
    callable
        ``handler(event, context) -> response``: the request envelope as parsed JSON and
        Lambda's context (or ``None``) in, the response envelope as a dict out.
    """
    if store is None:
        store = open_store(table_name=config.table_name, sqlite_path=config.sqlite_path)
    skill = build_skill_builder(store, config, turn_seconds).create()
    serializer = skill.serializer

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if context is None:  # no host context: the budget starts now
            context = FixedBudget(turn_seconds)
        # As SkillBuilder.lambda_handler does, but a request the model cannot deserialise is
        # answered, not raised. The skill ID check and every handler run as before.
        try:
            envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
        except SerializationException as exc:
            ended = session_ended_as_known(event)
            if ended is None:
                log.warning("request not understood: %s", type(exc).__name__)  # never the body
                return dict(_NOT_UNDERSTOOD)
            # A session that ended for a reason (or error type) newer than the ASK model still
            # ended: the skill keeps the place or counts the finished set all the same.
            log.info("session ended with a reason the ASK model does not know")
            envelope = serializer.deserialize(payload=json.dumps(ended), obj_type=RequestEnvelope)
        if envelope is None or envelope.request is None:
            log.warning("request not understood: no request")
            return dict(_NOT_UNDERSTOOD)
        response = serializer.serialize(skill.invoke(request_envelope=envelope, context=context))
        # The SDK types serialize() for any value; a ResponseEnvelope always gives a JSON object.
        return cast(dict[str, Any], response)

    return handler
