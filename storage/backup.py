"""Backups of the live database (`bydelsbot backup PATH`), safe while the bot writes to it.

SQLite's online backup API copies the database as of one moment, the WAL included, while the bot
goes on writing (in WAL mode a reader does not block the writer). The copy is written beside
its destination under a temporary name, checked, and renamed over it in one step, so PATH holds
either the previous backup or the new one, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from storage.db import StorageError

# The files SQLite keeps beside a live database; a backup written over one would corrupt it.
_COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")


def backup_database(source: Path, destination: Path) -> None:
    """Write a consistent, self-contained copy of the database `source` to `destination`."""
    source, destination = Path(source), Path(destination)
    if not source.is_file():
        raise StorageError(f"cannot back up {source}: no such database file")
    live = {Path(f"{source.resolve()}{suffix}") for suffix in _COMPANION_SUFFIXES}
    if destination.resolve() in live:
        raise StorageError(f"refusing to write the backup over the live database {source}")
    if destination.is_dir():
        raise StorageError(f"cannot write the backup to {destination}: it is a directory")
    try:
        # mkstemp creates the file readable by its owner only: a backup holds personal data.
        handle, temporary = tempfile.mkstemp(
            prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent
        )
    except OSError as exc:
        raise StorageError(f"cannot write the backup to {destination}: {exc.strerror}") from None
    os.close(handle)
    try:
        _copy(source, Path(temporary))
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(destination.parent)


def schema_version_of(path: Path) -> int:
    """The schema version (PRAGMA user_version) of a database file, e.g. a backup."""
    try:
        conn = sqlite3.connect(_read_only(path), uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read {path}: {exc}") from None


def _copy(source: Path, temporary: Path) -> None:
    try:
        # An ordinary connection, not a read-only one: read-only, SQLite could not tidy away the
        # -wal and -shm files it has to create beside a WAL database that the bot is not using.
        live = sqlite3.connect(source)
        try:
            copy = sqlite3.connect(temporary)
            try:
                live.backup(copy)  # all pages in one step: one consistent moment
                # A single file that needs no -wal beside it wherever it is copied to; the bot
                # switches a restored database back to WAL when it opens it.
                copy.execute("PRAGMA journal_mode = DELETE")
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                copy.close()
        finally:
            live.close()
    except sqlite3.Error as exc:
        raise StorageError(f"cannot back up {source}: {exc}") from None
    if check != "ok":
        raise StorageError(f"the backup of {source} failed its integrity check: {check}")
    with temporary.open("rb") as written:
        os.fsync(written.fileno())


def _read_only(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; other systems do not allow opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
