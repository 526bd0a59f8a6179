"""Shared set-up of the drop-in tests: Furuset's Wednesday drop-in in Alna, with bydelsmødre,
a coordinator and a woman who only asks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.days import OSLO
from handlers.common.context import Services
from handlers.dropin.common import coming
from storage import Database
from storage.dropin.sessions import SessionSeed, list_sessions
from storage.organisation import DistrictSeed, LocationSeed, apply_seed
from tests.support.people import make_member

FADUMO, HAWA, SAHRA, KARI, AMINA, PARTICIPANT = 6001, 6002, 6003, 6004, 6005, 6006
PLACE = LocationSeed("deichman-furuset", "Deichman Furuset", "Trygve Lies plass 1, Oslo")
ALNA = DistrictSeed("alna", "Alna", 4, location_id=PLACE.id)
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def wednesday_session(**changes: object) -> SessionSeed:
    fields: dict[str, object] = {
        "slug": "furuset-wednesday", "district_slug": "alna", "location_id": PLACE.id,
        "kind": "dropin", "weekday": 2, "starts": "12:00", "ends": "15:00",
        "valid_from": "2026-01-07", "languages": "nb,so,ar,ur", "min_on_duty": 2,
        "max_on_duty": 2, "withdraw_hours": 24,
    }  # fmt: skip
    fields.update(changes)
    return SessionSeed(**fields)  # type: ignore[arg-type]


async def furuset(services: Services, **changes: object) -> int:
    """Alna with its Wednesday drop-in, three bydelsmødre, a coordinator and a participant;
    returns the session's id."""
    db = services.db
    await apply_seed(db, [PLACE], [ALNA], datetime.now(UTC), [wednesday_session(**changes)])
    people = ((FADUMO, "Fadumo", "mother"), (HAWA, "Hawa", "mother"), (SAHRA, "Sahra", "mother"),
              (KARI, "Kari", "coordinator"), (PARTICIPANT, "Nour", "participant"))  # fmt: skip
    for user_id, name, role in people:
        await make_member(services, user_id, role, phase=4)
        await db.execute(
            "UPDATE memberships SET display_name = ? WHERE telegram_id = ?", (name, user_id)
        )
    row = await db.fetch_one("SELECT id FROM dropin_sessions WHERE slug = 'furuset-wednesday'")
    assert row is not None
    return int(row["id"])


async def next_wednesday(db: Database, after: datetime | None = None) -> date:
    """The session's next date (not cancelled) after now, as the planner gives it."""
    found = await coming(db, await list_sessions(db), after or datetime.now(UTC), 28, OSLO)
    return next(
        o.day
        for _, o in found
        if not o.cancelled and o.starts_at > (after or datetime.now(UTC)) + timedelta(hours=25)
    )
