"""The help guide's buttons, one codec each (handlers/common/codec.py)."""

from __future__ import annotations

from handlers.common.codec import Codec
from handlers.common.language import LANGUAGE_CODE

GUIDE_LANGUAGE = Codec("hlang", (LANGUAGE_CODE,))  # her language, chosen on her way to help

SLUG = "[a-z0-9-]{1,40}"  # a topic's or a service's id in the catalogue
DISTRICT = r"\d{1,9}"

# The guide (handlers/help/help_guide.py).
TOPICS = Codec("hlp:topics")  # all topics again
TOPIC = Codec("hlp:t", (SLUG,), example=("violence",))  # a topic's service cards
TOPIC_VOICE = Codec("hlp:v", (SLUG,), example=("violence",))  # its voice note
TOPIC_PAGE = Codec("hlp:p", (SLUG, r"\d{1,2}"), example=("violence", 1))  # a later page

# A contact request (handlers/help/contact_requests.py).
ASK = Codec("hlp:ask")  # ask a bydelsmor to contact her
CONSENT_YES = Codec("hlp:ok")  # she agrees that her details are stored
CONSENT_NO = Codec("hlp:no")  # she does not
REQUEST_DISTRICT = Codec("hlp:d", (DISTRICT,))  # her district
REQUEST_CHANNEL = Codec("hlp:c", (DISTRICT, "tg|ph"))  # by Telegram or by phone
REQUEST_DONE = Codec("req:done", (r"\d{1,12}",))  # a coordinator marks the request handled

# An admin confirms a fact of a service (handlers/help/confirm_facts.py): the address or a phone.
FACT = Codec("cfm", (SLUG, r"a|p\d{1,2}"))

# Recording the guide's voice notes (handlers/help/voice_notes.py).
LOCALE = "[A-Za-z_]{2,8}"
VOICE_TOPIC = Codec("vc", (SLUG,))  # the topic to record; the languages are asked next
VOICE_LANGUAGE = Codec("vc", (SLUG, LOCALE))  # and the language: the recording is awaited
VOICE_KEEP = Codec("vck")  # ✅ keep the recording just played back
VOICE_DISCARD = Codec("vcx")  # 🗑 or discard it
VOICE_DELETE = Codec("vcd", (SLUG, LOCALE))  # delete a recorded voice note
