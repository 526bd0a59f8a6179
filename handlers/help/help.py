"""/help: what the bot does for her, written for her role, with the help guide's topic buttons
first (so /help reaches the guide from anywhere, in every language), and the commands she can
use in a second message after them."""

from __future__ import annotations

from telegram import Update

from bot.i18n import N_, Translator
from bot.identity import Identity, Role
from handlers.common.commands import commands_for
from handlers.common.context import BotContext
from handlers.common.help_flow import remember_hers, send
from handlers.help.help_guide import ask_language_first, guide_intro, send_guide

_ROLE_INTRO = {
    Role.PUBLIC: N_(
        "This bot belongs to Bydelsmødre: women in Oslo who help other women find the right "
        "help, in their own language."
    ),
    Role.PARTICIPANT: N_(
        "You are taking the Bydelsmødre basic training. This bot keeps you in touch with "
        "your group and your coordinator."
    ),
    Role.MOTHER: N_(
        "You are a bydelsmor. This bot keeps you in touch with your group and your coordinator."
    ),
    Role.COORDINATOR: N_(
        "You are a coordinator. This bot helps you keep your district's group together."
    ),
    Role.ADMIN: N_(
        "You are an administrator at Bydelsmødre sentralt, with access to every district."
    ),
}


def commands_text(identity: Identity, t: Translator) -> str:
    lines = ["<b>" + t._("Commands") + "</b>"]
    lines += [f"{t.command(c.name)} — {t._(c.description)}" for c in commands_for(identity.role)]
    return "\n".join(lines)


async def help_command(update: Update, context: BotContext) -> None:
    """Explain the bot for her role."""
    assert update.effective_chat is not None
    remember_hers(update, context)
    await send_help(update.effective_chat.id, context)


async def help_menu_callback(update: Update, context: BotContext) -> None:
    """Explain the bot, from the menu's ❓ button."""
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await send_help(update.effective_chat.id, context)


async def send_help(chat_id: int, context: BotContext) -> None:
    """Who the bot is for her, and the guide's topic buttons first (what most women came for);
    the list of commands after them. Her language first if she has not chosen one."""
    if not context.identity.locale_chosen:
        await ask_language_first(chat_id, context)
        return
    t = context.t
    await send_guide(
        chat_id, context, t._(_ROLE_INTRO[context.identity.role]) + "\n\n" + guide_intro(context)
    )
    await send(context, chat_id, commands_text(context.identity, t))
