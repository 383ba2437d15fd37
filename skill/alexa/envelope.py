"""What a request envelope says about itself: its type, and whose data it is about.

One definition for every handler (the dialog's, the reminders', the skill events'), so the
modules that handle requests do not import each other.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

__all__ = ["request_type", "user_id_of"]


def request_type(handler_input: HandlerInput) -> str:
    """The request's type (``"IntentRequest"`` ...), or ``""`` when the envelope has none."""
    request = handler_input.request_envelope.request  # None: the hosts answer such envelopes
    return (request.object_type if request is not None else None) or ""


def user_id_of(handler_input: HandlerInput) -> str:
    """Whose data a request is about (``anonymous`` when Alexa sent no user).

    The session's user when there is a session, else the context's (skill events have none).
    """
    envelope = handler_input.request_envelope
    if envelope.session is not None and envelope.session.user is not None:
        return envelope.session.user.user_id or "anonymous"
    system = envelope.context.system if envelope.context is not None else None
    if system is not None and system.user is not None:
        return system.user.user_id or "anonymous"
    return "anonymous"
