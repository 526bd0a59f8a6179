"""The Bot API as tests see it: the offline API with every call checked against the real spec.

`ChatDriver` plays one woman in her private chat: she types, presses buttons by their data or
their label, and reads what the bot showed her.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from tests.telegram_spec import load_spec

TEST_TOKEN = "123456789:TEST-token-for-the-offline-fake-abcdef"  # the in-process bot's token


def checked_api(**kwargs: Any) -> OfflineBotApi:
    """An offline Bot API that refuses, and records, any call Telegram would refuse."""
    return OfflineBotApi(validator=load_spec().check_call, **kwargs)


def buttons_of(message: JSON) -> list[JSON]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


@dataclass
class ChatDriver:
    app: BotApplication
    api: OfflineBotApi
    user: JSON

    @property
    def chat_id(self) -> int:
        return int(self.user["id"])

    async def send(self, text: str) -> None:
        await self._process(self.api.send_text(self.user, text))

    async def press(self, data: str, message_id: int | None = None) -> None:
        """Press a button with this callback data (forged if no such button exists)."""
        if message_id is None:
            message_id = self.last_with_buttons()["message_id"]
        await self._process(self.api.press(self.user, self.chat_id, message_id, data))

    async def press_label(self, fragment: str) -> None:
        """Press the newest button whose label contains `fragment`, as she would."""
        for message in reversed(self.api.bot_messages_in(self.chat_id)):
            for button in buttons_of(message):
                if fragment in button["text"] and "callback_data" in button:
                    await self.press(button["callback_data"], message["message_id"])
                    return
        raise AssertionError(f"no button labelled {fragment!r} in the chat")

    def last(self) -> JSON:
        return self.api.bot_messages_in(self.chat_id)[-1]

    def last_with_buttons(self) -> JSON:
        for message in reversed(self.api.bot_messages_in(self.chat_id)):
            if buttons_of(message):
                return message
        raise AssertionError("no message with buttons in the chat")

    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.api.bot_messages_in(self.chat_id)]

    def toasts(self) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in self.api.calls_to("answerCallbackQuery")
            if c.params.get("text")
        ]

    async def _process(self, update: JSON) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))
