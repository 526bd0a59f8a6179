"""The SQLite connection: opening it safely, migrating it, and running transactions.

One aiosqlite connection serves the whole bot. SQLite in WAL mode lets a backup or a second reader
look at the file while the bot writes, and foreign keys are switched on so that deleting a person
removes everything hanging off her.

Statements run in the event loop's own thread, on that connection: the bot handles updates one
at a time, and a trip to aiosqlite's thread and back (0.1-0.3 ms) was every woman's wait. Two
things could still hold the loop there, and do not: a write lock held by another connection (the
CLI's `bydelsbot admin` or `seed`, a second process) is waited for with asyncio's sleep, not
inside SQLite (busy_timeout is 0 after opening); and the WAL's checkpoint, with its disk sync, runs
in aiosqlite's thread every so many commits instead of inside the commit that crossed SQLite's
auto-checkpoint. aiosqlite's thread also opens the file and runs what runs once at start
(quick_check, migrations).
"""

from __future__ import annotations

import asyncio
import logging
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

from storage.statements import (
    PATIENCE,
    Statement,
    T,
    TxState,
    patiently,
    read_all,
    read_one,
    write,
)
from storage.statements import (  # the storage modules import it from here
    Transaction as Transaction,
)

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

# Commits between two checkpoints. SQLite's auto-checkpoint comes every 1,000 pages (4 MB). Most
# of the bot's commits change one page (an answer, a view, a language: one frame per commit in
# benchmarks/updates.py), some a few (a sign-up, its indexes), so 500 commits keep the WAL at
# 2-8 MB, about where SQLite kept it; a broadcast's one large commit makes it larger for a while,
# as it did before. Fewer commits would mean more disk syncs, each holding the connection.
_CHECKPOINT_EVERY = 500


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
        self._commits = 0  # since the last checkpoint

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
            # Commits run in the event loop's thread: the WAL is checkpointed in aiosqlite's
            # thread instead (Database._committed), never by a commit.
            await conn.execute("PRAGMA wal_autocheckpoint = 0")
            await db._check_pages()
            await db._migrate(list(migrations) if migrations is not None else bundled_migrations())
            await db._check_writable()
            # From here on statements run in the loop's thread, which must not sleep inside
            # SQLite while another process holds the lock: `patiently` waits instead.
            await conn.execute("PRAGMA busy_timeout = 0")
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
            row: sqlite3.Row | None = await _in_thread_to_the_end(self._conn, _truncate_wal, "", ())
            self._commits = 0
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
        """One row of a read outside any transaction."""
        return await self._alone(read_one, sql, tuple(params))

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """All rows of a read outside any transaction."""
        return await self._alone(read_all, sql, tuple(params))

    async def _alone(self, fn: Statement[T], sql: str, args: tuple[Any, ...]) -> T:
        async def once() -> T:
            async with self._exclusive():
                return fn(self._raw, sql, args)

        # In WAL mode a read meets another connection's lock only in rare moments (one
        # recovering the WAL after a crash); it is waited for without our lock.
        return await patiently(once)

    @property
    def _raw(self) -> sqlite3.Connection:
        # Statements run in the event loop's own thread, on aiosqlite's connection: SQLite is
        # built serialized (sqlite3.threadsafety 3), the connection was opened with
        # check_same_thread=False, and self._lock lets one statement or transaction at a time
        # use it. A read takes microseconds, a commit tens of them (synchronous=NORMAL syncs only
        # at checkpoints, which run in aiosqlite's thread), where the trip to that thread and back
        # takes 0.1-0.3 ms, and updates are handled one at a time.
        raw: sqlite3.Connection = self._conn._conn
        return raw

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement in its own transaction; return the rows it changed."""
        args = tuple(params)

        async def once() -> int:
            async with self.transaction() as tx:
                # BEGIN, the statement and COMMIT with nothing awaited between them.
                return tx._execute_alone(sql, args)

        # While another process holds the write lock, the bot's reads go on: the lock is not
        # ours between tries.
        return await patiently(once)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run several statements atomically: all of them land, or none."""
        async with self._exclusive():
            token = self._in_transaction.set(True)
            # BEGIN IMMEDIATE goes with the transaction's first statement (nothing to undo if
            # the database is locked then); the lock above keeps the connection ours until COMMIT.
            raw = self._raw
            tx = Transaction(raw)
            try:
                yield tx
            except BaseException:
                # SQLite itself rolls back a transaction whose statement or COMMIT met a full
                # disk or an I/O error: a ROLLBACK then fails ("no transaction is active") and
                # its error would hide the one that tells the operator what is wrong.
                if tx.state is TxState.OPEN and raw.in_transaction:
                    _roll_back(raw)
                raise
            else:
                if tx.state is TxState.OPEN:
                    try:
                        write(raw, "COMMIT", ())
                    except BaseException:
                        # A COMMIT that failed (a full disk) may leave the transaction open,
                        # and every later BEGIN would fail: undo it.
                        if raw.in_transaction:
                            _roll_back(raw)
                        raise
                if tx.state is not TxState.NOT_BEGUN:
                    await self._committed()
            finally:
                self._in_transaction.reset(token)

    async def _committed(self) -> None:
        """Count a commit; every _CHECKPOINT_EVERY of them, copy the WAL into the main file in
        aiosqlite's thread (a disk sync, milliseconds): the loop stays free meanwhile, and the
        caller's lock keeps everyone else off the connection. PASSIVE never waits for a reader
        (a backup); what it could not copy, a later one does."""
        self._commits += 1
        if self._commits < _CHECKPOINT_EVERY:
            return
        self._commits = 0
        try:
            await _in_thread_to_the_end(self._conn, read_one, "PRAGMA wal_checkpoint(PASSIVE)", ())
        except sqlite3.Error as exc:
            # The commit before it has landed: its caller must not take it for failed (and try
            # the write again). What could not be copied now, the next checkpoint copies; SQLite's
            # own automatic checkpoint ignored such errors too.
            log.warning("WAL checkpoint failed (%s); tried again later", type(exc).__name__)

    @asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        if self._in_transaction.get():
            # Waiting for the lock we hold ourselves would hang forever: fail loudly instead.
            raise RuntimeError("inside db.transaction(), use the transaction's own methods")
        async with self._lock:
            yield


def _truncate_wal(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    """In aiosqlite's thread, where waiting is harmless: give a reader (a backup) up to 5 s to
    let go of the WAL, as before, then truncate it."""
    conn.execute(f"PRAGMA busy_timeout = {int(PATIENCE * 1000)}").close()
    try:
        return read_one(conn, "PRAGMA wal_checkpoint(TRUNCATE)", ())
    finally:
        conn.execute("PRAGMA busy_timeout = 0").close()


def _roll_back(raw: sqlite3.Connection) -> None:
    try:
        write(raw, "ROLLBACK", ())
    except sqlite3.Error as exc:  # the error being raised says more than this one
        log.warning("ROLLBACK failed (%s)", type(exc).__name__)


async def _in_thread_to_the_end(
    conn: aiosqlite.Connection, fn: Any, sql: str, params: Iterable[Any]
) -> Any:
    """`_in_thread`, and a caller cancelled meanwhile (the outbox worker stopping) still waits
    for the thread to be done with the connection before it lets go of the lock: the next
    statement runs in the loop's thread and would block the whole loop on SQLite's connection
    mutex until the checkpoint ended (up to 5 s with a reader holding the WAL)."""
    trip = asyncio.ensure_future(_in_thread(conn, fn, sql, params))
    try:
        return await asyncio.shield(trip)
    except asyncio.CancelledError:
        await asyncio.wait({trip})
        if not trip.cancelled():
            trip.exception()  # seen: the caller is cancelled, its result goes nowhere
        raise


async def _in_thread(conn: aiosqlite.Connection, fn: Any, sql: str, params: Iterable[Any]) -> Any:
    """Run `fn` in aiosqlite's thread: what may take long (a disk sync) or runs once at start."""
    runner: Any = conn
    return await runner._execute(fn, runner._conn, sql, tuple(params))


async def _fetch_all(
    conn: aiosqlite.Connection, sql: str, params: Iterable[Any]
) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = await _in_thread(conn, read_all, sql, params)
    return rows
