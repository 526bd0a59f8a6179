"""What happens to everything no other handler took: unknown commands, free text, old buttons."""

from __future__ import annotations

from telegram import Update

from handlers.common.context import BotContext
from handlers.common.help_flow import remember_if_open
from handlers.common.language import send_language_picker
from handlers.common.menu import send_menu
from handlers.common.render import answer_expired


async def unknown_command_callback(update: Update, context: BotContext) -> None:
    """Say the command is unknown and show the menu."""
    assert update.effective_chat is not None
    t = context.t
    text = "🤔 " + t._("I do not know that command. Press a button, or send {command}.").format(
        command=t.command("help")
    )
    reply = await send_menu(update.effective_chat.id, context, intro=text)
    remember_if_open(update, context, [reply])  # 🧹 deletes it with the help flow


async def free_text_callback(update: Update, context: BotContext) -> None:
    """Point a typed message (any length, any script) to the menu; its text is not kept."""
    assert update.effective_chat is not None
    if not context.identity.locale_chosen:
        # A newcomer who types before /start still needs the language question first.
        await send_language_picker(update.effective_chat.id, context)
        return
    text = "👇 " + context.t._("I understand the buttons best. Please choose one:")
    reply = await send_menu(update.effective_chat.id, context, intro=text)
    remember_if_open(update, context, [reply])  # "my husband hits me" goes with 🧹 too


async def stale_button_callback(update: Update, context: BotContext) -> None:
    """Answer a press on a button that is old, forged or not ours, changing nothing."""
    assert update.callback_query is not None
    await answer_expired(update.callback_query, context.t)
