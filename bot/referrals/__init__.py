"""The help guide's referral catalogue: which public service helps with what, and its cards.

The catalogue is data, `bot/data/referrals.toml` (its rules are written at the top of the file),
shaped after the Open Referral Human Services Data Specification: a service with its phones and
one location, and topics as its taxonomy. It is read once, checked strictly (a typo in a key, a
service without a source, a coordinate nobody can vouch for are refused with a reason), and turned
into frozen values.

Its texts are English message ids, translated like every other message (`catalogue_messages()`
feeds `scripts/catalogues.py`). Pure rules: no Telegram types.

The parts, one idea each: `model` (the values), `checks` (one table of the file checked),
`loading` (the whole file read and checked together), `cards` (a service written for her).
Callers import from here.
"""

from bot.referrals.cards import map_search_url, render_card, tel_text
from bot.referrals.loading import catalogue_messages, load_catalogue, parse_catalogue
from bot.referrals.model import (
    AUDIENCES,
    COSTS,
    MAX_MESSAGE_LENGTH,
    PACKAGED_PATH,
    TOPIC_KINDS,
    Address,
    Audience,
    Card,
    Catalogue,
    CatalogueError,
    Coordinates,
    Phone,
    Service,
    Topic,
    Venue,
)

__all__ = [
    "AUDIENCES",
    "COSTS",
    "MAX_MESSAGE_LENGTH",
    "PACKAGED_PATH",
    "TOPIC_KINDS",
    "Address",
    "Audience",
    "Card",
    "Catalogue",
    "CatalogueError",
    "Coordinates",
    "Phone",
    "Service",
    "Topic",
    "Venue",
    "catalogue_messages",
    "load_catalogue",
    "map_search_url",
    "parse_catalogue",
    "render_card",
    "tel_text",
]
