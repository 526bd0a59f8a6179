"""Load the person behind every update, once, before any other handler runs."""

from __future__ import annotations

from telegram import Update, User

from bot.identity import Identity, identify
from handlers.context import BotContext
from storage.people import load_person


async def identity_of(user: User, context: BotContext) -> Identity:
    record = await load_person(context.db, user.id)
    return identify(user.id, record, user.language_code, context.services.config.admins)


async def load_identity_callback(update: Update, context: BotContext) -> None:
    """Put her identity (role, districts, language) on the context for the handlers after it."""
    if update.effective_user is not None:
        context.identity = await identity_of(update.effective_user, context)
