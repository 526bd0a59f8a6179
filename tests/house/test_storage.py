"""The database: migrations, WAL, foreign keys, transactions, and files it must refuse."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import Database, DatabaseTooNew, DatabaseUnreadable
from storage.db import Migration, bundled_migrations
from storage.districts import upsert_district
from storage.people import add_membership, load_person, save_locale


async def test_migrations_apply_once_and_record_the_version(db_path: Path) -> None:
    db = await Database.open(db_path)
    newest = bundled_migrations()[-1].version
    assert await db.schema_version() == newest
    await db.close()
    again = await Database.open(db_path)  # idempotent: nothing to do the second time
    assert await again.schema_version() == newest
    await again.close()


async def test_wal_and_foreign_keys_are_on(db: Database) -> None:
    assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_a_failing_migration_leaves_the_old_schema(db_path: Path) -> None:
    good = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    bad = Migration(2, "0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(DatabaseUnreadable):
        await Database.open(db_path, [good, bad])
    db = await Database.open(db_path, [good])
    assert await db.schema_version() == 1
    assert await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'b'") is None
    await db.close()


async def test_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseTooNew, match="schema 999"):
        await Database.open(db_path)


async def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    with pytest.raises(DatabaseUnreadable, match="not a readable bydelsbot database"):
        await Database.open(path)


async def test_a_missing_folder_or_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnreadable, match="does not exist"):
        await Database.open(tmp_path / "nowhere" / "bot.sqlite3")
    with pytest.raises(DatabaseUnreadable, match="is a directory"):
        await Database.open(tmp_path)


async def test_transaction_rolls_back_everything_on_error(db: Database) -> None:
    async def crash_in_the_middle() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO people (telegram_id, locale) VALUES (1, 'so')")
            raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        await crash_in_the_middle()
    assert await load_person(db, 1) is None


async def test_person_and_memberships_round_trip(db: Database) -> None:
    assert await load_person(db, 7) is None
    await save_locale(db, 7, "ti")
    person = await load_person(db, 7)
    assert person is not None and person.locale == "ti" and person.memberships == ()
    alna = await upsert_district(db, "alna", "Alna", 3)
    grorud = await upsert_district(db, "grorud", "Grorud", 4)
    now = datetime.now(UTC)
    await add_membership(db, 7, alna, "mother", "Letay", now, "en")
    await add_membership(db, 7, grorud, "coordinator", "Letay", now, "en")
    person = await load_person(db, 7)
    assert person is not None and person.locale == "ti"  # a membership never overrides her choice
    assert [(m.district_name, m.role, m.phase) for m in person.memberships] == [
        ("Alna", "mother", 3), ("Grorud", "coordinator", 4),
    ]  # fmt: skip


async def test_deleting_a_person_removes_her_memberships(db: Database) -> None:
    alna = await upsert_district(db, "alna", "Alna", 3)
    await add_membership(db, 8, alna, "mother", "Hawa", datetime.now(UTC), None)
    await db.execute("DELETE FROM people WHERE telegram_id = 8")
    assert await db.fetch_all("SELECT * FROM memberships WHERE telegram_id = 8") == []


async def test_upserting_a_district_never_duplicates(db: Database) -> None:
    first = await upsert_district(db, "alna", "Alna", 3)
    second = await upsert_district(db, "alna", "Alna", 4)
    assert first == second
    rows = await db.fetch_all("SELECT phase FROM districts")
    assert [r["phase"] for r in rows] == [4]


async def test_nested_use_inside_a_transaction_fails_loudly_instead_of_hanging(
    db: Database,
) -> None:
    async def nested() -> None:
        async with db.transaction():
            await db.fetch_one("SELECT 1")

    with pytest.raises(RuntimeError, match="transaction's own methods"):
        await nested()
    assert await db.fetch_one("SELECT 1") is not None  # the connection is usable afterwards


async def test_readers_never_see_uncommitted_writes(db: Database) -> None:
    import asyncio

    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO people (telegram_id, locale) VALUES (5, 'so')")
            inside.set()
            await release.wait()
            raise RuntimeError("rolled back")

    task = asyncio.create_task(writer())
    await inside.wait()
    reader = asyncio.create_task(load_person(db, 5))
    await asyncio.sleep(0)  # let the reader try: it must wait for the writer's lock
    assert not reader.done()
    release.set()
    with pytest.raises(RuntimeError):
        await task
    assert await reader is None
