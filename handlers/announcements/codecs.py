"""The announcements' buttons, one codec each (handlers/common/codec.py). The composer's "bc:"
buttons are still parsed in handlers/announcements/broadcasts.py (issue 15 point 3 left them)."""

from __future__ import annotations

from handlers.common.codec import Codec

HISTORY_PAGE = Codec("bch", (r"\d{1,5}",))  # a page of the sent announcements

# A waiting (scheduled) announcement, by its id (handlers/announcements/broadcast_waiting.py).
WAITING = Codec("bcw", (r"\d{1,9}",))  # its card
WAITING_ACTION = Codec("bcw", (r"\d{1,9}", "now|time|x|xok"))  # send now, new time, cancel (ok)
