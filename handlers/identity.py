"""Load the person behind every update, once, before any other handler runs."""

from __future__ import annotations

from telegram import Update

from bot.identity import identify
from handlers.context import BotContext
from storage.people import load_person


async def load_identity_callback(update: Update, context: BotContext) -> None:
    """Put her identity (role, districts, language) on the context for the handlers after it."""
    user = update.effective_user
    if user is None:
        return
    record = await load_person(context.db, user.id)
    context.identity = identify(
        user.id, record, user.language_code, context.services.config.admins
    )
