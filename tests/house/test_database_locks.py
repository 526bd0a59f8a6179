"""Statements run in the event loop's thread (storage/db.py), so they must never wait inside
SQLite: another connection's write lock (the CLI's `bydelsbot admin add` or `seed`, a second
process) is waited for while the loop goes on, and the WAL's checkpoints (a disk sync) run in
aiosqlite's thread. Real SQLite files and a real second connection."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import storage.statements
from storage import Database

FRAME = 4096 + 24  # one page in the WAL, with its frame header


@pytest.fixture
async def scratch(db: Database) -> Database:
    await db.execute("CREATE TABLE scratch (n INTEGER)")
    return db


@pytest.fixture
def other(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection to the same file, holding its write lock with a row not yet committed,
    as `bydelsbot seed` does while it writes."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO scratch VALUES (0)")
    yield conn
    conn.close()


async def loop_goes_on(turns: int = 20) -> None:
    """Let the loop turn: a statement sleeping inside SQLite would hold it here."""
    for _ in range(turns):
        await asyncio.sleep(0.001)


def size(path: Path) -> int:
    return path.stat().st_size


async def numbers(db: Database) -> list[int]:
    return [int(row[0]) for row in await db.fetch_all("SELECT n FROM scratch ORDER BY n")]


async def test_a_write_waits_for_another_connections_lock_while_the_bot_goes_on(
    scratch: Database, other: sqlite3.Connection
) -> None:
    write = asyncio.create_task(scratch.execute("INSERT INTO scratch VALUES (1)"))
    await loop_goes_on()
    # The bot's reads go on meanwhile (they see what is committed), and the write still waits:
    # SQLite's busy_timeout in the loop's thread would have frozen the loop for 5 s and failed.
    assert await numbers(scratch) == []
    assert not write.done()
    other.execute("COMMIT")
    assert await write == 1
    assert await numbers(scratch) == [0, 1]


async def test_a_transaction_begins_once_the_other_connection_lets_go(
    scratch: Database, other: sqlite3.Connection
) -> None:
    async def two_rows() -> None:
        async with scratch.transaction() as tx:
            await tx.execute("INSERT INTO scratch VALUES (1)")
            assert (await tx.fetch_one("SELECT count(*) FROM scratch"))[0] == 2  # type: ignore[index]
            await tx.execute("INSERT INTO scratch VALUES (2)")

    moving = asyncio.create_task(two_rows())
    await loop_goes_on()
    assert not moving.done()
    other.execute("COMMIT")
    await moving
    assert await numbers(scratch) == [0, 1, 2]


async def test_a_lock_held_too_long_is_sqlites_own_error_and_nothing_is_left_begun(
    scratch: Database, other: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.statements, "PATIENCE", 0.2)  # not 5 s in a test
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        await scratch.execute("INSERT INTO scratch VALUES (1)")

    async def in_a_transaction() -> None:
        async with scratch.transaction() as tx:
            await tx.execute("INSERT INTO scratch VALUES (2)")

    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        await in_a_transaction()
    other.execute("ROLLBACK")
    # Neither left a transaction open on the bot's connection: the next write lands.
    assert await scratch.execute("INSERT INTO scratch VALUES (3)") == 1
    assert await numbers(scratch) == [3]


async def test_commits_never_checkpoint_in_the_loop_and_the_wal_stays_small(
    scratch: Database, db_path: Path
) -> None:
    assert (await scratch.fetch_one("PRAGMA wal_autocheckpoint"))[0] == 0  # type: ignore[index]
    checkpoints: list[threading.Thread] = []

    def traced(sql: str) -> None:
        if "wal_checkpoint" in sql:
            checkpoints.append(threading.current_thread())

    # SQLite's own trace hook, called in the thread that runs the statement.
    scratch._raw.set_trace_callback(traced)
    commits = 3000  # each writes at least one page to the WAL
    try:
        for n in range(commits):
            await scratch.execute("INSERT INTO scratch VALUES (?)", (n,))
    finally:
        scratch._raw.set_trace_callback(None)
    wal = Path(f"{db_path}-wal")
    assert checkpoints, "the WAL was never checkpointed"
    assert threading.current_thread() not in checkpoints, "a checkpoint ran in the loop's thread"
    assert size(wal) < commits * FRAME / 2
    assert await scratch.checkpoint()  # after a forget: the WAL truncated to nothing
    assert size(wal) == 0
    assert len(await numbers(scratch)) == commits
