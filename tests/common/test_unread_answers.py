"""Answers the bot does not read are not parsed (handlers/common/receipts.py): the same request
goes out, the same errors come back, only the Message objects are not built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.offline.transport import OfflineRequest
from handlers.common.receipts import Sent, keep_unread, send_unread, unread
from tests.fakes.telegram import TEST_TOKEN, ChatDriver

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("❓ Help", callback_data="menu:help")]])


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[JSON]:
    """Every message python-telegram-bot builds from an answer, from now on."""
    seen: list[JSON] = []
    original = Message.de_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Message], data: JSON | None, bot: Any = None) -> Message | None:
        seen.append(dict(data or {}))
        result: Message | None = original(cls, data, bot)
        return result

    monkeypatch.setattr(Message, "de_json", classmethod(counting))
    return seen


def her_chat(api: OfflineBotApi, user_id: int) -> None:
    api.private_chat(api.user(user_id, "Amina", "so"))


async def test_a_message_sent_unread_is_the_request_ptb_makes_and_nothing_is_parsed(
    app: BotApplication, api: OfflineBotApi, parsed: list[JSON]
) -> None:
    her_chat(api, 7101)
    plain = await app.bot.send_message(
        7101, "<b>Hello</b>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert isinstance(plain, Message) and len(parsed) == 1  # PTB's way: the answer is parsed

    sent = await send_unread(
        app.bot, 7101, "<b>Hello</b>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert len(parsed) == 1  # nothing more was parsed
    first, second = api.calls_to("sendMessage")[-2:]
    assert first.params == second.params  # the very same request
    kept = api.bot_messages_in(7101)[-1]
    assert sent == Sent(kept["message_id"], 7101)
    assert sent.message_id == plain.message_id + 1


async def test_an_edit_unread_changes_the_message_and_parses_nothing(
    app: BotApplication, api: OfflineBotApi, parsed: list[JSON]
) -> None:
    her_chat(api, 7102)
    sent = await send_unread(app.bot, 7102, "Before", reply_markup=KEYBOARD)
    with unread() as receipts:
        answer = await app.bot.edit_message_text("After", chat_id=7102, message_id=sent.message_id)
    assert answer is True and receipts == [sent]
    assert parsed == []
    assert api.bot_messages_in(7102)[-1]["text"] == "After"


async def test_telegrams_refusal_reaches_the_caller_as_before(
    app: BotApplication, api: OfflineBotApi
) -> None:
    def refuse(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method != "sendMessage":
            return None
        return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}

    api.fault = refuse
    with pytest.raises(BadRequest, match="hat not found"):
        await send_unread(app.bot, 7103, "Hello")
    with pytest.raises(BadRequest, match="hat not found"), unread() as receipts:
        await app.bot.send_message(7103, "Hello")
    assert receipts == []


async def test_a_429_is_waited_out_and_the_message_still_sent_unread(
    app: BotApplication, api: OfflineBotApi, parsed: list[JSON]
) -> None:
    her_chat(api, 7104)
    refused: list[str] = []

    def once_too_many(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method != "sendMessage" or refused:
            return None
        refused.append(method)
        return 429, {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }

    api.fault = once_too_many
    sent = await send_unread(app.bot, 7104, "Hello")
    assert refused == ["sendMessage"] and parsed == []
    assert sent.message_id == api.bot_messages_in(7104)[-1]["message_id"]


async def test_a_bot_that_parses_every_answer_still_gives_the_id(api: OfflineBotApi) -> None:
    her_chat(api, 7105)
    bot = ExtBot(TEST_TOKEN, request=OfflineRequest(api))
    async with bot:
        sent = await send_unread(bot, 7105, "Hello")
    assert sent == Sent(api.bot_messages_in(7105)[-1]["message_id"], 7105)


def test_only_a_message_answer_inside_unread_is_kept() -> None:
    message = {"message_id": 5, "chat": {"id": 42, "type": "private"}, "date": 0}
    assert not keep_unread("sendMessage", message)  # outside unread(): parsed as always
    with unread() as receipts:
        assert not keep_unread("sendPhoto", message)  # another kind of answer
        assert not keep_unread("editMessageText", True)  # an inline message's edit
        assert not keep_unread("sendMessage", {"message_id": "5", "chat": {"id": 42}})
        assert not keep_unread("sendMessage", {"message_id": 5})
        assert keep_unread("sendMessage", message)
    assert receipts == [Sent(5, 42)]


async def test_the_menu_and_a_help_card_are_sent_without_parsing_the_answers(
    chat: Callable[..., ChatDriver], parsed: list[JSON]
) -> None:
    woman = chat(7106, "Sahra", "so")
    await woman.send("/menu")
    await woman.press("hlp:topics")
    await woman.press("hlp:t:children")
    # Parsed were only the updates Telegram sent: her /menu, and the two messages she pressed
    # on (each inside its press). The bot's three answers were not (they would make it 5).
    assert [m["from"]["is_bot"] for m in parsed] == [False, True, True]
    assert "hlp:t:" in str(woman.last_with_buttons())
