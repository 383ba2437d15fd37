"""``Dialog.ElicitSlot``: ask Alexa to take the user's next words as one slot of one intent.

Used where the skill asks a question whose answer is a bare value ("ankle circles", "two",
"eight in the morning"): the answer then arrives as that intent with the slot filled, instead of
needing a catch-all sample. The speech is the skill's own; the models give each elicited slot its
samples and a dialog model (``delegationStrategy: SKILL_RESPONSE``). A Dialog directive is
refused on a LaunchRequest, so it is only sent in answer to an IntentRequest.
Source: https://developer.amazon.com/en-US/docs/alexa/custom-skills/dialog-interface-reference.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a reply needs it
    from ask_sdk_model.dialog import ElicitSlotDirective

__all__ = ["elicit_slot"]


def elicit_slot(intent_name: str, slot_name: str) -> ElicitSlotDirective:
    """The ``Dialog.ElicitSlot`` directive for ``slot_name`` of ``intent_name``.

    Parameters
    ----------
    intent_name:
        The custom intent the answer is for (``"ChooseExerciseIntent"``).
    slot_name:
        Its slot the answer fills (``"exercise"``).

    Returns
    -------
    ElicitSlotDirective
        With an ``updatedIntent`` that has the slot, unfilled and unconfirmed.
    """
    from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
    from ask_sdk_model.dialog import ElicitSlotDirective

    slot = Slot(name=slot_name, confirmation_status=SlotConfirmationStatus.NONE)
    intent = Intent(
        name=intent_name,
        confirmation_status=IntentConfirmationStatus.NONE,
        slots={slot_name: slot},
    )
    return ElicitSlotDirective(slot_to_elicit=slot_name, updated_intent=intent)
