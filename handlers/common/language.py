"""The language picker: every language in its own script, and storing the one she presses.

Shared by onboarding (/start, /language), the help guide (which asks first, with a prefix of its
own) and the announcement composer (which lists the languages as buttons).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update

from bot.i18n import LANGUAGE_BY_CODE, LANGUAGES
from bot.identity import Identity
from handlers.common.codec import Codec, fields_of
from handlers.common.commands import set_chat_commands
from handlers.common.context import BotContext
from handlers.common.render import button, edit_in_place
from storage.people import save_locale

# Only our languages' codes: a button naming another matches no pattern (the stale answer).
LANGUAGE_CODE = "|".join(re.escape(lang.code) for lang in LANGUAGES)
LANGUAGE = Codec("lang", (LANGUAGE_CODE,))  # the picker of /start and /language


def language_keyboard(data_for: Callable[[str], str] = LANGUAGE.encode) -> InlineKeyboardMarkup:
    """Every language in its own script; each button's data is `data_for(code)`."""
    buttons = [button("🗣", lang.native_name, data_for(lang.code)) for lang in LANGUAGES]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def send_language_picker(chat_id: int, context: BotContext) -> None:
    text = "🌍 " + context.t._("Choose your language")
    await context.bot.send_message(chat_id, text, reply_markup=language_keyboard())


async def choose_language(update: Update, context: BotContext) -> None:
    """Store the language of the button she pressed (a codec whose one field is LANGUAGE_CODE)
    and speak it from now on: the pressed message says her choice, her command menu follows."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    (code,) = fields_of(context.matches)
    language = LANGUAGE_BY_CODE[code]  # the pattern admits only our languages' codes
    await save_locale(context.db, context.identity.telegram_id, language.code)
    old = context.identity
    context.identity = Identity(old.telegram_id, language.code, True, old.role, old.memberships)
    await query.answer()
    await edit_in_place(query, f"✅ {language.native_name}")  # a double tap is no error
    await set_chat_commands(context.bot, update.effective_chat.id, old.role, context.t)
