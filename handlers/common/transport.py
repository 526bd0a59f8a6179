"""The bot's ExtBot: python-telegram-bot's Bot, made to survive updates it cannot read, and to
ask getMe once at start-up (the start-up check's answer is kept for the Application's start).

An update python-telegram-bot cannot parse (a `poll_answer` without the fields it expects, a
kind newer than the library) fails the whole `getUpdates` batch: PTB logs the raw batch (her
messages, her phone number) at CRITICAL and fetches the same batch again, for ever. Here each
update of a batch is read on its own; one that cannot be read is logged by its id and kind only
and replaced by an empty update with the same id, so that the offset moves past it and every
other update of the batch is handled as usual.

A message sent or edited with an inline keyboard comes back from Telegram with that keyboard in
it: when the answer carries exactly the keyboard sent, it is not parsed again into objects (a
menu's buttons were two thirds of its time), the keyboard sent is put in the returned Message,
equal to what parsing would give. Any other answer is parsed as PTB always does.

A send or edit inside `receipts.unread()` is not parsed at all: its answer is kept as a `Sent`
(message id and chat) and PTB is handed `True`, the answer it already knows not to parse.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ExtBot

from handlers.common.receipts import keep_unread
from handlers.common.render import FrozenKeyboard

log = logging.getLogger(__name__)
# The keyboard of the message being sent by this task, and whether Telegram echoed it exactly.
_SENDING: ContextVar[list[Any] | None] = ContextVar("frozen_keyboard_sent", default=None)


class BydelsBot(ExtBot[None]):
    _known_at_start = False

    def known_at_start(self) -> None:
        """The start-up check asked getMe already: the Application's start need not ask again."""
        self._known_at_start = self._bot_user is not None

    async def get_me(self, *args: Any, **kwargs: Any) -> Any:
        if self._known_at_start and self._bot_user is not None:
            self._known_at_start = False  # once: a later getMe asks Telegram again
            return self._bot_user
        return await super().get_me(*args, **kwargs)

    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            return [self.readable(raw) for raw in result]
        if keep_unread(endpoint, result):
            return True
        sending = _SENDING.get()
        if sending is not None and isinstance(result, dict):
            keyboard: FrozenKeyboard = sending[0]
            if result.get("reply_markup") == keyboard.sent:
                sending[1] = True  # the Message gets the keyboard sent, unparsed
                return {key: value for key, value in result.items() if key != "reply_markup"}
        return result

    async def _send_message(self, endpoint: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        keyboard = kwargs.get("reply_markup", args[1] if len(args) > 1 else None)
        if not isinstance(keyboard, InlineKeyboardMarkup):
            return await super()._send_message(endpoint, data, *args, **kwargs)
        if not isinstance(keyboard, FrozenKeyboard):
            # Its JSON form is made once here (PTB would make it too) and kept to compare.
            keyboard = FrozenKeyboard(
                keyboard.inline_keyboard, api_kwargs=dict(keyboard.api_kwargs)
            )
            if "reply_markup" in kwargs:
                kwargs["reply_markup"] = keyboard
            else:
                args = (args[0], keyboard, *args[2:])
        sending: list[Any] = [keyboard, False]
        token = _SENDING.set(sending)
        try:
            result = await super()._send_message(endpoint, data, *args, **kwargs)
        finally:
            _SENDING.reset(token)
        if sending[1] and isinstance(result, Message):
            with result._unfrozen():
                result.reply_markup = keyboard
        return result

    def readable(self, raw: Any) -> Any:
        """The update as Telegram sent it if PTB can read it, else an empty one with its id."""
        try:
            Update.de_json(raw, self)
        except Exception:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                raise  # without an id there is no way past it; PTB's own handling applies
            kinds = sorted(str(key) for key in raw if key != "update_id")
            log.warning(
                "skipped update %d (%s): python-telegram-bot cannot read it",
                update_id,
                ", ".join(kinds) or "empty",
            )
            return {"update_id": update_id}
        return raw
