"""The announcements' buttons, one codec each (handlers/common/codec.py)."""

from __future__ import annotations

from handlers.common.codec import Codec

HISTORY_PAGE = Codec("bch", (r"\d{1,5}",))  # a page of the sent announcements

# A waiting (scheduled) announcement, by its id (handlers/announcements/broadcast_waiting.py).
WAITING = Codec("bcw", (r"\d{1,9}",))  # its card
WAITING_ACTION = Codec("bcw", (r"\d{1,9}", "now|time|x|xok"))  # send now, new time, cancel (ok)

# Composing one (handlers/announcements/broadcasts.py): every press is checked against her draft.
LOCALE = "[a-zA-Z_]{2,6}"
DISTRICT = Codec("bc:d", (r"\d{1,9}",))  # a district: who in it
AUDIENCE = Codec("bc:a", ("[a-z0-9.]{1,40}",))  # the audience's code (bot/broadcasts.py Audience)
VERSION = Codec("bc:v", (LOCALE,))  # write the version in this language
ORIGINAL_LANGUAGES = Codec("bc:orig")  # her text is in another language: which?
ORIGINAL = Codec("bc:o", (LOCALE,))  # this one
PREVIEW = Codec("bc:pv")  # show it as they will see it, then the confirmation
CONFIRM = Codec("bc:cf")  # back to the confirmation
LATER = Codec("bc:later")  # send it at a time she types
BACK = Codec("bc:back")  # back to the versions
TOP = Codec("bc:top")  # back to the first question
NEW = Codec("bc:new")  # start again
SEND = Codec("bc:ok")  # send it (now, or at the time chosen)
CANCEL = Codec("bc:x")  # throw the draft away
COMPOSING = (
    DISTRICT,
    AUDIENCE,
    VERSION,
    ORIGINAL_LANGUAGES,
    ORIGINAL,
    PREVIEW,
    CONFIRM,
    LATER,
    BACK,
    TOP,
    NEW,
    SEND,
    CANCEL,
)
