"""The error handler: log first (never message text), then tell her in her language."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.context import BotContext
from handlers.identity import identity_of

log = logging.getLogger(__name__)


def describe_update(update: object) -> str:
    """Which update failed, by id and kind only: its text may be about violence or health."""
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = [name for name in ("message", "callback_query", "my_chat_member", "chat_member")
             if getattr(update, name, None) is not None]  # fmt: skip
    return f"update {update.update_id} ({', '.join(kinds) or 'other'})"


async def _load_identity_for_error(update: Update, context: BotContext) -> None:
    """The error handler gets a fresh context: find her language again, if the database lets us."""
    if context.has_identity or update.effective_user is None:
        return
    try:
        context.identity = await identity_of(update.effective_user, context)
    except Exception:  # the database itself may be what failed; English will have to do
        log.warning("could not load the user's language for the error message")


async def error_callback(update: object, context: BotContext) -> None:
    """Log the failure, then tell her something went wrong, if she can be told."""
    log.error("handler failed on %s", describe_update(update), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # she blocked the bot: there is nobody to tell
    await _load_identity_for_error(update, context)
    text = "😔 " + context.t._(
        "Sorry, something went wrong on our side. Please try again in a moment."
    )
    if update.callback_query is not None:
        # Stop the button's spinner; the handler may have answered it already, which is fine.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the user about the failure on %s", describe_update(update))
