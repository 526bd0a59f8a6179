"""The meetings' buttons, one codec each (handlers/common/codec.py).

An answer pressed on a reminder has a codec of its own (RSVP_ON_REMINDER), so that the answer
redraws the reminder as a reminder because of what the button says, not because of the
message's text.
"""

from __future__ import annotations

from handlers.common.codec import ID, Codec

ANSWER = "[ynm]"  # yes, no, maybe (meetings.ANSWER_CODES)

CARD = Codec("mtg", (ID,))  # a meeting's card
RSVP = Codec("rsvp", (ID, ANSWER))  # her answer, pressed on the card
RSVP_ON_REMINDER = Codec("rsvpr", (ID, ANSWER))  # her answer, pressed on a reminder
CALENDAR = Codec("ics", (ID,))  # one meeting as an .ics file
DISTRICT_CALENDAR = Codec("icsd", (ID,))  # a district's next three months
ANSWERS = Codec("mans", (ID,))  # a meeting's answers, for who may see them
DISTRICT_ANSWERS = Codec("rsvd", (ID,))  # /rsvps: the district's next meeting's answers
NOTE = Codec("mnote", (ID,))  # a meeting's place and note (typed next)

# /phase (handlers/meetings/phase.py): the district's id and, once chosen, the phase (1-4).
DISTRICT = r"\d{1,9}"
PHASE_CHOICES = Codec("ph", (DISTRICT,))  # the phases it can move to
PHASE_PICK = Codec("ph", (DISTRICT, "[1-4]"))  # ask to confirm one
PHASE_OK = Codec("phok", (DISTRICT, "[1-4]"))  # make the change
