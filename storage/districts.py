"""District groups: one per bydel, with the phase it is in."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class DistrictRecord:
    id: int
    slug: str
    name: str
    phase: int
    default_locale: str


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
    rows = await db.fetch_all(
        "SELECT id, slug, name, phase, default_locale FROM districts ORDER BY name"
    )
    return [
        DistrictRecord(r["id"], r["slug"], r["name"], r["phase"], r["default_locale"]) for r in rows
    ]
