"""The daily reminder: "remind me every day at 8 am", "stop my reminder", and the permission.

Without the reminders permission the skill asks for it by voice (an ``AskFor`` request through a
``Connections.SendRequest`` directive); Alexa asks the user and answers with a
``Connections.Response`` carrying the time back in its token. The reminder's alert token is kept
on the profile so that "stop my reminder" can delete it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Directive, IntentRequest, Response

from ..clock import utc_now
from ..dialog import DialogState, Reply, remember
from ..exceptions import StoreError
from ..progress import Profile, local_day, parse_zone
from ..store.base import Store
from .budget import ZONE_LOOKUP_SECONDS, deadline_of, share
from .elicit import elicit_slot
from .envelope import speaker_session, store_key_of
from .interceptors import strings_of
from .services import (
    REMINDERS_PERMISSION,
    AlexaApiError,
    ApiAccess,
    DailyReminder,
    PermissionMissing,
    create_daily_reminder,
    delete_reminder,
    fetch_time_zone,
)
from .turn import SNAPSHOT_KEY, STATE_KEY, ZONE_GUESSED_KEY, session_zone, snapshot_from_dict

__all__ = ["PermissionAnswerHandler", "ReminderIntentHandler", "reminder_time"]

log = logging.getLogger(__name__)

SET_INTENT = "SetReminderIntent"
CANCEL_INTENT = "CancelReminderIntent"
# The most a Reminders API call may take (each also within the turn's deadline).
_REMINDER_CALL_SECONDS = 2.0
# AMAZON.TIME resolves "in the morning" and the like to these; a coach picks a sensible hour.
_PARTS_OF_DAY = {"MO": (8, 0), "AF": (14, 0), "EV": (19, 0), "NI": (21, 0)}
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def reminder_time(value: Any) -> tuple[int, int] | None:
    """Hour and minute from an AMAZON.TIME value ("08:00", "MO" ...), or ``None``."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[value]
    match = _CLOCK.fullmatch(value)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _spoken_zone(zone: str) -> str:
    """An IANA zone name as people say it: its place, "America/New_York" -> "New York"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


class _ReminderTurn:
    """One reminder request: reads what it needs, answers, and keeps the session as it was.

    Every call ends by the turn's deadline, and each of the turn's steps leaves time for the
    ones after it: the time zone look-up takes at most a third of what is left, creating the
    reminder at most half, and keeping its token leaves a third for taking the reminder back
    if the token could not be kept (a reminder that rings but cannot be stopped by voice).
    """

    def __init__(self, handler_input: HandlerInput, store: Store, default_zone: str):
        self.handler_input = handler_input
        self.deadline = deadline_of(handler_input)
        self.base_store = store
        self.store = store.within(self.deadline)
        self.default_zone = default_zone
        self.envelope = handler_input.request_envelope
        self.strings = strings_of(handler_input)
        self.access = ApiAccess.from_envelope(self.envelope)
        # The reminder is the recognised person's (else the account's): see skill/alexa/envelope.py.
        self.attributes = speaker_session(handler_input, self.store)
        self.user_id = store_key_of(handler_input)
        stamp = getattr(self.envelope.request, "timestamp", None)
        self.now = stamp if isinstance(stamp, datetime) else utc_now()
        self._loaded: Profile | None = None

    # -- what is known about the user -----------------------------------------------------

    def _profile(self) -> Profile:
        """The session's copy of the profile, else the store's (read once per turn)."""
        if self._loaded is None:
            snapshot = snapshot_from_dict(self.attributes.get(SNAPSHOT_KEY))
            if snapshot is None:
                zone = parse_zone(session_zone(self.attributes) or self.default_zone)
                snapshot = self.store.load(self.user_id, local_day(self.now, zone))
            self._loaded = snapshot.profile
        return self._loaded

    def _zone(self) -> tuple[str, bool]:
        """The device's zone and ``False``; or, when neither the Settings API (asked again)
        nor the profile knows it, the configured default and ``True``: a guess to say aloud."""
        zone = session_zone(self.attributes)
        if zone is not None and not self.attributes.get(ZONE_GUESSED_KEY):
            return zone, False
        learnt = None
        if self.access is not None:
            seconds = share(self.deadline, 1 / 3, ZONE_LOOKUP_SECONDS)
            learnt = fetch_time_zone(self.access, seconds, self.deadline)
        if learnt:
            return learnt, False
        try:
            known = self._profile().time_zone
        except StoreError:
            known = None
        return (known, False) if known else (zone or self.default_zone, True)

    def _forget_cached_snapshot(self) -> None:
        # The profile changed behind the session's copy: read it again next turn.
        self.attributes.pop(SNAPSHOT_KEY, None)

    # -- answers ----------------------------------------------------------------------------

    def reply(self, *speech_keys: str, **fields: Any) -> Response:
        """Say ``speech_keys`` then carry on where the session was (its last question)."""
        state = DialogState.from_dict(self.attributes.get(STATE_KEY))
        parts = [self.strings.say(key, **fields) for key in speech_keys]
        if state.last_question and state.last_reprompt:
            question, reprompt = state.last_question, state.last_reprompt
        else:
            question = self.strings.say("dialog.ask_anything_else")
            reprompt = self.strings.say("dialog.reprompt_anything_else")
        return self._ask(" ".join([*parts, question]), reprompt, question)

    def _ask(self, speech: str, reprompt: str, question: str, *directives: Directive) -> Response:
        """Answer and keep the session open; "repeat" will replay this answer."""
        state = DialogState.from_dict(self.attributes.get(STATE_KEY))
        reply = Reply(speech, reprompt, False, question)
        self.attributes[STATE_KEY] = remember(state, reply).to_dict()
        self.handler_input.attributes_manager.session_attributes = self.attributes
        builder = self.handler_input.response_builder.speak(speech).ask(reprompt)
        for directive in directives:
            builder.add_directive(directive)
        return builder.response

    def ask_time(self) -> Response:
        question = self.strings.say("reminder.ask_time")
        # The answer is a bare time ("eight in the morning"): it comes back as SetReminderIntent.
        return self._ask(
            question,
            self.strings.say("reminder.reprompt_time"),
            question,
            elicit_slot("SetReminderIntent", "time"),
        )

    def ask_permission(self, hour: int, minute: int) -> Response:
        """Let Alexa ask for the reminders permission; the time rides in the token."""
        from ask_sdk_model.interfaces.connections import SendRequestDirective

        self.handler_input.attributes_manager.session_attributes = self.attributes
        directive = SendRequestDirective(
            name="AskFor",
            token=f"{hour:02d}:{minute:02d}",
            payload={
                "@type": "AskForPermissionsConsentRequest",
                "@version": "1",
                "permissionScope": REMINDERS_PERMISSION,
            },
        )
        # No speech and no reprompt: Alexa speaks the consent question itself.
        return self.handler_input.response_builder.add_directive(directive).response

    def create(self, hour: int, minute: int) -> Response:
        if self.access is None:
            return self.reply("reminder.unsupported")
        zone, guessed = self._zone()
        reminder = DailyReminder(
            hour=hour,
            minute=minute,
            time_zone=zone,
            locale=self.strings.locale,
            text=self.strings.text("reminder.text"),
        )
        try:
            previous = self._profile().reminder_token
        except StoreError:
            # Without the old token a second daily reminder would ring beside the first.
            log.warning("reminder not created: the profile could not be read")
            return self.reply("reminder.failed")
        try:
            token = create_daily_reminder(
                self.access,
                reminder,
                self.now,
                share(self.deadline, 1 / 2, _REMINDER_CALL_SECONDS),
                self.deadline,
            )
        except PermissionMissing:
            return self.ask_permission(hour, minute)
        except AlexaApiError as exc:
            log.warning("reminder not created: %s", type(exc).__name__)
            return self.reply("reminder.failed")
        if previous and previous != token:
            try:  # one daily reminder per user: the old one goes
                seconds = share(self.deadline, 1 / 3, _REMINDER_CALL_SECONDS)
                delete_reminder(self.access, previous, seconds, self.deadline)
            except AlexaApiError as exc:
                log.warning("old reminder not deleted: %s", type(exc).__name__)
        # The last third of the turn is kept for taking the reminder back.
        keeping = self.base_store.within(self.deadline.earlier(self.deadline.remaining() / 3))
        try:
            keeping.update_profile(self.user_id, reminder_token=token)
        except (StoreError, ValueError) as exc:  # ValueError: a token too long to keep
            # A reminder whose token is not kept could never be stopped by voice: take it back.
            log.warning("store write failed: %s (reminder)", type(exc).__name__)
            try:
                seconds = self.deadline.cap(_REMINDER_CALL_SECONDS)
                delete_reminder(self.access, token, seconds, self.deadline)
            except AlexaApiError as undo:
                log.warning("new reminder not taken back: %s", type(undo).__name__)
            self._forget_cached_snapshot()
            return self.reply("reminder.failed")
        self._forget_cached_snapshot()
        # The time as the locale says it; its fields (and the dial's hour as the plural count)
        # let each language fit its article or preposition (skill/locales/__init__.py).
        time = self.strings.time(hour, minute).fields()
        if guessed:
            # The Reminders API reference asks for the zone the user is in, or the reminder may
            # ring at the wrong time: say which one it uses, and how to put it right.
            return self.reply("reminder.set_in_zone", zone=_spoken_zone(zone), **time)
        return self.reply("reminder.set", **time)

    def cancel(self) -> Response:
        try:
            token = self._profile().reminder_token
        except StoreError:
            return self.reply("reminder.delete_failed")
        if not token:
            return self.reply("reminder.none")
        if self.access is None:
            return self.reply("reminder.unsupported")
        try:  # False: already gone, which is what we want
            seconds = share(self.deadline, 1 / 2, _REMINDER_CALL_SECONDS)
            delete_reminder(self.access, token, seconds, self.deadline)
        except PermissionMissing:
            pass  # the permission was withdrawn: Alexa has dropped the skill's reminders
        except AlexaApiError as exc:
            log.warning("reminder not deleted: %s", type(exc).__name__)
            return self.reply("reminder.delete_failed")
        try:
            self.store.update_profile(self.user_id, reminder_token=None)
        except StoreError as exc:
            log.warning("store write failed: %s (reminder)", type(exc).__name__)
        self._forget_cached_snapshot()
        return self.reply("reminder.deleted")


class _ReminderHandler(AbstractRequestHandler):
    def __init__(self, store: Store, timezone_name: str):
        self.store = store
        self.timezone_name = timezone_name


class ReminderIntentHandler(_ReminderHandler):
    """SetReminderIntent (with or without a time) and CancelReminderIntent."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            request is not None
            and request.object_type == "IntentRequest"
            and getattr(getattr(request, "intent", None), "name", None)
            in (SET_INTENT, CANCEL_INTENT)
        )

    def handle(self, handler_input: HandlerInput) -> Response | None:
        turn = _ReminderTurn(handler_input, self.store, self.timezone_name)
        request = handler_input.request_envelope.request
        # can_handle let through only an IntentRequest naming one of the reminder intents.
        assert isinstance(request, IntentRequest) and request.intent is not None
        intent = request.intent
        if intent.name == CANCEL_INTENT:
            return turn.cancel()
        if turn.access is None:  # say so before asking for a time it could not use
            return turn.reply("reminder.unsupported")
        slot = (intent.slots or {}).get("time")
        when = reminder_time(getattr(slot, "value", None))
        if when is None:
            return turn.ask_time()
        return turn.create(*when)


class PermissionAnswerHandler(_ReminderHandler):
    """Alexa's answer to the AskFor request: create the reminder, or say how to allow it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            request is not None
            and request.object_type == "Connections.Response"
            and getattr(request, "name", None) == "AskFor"
        )

    def handle(self, handler_input: HandlerInput) -> Response | None:
        request = handler_input.request_envelope.request
        turn = _ReminderTurn(handler_input, self.store, self.timezone_name)
        payload = getattr(request, "payload", None) or {}
        status = payload.get("status") if isinstance(payload, dict) else None
        when = reminder_time(getattr(request, "token", None))
        if status == "ACCEPTED" and when is not None:
            return turn.create(*when)
        if status == "ACCEPTED":  # a token we did not write: ask again rather than guess
            return turn.ask_time()
        return turn.reply("reminder.permission_denied")
