"""/me: her districts, her role in each, and her language, in her language."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.i18n import Translator
from bot.identity import Identity, Role
from handlers.common.context import BotContext
from handlers.common.labels import ROLE_NAMES, reviewer_line
from handlers.common.menu import menu_keyboard
from handlers.common.render import escape
from storage.review import reviewer_locales


def profile_text(identity: Identity, t: Translator, review: tuple[str, ...] = ()) -> str:
    lines = ["👤 <b>" + t._("Your profile") + "</b>"]
    for m in identity.memberships:
        lines.append(
            # TRANSLATORS: e.g. "Alna (phase 3): bydelsmor"; each group moves through phases 1-4.
            t._("{district} (phase {phase}): {role}").format(
                district=t.ltr(escape(m.district_name)),
                phase=t.ltr(m.phase),
                role=t._(ROLE_NAMES[Role(m.role)]),
            )
        )
    if identity.role is Role.ADMIN:
        lines.append(t._(ROLE_NAMES[Role.ADMIN]))
    if not identity.memberships and identity.role is not Role.ADMIN:
        lines.append(t._("You are not a member of a district group yet."))
    if review:
        lines.append(reviewer_line(t, review))
    lines.append(t._("Language: {language}").format(language=t.language.native_name))
    return "\n".join(lines)


async def profile_command(update: Update, context: BotContext) -> None:
    """Show her profile."""
    assert update.effective_chat is not None
    await send_profile(update.effective_chat.id, context)


async def profile_menu_callback(update: Update, context: BotContext) -> None:
    """Show her profile, from the menu's 👤 button."""
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await send_profile(update.effective_chat.id, context)


async def send_profile(chat_id: int, context: BotContext) -> None:
    t = context.t
    await context.bot.send_message(
        chat_id,
        profile_text(
            context.identity, t, await reviewer_locales(context.db, context.identity.telegram_id)
        ),
        parse_mode=ParseMode.HTML,
        reply_markup=menu_keyboard(context.identity, t),
    )
