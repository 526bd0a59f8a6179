"""The meetings' buttons, one codec each (handlers/common/codec.py).

An answer pressed on a reminder has a codec of its own (RSVP_ON_REMINDER), so that the answer
redraws the reminder as a reminder because of what the button says, not because of the
message's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.common.codec import ID, Codec, Word

ANSWER = "[ynm]"  # yes, no, maybe (meetings.ANSWER_CODES)
DISTRICT = r"\d{1,9}"

CARD = Codec("mtg", (ID,))  # a meeting's card
RSVP = Codec("rsvp", (ID, ANSWER))  # her answer, pressed on the card
RSVP_ON_REMINDER = Codec("rsvpr", (ID, ANSWER))  # her answer, pressed on a reminder
CALENDAR = Codec("ics", (ID,))  # one meeting as an .ics file
DISTRICT_CALENDAR = Codec("icsd", (ID,))  # a district's next three months
ANSWERS = Codec("mans", (ID,))  # a meeting's answers, for who may see them
DISTRICT_ANSWERS = Codec("rsvd", (ID,))  # /rsvps: the district's next meeting's answers
NOTE = Codec("mnote", (ID,))  # a meeting's place and note (typed next)
CANCEL = Codec("mcan", (ID,))  # ask to confirm cancelling a meeting
CANCEL_OK = Codec("mcanok", (ID,))  # cancel it
RESTORE = Codec("mres", (ID,))  # ask to confirm restoring a cancelled meeting
RESTORE_OK = Codec("mresok", (ID,))  # restore it

DAY = r"\d{8}"  # 20261224
CLOCK = r"\d{4}"  # 1830


@dataclass(frozen=True)
class When:
    """Moving a meeting (its id) or adding one (its district's id), in steps: a day, a time on
    it, the question, ✅ confirmed; ❌ cancels at any step (handlers/meetings/meeting_when.py)."""

    pick_day: Codec
    pick_time: Codec  # the day chosen
    confirm: Codec  # the day and the time chosen: asked to confirm
    ok: Codec  # confirmed: the meeting moves, or is added
    cancel: Codec  # nothing changes

    def codecs(self) -> tuple[Codec, ...]:
        return (self.pick_day, self.pick_time, self.confirm, self.ok, self.cancel)


def when(name: str) -> When:
    return When(
        pick_day=Codec(name, (ID,)),
        pick_time=Codec(name, (ID, DAY)),
        confirm=Codec(name, (ID, DAY, CLOCK)),
        ok=Codec(name + "ok", (ID, DAY, CLOCK)),
        cancel=Codec(name + "x", (ID,)),
    )


MOVE = when("mmv")  # a meeting's id
ADD = when("madd")  # a district's id

# 🔁 Regular meetings (handlers/meetings/meeting_rule.py): the district's rule, a setting's
# choices (f), a choice made (c), back to the rule as drafted (v), ✅ save, ❌ cancel.
RULE_FIELD = "wd|tm|an|mo|mow[1-5]|mod|rh|do|dd"
RULE_CHOICE = "[a-z0-9]{2,12}"
RULE = Codec("rr", (DISTRICT,))
RULE_SETTING = Codec("rr", (DISTRICT, Word("f"), RULE_FIELD))
RULE_CHOSEN = Codec("rr", (DISTRICT, Word("c"), RULE_CHOICE))
RULE_VIEW = Codec("rr", (DISTRICT, Word("v")))
RULE_SAVE = Codec("rr", (DISTRICT, Word("ok")))
RULE_CANCEL = Codec("rr", (DISTRICT, Word("x")))
RULE_BUTTONS = (RULE, RULE_SETTING, RULE_CHOSEN, RULE_VIEW, RULE_SAVE, RULE_CANCEL)

# /phase (handlers/meetings/phase.py): the district's id and, once chosen, the phase (1-4).
PHASE_CHOICES = Codec("ph", (DISTRICT,))  # the phases it can move to
PHASE_PICK = Codec("ph", (DISTRICT, "[1-4]"))  # ask to confirm one
PHASE_OK = Codec("phok", (DISTRICT, "[1-4]"))  # make the change
