"""The demo's basic training: a cohort in Alna to try as a participant (her progress, a missed
module and its catch-up evening) and as a coordinator (interested women to admit, evenings,
attendance, the spreadsheet), and catch-up evenings a bydelsmor can sign up for."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage import Database
from storage.course.cohorts import create_cohort, save_places
from storage.course.evenings import add_evening, set_present
from storage.course.interest import save_interest
from storage.people import ensure_person

INTERESTED = ((500005, "Sahra Ali", "+47 412 34 567", "so"), (500006, "Meron Tesfay", None, "ti"))


def _evening_at(day: datetime, tz: ZoneInfo) -> datetime:
    local = day.astimezone(tz).date()
    return datetime.combine(local, time(18, 0), tzinfo=tz).astimezone(UTC)


async def seed_course_demo(
    db: Database,
    district_id: int,
    participants: dict[int, str],
    location: str,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """`participants` (id: name) have places; module 1 and 2 are behind them (module 2 missed
    by all but the first), module 3 is tomorrow, the rest weekly; a catch-up for module 2."""
    for who, name, phone, locale in INTERESTED:
        async with db.transaction() as tx:
            await ensure_person(tx, who, locale)
        await save_interest(db, who, district_id, name, phone, now - timedelta(days=3), locale)
    cohort = await create_cohort(db, district_id, "Høst 2026", 25, None, now - timedelta(days=30))
    async with db.transaction() as tx:
        await save_places(tx, cohort, 25, list(participants), [], [], participants, now)
    first = next(iter(participants))
    for module, days in ((1, -14), (2, -7)):
        evening = await add_evening(
            db, cohort, module, _evening_at(now + timedelta(days=days), tz), 120, location, "Kari"
        )
        for who in participants:
            if module == 1 or who == first:
                await set_present(db, evening, who, True)
    for module in range(3, 18):
        starts = _evening_at(now + timedelta(days=1 + 7 * (module - 3)), tz)
        await add_evening(db, cohort, module, starts, 120, location, None)
    catchup = await create_cohort(db, district_id, "Oppsamling vår", 10, None, now, kind="catchup")
    await add_evening(
        db, catchup, 2, _evening_at(now + timedelta(days=10), tz), 120, location, None
    )
