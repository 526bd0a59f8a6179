"""The announcements' test world: Alna's women, a coordinator composing, the outbox drained."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.announcements import codecs as composer
from handlers.common.context import Services
from handlers.jobs.announcements.worker import OutboxWorker
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started

KARI = 2001


async def drain(services: Services, api: OfflineBotApi) -> None:
    assert isinstance(services.outbox, OutboxWorker)
    clock = FakeClock()
    clock.now = datetime.now(UTC)
    worker = OutboxWorker(services.outbox.bot, services.db, clock=clock.clock)
    await worker.drain()


async def composing_for_alna(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> tuple[ChatDriver, int]:
    """Kari, in English, has started /broadcast to all of Alna's members: the bot waits for the
    text. Returns her chat and Alna's id."""
    district_id = await alna(services, api)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    return kari, district_id


async def previewed(driver: ChatDriver, text: str) -> None:
    """She types the announcement and opens its preview (the buttons to send come with it)."""
    await driver.send(text)
    await driver.press(composer.PREVIEW.encode())


async def for_later(driver: ChatDriver, text: str) -> None:
    """She types the announcement, previews it and chooses to send it later: the bot asks when."""
    await previewed(driver, text)
    await driver.press(composer.LATER.encode())


async def send_photo(
    driver: ChatDriver, caption: str, file_id: str = "p1", unique_id: str = "p1"
) -> None:
    """She sends a photo with this caption (the announcement, or one of its versions)."""
    photo = [{"file_id": file_id, "file_unique_id": unique_id, "width": 9, "height": 9}]
    await driver._process(driver.api.send_other(driver.user, photo=photo, caption=caption))


def labels(message: JSON) -> list[str]:
    return [b["text"] for b in buttons_of(message)]


async def alna(services: Services, api: OfflineBotApi) -> int:
    """Kari coordinates Alna: two Somali readers, an Arabic one, one who never chose."""
    district_id = await make_member(services, KARI, "coordinator")
    api.private_chat(api.user(KARI, "Kari"))
    for telegram_id, locale, role in (
        (3001, "so", "mother"), (3002, "so", "participant"), (3003, "ar", "mother"),
        (3004, None, "mother"),
    ):  # fmt: skip
        await make_member(services, telegram_id, role, locale=locale)
        api.private_chat(api.user(telegram_id, "W"))
    return district_id
