"""The SQLite connection: opening it safely, migrating it, and running transactions.

One aiosqlite connection serves the whole bot. SQLite in WAL mode lets a backup or a second reader
look at the file while the bot writes, and foreign keys are switched on so that deleting a person
removes everything hanging off her.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageError(RuntimeError):
    """The database cannot be used; the message is one line meant for the operator."""


class DatabaseUnreadable(StorageError):
    """The file is not an SQLite database, or cannot be opened at all."""


class DatabaseTooNew(StorageError):
    """The file was migrated by a newer version of the bot than this one."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered migrations shipped in `storage/migrations`, in order."""
    found: list[Migration] = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StorageError(f"migrations must be numbered 0001, 0002, ... without gaps: {versions}")
    return found


class Database:
    """An open, migrated database. Use `await Database.open(path)` and `await db.close()`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        # One connection serves every handler, job and worker. The lock gives each statement or
        # transaction the connection to itself, so nobody reads another's uncommitted writes
        # and two transactions never interleave.
        self._lock = asyncio.Lock()
        self._in_transaction: ContextVar[bool] = ContextVar(f"in_tx_{id(self)}", default=False)

    @classmethod
    async def open(
        cls, path: Path | str, migrations: Iterable[Migration] | None = None
    ) -> Database:
        """Open (creating if needed) and migrate the database at `path`."""
        path = Path(path)
        if path.exists() and path.is_dir():
            raise DatabaseUnreadable(f"database path {path} is a directory, not a file")
        if not path.parent.exists():
            raise DatabaseUnreadable(f"cannot create database {path}: {path.parent} does not exist")
        try:
            # Reads are also run from the event loop's thread (see Database.fetch_all), on the
            # same connection: SQLite is built serialized (sqlite3.threadsafety 3) and the lock
            # below lets one statement at a time use it.
            pending = aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
            # aiosqlite's thread is not a daemon: a connection some unforeseen path left open
            # (a SIGTERM in the middle of start-up was seen to do it, rarely, under load) would
            # keep the process alive for ever after its main thread ended. SQLite's commits are
            # atomic, so ending with that thread loses nothing committed. Set before it starts.
            worker = getattr(pending, "_thread", None)
            if isinstance(worker, threading.Thread):
                worker.daemon = True
            conn = await pending
        except sqlite3.Error as exc:
            raise DatabaseUnreadable(f"cannot open database {path}: {exc}") from None
        db = cls(conn, path)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            # With WAL, NORMAL syncs at checkpoints, not at every commit: a crash of the bot
            # loses nothing; only a power cut may lose the last moments' commits.
            await conn.execute("PRAGMA synchronous = NORMAL")
            # Deleted rows are overwritten with zeros, not left readable in free space (what is
            # forgotten must be gone from the file); the WAL is truncated after a forget.
            await conn.execute("PRAGMA secure_delete = ON")
            await db._check_pages()
            await db._migrate(list(migrations) if migrations is not None else bundled_migrations())
            await db._check_writable()
        except sqlite3.DatabaseError as exc:
            await conn.close()
            if "readonly" in str(exc).lower():
                raise DatabaseUnreadable(
                    f"{path} is read-only: the bot must be able to write the file and its folder"
                ) from None
            raise DatabaseUnreadable(
                f"{path} is not a readable bydelsbot database ({exc})"
            ) from None
        except StorageError:
            await conn.close()
            raise
        return db

    async def checkpoint(self) -> bool:
        """Copy the WAL into the main file and truncate it to nothing, so that the old versions
        of deleted rows are no longer in it. False if a reader (a backup) kept part of it."""
        async with self._exclusive():
            row = await _fetch_one(self._conn, "PRAGMA wal_checkpoint(TRUNCATE)", ())
        return row is not None and int(row[0]) == 0

    async def _check_pages(self) -> None:
        """Damaged pages behind an intact header would fail some later query, mid-update: look
        at every page now (PRAGMA quick_check, a fraction of a second for our sizes)."""
        rows = await _fetch_all(self._conn, "PRAGMA quick_check(1)", ())
        verdict = str(rows[0][0]) if rows else "no answer"
        if verdict != "ok":
            first = " ".join(verdict.replace("*** in database main ***", "").split())
            raise DatabaseUnreadable(
                f"{self.path} is damaged ({first[:120]}): restore a backup (see README)"
            )

    async def _check_writable(self) -> None:
        """A read-only file would fail the first write of the first woman: find out now."""
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        await self._conn.execute(f"PRAGMA user_version = {version}")

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def _migrate(self, migrations: list[Migration]) -> None:
        current = await self.schema_version()
        newest = migrations[-1].version if migrations else 0
        if current > newest:
            raise DatabaseTooNew(
                f"{self.path} was written by a newer bydelsbot (schema {current}; this version "
                f"knows up to {newest}): upgrade bydelsbot or restore a backup"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            # The version is bumped in the same transaction as the change, so a crash leaves
            # either the old schema or the new one, never half of it.
            script = (
                f"BEGIN IMMEDIATE;\n{migration.sql}\n"
                f"PRAGMA user_version = {migration.version};\nCOMMIT;"
            )
            try:
                await self._conn.executescript(script)
            except sqlite3.Error:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise

    # -- queries -------------------------------------------------------------------------------

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """One row of a read outside any transaction (run here, not in aiosqlite's thread)."""
        async with self._exclusive():
            return _one(self._raw, sql, tuple(params))

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """All rows of a read outside any transaction (run here, not in aiosqlite's thread)."""
        async with self._exclusive():
            return _all(self._raw, sql, tuple(params))

    @property
    def _raw(self) -> sqlite3.Connection:
        # A read outside a transaction runs in the event loop's own thread: in WAL mode it never
        # waits for a writer, and takes some microseconds, where the trip to aiosqlite's thread
        # and back takes 0.1-0.3 ms, and updates are handled one at a time (every trip is
        # everyone's wait). Writes and transactions still go to the thread, where a commit's
        # occasional checkpoint (a disk sync) keeps the loop free.
        raw: sqlite3.Connection = self._conn._conn
        return raw

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement in its own transaction; return the rows it changed."""
        async with self.transaction() as tx:
            # BEGIN, the statement and COMMIT in one trip to aiosqlite's thread, not three.
            return await tx._execute_alone(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run several statements atomically: all of them land, or none."""
        async with self._exclusive():
            token = self._in_transaction.set(True)
            # BEGIN IMMEDIATE goes with the transaction's first statement (one trip to the
            # thread, not two); the lock above keeps the connection ours until COMMIT.
            tx = Transaction(self._conn)
            try:
                yield tx
            except BaseException:
                if tx.state is _State.OPEN:
                    await _in_thread(self._conn, _write, "ROLLBACK", ())
                raise
            else:
                if tx.state is _State.OPEN:
                    await _in_thread(self._conn, _write, "COMMIT", ())
            finally:
                self._in_transaction.reset(token)

    @asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        if self._in_transaction.get():
            # Waiting for the lock we hold ourselves would hang forever: fail loudly instead.
            raise RuntimeError("inside db.transaction(), use the transaction's own methods")
        async with self._lock:
            yield


# Each statement is one trip to aiosqlite's thread (execute, fetch and close there together),
# not three (open a cursor, fetch, close it): updates are handled one at a time, so every trip
# is everyone's wait. aiosqlite's own helpers do the same through its `_execute`.


def _one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> sqlite3.Row | None:
    cursor = conn.execute(sql, params)
    try:
        row: sqlite3.Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def _all(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
    cursor = conn.execute(sql, params)
    try:
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _write(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int:
    cursor = conn.execute(sql, params)
    try:
        return int(cursor.rowcount)
    finally:
        cursor.close()


async def _in_thread(conn: aiosqlite.Connection, fn: Any, sql: str, params: Iterable[Any]) -> Any:
    runner: Any = conn
    return await runner._execute(fn, runner._conn, sql, tuple(params))


async def _fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Iterable[Any]
) -> sqlite3.Row | None:
    row: sqlite3.Row | None = await _in_thread(conn, _one, sql, params)
    return row


async def _fetch_all(
    conn: aiosqlite.Connection, sql: str, params: Iterable[Any]
) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = await _in_thread(conn, _all, sql, params)
    return rows


class _State(enum.Enum):
    NOT_BEGUN = "not begun"  # no statement yet: BEGIN goes with the first one
    OPEN = "open"  # BEGIN ran: COMMIT (or ROLLBACK on an error) ends it
    ENDED = "ended"  # committed together with its only statement


class Transaction:
    """Statements inside `Database.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        # Set in aiosqlite's thread, read here after the trip's result arrives.
        self.state = _State.NOT_BEGUN

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        changed: int = await self._trip(_write, sql, params)
        return changed

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = await self._trip(_one, sql, params)
        return row

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        rows: list[sqlite3.Row] = await self._trip(_all, sql, params)
        return rows

    async def _trip(self, fn: Any, sql: str, params: Iterable[Any]) -> Any:
        if self.state is _State.NOT_BEGUN:
            return await _in_thread(self._conn, functools.partial(_begun, self, fn), sql, params)
        return await _in_thread(self._conn, fn, sql, params)

    async def _execute_alone(self, sql: str, params: Iterable[Any]) -> int:
        """The transaction's only statement, committed in the same trip (Database.execute)."""
        assert self.state is _State.NOT_BEGUN
        changed: int = await _in_thread(
            self._conn, functools.partial(_begun, self, _write_and_commit), sql, params
        )
        return changed


def _begun(tx: Transaction, fn: Any, conn: sqlite3.Connection, sql: str, params: Any) -> Any:
    """BEGIN IMMEDIATE, then the first statement (in aiosqlite's thread). A failed BEGIN leaves
    nothing to roll back; a failed statement after it leaves the transaction OPEN, and
    Database.transaction rolls it back."""
    _write(conn, "BEGIN IMMEDIATE", ())
    tx.state = _State.OPEN
    result = fn(conn, sql, params)
    if fn is _write_and_commit:
        tx.state = _State.ENDED
    return result


def _write_and_commit(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int:
    changed = _write(conn, sql, params)
    _write(conn, "COMMIT", ())
    return changed
