"""`bydelsbot backup`: a consistent copy of the live database, while a writer keeps writing."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from storage import Database, StorageError
from storage.backup import backup_database, schema_version_of
from storage.db import bundled_migrations
from storage.people import load_person, save_locale
from tests.fakes.bot_process import bydelsbot

NEWEST = bundled_migrations()[-1].version


def rows_in(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def temporary_files(folder: Path) -> list[str]:
    return [name for name in names_in(folder) if name.endswith(".tmp")]


def check_copy(path: Path) -> None:
    assert rows_in(path, "PRAGMA integrity_check") == [("ok",)]
    assert schema_version_of(path) == NEWEST
    assert rows_in(path, "PRAGMA journal_mode") == [("delete",)]  # one file, no -wal needed


async def test_backup_while_a_writer_keeps_writing(db: Database, tmp_path: Path) -> None:
    """The bot's connection stays open; another writer commits pairs of rows without pause.
    Every copy holds whole pairs only: one consistent moment, never half a transaction."""
    for n in range(3):
        await save_locale(db, 100 + n, "so")
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        conn = sqlite3.connect(db.path, timeout=30, isolation_level=None)
        try:
            n = 0
            while not stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT INTO people (telegram_id, locale) VALUES (?, 'ar')",
                    [(1_000_000 + 2 * n,), (1_000_001 + 2 * n,)],
                )
                conn.execute("COMMIT")
                n += 1
                written.append(n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        for i in range(5):
            while len(written) < 20 * (i + 1):  # let the writer get ahead of each copy
                thread.join(0.001)
                assert thread.is_alive(), errors
            copy = tmp_path / f"backup-{i}.sqlite3"
            backup_database(db.path, copy)
            copies.append(copy)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    counts = []
    for copy in copies:
        check_copy(copy)
        assert rows_in(copy, "SELECT count(*) FROM people WHERE locale = 'so'") == [(3,)]
        [(pairs,)] = rows_in(copy, "SELECT count(*) FROM people WHERE locale = 'ar'")
        assert isinstance(pairs, int) and pairs % 2 == 0
        counts.append(pairs)
    assert counts == sorted(counts) and counts[0] >= 40  # each copy saw the writes before it
    assert counts[-1] <= 2 * len(written)


async def test_backup_has_what_is_committed_and_not_what_is_open(
    db: Database, tmp_path: Path
) -> None:
    await save_locale(db, 101, "ti")
    writer = sqlite3.connect(db.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO people (telegram_id, locale) VALUES (102, 'ur')")
    copy = tmp_path / "backup.sqlite3"
    backup_database(db.path, copy)  # does not wait for, or block, the open transaction
    writer.execute("COMMIT")
    writer.close()
    check_copy(copy)
    assert rows_in(copy, "SELECT telegram_id, locale FROM people") == [(101, "ti")]


async def test_a_newer_backup_replaces_the_old_one_and_leaves_no_temporary_file(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    copy = folder / "bydelsbot.sqlite3"
    await save_locale(db, 101, "ti")
    backup_database(db.path, copy)
    await save_locale(db, 102, "pa")
    backup_database(db.path, copy)
    assert rows_in(copy, "SELECT count(*) FROM people") == [(2,)]
    assert names_in(folder) == ["bydelsbot.sqlite3"]  # no temporary file, no -wal
    assert copy.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only


async def test_a_restored_backup_opens_as_the_live_database(db_path: Path, tmp_path: Path) -> None:
    """The README's restore steps: copy over BYDELSBOT_DB, remove -wal and -shm, start."""
    db = await Database.open(db_path)
    await save_locale(db, 101, "bs")
    copy = tmp_path / "backup.sqlite3"
    backup_database(db.path, copy)
    await save_locale(db, 102, "ku")  # after the backup: gone after the restore
    await db.close()
    restored = tmp_path / "restored" / "bydelsbot.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(copy, restored)
    for leftover in (Path(f"{restored}-wal"), Path(f"{restored}-shm")):
        leftover.unlink(missing_ok=True)
    again = await Database.open(restored)
    try:
        assert (await load_person(again, 101)) is not None
        assert (await load_person(again, 102)) is None
        assert (await again.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    finally:
        await again.close()


async def test_backup_refuses_to_overwrite_the_live_database(db: Database) -> None:
    await save_locale(db, 101, "ti")
    for target in (db.path, Path(f"{db.path}-wal"), db.path.parent / "." / db.path.name):
        with pytest.raises(StorageError, match="refusing to write the backup over the live"):
            backup_database(db.path, target)
    assert (await load_person(db, 101)) is not None
    assert temporary_files(db.path.parent) == []


@pytest.mark.parametrize(
    ("source", "destination", "message"),
    [
        ("missing.sqlite3", "copy.sqlite3", "no such database file"),
        ("notes.txt", "copy.sqlite3", "file is not a database"),
        ("bot.sqlite3", "nowhere/copy.sqlite3", "cannot write the backup to"),
        ("bot.sqlite3", ".", "it is a directory"),
    ],
)
async def test_backup_failures_are_one_line_storage_errors(
    db: Database, tmp_path: Path, source: str, destination: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_bytes(b"not a database at all " * 300)
    with pytest.raises(StorageError, match=message) as failure:
        backup_database(tmp_path / source, tmp_path / destination)
    assert "\n" not in str(failure.value)
    assert not (tmp_path / "missing.sqlite3").exists()  # a wrong path never creates a database
    assert temporary_files(tmp_path) == []


# -- the command ---------------------------------------------------------------------------------


async def test_cli_backup_writes_the_copy_and_one_line(db: Database, tmp_path: Path) -> None:
    await save_locale(db, 101, "ti")  # the bot's connection stays open throughout
    copy = tmp_path / "copy.sqlite3"
    result = bydelsbot("backup", str(copy), "--db", str(db.path))
    assert result.returncode == 0, result.stderr
    size = copy.stat().st_size
    assert result.stdout == f"backup written to {copy} ({size} bytes, schema v{NEWEST})\n"
    check_copy(copy)
    from_env = bydelsbot(
        "backup", str(tmp_path / "env.sqlite3"), env={"BYDELSBOT_DB": str(db.path)}
    )
    assert from_env.returncode == 0, from_env.stderr
    assert rows_in(tmp_path / "env.sqlite3", "SELECT telegram_id FROM people") == [(101,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/copy.sqlite3", "--db", "{tmp}/missing.sqlite3"], "no such database file"),
        (["{tmp}/nowhere/copy.sqlite3", "--db", "{db}"], "cannot write the backup to"),
        (["{db}", "--db", "{db}"], "refusing to write the backup over the live database"),
    ],
)
async def test_cli_backup_failures_exit_3_with_one_line(
    db: Database, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [arg.format(tmp=tmp_path, db=db.path) for arg in args]
    result = bydelsbot("backup", *filled)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
