"""Sending a message whose answer the bot does not read beyond its id.

Telegram answers every sendMessage and editMessageText with the whole message, and
python-telegram-bot turns that answer into a `Message`: a hundred attributes, the bot's own user,
the chat, the text's entities, the keyboard. Most of the bot's messages are never looked at
again (a menu, a help card, an answer edited in place); building those objects was a sixth of
an ordinary update's time (README, performance). Inside `unread()`, the bot's ExtBot
(handlers/common/transport.py) keeps only a `Sent` (the message id and chat) and lets PTB skip
the parsing, as PTB does itself for an answer that is only `True`. The request, its defaults, the
rate plan, the retries and every error are exactly PTB's: only reading the answer is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Bot

# What the sends of this task inside `unread()` got back (None outside it).
_UNREAD: ContextVar[list[Sent] | None] = ContextVar("unread_answers", default=None)
# The methods whose answer is the message sent or edited (or True for an inline message).
MESSAGE_ANSWERS = frozenset({"sendMessage", "editMessageText"})


@dataclass(frozen=True, slots=True)
class Sent:
    """What the bot keeps of a message it sent or edited: enough to delete or edit it later."""

    message_id: int
    chat_id: int


@contextmanager
def unread() -> Iterator[list[Sent]]:
    """Sends and edits inside are not parsed into `Message` objects; the list gets a `Sent` for
    each message Telegram answered with (none for an answer that was only `True`)."""
    receipts: list[Sent] = []
    token = _UNREAD.set(receipts)
    try:
        yield receipts
    finally:
        _UNREAD.reset(token)


def keep_unread(endpoint: str, result: Any) -> bool:
    """Called with every answer: True when it was noted as a `Sent` and need not be parsed."""
    receipts = _UNREAD.get()
    if receipts is None or endpoint not in MESSAGE_ANSWERS or not isinstance(result, dict):
        return False
    message_id, chat = result.get("message_id"), result.get("chat")
    if not isinstance(message_id, int) or not isinstance(chat, dict):
        return False  # not the shape of a message: PTB reads it (and says what is wrong)
    chat_id = chat.get("id")
    if not isinstance(chat_id, int):
        return False
    receipts.append(Sent(message_id, chat_id))
    return True


async def send_unread(bot: Bot, chat_id: int, text: str, **kwargs: Any) -> Sent:
    """`bot.send_message`, its answer read no further than the message id."""
    with unread() as receipts:
        answer = await bot.send_message(chat_id, text, **kwargs)
    if receipts:
        return receipts[-1]
    # A bot that parses every answer (PTB's own ExtBot, in some tests): the id is in its Message.
    return Sent(answer.message_id, answer.chat_id)
