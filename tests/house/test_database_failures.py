"""What the operator and the caller learn when SQLite fails under the statements run in the
event loop's thread (storage/db.py): a full database says so, a commit that landed is not
reported failed because the checkpoint after it failed, and a cancelled checkpoint keeps the
connection until aiosqlite's thread is done with it. Real SQLite files; the disk made full with
SQLite's own page limit and the process's file-size limit."""

from __future__ import annotations

import asyncio
import resource
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

import storage.db
from handlers.common.errors import storage_trouble
from storage import Database

BIG = "INSERT INTO t VALUES (?, zeroblob(100000))"  # needs pages the file may not have


@pytest.fixture
async def plain(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "x.sqlite3", migrations=[])
    await db.execute("CREATE TABLE t (n INTEGER, pad BLOB)")
    yield db
    await db.close()


async def rows(db: Database) -> list[int]:
    return [int(r[0]) for r in await db.fetch_all("SELECT n FROM t ORDER BY n")]


async def one_big_write(db: Database) -> None:
    await db.execute(BIG, (1,))


async def a_transaction_ending_big(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES (2, zeroblob(10))")
        await tx.execute(BIG, (3,))


@pytest.mark.parametrize("write", [one_big_write, a_transaction_ending_big])
async def test_a_full_database_says_it_is_full_and_the_next_write_lands(
    plain: Database, write: Callable[[Database], Awaitable[None]]
) -> None:
    pages = (await plain.fetch_one("PRAGMA page_count") or [0])[0]
    await plain.execute(f"PRAGMA max_page_count = {int(pages)}")
    with pytest.raises(sqlite3.OperationalError) as failed:
        await write(plain)
    # SQLite rolled the transaction back itself; a second ROLLBACK's "no transaction is active"
    # must not take the place of the error that says what is wrong.
    assert storage_trouble(failed.value) == "database or disk is full", failed.value
    assert await rows(plain) == []
    await plain.execute("PRAGMA max_page_count = 1000000")
    await plain.execute("INSERT INTO t VALUES (4, NULL)")
    assert await rows(plain) == [4]


async def test_a_commit_whose_checkpoint_fails_is_not_reported_failed(
    plain: Database, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(50):
        await plain.execute("INSERT INTO t VALUES (?, zeroblob(3000))", (n,))
    assert await plain.checkpoint()  # the WAL is empty and has room; the main file is full size
    main = plain.path.stat().st_size
    plain._commits = storage.db._CHECKPOINT_EVERY - 1  # the next commit is checkpointed
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # The main file may not grow (the checkpoint must write past its end); the WAL may.
    resource.setrlimit(resource.RLIMIT_FSIZE, (main + 2000, hard))
    try:
        changed = await plain.execute("INSERT INTO t VALUES (999, zeroblob(3000))")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert changed == 1  # landed, and said so: trying it again would write it twice
    assert (await rows(plain))[-1] == 999
    assert "WAL checkpoint failed (OperationalError)" in caplog.text
    assert await plain.checkpoint()  # the next checkpoint copies it


async def test_a_cancelled_checkpoint_keeps_the_connection_until_the_thread_is_done(
    plain: Database,
) -> None:
    await plain.execute("INSERT INTO t VALUES (1, NULL)")
    reader = sqlite3.connect(plain.path, isolation_level=None)  # a backup reading a snapshot
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM t").fetchone()
        await plain.execute("INSERT INTO t VALUES (2, NULL)")
        # TRUNCATE waits in aiosqlite's thread for the reader (up to 5 s).
        checkpoint = asyncio.create_task(plain.checkpoint())
        await asyncio.sleep(0.05)
        checkpoint.cancel()
        await asyncio.sleep(0.05)
        # Still the thread's: a statement now would run in the loop's thread and block the
        # whole loop on SQLite's connection mutex until the checkpoint ended.
        assert not checkpoint.done() and plain._lock.locked()
        reader.execute("COMMIT")
        with pytest.raises(asyncio.CancelledError):
            await checkpoint
    finally:
        reader.close()
    assert not plain._lock.locked()
    assert await rows(plain) == [1, 2]
