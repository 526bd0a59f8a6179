"""Central admins added from the command line (`bydelsbot admin add ID`)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database


async def add_admin(db: Database, telegram_id: int, now: datetime) -> bool:
    """Add an admin; False if she already was one."""
    changed = await db.execute(
        "INSERT INTO admins (telegram_id, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (telegram_id, now.isoformat()),
    )
    return changed > 0


async def remove_admin(db: Database, telegram_id: int) -> bool:
    return await db.execute("DELETE FROM admins WHERE telegram_id = ?", (telegram_id,)) > 0


async def list_admins(db: Database) -> list[int]:
    rows = await db.fetch_all("SELECT telegram_id FROM admins ORDER BY telegram_id")
    return [int(row["telegram_id"]) for row in rows]
