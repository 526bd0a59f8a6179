"""People in tests: the central office's admin, a woman in a district with a role, her first
/start."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.common.context import Services
from handlers.common.language import LANGUAGE
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
