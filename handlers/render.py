"""Small rendering helpers shared by all handlers: buttons, escaping, answering a press."""

from __future__ import annotations

import html

from telegram import CallbackQuery, InlineKeyboardButton

from bot.i18n import Translator

# Telegram refuses callback_data over 64 bytes; ours are short ASCII ids, checked here so a
# mistake shows up in the first test rather than in production.
MAX_CALLBACK_BYTES = 64


def button(emoji: str, label: str, data: str) -> InlineKeyboardButton:
    """A button that starts with a picture, for women who read little."""
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return InlineKeyboardButton(f"{emoji} {label}", callback_data=data)


def escape(text: str) -> str:
    """Escape a user-provided string (a name, a note) for HTML parse mode."""
    return html.escape(text, quote=False)


async def answer_expired(query: CallbackQuery, t: Translator) -> None:
    """Tell her, briefly, that this button no longer does anything."""
    # TRANSLATORS: a short pop-up (at most 200 characters); {command} is /menu.
    text = t._("This button has expired. Send {command} to start again.")
    await query.answer(text.format(command=t.command("menu")))
