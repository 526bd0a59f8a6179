"""Women who said "I want to become a bydelsmor": one row each, until she withdraws, is
forgotten, or 12 months pass without a coordinator giving her a place (README)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database
from storage.people import ensure_person


@dataclass(frozen=True)
class Interest:
    telegram_id: int
    district_id: int
    district_name: str
    name: str
    phone: str | None  # None: contact her on Telegram
    created_at: datetime
    locale: str | None
    has_place: bool = False  # admitted, offered or waiting in a cohort not yet completed


_SELECT = """
SELECT i.telegram_id, i.district_id, d.name AS district_name, i.name, i.phone, i.created_at,
       p.locale,
       EXISTS (SELECT 1 FROM course_places AS cp JOIN cohorts AS c ON c.id = cp.cohort_id
                WHERE cp.telegram_id = i.telegram_id AND c.completed_at IS NULL) AS has_place
  FROM course_interest AS i
  JOIN districts AS d ON d.id = i.district_id
  JOIN people AS p ON p.telegram_id = i.telegram_id
"""


def _interest(r: Row) -> Interest:
    return Interest(
        int(r["telegram_id"]),
        int(r["district_id"]),
        r["district_name"],
        r["name"],
        r["phone"],
        datetime.fromisoformat(r["created_at"]),
        r["locale"],
        bool(r["has_place"]),
    )


async def save_interest(
    db: Database,
    telegram_id: int,
    district_id: int,
    name: str,
    phone: str | None,
    now: datetime,
    locale: str | None,
) -> bool:
    """Record her interest (a second one replaces the first); False if the district is gone."""
    async with db.transaction() as tx:
        if await tx.fetch_one("SELECT 1 FROM districts WHERE id = ?", (district_id,)) is None:
            return False
        await ensure_person(tx, telegram_id, locale)
        await tx.execute(
            """
            INSERT INTO course_interest (telegram_id, district_id, name, phone, created_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (telegram_id) DO UPDATE
               SET district_id = excluded.district_id, name = excluded.name,
                   phone = excluded.phone, created_at = excluded.created_at
            """,
            (telegram_id, district_id, name, phone, now.isoformat()),
        )
    return True


async def get_interest(db: Database, telegram_id: int) -> Interest | None:
    row = await db.fetch_one(_SELECT + " WHERE i.telegram_id = ?", (telegram_id,))
    return _interest(row) if row else None


async def withdraw_interest(db: Database, telegram_id: int) -> bool:
    return await db.execute("DELETE FROM course_interest WHERE telegram_id = ?", (telegram_id,)) > 0


async def interested_in(db: Database, district_id: int) -> list[Interest]:
    """The district's interested women, oldest first (those with a place included, marked)."""
    rows = await db.fetch_all(
        _SELECT + " WHERE i.district_id = ? ORDER BY i.created_at, i.telegram_id", (district_id,)
    )
    return [_interest(row) for row in rows]


async def purge_interest(db: Database, created_before: datetime) -> int:
    """Delete interest nobody acted on: older than the retention and without any place."""
    return await db.execute(
        """
        DELETE FROM course_interest
         WHERE created_at < ?
           AND NOT EXISTS (SELECT 1 FROM course_places AS cp
                            WHERE cp.telegram_id = course_interest.telegram_id)
        """,
        (created_before.isoformat(),),
    )
