"""Messages the bot starts itself (not replies): to a member who may have blocked the bot.

A 403 from Telegram means she blocked the bot: she is marked unreachable, which her coordinator
sees, instead of the failure breaking whatever the coordinator was doing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from storage import Database
from storage.people import mark_unreachable

log = logging.getLogger(__name__)


async def send_to_person(bot: Bot, db: Database, telegram_id: int, text: str) -> bool:
    """Send an HTML message to her private chat; False (and marked unreachable) if she blocked
    the bot."""
    try:
        await bot.send_message(telegram_id, text, parse_mode=ParseMode.HTML)
    except Forbidden:
        log.info("a member has blocked the bot or deleted her account; marked unreachable")
    except BadRequest as exc:
        if "chat not found" not in exc.message.lower():
            raise
        log.info("a member's private chat does not exist (any more); marked unreachable")
    else:
        return True
    await mark_unreachable(db, telegram_id, datetime.now(UTC))
    return False
