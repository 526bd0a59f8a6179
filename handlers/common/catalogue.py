"""The referral catalogue (services, topics, facts) as the handlers see it.

Checked at start-up and kept in bot_data; the help guide, /stats, fact confirmations and the
drop-in's reach log all read it from here.
"""

from __future__ import annotations

from bot.referrals import Catalogue, load_catalogue
from handlers.common.context import BotContext

CATALOGUE_KEY = "referral_catalogue"


def catalogue_of(context: BotContext) -> Catalogue:
    """The referral catalogue checked at start-up (tests may put another one in bot_data)."""
    found = context.bot_data.get(CATALOGUE_KEY)
    return found if isinstance(found, Catalogue) else load_catalogue()
