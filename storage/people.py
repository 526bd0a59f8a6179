"""People and their memberships of district groups.

A person row is only her Telegram id and chosen language. Everything that makes her a member (the
district, the role, the name the coordinator sees) is a membership row, which a woman who only
asks for help never gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Transaction


@dataclass(frozen=True)
class MembershipRecord:
    district_id: int
    district_slug: str
    district_name: str
    phase: int
    role: str
    display_name: str
    last_seen: datetime | None = None


@dataclass(frozen=True)
class PersonRecord:
    telegram_id: int
    locale: str | None  # None until she has chosen a language herself
    memberships: tuple[MembershipRecord, ...]
    is_admin: bool = False  # added with `bydelsbot admin add`
    unreachable: bool = False  # Telegram said she blocked the bot (until she writes again)


async def load_person(db: Database, telegram_id: int) -> PersonRecord | None:
    """Everything needed to serve one update, in one query: language, memberships, admin flag.

    None when the bot stores nothing about her at all.
    """
    rows = await db.fetch_all(
        """
        WITH me (id) AS (VALUES (?))
        SELECT p.telegram_id AS known, p.locale, p.unreachable_since IS NOT NULL AS unreachable,
               EXISTS (SELECT 1 FROM admins AS a WHERE a.telegram_id = me.id) AS is_admin,
               m.role, m.display_name, m.last_seen,
               d.id AS district_id, d.slug, d.name AS district_name, d.phase
          FROM me
          LEFT JOIN people AS p ON p.telegram_id = me.id
          LEFT JOIN memberships AS m ON m.telegram_id = me.id
          LEFT JOIN districts AS d ON d.id = m.district_id
         ORDER BY d.id
        """,
        (telegram_id,),
    )
    first = rows[0]
    if first["known"] is None and not first["is_admin"]:
        return None
    memberships = tuple(
        MembershipRecord(
            district_id=row["district_id"],
            district_slug=row["slug"],
            district_name=row["district_name"],
            phase=row["phase"],
            role=row["role"],
            display_name=row["display_name"],
            last_seen=datetime.fromisoformat(row["last_seen"]) if row["last_seen"] else None,
        )
        for row in rows
        if row["district_id"] is not None
    )
    return PersonRecord(
        telegram_id,
        first["locale"],
        memberships,
        bool(first["is_admin"]),
        bool(first["unreachable"]),
    )


async def ensure_person(tx: Transaction, telegram_id: int, locale: str | None) -> None:
    """Create her person row if needed; a language given here never overrides her own choice."""
    await tx.execute(
        "INSERT INTO people (telegram_id, locale) VALUES (?, ?) ON CONFLICT (telegram_id) "
        "DO UPDATE SET locale = coalesce(people.locale, excluded.locale)",
        (telegram_id, locale),
    )


async def touch_last_seen(db: Database, telegram_id: int, now: datetime) -> None:
    """Record that a member was here (shown to her coordinator); she is reachable again."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE memberships SET last_seen = ? WHERE telegram_id = ?",
            (now.isoformat(), telegram_id),
        )
        await tx.execute(
            "UPDATE people SET unreachable_since = NULL WHERE telegram_id = ?", (telegram_id,)
        )


async def mark_unreachable(db: Database, telegram_id: int, now: datetime) -> None:
    """Telegram answered 403: she blocked the bot. Cleared when she writes again."""
    await db.execute(
        "UPDATE people SET unreachable_since = coalesce(unreachable_since, ?) "
        "WHERE telegram_id = ?",
        (now.isoformat(), telegram_id),
    )


async def mark_reachable(db: Database, telegram_id: int) -> None:
    await db.execute(
        "UPDATE people SET unreachable_since = NULL "
        "WHERE telegram_id = ? AND unreachable_since IS NOT NULL",
        (telegram_id,),
    )


async def save_locale(db: Database, telegram_id: int, locale: str) -> None:
    """Remember her chosen language (creating her row on first choice)."""
    await db.execute(
        """
        INSERT INTO people (telegram_id, locale) VALUES (?, ?)
        ON CONFLICT (telegram_id) DO UPDATE SET locale = excluded.locale
        """,
        (telegram_id, locale),
    )


async def add_membership(
    db: Database,
    telegram_id: int,
    district_id: int,
    role: str,
    display_name: str,
    joined_at: datetime,
    locale: str | None,
) -> None:
    """Make her a member of a district group with a role (the demo data and the tests)."""
    async with db.transaction() as tx:
        await ensure_person(tx, telegram_id, locale)
        await tx.execute(
            """
            INSERT INTO memberships (telegram_id, district_id, role, display_name, joined_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (telegram_id, district_id)
            DO UPDATE SET role = excluded.role, display_name = excluded.display_name
            """,
            (telegram_id, district_id, role, display_name, joined_at.isoformat()),
        )
