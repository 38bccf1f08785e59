"""The prep checklist for each mode, from the method's "The environment" section.

A video call needs the whole list; face to face, the customer's place takes care of most of it;
a phone call still needs a quiet room and the hard copy, and a phone that will last.
"""

from __future__ import annotations

QUIET_ROOM = (
    "The room is reserved for the call and nobody will interrupt "
    "(at home, people know not to come in)"
)
WATER_AND_PAPER = "A glass of water and paper to write on"
HARD_COPY = "A printed hard copy of the guide, to keep eye contact instead of switching windows"
BACKGROUND = "A calm, mainstream background that draws no attention"
MICROPHONE = "Microphone tested and the room's acoustics are fine"
CONNECTION = "Connection tested: video and sound are smooth"
DRESSED = "Dressed for business (at least the upper half, and stay seated)"
LOOK_DECENT = "Look decent: dressed for a business meeting"
HARD_COPY_AND_NOTEBOOK = (
    "A hard copy of the questions and a notebook to write in, even with a notetaker along"
)
PHONE_READY = "Phone charged and the signal tested where you will sit"

# Keyed by the values of interviews.models.Mode (kept free of model imports: models use it).
CHECKLISTS: dict[str, tuple[str, ...]] = {
    "video": (
        QUIET_ROOM,
        WATER_AND_PAPER,
        HARD_COPY,
        BACKGROUND,
        MICROPHONE,
        CONNECTION,
        DRESSED,
    ),
    "in_person": (LOOK_DECENT, HARD_COPY_AND_NOTEBOOK),
    "phone": (QUIET_ROOM, WATER_AND_PAPER, HARD_COPY, PHONE_READY),
}

# Items next to which the interview page links to the guide's printable copy.
MENTIONS_GUIDE = frozenset({HARD_COPY, HARD_COPY_AND_NOTEBOOK})
