"""Who an announcement can reach: the members of some districts (of one role), leaving out
whoever blocked the bot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class AudienceMember:
    telegram_id: int
    locale: str | None  # the language she chose; None if she never chose one
    district_locale: str  # her district's default language (the first, if she has several)


def _reachable_where(
    district_ids: Sequence[int] | None, role: str | None
) -> tuple[str, list[object]]:
    where: list[str] = ["p.unreachable_since IS NULL"]
    params: list[object] = []
    if district_ids is not None:
        where.append(f"m.district_id IN ({', '.join('?' * len(district_ids))})")
        params.extend(district_ids)
    if role is not None:
        where.append("m.role = ?")
        params.append(role)
    return " AND ".join(where), params


async def reachable_members(
    db: Database, district_ids: Sequence[int] | None, role: str | None = None
) -> list[AudienceMember]:
    """The members of these districts (None: of every district), optionally of one role, each
    once, leaving out whoever blocked the bot: she is back once she writes to it again."""
    if district_ids is not None and not district_ids:
        return []
    where, params = _reachable_where(district_ids, role)
    rows = await db.fetch_all(
        f"""
        SELECT m.telegram_id, p.locale, d.default_locale, min(d.id)
          FROM memberships AS m
          JOIN people AS p ON p.telegram_id = m.telegram_id
          JOIN districts AS d ON d.id = m.district_id
         WHERE {where}
         GROUP BY m.telegram_id
         ORDER BY m.telegram_id
        """,  # noqa: S608 - the clauses are constants, the values parameters
        params,
    )
    return [AudienceMember(r["telegram_id"], r["locale"], r["default_locale"]) for r in rows]


async def count_reachable(
    db: Database, district_ids: Sequence[int] | None, role: str | None = None
) -> int:
    """How many `reachable_members` there are, counted in SQL (a screen shows the number only)."""
    if district_ids is not None and not district_ids:
        return 0
    where, params = _reachable_where(district_ids, role)
    row = await db.fetch_one(
        f"""
        SELECT count(DISTINCT m.telegram_id)
          FROM memberships AS m
          JOIN people AS p ON p.telegram_id = m.telegram_id
         WHERE {where}
        """,  # noqa: S608 - the clauses are constants, the values parameters
        params,
    )
    return int(row[0]) if row else 0


async def count_reachable_by_role(
    db: Database, district_id: int, roles: Sequence[str]
) -> tuple[int, list[int]]:
    """`count_reachable` for one district: all its members and each of these roles, in one
    query (the audience screen shows the four numbers at once)."""
    where, params = _reachable_where([district_id], None)
    per_role = "".join(
        ", count(DISTINCT CASE WHEN m.role = ? THEN m.telegram_id END)" for _ in roles
    )
    row = await db.fetch_one(
        f"""
        SELECT count(DISTINCT m.telegram_id){per_role}
          FROM memberships AS m
          JOIN people AS p ON p.telegram_id = m.telegram_id
         WHERE {where}
        """,  # noqa: S608 - the clauses are constants, the values parameters
        [*roles, *params],
    )
    if row is None:
        return 0, [0 for _ in roles]
    return int(row[0]), [int(n) for n in tuple(row)[1:]]


async def districts_in_phase(db: Database, phase: int) -> list[int]:
    rows = await db.fetch_all("SELECT id FROM districts WHERE phase = ? ORDER BY id", (phase,))
    return [int(row["id"]) for row in rows]
