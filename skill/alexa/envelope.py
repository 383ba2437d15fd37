"""What a request envelope says about itself: its type, and whose data it is about.

One definition for every handler (the dialog's, the reminders', the skill events'), so the
modules that handle requests do not import each other.

Whose data: the account, or the person speaking
-----------------------------------------------
With skill personalization, Alexa tells the skill which of an account's people is speaking.
The skill declares the ``alexa::person_id:read`` permission in its manifest
(``interaction_model/skill.json``; the developer console calls it "Skill Personalization").
When a speaker whose Alexa voice ID has "Personalize skills" on is recognised, the request
carries ``context.System.person.personId`` (``amzn1.ask.person.<id>``) beside
``context.System.user.userId`` (the account's ``amzn1.ask.account.<id>``); a request from a
speaker Alexa did not recognise has no ``person`` at all, and the skill must handle it as it did
before (that speaker is the account). Sources:

- Add Personalization to Your Alexa Skill,
  https://developer.amazon.com/en-US/docs/alexa/custom-skills/add-personalization-to-your-skill.html
  (set-up: the "Skill Personalization" permission, scope ``alexa::person_id:read``; handle the
  unrecognised speaker gracefully);
- Add Personalized Greetings or Prompts,
  https://developer.amazon.com/docs/custom-skills/add-personalized-greetings-or-prompts.html
  (``personId`` is in ``context.System.person``);
- Learn Best Practices for Testing Personalization,
  https://developer.amazon.com/en-US/docs/alexa/custom-skills/test-troubleshoot-personalization.html
  (track ``userId`` and ``personId`` per request). Certification asks a skill to "respond
  appropriately to requests without a personId in a session started with a request containing
  a personId" (Amazon's feedback quoted in
  https://github.com/OneBusAway/onebusaway-alexa/issues/115): here such a request is the
  account's, not the person's who opened the session.

So the key is decided per request (:func:`store_key_of`): the account's user ID when no person
is recognised, else :func:`~skill.store.base.person_key` of both. Progress, settings, streaks
and the daily reminder's token are the speaker's. A session's cached snapshot belongs to the
speaker it was read for, and is read again when the next request is someone else's
(:func:`speaker_session`): what a set under way counts towards is whoever Alexa says said
"next". A request nobody spoke (the session ending, a touch on the screen, Alexa's answer to a
permission request: :data:`UNSPOKEN`) cannot have its voice recognised, so it stays with the
person of the session it belongs to; for that the session attributes carry the person ID (they
go to Alexa and back, never into a log). ``SkillDisabled`` names the account only, and deletes
the account's records with every person's (:meth:`~skill.store.base.Store.delete_user`).

Reminders are the person's too: the reminder rings on the device for everyone in the room (the
Reminders API has no person), but it is set, replaced and stopped by the voice that asked for
it, so one person's "remind me at 10" never silently replaces another's 9 o'clock. An
unrecognised voice manages the account's own reminder; any reminder can also be deleted in the
Alexa app.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from ..exceptions import StoreError
from ..records import record
from ..store.base import Store, person_key
from .turn import SNAPSHOT_KEY

__all__ = [
    "SPEAKER_KEY",
    "UNSPOKEN",
    "Speaker",
    "request_type",
    "speaker_of",
    "speaker_session",
    "store_key_of",
    "user_id_of",
]

log = logging.getLogger(__name__)

# Session attribute: the person ID of the speaker whose snapshot the session caches (absent:
# the account's).
SPEAKER_KEY = "speaker"
# Requests no one spoke: no voice to recognise, so no person even when the session has one.
UNSPOKEN = frozenset(
    {"SessionEndedRequest", "Alexa.Presentation.APL.UserEvent", "Connections.Response"}
)


def request_type(handler_input: HandlerInput) -> str:
    """The request's type (``"IntentRequest"`` ...), or ``""`` when the envelope has none."""
    request = handler_input.request_envelope.request  # None: the hosts answer such envelopes
    return (request.object_type if request is not None else None) or ""


def user_id_of(handler_input: HandlerInput) -> str:
    """The account a request comes from (``anonymous`` when Alexa sent no user).

    The session's user when there is a session, else the context's (skill events have none).
    """
    envelope = handler_input.request_envelope
    if envelope.session is not None and envelope.session.user is not None:
        return envelope.session.user.user_id or "anonymous"
    system = envelope.context.system if envelope.context is not None else None
    if system is not None and system.user is not None:
        return system.user.user_id or "anonymous"
    return "anonymous"


@record(frozen=True)
class Speaker:
    """Who a request is from: the account, and the person Alexa recognised (if any).

    Attributes
    ----------
    account_id : str
        The account's user ID (:func:`user_id_of`).
    person_id : str or None
        ``context.System.person.personId``; ``None`` when Alexa did not recognise the voice.
    """

    account_id: str
    person_id: str | None = None

    @property
    def key(self) -> str:
        """The store key of this speaker's records (see :func:`store_key_of`)."""
        if self.person_id is None:
            return self.account_id
        return person_key(self.account_id, self.person_id)


def speaker_of(handler_input: HandlerInput) -> Speaker:
    """The request's account and recognised person.

    The person is ``context.System.person.personId``; on a request no one spoke
    (:data:`UNSPOKEN`) that has none, the person of its session (``SPEAKER_KEY``). A person ID
    that :func:`~skill.store.base.person_key` would refuse (empty, or holding ``"#"``: no ID
    Alexa issues does) is treated as no person, and so is any person on a request without an
    account.
    """
    account = user_id_of(handler_input)
    envelope = handler_input.request_envelope
    system = envelope.context.system if envelope.context is not None else None
    person = getattr(getattr(system, "person", None), "person_id", None)
    if person is None and request_type(handler_input) in UNSPOKEN:
        person = (handler_input.attributes_manager.session_attributes or {}).get(SPEAKER_KEY)
    if not isinstance(person, str) or not person or account == "anonymous":
        return Speaker(account)
    try:
        person_key(account, person)
    except ValueError:
        log.warning("person ID ignored: not a key this store can keep")
        return Speaker(account)
    return Speaker(account, person)


def store_key_of(handler_input: HandlerInput) -> str:
    """Whose records a request reads and writes: the one key every handler uses.

    Returns
    -------
    str
        The account's user ID when Alexa recognised no one (as before personalization), else
        ``<user ID>#person#<person ID>`` (:func:`~skill.store.base.person_key`).
    """
    return speaker_of(handler_input).key


def speaker_session(handler_input: HandlerInput, store: Store) -> dict[str, Any]:
    """The session's attributes as this request's speaker may use them.

    When the session's cached snapshot (``SNAPSHOT_KEY``) was read for someone else (another
    person, or the account), it is dropped so the turn reads the speaker's own; the dialog's
    place in the conversation stays. On a person's first request of a session, the person is
    noted with the store (:meth:`~skill.store.base.Store.note_person`) before the turn writes
    anything, so disabling the skill finds their records; if that fails, the next request
    tries again (the store is then most likely failing the turn's writes as well).

    Parameters
    ----------
    handler_input : HandlerInput
        The request.
    store : Store
        The turn's store (its deadline applies to the note).

    Returns
    -------
    dict
        A copy of the session attributes, with ``SPEAKER_KEY`` set to the person ID for a
        person and removed otherwise.
    """
    attributes = dict(handler_input.attributes_manager.session_attributes or {})
    speaker = speaker_of(handler_input)
    was = attributes.get(SPEAKER_KEY)
    if speaker.person_id is None:
        if was is not None:
            attributes.pop(SNAPSHOT_KEY, None)
            del attributes[SPEAKER_KEY]
        return attributes
    if was == speaker.person_id:
        return attributes
    attributes.pop(SNAPSHOT_KEY, None)
    attributes.pop(SPEAKER_KEY, None)
    try:
        store.note_person(speaker.account_id, speaker.person_id)
    except StoreError as exc:
        log.warning("store write failed: %s (person)", type(exc).__name__)
        return attributes
    attributes[SPEAKER_KEY] = speaker.person_id
    return attributes
