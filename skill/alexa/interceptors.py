"""Request and response interceptors: locale strings in, one structured log line out."""

from __future__ import annotations

import json
import logging
import time

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..locales import Strings, strings_for
from ..ssml import at_rate

__all__ = [
    "LocaleInterceptor",
    "RequestLogInterceptor",
    "ResponseLogInterceptor",
    "SpeechRateInterceptor",
    "strings_of",
    "user_ref",
]

log = logging.getLogger("skill.requests")


def user_ref(user_id: str | None) -> str:
    """A short one-way reference to a user (or a person) for logs: never the ID itself.

    Returns
    -------
    str
        The first 12 hexadecimal digits of the ID's SHA-256, or ``"-"`` for no ID.
    """
    if not user_id:
        return "-"
    import hashlib  # only when a line is logged: loading OpenSSL's hashes is 2.5 ms of a cold start

    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:12]


class LocaleInterceptor(AbstractRequestInterceptor):
    """Attach the request locale's strings (English when the locale is unknown)."""

    def process(self, handler_input: HandlerInput) -> None:
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        handler_input.attributes_manager.request_attributes["strings"] = strings_for(locale)


def strings_of(handler_input: HandlerInput) -> Strings:
    """The request's strings as :class:`LocaleInterceptor` attached them (looked up if not)."""
    strings = handler_input.attributes_manager.request_attributes.get("strings")
    if isinstance(strings, Strings):
        return strings
    return strings_for(getattr(handler_input.request_envelope.request, "locale", None))


class RequestLogInterceptor(AbstractRequestInterceptor):
    """Start the clock for the request's log line."""

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes["started"] = time.perf_counter()


class SpeechRateInterceptor(AbstractResponseInterceptor):
    """Say every reply at the person's speaking rate ("slower", "faster"): speech and reprompt.

    One place for every handler (the dialog's and the reminders'), reading the rate from the
    profile the turn left in the session attributes, so the reply that confirms "slower" is
    already slower.
    """

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        from .turn import speech_rate_of  # the dialog edge; imported here: it imports this

        if response is None or handler_input.request_envelope.session is None:
            return  # skill events have no session, and nothing is said
        rate = speech_rate_of(handler_input.attributes_manager.session_attributes or {})
        if rate == 100:
            return
        reprompt = response.reprompt.output_speech if response.reprompt is not None else None
        for speech in (response.output_speech, reprompt):
            ssml = getattr(speech, "ssml", None)
            if isinstance(ssml, str) and ssml:
                speech.ssml = at_rate(ssml, rate)  # type: ignore[union-attr]


class ResponseLogInterceptor(AbstractResponseInterceptor):
    """One JSON line per request: type, intent, latency, outcome; no tokens, no full user ID.

    ``user`` and ``person`` are :func:`user_ref` references to the account's user ID and to the
    recognised speaker's person ID (``"-"`` when Alexa recognised no one), never the IDs.
    """

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        envelope = handler_input.request_envelope
        request = envelope.request
        attributes = handler_input.attributes_manager.request_attributes
        started = attributes.get("started")
        if not isinstance(started, float):  # RequestLogInterceptor did not run
            started = time.perf_counter()
        intent = getattr(getattr(request, "intent", None), "name", None)
        system = envelope.context.system if envelope.context is not None else None
        user = envelope.session.user if envelope.session is not None else None
        if user is None and system is not None:
            user = system.user
        log.info(
            json.dumps(
                {
                    "request_type": getattr(request, "object_type", None),
                    "intent": intent,
                    "locale": getattr(request, "locale", None),
                    "user": user_ref(getattr(user, "user_id", None)),
                    "person": user_ref(getattr(getattr(system, "person", None), "person_id", None)),
                    "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                    "outcome": attributes.get("outcome", "ok"),
                    "end_session": getattr(response, "should_end_session", None)
                    if response
                    else None,
                },
                separators=(",", ":"),
            )
        )
