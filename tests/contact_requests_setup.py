"""Contact requests' test world: two districts, a woman brought up to choosing a channel."""

from __future__ import annotations

from bot.offline_api import OfflineBotApi
from handlers.common.context import Services
from tests.conftest import make_member
from tests.fakes.telegram import ChatDriver


async def started(driver: ChatDriver, locale: str = "en") -> ChatDriver:
    await driver.send("/start")
    await driver.press(f"lang:{locale}")
    return driver


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
    await zahra.press("hlp:t:bydelsmor")
    await zahra.press("hlp:ask")
    await zahra.press("hlp:ok")
    await zahra.press(f"hlp:d:{district_id}")
