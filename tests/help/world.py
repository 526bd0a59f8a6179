"""The help guide's test world: two districts, a woman brought up to choosing a channel, a topic
read to its end."""

from __future__ import annotations

from bot.offline_api import JSON, OfflineBotApi
from handlers.common.context import Services
from handlers.help.codecs import ASK, CONSENT_YES, REQUEST_DISTRICT, TOPIC, TOPIC_PAGE
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member


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
