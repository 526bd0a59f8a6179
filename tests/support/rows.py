"""Reading the real database in tests: how many rows a table holds."""

from __future__ import annotations

from storage import Database


async def count_rows(db: Database, table: str) -> int:
    """The number of rows in this table (a name from the test itself, never from input)."""
    row = await db.fetch_one(f"SELECT count(*) FROM {table}")
    assert row is not None
    return int(row[0])
