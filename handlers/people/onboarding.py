"""Onboarding: /start, the language picker, /language, and the welcome.

Each language is shown in its own script, so she can find hers without reading the others.
Telegram's language hint only decides the wording of the question above the buttons; her own
choice is stored and wins from then on.
"""

from __future__ import annotations

from telegram import Update

from handlers.common.context import BotContext
from handlers.common.language import (
    choose_language,
    send_language_picker,
)
from handlers.common.menu import send_menu
from handlers.course.links import answer_course_payload
from handlers.people.invites import answer_invite_payload

START_PAYLOAD_KEY = "start_payload"


async def start_command(update: Update, context: BotContext) -> None:
    """Greet her: the language picker first if she has not chosen one, else the menu."""
    assert update.effective_chat is not None and context.user_data is not None
    if context.args:
        # Kept until she has chosen a language, so the link's answer is in her language.
        context.user_data[START_PAYLOAD_KEY] = context.args[0]
    if not context.identity.locale_chosen:
        await send_language_picker(update.effective_chat.id, context)
        return
    await after_language_chosen(update.effective_chat.id, context)


async def language_command(update: Update, context: BotContext) -> None:
    """Show the language picker."""
    assert update.effective_chat is not None
    await send_language_picker(update.effective_chat.id, context)


async def language_menu_callback(update: Update, context: BotContext) -> None:
    """Open the language picker from the menu."""
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await send_language_picker(update.effective_chat.id, context)


async def language_chosen_callback(update: Update, context: BotContext) -> None:
    """Store the language she pressed, then greet her in it."""
    assert update.effective_chat is not None
    await choose_language(update, context)
    await after_language_chosen(update.effective_chat.id, context)


async def after_language_chosen(chat_id: int, context: BotContext) -> None:
    """Finish what /start began: answer an opened link, then show the menu."""
    t = context.t
    payload = context.user_data.pop(START_PAYLOAD_KEY, None) if context.user_data else None
    if payload is not None:
        if await answer_invite_payload(chat_id, payload, context):
            return  # the invite's own question comes first; the menu follows when she answers
        if await answer_course_payload(chat_id, payload, context):
            return  # the basic training's poster link, or an ID card's verification
        invalid = t._("This link is not valid or has expired. Ask your coordinator for a new one.")
        await context.bot.send_message(chat_id, "⚠️ " + invalid)
    # TRANSLATORS: Bydelsmødre is the organisation's name (plural of bydelsmor): keep it.
    welcome = t._(
        "Welcome! Bydelsmødre are women in Oslo who help other women, in their own language."
    )
    await send_menu(chat_id, context, intro=welcome)
