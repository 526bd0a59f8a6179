"""Small rendering helpers shared by all handlers: buttons, escaping, answering a press."""

from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
from collections.abc import Sequence
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.i18n import Translator
from handlers.common.context import BotContext
from handlers.common.receipts import unread

log = logging.getLogger(__name__)

# Telegram refuses callback_data over 64 bytes; ours are short ASCII ids, checked here so a
# mistake shows up in the first test rather than in production.
MAX_CALLBACK_BYTES = 64


# PTB's buttons cannot change once built, so one serves every keyboard it appears in: the same
# few hundred labels and presses come back in every update.
@functools.lru_cache(maxsize=4096)
def button(emoji: str, label: str, data: str) -> InlineKeyboardButton:
    """A button that starts with a picture, for women who read little."""
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return InlineKeyboardButton(f"{emoji} {label}", callback_data=data)


# Every field of a button but the two the bot's buttons have (from PTB's own list, so that a
# field a later PTB adds is covered too).
_OTHER_FIELDS = tuple(
    name
    for name in InlineKeyboardButton.__slots__
    if name not in ("text", "callback_data") and not name.startswith("_")
)


def keyboard_dict(keyboard: InlineKeyboardMarkup) -> dict[str, Any] | None:
    """What `to_dict()` gives for a keyboard of the bot's own buttons (a text and a press),
    made directly: PTB's generic way walks every field of every button (a fifth of a help
    card's time). None for any other keyboard: it goes PTB's way."""
    if keyboard.api_kwargs or not keyboard.inline_keyboard:
        return None
    rows = []
    for row in keyboard.inline_keyboard:
        made = []
        for one in row:
            if (
                type(one) is not InlineKeyboardButton
                or one.api_kwargs
                or not isinstance(one.callback_data, str)
                or any(getattr(one, name) is not None for name in _OTHER_FIELDS)
            ):
                return None
            made.append({"callback_data": one.callback_data, "text": one.text})
        rows.append(made)
    return {"inline_keyboard": rows}


class FrozenKeyboard(InlineKeyboardMarkup):
    """A keyboard built once and sent many times (a role's menu in one language): its JSON form
    is made once, and the bot need not read it back from Telegram's answer
    (handlers/common/transport.py). PTB's objects cannot change once built, so one can serve
    every chat."""

    __slots__ = ("_json", "sent")

    def __init__(
        self,
        inline_keyboard: Sequence[Sequence[InlineKeyboardButton]],
        *,
        api_kwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(inline_keyboard, api_kwargs=api_kwargs)
        with self._unfrozen():
            # What Telegram is sent, and echoes in its answer (never handed out: compared only).
            self.sent = keyboard_dict(self) or super().to_dict()
            self._json = json.dumps(self.sent)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        fresh: dict[str, Any] = json.loads(self._json)  # a copy: the caller may change it
        return fresh


def escape(text: str) -> str:
    """Escape a user-provided string (a name, a note) for HTML parse mode."""
    return html.escape(text, quote=False)


async def answer_expired(query: CallbackQuery, t: Translator) -> None:
    """Tell her, briefly, that this button no longer does anything."""
    # TRANSLATORS: a short pop-up (at most 200 characters); {command} is /menu.
    text = t._("This button has expired. Send {command} to start again.")
    await query.answer(text.format(command=t.command("menu")))


async def edit_in_place(
    query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message's text and buttons (HTML).

    Pressing a button that shows what is already there (a page she is on, twice) is no error.
    Telegram's answer (the edited message) is not read (handlers/common/receipts.py).
    """
    try:
        with unread():
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def say_sorry(update: Update, context: BotContext) -> None:
    """Tell her something went wrong on our side, in her language, if she can be told."""
    if update.effective_chat is None:
        return
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
        log.warning("could not tell the user about a failure (%s)", type(update).__name__)
