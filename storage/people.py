"""People and their memberships of district groups.

A person row is only her Telegram id and chosen language. Everything that makes her a member (the
district, the role, the name the coordinator sees) is a membership row, which a woman who only
asks for help never gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database


@dataclass(frozen=True)
class MembershipRecord:
    district_id: int
    district_slug: str
    district_name: str
    phase: int
    role: str
    display_name: str


@dataclass(frozen=True)
class PersonRecord:
    telegram_id: int
    locale: str | None  # None until she has chosen a language herself
    memberships: tuple[MembershipRecord, ...]


async def load_person(db: Database, telegram_id: int) -> PersonRecord | None:
    """Everything needed to serve one update, in one query: language and memberships."""
    rows = await db.fetch_all(
        """
        SELECT p.locale, m.role, m.display_name,
               d.id AS district_id, d.slug, d.name AS district_name, d.phase
          FROM people AS p
          LEFT JOIN memberships AS m ON m.telegram_id = p.telegram_id
          LEFT JOIN districts AS d ON d.id = m.district_id
         WHERE p.telegram_id = ?
         ORDER BY d.id
        """,
        (telegram_id,),
    )
    if not rows:
        return None
    memberships = tuple(
        MembershipRecord(
            district_id=row["district_id"],
            district_slug=row["slug"],
            district_name=row["district_name"],
            phase=row["phase"],
            role=row["role"],
            display_name=row["display_name"],
        )
        for row in rows
        if row["district_id"] is not None
    )
    return PersonRecord(telegram_id, rows[0]["locale"], memberships)


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
    """Make her a member of a district group with a role (used by invites and the demo data)."""
    async with db.transaction() as tx:
        await tx.execute(
            # A membership never overrides the language she chose herself.
            "INSERT INTO people (telegram_id, locale) VALUES (?, ?) ON CONFLICT (telegram_id) "
            "DO UPDATE SET locale = coalesce(people.locale, excluded.locale)",
            (telegram_id, locale),
        )
        await tx.execute(
            """
            INSERT INTO memberships (telegram_id, district_id, role, display_name, joined_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (telegram_id, district_id)
            DO UPDATE SET role = excluded.role, display_name = excluded.display_name
            """,
            (telegram_id, district_id, role, display_name, joined_at.isoformat()),
        )
