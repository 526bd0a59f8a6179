"""Small facts about the bot itself, kept across restarts (no person's data)."""

from __future__ import annotations

from storage.db import Database


async def get_state(db: Database, key: str) -> str | None:
    row = await db.fetch_one("SELECT value FROM bot_state WHERE key = ?", (key,))
    return str(row[0]) if row else None


async def set_state(db: Database, key: str, value: str) -> None:
    await db.execute(
        "INSERT INTO bot_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
