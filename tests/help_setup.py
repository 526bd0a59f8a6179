"""The help guide's test helpers: a woman started in a chat, a topic read to its end."""

from __future__ import annotations

from bot.offline_api import JSON
from tests.fakes.telegram import ChatDriver, buttons_of


async def started(driver: ChatDriver, locale: str = "en") -> ChatDriver:
    await driver.send("/start")
    await driver.press(f"lang:{locale}")
    return driver


async def whole_topic(driver: ChatDriver, topic: str) -> list[JSON]:
    """She opens a topic and presses ➡️ until its last page; returns the messages it sent."""
    before = len(driver.api.bot_messages_in(driver.chat_id))
    await driver.press(f"hlp:t:{topic}")
    while True:
        pages = [b for b in buttons_of(driver.last()) if b["callback_data"].startswith("hlp:p:")]
        if not pages:
            return driver.api.bot_messages_in(driver.chat_id)[before:]
        await driver.press(pages[0]["callback_data"], driver.last()["message_id"])
