"""The handler side of the access check: refuse politely, and pick the district to act in."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.access import Action, allowed
from bot.identity import Role
from handlers.common.context import BotContext
from handlers.common.render import button
from storage.districts import list_districts


async def refuse(update: Update, context: BotContext) -> None:
    """Tell her, in her language, that this is not hers to do; change nothing."""
    text = "🔒 " + context.t._("Sorry, only a coordinator of this district can do that.")
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=True)
            return
        except BadRequest:
            pass  # the press was answered already (opened from the menu): say it in the chat
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)


async def permitted_districts(context: BotContext, action: Action) -> list[tuple[int, str]]:
    """(id, name) of the districts where she may take the action; admins may act everywhere."""
    identity = context.identity
    if identity.role is Role.ADMIN:
        return [(d.id, d.name) for d in await list_districts(context.db)]
    return [
        (m.district_id, m.district_name)
        for m in identity.memberships
        if allowed(identity, action, m.district_id)
    ]


async def choose_district(
    update: Update, context: BotContext, action: Action, data_for: Callable[[int], str]
) -> int | None:
    """The one district she may act in, or None after asking her which (or refusing)."""
    districts = await permitted_districts(context, action)
    if len(districts) == 1:
        return districts[0][0]
    if not districts:
        await refuse(update, context)
        return None
    assert update.effective_chat is not None
    # Button labels are plain text to Telegram: the name goes in as it is.
    rows = [[button("🏘", name, data_for(district_id))] for district_id, name in districts]
    await context.bot.send_message(
        update.effective_chat.id,
        "🏘 " + context.t._("Which district?"),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return None
