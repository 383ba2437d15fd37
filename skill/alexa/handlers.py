"""ASK SDK handlers: each maps a request to a dialog event; ``respond`` does the rest."""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response, Slot
from ask_sdk_model.ui import SimpleCard

from ..content import EXERCISE_IDS
from ..dialog import Event, EventKind, Mode
from ..exceptions import StoreError
from ..locales import strings_for
from ..store.base import Store
from .budget import ZONE_LOOKUP_SECONDS, deadline_of, share
from .elicit import elicit_slot
from .envelope import request_type, speaker_of, speaker_session, store_key_of, user_id_of
from .interceptors import strings_of
from .reminders import PermissionAnswerHandler, ReminderIntentHandler
from .screen import howto_card, summary_card, supports_apl
from .services import ApiAccess, fetch_time_zone
from .turn import TurnInput, run_turn

if TYPE_CHECKING:  # imported when a reply needs them (see DialogRequestHandler.handle)
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

__all__ = ["BUTTON_EVENTS", "INTENT_EVENTS", "ErrorHandler", "build_handlers", "user_id_of"]

log = logging.getLogger(__name__)

_USER_EVENT = "Alexa.Presentation.APL.UserEvent"
# The screen's buttons (skill/apl.py) send these; each is what saying the word would do.
BUTTON_EVENTS: dict[str, EventKind] = {
    "next": EventKind.NEXT,
    "pause": EventKind.PAUSE,
    "repeat": EventKind.REPEAT,
}

# The one table from intent names (interaction_model/) to dialog events.
INTENT_EVENTS: dict[str, EventKind] = {
    "StartRoutineIntent": EventKind.START_ROUTINE,
    "StartExerciseIntent": EventKind.START_EXERCISE,
    "HowToIntent": EventKind.HOW_TO,
    "ChooseExerciseIntent": EventKind.CHOOSE_EXERCISE,
    "RemainingIntent": EventKind.REMAINING,
    "ProgressIntent": EventKind.PROGRESS,
    "WeekIntent": EventKind.WEEK,
    "ListExercisesIntent": EventKind.LIST,
    "SkipIntent": EventKind.SKIP,
    "SetGoalIntent": EventKind.SET_GOAL,
    "ResetTodayIntent": EventKind.RESET_TODAY,
    "AMAZON.HelpIntent": EventKind.HELP,
    "AMAZON.StopIntent": EventKind.STOP,
    "AMAZON.CancelIntent": EventKind.STOP,
    "AMAZON.NavigateHomeIntent": EventKind.STOP,
    "AMAZON.FallbackIntent": EventKind.FALLBACK,
    "AMAZON.NextIntent": EventKind.NEXT,
    "AMAZON.PreviousIntent": EventKind.PREVIOUS,
    "AMAZON.RepeatIntent": EventKind.REPEAT,
    "AMAZON.StartOverIntent": EventKind.START_OVER,
    "AMAZON.PauseIntent": EventKind.PAUSE,
    "AMAZON.ResumeIntent": EventKind.RESUME,
    "AMAZON.YesIntent": EventKind.YES,
    "AMAZON.NoIntent": EventKind.NO,
    "PainIntent": EventKind.PAIN,
    "HoldLengthIntent": EventKind.HOLD_LENGTH,
    "RepCountIntent": EventKind.REP_COUNT,
    "WhichSideIntent": EventKind.WHICH_SIDE,
    "FinishedIntent": EventKind.FINISHED,
    "SlowerIntent": EventKind.PACE,
    "FasterIntent": EventKind.PACE,
    "NormalSpeedIntent": EventKind.PACE,
    "LessTalkIntent": EventKind.DETAIL,
    "MoreDetailIntent": EventKind.DETAIL,
    "CountdownOffIntent": EventKind.COUNTDOWN,
    "CountdownOnIntent": EventKind.COUNTDOWN,
    "NoEquipmentIntent": EventKind.NO_EQUIPMENT,
    "AddExerciseIntent": EventKind.ADD_EXERCISE,
    "SettingsIntent": EventKind.SETTINGS,
    "ResetSettingsIntent": EventKind.RESET_SETTINGS,
}
# The choice a setting's intent names, passed to the dialog as the event's ``heard``.
INTENT_CHOICES: dict[str, str] = {
    "SlowerIntent": "slower",
    "FasterIntent": "faster",
    "NormalSpeedIntent": "normal",
    "LessTalkIntent": "less",
    "MoreDetailIntent": "more",
    "CountdownOffIntent": "off",
    "CountdownOnIntent": "on",
}
# The Equipment slot type's value ids (interaction_model/): what a person may say they lack.
EQUIPMENT_IDS = frozenset({"band", "pencil"})


def _slot(handler_input: HandlerInput, name: str) -> Slot | None:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots: dict[str, Slot] = getattr(intent, "slots", None) or {}
    return slots.get(name)


def _matched_id(slot: Slot | None, ids: Collection[str]) -> str | None:
    """The slot's value id when entity resolution matched (``ER_SUCCESS_MATCH``) one of
    ``ids``; an id the code does not know (a model deployed ahead of or behind the code) is
    treated as unmatched."""
    resolutions = getattr(slot, "resolutions", None)
    if resolutions is None:
        return None
    # Imported here: a launch has no slots, and the module is 1.2 ms of a cold first turn.
    from ask_sdk_model.slu.entityresolution import StatusCode

    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if status == StatusCode.ER_SUCCESS_MATCH and authority.values:
            value = authority.values[0].value
            if value is not None and value.id in ids:
                return str(value.id)
    return None


def _exercise_slot(handler_input: HandlerInput) -> tuple[str | None, str | None]:
    """The resolved exercise id (``ER_SUCCESS_MATCH``) and the words heard."""
    slot = _slot(handler_input, "exercise")
    if slot is None:
        return None, None
    return _matched_id(slot, EXERCISE_IDS), (slot.value or "").strip() or None


def _equipment_slot(handler_input: HandlerInput) -> str | None:
    """The Equipment slot's resolved id (``band``, ``pencil``), or None."""
    return _matched_id(_slot(handler_input, "equipment"), EQUIPMENT_IDS)


def _number_slot(handler_input: HandlerInput, name: str) -> int | None:
    slot = _slot(handler_input, name)
    raw = (getattr(slot, "value", None) or "").strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return int(raw) if raw.isdecimal() and len(raw) < 4 else None


def event_from_request(handler_input: HandlerInput) -> Event:
    """Turn a LaunchRequest, IntentRequest or SessionEndedRequest into a dialog event."""
    kind = request_type(handler_input)
    if kind == "LaunchRequest":
        return Event(EventKind.LAUNCH)
    if kind == "SessionEndedRequest":
        return Event(EventKind.SESSION_ENDED)
    if kind == _USER_EVENT:
        from ..apl import user_event_action

        action = user_event_action(
            getattr(handler_input.request_envelope.request, "arguments", None)
        )
        return Event(BUTTON_EVENTS.get(action or "", EventKind.FALLBACK))
    request = handler_input.request_envelope.request
    # DialogRequestHandler.can_handle let through no other request type but an intent.
    assert isinstance(request, IntentRequest) and request.intent is not None
    kind = INTENT_EVENTS.get(request.intent.name or "", EventKind.FALLBACK)
    if kind in (EventKind.START_EXERCISE, EventKind.HOW_TO, EventKind.CHOOSE_EXERCISE):
        exercise, heard = _exercise_slot(handler_input)
        return Event(kind, exercise=exercise, heard=heard)
    if kind is EventKind.SET_GOAL:
        return Event(kind, number=_number_slot(handler_input, "rounds"))
    if kind is EventKind.NO_EQUIPMENT:
        equipment = _equipment_slot(handler_input)
        heard = getattr(_slot(handler_input, "equipment"), "value", None)
        if equipment is None and heard:
            # "no need to explain it" caught by the carrier "no {equipment}": not understood.
            return Event(EventKind.FALLBACK)
        return Event(kind, heard=equipment)
    if kind is EventKind.ADD_EXERCISE:
        exercise, _ = _exercise_slot(handler_input)
        return Event(kind, exercise=exercise, heard=_equipment_slot(handler_input))
    return Event(kind, heard=INTENT_CHOICES.get(request.intent.name or ""))


class DialogRequestHandler(AbstractRequestHandler):
    """Launch, every intent the model declares, and session end: all go through the dialog."""

    def __init__(self, store: Store, timezone_name: str, budget_seconds: float):
        self.store = store
        self.timezone_name = timezone_name
        self.budget_seconds = budget_seconds

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = request_type(handler_input)
        request = handler_input.request_envelope.request
        if kind == "IntentRequest":
            return getattr(request, "intent", None) is not None
        if kind == _USER_EVENT:  # a button on the screen; anything else is ignored
            from ..apl import user_event_action

            return user_event_action(getattr(request, "arguments", None)) is not None
        return kind in ("LaunchRequest", "SessionEndedRequest")

    def handle(self, handler_input: HandlerInput) -> Response | None:
        envelope = handler_input.request_envelope
        strings = strings_of(handler_input)
        event = event_from_request(handler_input)
        access = ApiAccess.from_envelope(envelope)
        deadline = deadline_of(handler_input)

        def device_zone() -> str | None:
            # At most a third of the turn: the store is read after it.
            assert access is not None
            seconds = share(deadline, 1 / 3, ZONE_LOOKUP_SECONDS)
            return fetch_time_zone(access, seconds, deadline)

        store = self.store.within(deadline)
        result = run_turn(
            store,
            TurnInput(
                user_id=store_key_of(handler_input),  # the recognised person's, else the account's
                event=event,
                timestamp=getattr(envelope.request, "timestamp", None),
                session_attributes=speaker_session(handler_input, store),
                strings=strings,
                timezone_name=self.timezone_name,
                budget_seconds=self.budget_seconds,
                device_zone=device_zone if access is not None else None,
            ),
        )
        handler_input.attributes_manager.request_attributes["outcome"] = (
            "store_error" if result.store_failed else "ok"
        )
        if event.kind is EventKind.SESSION_ENDED:
            return handler_input.response_builder.response
        handler_input.attributes_manager.session_attributes = result.session_attributes
        outcome = result.outcome
        reply = outcome.reply
        builder = handler_input.response_builder.speak(reply.speech)
        if reply.end_session:
            builder.set_should_end_session(True)
        else:
            builder.ask(reply.reprompt or reply.speech)
            elicited = _ELICITED.get(outcome.state.mode)
            if elicited is not None and request_type(handler_input) == "IntentRequest":
                builder.add_directive(elicit_slot(*elicited))
        if supports_apl(envelope):
            # Imported here: the screen module builds its document once, and only devices
            # with a screen need it (a cold start on an Echo Dot never pays for it).
            from ..apl import render_directive
            from .screen import screen_view

            view = screen_view(outcome.state, outcome.snapshot, strings, self.budget_seconds)
            if view is not None:
                builder.add_directive(_render_document(render_directive(view, strings)))
        if event.kind is EventKind.HOW_TO and event.exercise is not None:
            builder.set_card(SimpleCard(*howto_card(strings, event.exercise)))
        elif reply.end_session:
            builder.set_card(SimpleCard(*summary_card(strings, outcome.snapshot)))
        return builder.response


# Questions whose answer is a bare slot value ("ankle circles", "two"): Alexa is asked to elicit
# that slot (skill/alexa/elicit.py), so the answer arrives as that intent with the slot filled.
_ELICITED: dict[Mode, tuple[str, str]] = {
    Mode.ASK_EXERCISE: ("ChooseExerciseIntent", "exercise"),
    Mode.ASK_GOAL: ("SetGoalIntent", "rounds"),
}


def _render_document(directive: dict[str, Any]) -> RenderDocumentDirective:
    """The ASK model's RenderDocument directive (the response builder takes model objects)."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(
        token=directive["token"],
        document=directive["document"],
        datasources=directive["datasources"],
    )


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: forget everything kept about the account and its people.

    The event names the account only (no ``person``): the store's ``delete_user`` of the
    account also deletes every recognised person's records under it.
    """

    def __init__(self, store: Store):
        self.store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "AlexaSkillEvent.SkillDisabled"

    def handle(self, handler_input: HandlerInput) -> Response | None:
        try:
            account = speaker_of(handler_input).account_id
            self.store.within(deadline_of(handler_input)).delete_user(account)
        except StoreError as exc:
            # Raise so Alexa retries the event later rather than the data staying forever.
            log.error("could not delete a disabled user's data: %s", type(exc).__name__)
            raise
        return handler_input.response_builder.response


class UnknownRequestHandler(AbstractRequestHandler):
    """Request types the skill does not use: answer politely, change nothing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response | None:
        handler_input.attributes_manager.request_attributes["outcome"] = "unhandled"
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Last resort: the user hears a plain apology, never a stack trace or silence."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return request_type(handler_input) not in ("AlexaSkillEvent.SkillDisabled",)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response | None:
        log.error("unhandled error: %s", type(exception).__name__, exc_info=exception)
        handler_input.attributes_manager.request_attributes["outcome"] = "error"
        request = handler_input.request_envelope.request
        strings = strings_for(getattr(request, "locale", None))
        text = strings.say("dialog.error")
        builder = handler_input.response_builder.speak(text)
        if request_type(handler_input) != "SessionEndedRequest":
            builder.ask(text)
        return builder.response


def build_handlers(
    store: Store, timezone_name: str, budget_seconds: float
) -> list[AbstractRequestHandler]:
    """Every request handler, in the order the SDK should try them."""
    return [
        SkillDisabledHandler(store),
        ReminderIntentHandler(store, timezone_name),
        PermissionAnswerHandler(store, timezone_name),
        DialogRequestHandler(store, timezone_name, budget_seconds),
        UnknownRequestHandler(),
    ]
