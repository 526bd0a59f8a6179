"""A reply the bot waits for: her phone number, a coordinator's voice note.

A flow that asks for a typed answer notes what it waits for in the chat's in-memory `chat_data`
(it is needed for minutes, so a restart may forget it: she is then asked again). `AwaitingHandler`
takes a chat's next message only while the bot waits for that kind of answer, so all other text
still reaches the handlers after it, and a command (/help, /info, /menu) is never taken for an
answer.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import MessageHandler
from telegram.ext.filters import BaseFilter

from bot.broadcasts import TYPED_STEPS
from handlers.context import BotContext
from storage.broadcasts import delete_draft

AWAITING_KEY = "awaiting"
WAIT_FOR = timedelta(minutes=15)


@dataclass(frozen=True)
class Awaiting:
    kind: str  # e.g. "phone", "voice"
    values: tuple[str, ...]  # what the flow needs to finish (a district id, a topic, a locale)
    until: datetime


def wait_for(chat_data: MutableMapping[Any, Any], kind: str, *values: str) -> None:
    chat_data[AWAITING_KEY] = Awaiting(kind, values, datetime.now(UTC) + WAIT_FOR)


def awaited(chat_data: Mapping[Any, Any] | None, kind: str) -> Awaiting | None:
    """What this chat's next message answers, if the bot waits for that kind of answer."""
    waiting = (chat_data or {}).get(AWAITING_KEY)
    if isinstance(waiting, Awaiting) and waiting.kind == kind and datetime.now(UTC) < waiting.until:
        return waiting
    return None


def stop_waiting(chat_data: MutableMapping[Any, Any] | None) -> None:
    if chat_data is not None:
        chat_data.pop(AWAITING_KEY, None)


class AwaitingHandler(MessageHandler[Any, Any]):
    """A MessageHandler that only takes a message while its chat waits for `kind`."""

    def __init__(
        self,
        chat_data: Mapping[int, Mapping[Any, Any]],
        kind: str,
        message_filter: BaseFilter,
        callback: Any,
    ) -> None:
        super().__init__(message_filter, callback)
        self._chat_data = chat_data
        self.kind = kind

    def check_update(self, update: object) -> Any:
        if not isinstance(update, Update) or update.effective_chat is None:
            return None
        if awaited(self._chat_data.get(update.effective_chat.id), self.kind) is None:
            return None
        return super().check_update(update)


async def cancel_command(update: Update, context: BotContext) -> None:
    """Stop waiting for whatever typed answer the bot asked for; nothing changes, except that
    an announcement waiting for her text or time is thrown away."""
    assert update.effective_chat is not None
    stop_waiting(context.chat_data)
    if await delete_draft(context.db, context.identity.telegram_id, TYPED_STEPS):
        text = "🗑 " + context.t._("Nothing was sent; the announcement was thrown away.")
    else:
        text = "↩️ " + context.t._("Nothing was changed.")
    await context.bot.send_message(update.effective_chat.id, text)
