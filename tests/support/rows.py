"""The real database in tests: how many rows a table holds, and the migrations before one (to
write rows as an older bot did, then migrate)."""

from __future__ import annotations

from storage import Database
from storage.db import Migration, bundled_migrations


async def count_rows(db: Database, table: str) -> int:
    """The number of rows in this table (a name from the test itself, never from input)."""
    row = await db.fetch_one(f"SELECT count(*) FROM {table}")
    assert row is not None
    return int(row[0])


def migrations_before(name_ends: str) -> list[Migration]:
    """The bundled migrations that come before the one whose file name ends so."""
    migrations = bundled_migrations()
    index = next(i for i, m in enumerate(migrations) if m.name.endswith(name_ends))
    return migrations[:index]
