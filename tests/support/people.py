"""People in tests: the central office's admin, a woman in a district with a role, her first
/start."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from storage import Database
from storage.districts import upsert_district
from storage.people import add_membership
from tests.fakes.telegram import ChatDriver

ADMIN_ID = 9000  # the central office (the `app` fixture's only admin)


async def make_member(
    services: Services, user_id: int, role: str, district: str = "Alna", phase: int = 3,
    locale: str | None = "en",
) -> int:  # fmt: skip
    """Put her in a district group with a role; returns the district id."""
    district_id = await upsert_district(services.db, district.lower(), district, phase)
    await add_membership(
        services.db, user_id, district_id, role, "Member", datetime.now(UTC), locale
    )
    return district_id


async def started(driver: ChatDriver, locale: str = "en") -> ChatDriver:
    """She sends /start and picks her language, as every woman does first."""
    await driver.send("/start")
    await driver.press(LANGUAGE.encode(locale))
    return driver


async def alna_in_file(
    db: Database,
    coordinator: int,
    mothers: Iterable[int] = (),
    *,
    phase: int = 3,
    chats: OfflineBotApi | None = None,
    coordinator_locale: str = "en",
) -> int:
    """Alna straight into the database, for a bot that runs as its own process: the coordinator
    Kari (English unless said) and these mothers (Somali, each named W), each with a private chat
    in `chats` if given (she pressed Start once). Returns Alna's id."""
    now = datetime.now(UTC)
    district_id = await upsert_district(db, "alna", "Alna", phase)
    await add_membership(
        db, coordinator, district_id, "coordinator", "Kari", now, coordinator_locale
    )
    if chats is not None:
        chats.private_chat(chats.user(coordinator, "Kari"))
    for woman in mothers:
        await add_membership(db, woman, district_id, "mother", "W", now, "so")
        if chats is not None:
            chats.private_chat(chats.user(woman, "W"))
    return district_id
