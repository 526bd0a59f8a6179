"""The help guide's test world: two districts, a woman brought up to choosing a channel, a topic
read to its end."""

from __future__ import annotations

from collections.abc import Callable

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.context import Services
from handlers.help.codecs import (
    ASK,
    CONSENT_YES,
    REQUEST_DISTRICT,
    TOPIC,
    TOPIC_PAGE,
    VOICE_LANGUAGE,
    VOICE_TOPIC,
)
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started


async def two_districts(services: Services, api: OfflineBotApi) -> tuple[int, int]:
    """Alna with a coordinator (Kari, English) and a mother; Stovner with its own coordinator.
    Each has started the bot (a bot cannot write to someone who never did)."""
    for user_id in (2001, 2002, 2003):
        api.private_chat(api.user(user_id))
    alna = await make_member(services, 2001, "coordinator", "Alna")
    await make_member(services, 2003, "mother", "Alna")
    stovner = await make_member(services, 2002, "coordinator", "Stovner")
    return alna, stovner


async def up_to_the_channel(zahra: ChatDriver, district_id: int) -> None:
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("bydelsmor"))
    await zahra.press(ASK.encode())
    await zahra.press(CONSENT_YES.encode())
    await zahra.press(REQUEST_DISTRICT.encode(district_id))


async def whole_topic(driver: ChatDriver, topic: str) -> list[JSON]:
    """She opens a topic and presses ➡️ until its last page; returns the messages it sent."""
    before = len(driver.api.bot_messages_in(driver.chat_id))
    await driver.press(TOPIC.encode(topic))
    while True:
        pages = [b for b in buttons_of(driver.last()) if TOPIC_PAGE.decode(b["callback_data"])]
        if not pages:
            return driver.api.bot_messages_in(driver.chat_id)[before:]
        await driver.press(pages[0]["callback_data"], driver.last()["message_id"])


async def asks_to_record(kari: ChatDriver, topic: str, locale: str) -> None:
    """She chooses, from /voice, the topic and the language: the bot waits for her voice note."""
    await kari.send("/voice")
    await kari.press(VOICE_TOPIC.encode(topic))
    await kari.press(VOICE_LANGUAGE.encode(topic, locale))


async def waiting_for_a_voice_note(
    chat: Callable[..., ChatDriver], services: Services, topic: str = "doctor", locale: str = "ar"
) -> ChatDriver:
    """Kari (coordinator, 2001) has asked to record this voice note: the bot waits for it."""
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await asks_to_record(kari, topic, locale)
    return kari


async def send_voice(driver: ChatDriver, file_id: str, duration: int = 12) -> None:
    """She sends a voice message (Telegram's file id, and its length in seconds)."""
    voice = {"file_id": file_id, "file_unique_id": file_id, "duration": duration}
    await driver._process(driver.api.send_other(driver.user, voice=voice))
