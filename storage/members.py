"""A district's members as her coordinator sees them: paged, with role, language and reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database


@dataclass(frozen=True)
class MemberRow:
    telegram_id: int
    display_name: str
    role: str
    locale: str | None
    joined_at: datetime
    last_seen: datetime | None
    unreachable_since: datetime | None
    review_locales: tuple[str, ...] = ()  # languages she may review (translation review)


def _member(row: Row) -> MemberRow:
    def moment(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    joined = moment(row["joined_at"])
    assert joined is not None
    return MemberRow(
        row["telegram_id"],
        row["display_name"],
        row["role"],
        row["locale"],
        joined,
        moment(row["last_seen"]),
        moment(row["unreachable_since"]),
        tuple(sorted((row["review_locales"] or "").split(",")) if row["review_locales"] else ()),
    )


_SELECT = """
    SELECT m.telegram_id, m.display_name, m.role, p.locale, m.joined_at, m.last_seen,
           p.unreachable_since,
           (SELECT group_concat(r.locale) FROM reviewers AS r
             WHERE r.telegram_id = m.telegram_id) AS review_locales
      FROM memberships AS m JOIN people AS p ON p.telegram_id = m.telegram_id
"""
# Coordinators first, then bydelsmødre, then participants; by name within each.
_ORDER = """
     ORDER BY CASE m.role WHEN 'coordinator' THEN 0 WHEN 'mother' THEN 1 ELSE 2 END,
              m.display_name COLLATE NOCASE, m.telegram_id
"""


async def count_members(db: Database, district_id: int) -> int:
    row = await db.fetch_one(
        "SELECT count(*) FROM memberships WHERE district_id = ?", (district_id,)
    )
    return int(row[0]) if row else 0


async def list_members(db: Database, district_id: int, limit: int, offset: int) -> list[MemberRow]:
    rows = await db.fetch_all(
        _SELECT + " WHERE m.district_id = ? " + _ORDER + " LIMIT ? OFFSET ?",
        (district_id, limit, offset),
    )
    return [_member(row) for row in rows]


async def get_member(db: Database, district_id: int, telegram_id: int) -> MemberRow | None:
    row = await db.fetch_one(
        _SELECT + " WHERE m.district_id = ? AND m.telegram_id = ?", (district_id, telegram_id)
    )
    return _member(row) if row else None


async def set_role(db: Database, district_id: int, telegram_id: int, role: str) -> bool:
    changed = await db.execute(
        "UPDATE memberships SET role = ? WHERE district_id = ? AND telegram_id = ?",
        (role, district_id, telegram_id),
    )
    return changed > 0


async def remove_member(db: Database, district_id: int, telegram_id: int) -> bool:
    """End her membership of one district. Her language row stays: she may still ask for help."""
    changed = await db.execute(
        "DELETE FROM memberships WHERE district_id = ? AND telegram_id = ?",
        (district_id, telegram_id),
    )
    return changed > 0
