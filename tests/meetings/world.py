"""The meetings' test world: Alna's group with its rule and its members, the next meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.app import BotApplication
from bot.days import OSLO
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.meetings.codecs import CARD
from handlers.meetings.planning import plan_and_tell
from storage.meetings.meetings import upcoming_meetings
from storage.organisation import DistrictSeed, LocationSeed, apply_seed
from tests.fakes.telegram import ChatDriver
from tests.support.people import make_member

FADUMO, HAWA, KARI, STRANGER = 4001, 4002, 4003, 4004


LOCATION = LocationSeed("deichman-furuset", "Deichman Furuset", "Trygve Lies plass 1, Oslo")


def now() -> datetime:
    return datetime.now(UTC)


def a_wednesday_weeks_ago() -> date:
    today = now().astimezone(OSLO).date()
    return today - timedelta(days=(today.weekday() - 2) % 7 + 28)


def alna(phase: int = 3, **changes: object) -> DistrictSeed:
    fields: dict[str, object] = {
        "slug": "alna", "name": "Alna", "phase": phase, "location_id": LOCATION.id,
        "meeting_weekday": 2, "meeting_time": "18:00",
        "meeting_anchor": a_wednesday_weeks_ago().isoformat(), "monthly_rule": "weekday:1:2",
    }  # fmt: skip
    fields.update(changes)
    return DistrictSeed(**fields)  # type: ignore[arg-type]


async def alna_group(
    services: Services,
    api: OfflineBotApi,
    app: BotApplication,
    planned_from: datetime | None = None,
) -> int:
    """Alna in fase 3 with Fadumo, Hawa and Kari (coordinator), planned from its rule."""
    await apply_seed(services.db, [LOCATION], [alna()], now())
    district_id = 0
    for user_id, name, role in ((FADUMO, "Fadumo", "mother"), (HAWA, "Hawa <b>", "participant"),
                                (KARI, "Kari", "coordinator")):  # fmt: skip
        district_id = await make_member(services, user_id, role)
        await services.db.execute(
            "UPDATE memberships SET display_name = ? WHERE telegram_id = ?", (name, user_id)
        )
        api.private_chat(api.user(user_id, name))
    await plan_and_tell(app.bot, services, district_id, planned_from or now())
    await plan_and_tell(app.bot, services, district_id, now())
    return district_id


async def next_meeting_id(services: Services, district_id: int) -> int:
    meetings = await upcoming_meetings(
        services.db, [district_id], now(), now() + timedelta(days=90)
    )
    return meetings[0].id


async def planned_alna(
    services: Services, api: OfflineBotApi, app: BotApplication
) -> tuple[int, int]:
    """Alna's group planned from its rule: its id and its next meeting's."""
    district_id = await alna_group(services, api, app)
    return district_id, await next_meeting_id(services, district_id)


async def open_card(driver: ChatDriver, meeting_id: int) -> None:
    """She sends /meetings and opens the meeting's card, as from the list."""
    await driver.send("/meetings")
    await driver.press(CARD.encode(meeting_id))
