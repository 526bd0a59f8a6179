"""The error handler: log first (never message text), then tell her in her language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.context import BotContext

log = logging.getLogger(__name__)


def describe_update(update: object) -> str:
    """Which update failed, by id and kind only: its text may be about violence or health."""
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = [name for name in ("message", "callback_query", "my_chat_member", "chat_member")
             if getattr(update, name, None) is not None]  # fmt: skip
    return f"update {update.update_id} ({', '.join(kinds) or 'other'})"


async def error_callback(update: object, context: BotContext) -> None:
    """Log the failure, then tell her something went wrong, if she can be told."""
    log.error("handler failed on %s", describe_update(update), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # she blocked the bot: there is nobody to tell
    text = "😔 " + context.t._(
        "Sorry, something went wrong on our side. Please try again in a moment."
    )
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the user about the failure on %s", describe_update(update))
