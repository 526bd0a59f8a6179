"""District groups: one per bydel, with the phase it is in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database


@dataclass(frozen=True)
class DistrictRecord:
    id: int
    slug: str
    name: str
    phase: int
    default_locale: str
    chat_id: int | None = None
    chat_title: str | None = None


_COLUMNS = "id, slug, name, phase, default_locale, chat_id, chat_title"


def _record(row: Row) -> DistrictRecord:
    return DistrictRecord(
        row["id"],
        row["slug"],
        row["name"],
        row["phase"],
        row["default_locale"],
        row["chat_id"],
        row["chat_title"],
    )


async def upsert_district(
    db: Database, slug: str, name: str, phase: int, default_locale: str = "nb"
) -> int:
    """Create or update the district with this slug; return its id."""
    async with db.transaction() as tx:
        await tx.execute(
            """
            INSERT INTO districts (slug, name, phase, default_locale) VALUES (?, ?, ?, ?)
            ON CONFLICT (slug) DO UPDATE
               SET name = excluded.name, phase = excluded.phase,
                   default_locale = excluded.default_locale
            """,
            (slug, name, phase, default_locale),
        )
        row = await tx.fetch_one("SELECT id FROM districts WHERE slug = ?", (slug,))
    assert row is not None
    return int(row["id"])


async def list_districts(db: Database) -> list[DistrictRecord]:
    rows = await db.fetch_all(f"SELECT {_COLUMNS} FROM districts ORDER BY name")  # noqa: S608
    return [_record(row) for row in rows]


async def get_district(db: Database, district_id: int) -> DistrictRecord | None:
    row = await db.fetch_one(
        f"SELECT {_COLUMNS} FROM districts WHERE id = ?",  # noqa: S608 - constant column list
        (district_id,),
    )
    return _record(row) if row else None


async def change_phase(
    db: Database, district_id: int, new_phase: int, changed_by: int, now: datetime
) -> int | None:
    """Move the group to a phase and record who did it; returns the old phase (None: no such
    district). Moving to the phase it is already in records nothing."""
    async with db.transaction() as tx:
        row = await tx.fetch_one("SELECT phase FROM districts WHERE id = ?", (district_id,))
        if row is None:
            return None
        old = int(row["phase"])
        if old != new_phase:
            await tx.execute(
                "UPDATE districts SET phase = ? WHERE id = ?", (new_phase, district_id)
            )
            await tx.execute(
                "INSERT INTO phase_changes (district_id, from_phase, to_phase, changed_by, "
                "changed_at) VALUES (?, ?, ?, ?, ?)",
                (district_id, old, new_phase, changed_by, now.isoformat()),
            )
    return old


@dataclass(frozen=True)
class PhaseChange:
    from_phase: int
    to_phase: int
    changed_at: datetime
    changed_by: int | None  # None: the organisation file, or a person since forgotten
    name: str | None  # her name in the group, if she is a member of it


async def phase_history(db: Database, district_id: int, limit: int = 5) -> list[PhaseChange]:
    """The group's latest phase changes, newest first, with who made them."""
    rows = await db.fetch_all(
        """
        SELECT p.from_phase, p.to_phase, p.changed_at, p.changed_by, m.display_name
          FROM phase_changes AS p
          LEFT JOIN memberships AS m
            ON m.telegram_id = p.changed_by AND m.district_id = p.district_id
         WHERE p.district_id = ? ORDER BY p.changed_at DESC, p.id DESC LIMIT ?
        """,
        (district_id, limit),
    )
    return [
        PhaseChange(
            int(r["from_phase"]),
            int(r["to_phase"]),
            datetime.fromisoformat(r["changed_at"]),
            r["changed_by"],
            r["display_name"],
        )
        for r in rows
    ]
