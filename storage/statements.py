"""Statements on the bot's one SQLite connection, run in the event loop's thread: a
transaction's (`Transaction`, BEGIN with its first statement), and the patience with another
connection's write lock that SQLite's busy_timeout gave before (`patiently`). `Database`
(storage/db.py) holds the connection and the lock that gives it to one statement or transaction
at a time.
"""

from __future__ import annotations

import asyncio
import enum
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

# How long, in all, a statement waits for another connection's write lock before it fails with
# SQLite's own "database is locked", as SQLite's busy_timeout (5 s) let it before; the pauses
# between tries grow from 1 ms to 50 ms.
PATIENCE = 5.0
_FIRST_PAUSE = 0.001
_LONGEST_PAUSE = 0.05

# A statement run on the connection: read_one, read_all or write below.
Statement = Callable[[sqlite3.Connection, str, tuple[Any, ...]], T]


async def patiently(attempt: Callable[[], Awaitable[T]]) -> T:
    """`attempt()`, tried again while another connection holds the database's write lock
    (SQLITE_BUSY, "database is locked"), for up to PATIENCE seconds in all; then its error.

    Each attempt must fail before it changed anything (a BEGIN IMMEDIATE, a read). The pauses
    are asyncio's, not SQLite's busy_timeout: the loop goes on with other work meanwhile. They
    are real seconds, not the bot's clock (handlers/common/clock.py), whose sleeps the tests
    skip: another process's lock is let go in real time."""
    try:
        return await attempt()
    except sqlite3.OperationalError as exc:
        if not _busy(exc):
            raise
    deadline = time.monotonic() + PATIENCE
    pause = _FIRST_PAUSE
    while True:
        await asyncio.sleep(pause)
        try:
            return await attempt()
        except sqlite3.OperationalError as exc:
            left = deadline - time.monotonic()
            if not _busy(exc) or left <= 0:
                raise
        pause = min(pause * 2, _LONGEST_PAUSE, left)


def _busy(exc: sqlite3.OperationalError) -> bool:
    # An error SQLite raised carries its code; one raised by hand (a test's) may not.
    code = getattr(exc, "sqlite_errorcode", 0)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY


# Each statement is executed, fetched and closed in one call (a cursor left open would keep a
# read transaction open, and the WAL could not be checkpointed past it).


def read_one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> sqlite3.Row | None:
    cursor = conn.execute(sql, params)
    try:
        row: sqlite3.Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def read_all(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
    cursor = conn.execute(sql, params)
    try:
        return list(cursor.fetchall())
    finally:
        cursor.close()


def write(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int:
    cursor = conn.execute(sql, params)
    try:
        return int(cursor.rowcount)
    finally:
        cursor.close()


class TxState(enum.Enum):
    NOT_BEGUN = "not begun"  # no statement yet: BEGIN goes with the first one
    OPEN = "open"  # BEGIN ran: COMMIT (or ROLLBACK on an error) ends it
    ENDED = "ended"  # committed together with its only statement


class Transaction:
    """Statements inside `Database.transaction()`."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw
        self.state = TxState.NOT_BEGUN

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        return await self._run(write, sql, tuple(params))

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        return await self._run(read_one, sql, tuple(params))

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return await self._run(read_all, sql, tuple(params))

    async def _run(self, fn: Statement[T], sql: str, args: tuple[Any, ...]) -> T:
        if self.state is TxState.NOT_BEGUN:
            # BEGIN IMMEDIATE goes with the first statement, nothing awaited between them when
            # the database is free. The caller holds Database._lock: while another connection
            # holds the write lock, the bot's other statements wait for this one, as they did
            # while SQLite's busy_timeout slept in aiosqlite's thread; the loop does not.
            await patiently(self._begin)
        return fn(self._raw, sql, args)

    async def _begin(self) -> None:
        # A failed BEGIN (the database is locked) leaves nothing to roll back and is tried
        # again; once it ran, the transaction is OPEN and Database.transaction ends it.
        write(self._raw, "BEGIN IMMEDIATE", ())
        self.state = TxState.OPEN

    def _execute_alone(self, sql: str, args: tuple[Any, ...]) -> int:
        """The transaction's only statement, committed with it (Database.execute, which tries
        it all again while the database is locked)."""
        assert self.state is TxState.NOT_BEGUN
        write(self._raw, "BEGIN IMMEDIATE", ())
        self.state = TxState.OPEN
        changed = write(self._raw, sql, args)
        write(self._raw, "COMMIT", ())
        self.state = TxState.ENDED
        return changed
