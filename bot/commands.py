"""The `bydelsbot` commands that work without Telegram: admin, backup, seed and translations on
the database file given by --db (else BYDELSBOT_DB), and the whole bot offline in the terminal."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import locales
from bot.config import parse_db_path
from bot.course.seeding import course_summary, past_evening_error
from bot.days import OSLO
from bot.demo import run_demo
from bot.exits import EXIT_CONFIG, EXIT_OK, EXIT_STORAGE, fail
from bot.logs import configure_logging
from bot.review.export import ExportReport, export, status_table
from bot.seeding import SeedError, read_seed, summary
from storage import Database, StorageError
from storage.admins import add_admin, list_admins, remove_admin
from storage.backup import backup_database, schema_version_of
from storage.course.seed import CourseCounts, EveningInThePast, apply_course_seed
from storage.db import Transaction
from storage.dropin.sessions import SessionConflict
from storage.organisation import SeedConflict, SeedCounts, apply_seed


def offline_db_path(explicit: Path | None) -> Path:
    """The database for commands that do not talk to Telegram: --db, else BYDELSBOT_DB."""
    return explicit or parse_db_path(os.environ.get("BYDELSBOT_DB", ""))


def admin_command(action: str, telegram_id: int | None, db_path: Path | None) -> int:
    """Add, remove or list the central office's admins."""
    if action != "list" and telegram_id is None:
        return fail(EXIT_CONFIG, f"admin {action} needs a Telegram user id")

    async def act() -> list[str]:
        db = await Database.open(offline_db_path(db_path))
        try:
            if action == "add":
                assert telegram_id is not None
                added = await add_admin(db, telegram_id, datetime.now(UTC))
                return [f"{telegram_id} is {'now' if added else 'already'} an admin"]
            if action == "remove":
                assert telegram_id is not None
                removed = await remove_admin(db, telegram_id)
                return [f"{telegram_id} {'removed' if removed else 'was not an admin'}"]
            return [str(admin) for admin in await list_admins(db)]
        finally:
            await db.close()

    try:
        lines = asyncio.run(act())
    except StorageError as exc:
        return fail(EXIT_STORAGE, str(exc))
    for line in lines:
        print(line)
    return EXIT_OK


def backup_command(path: Path, db_path: Path | None) -> int:
    """Copy the live database to `path` with SQLite's online backup."""
    try:
        backup_database(offline_db_path(db_path), path)
        version = schema_version_of(path)
    except StorageError as exc:
        return fail(EXIT_STORAGE, str(exc))
    print(f"backup written to {path} ({path.stat().st_size} bytes, schema v{version})")
    return EXIT_OK


def seed_command(file: Path, db_path: Path | None) -> int:
    """Load districts and locations from a TOML file: all of it, or nothing if it has a mistake."""
    try:
        seed = read_seed(file.read_bytes(), str(file))
    except OSError as exc:
        return fail(EXIT_CONFIG, f"cannot read {file}: {exc.strerror or exc}")
    except SeedError as exc:
        return fail(EXIT_CONFIG, str(exc))

    course: list[CourseCounts] = []

    async def act() -> SeedCounts:
        db = await Database.open(offline_db_path(db_path))
        now = datetime.now(UTC)

        async def cohorts(tx: Transaction) -> None:
            course.append(await apply_course_seed(tx, seed.cohorts, seed.evenings, now))

        try:
            return await apply_seed(
                db, seed.locations, seed.districts, now, seed.sessions, also=cohorts
            )
        finally:
            await db.close()

    try:
        counts = asyncio.run(act())
    except SeedConflict as exc:
        return fail(EXIT_CONFIG, str(seed.district_error(exc.slug, exc.key, exc.reason)))
    except SessionConflict as exc:
        return fail(EXIT_CONFIG, str(seed.session_error(exc.slug, exc.key, exc.reason)))
    except EveningInThePast as exc:  # the course's evenings: a new one in the past
        return fail(EXIT_CONFIG, str(past_evening_error(seed, exc, OSLO)))
    except StorageError as exc:
        return fail(EXIT_STORAGE, str(exc))
    line = summary(counts)
    if seed.cohorts:
        line += ", " + course_summary(course[0])
    print(line)
    return EXIT_OK


def translations_command(action: str, db_path: Path | None, locales_dir: Path | None) -> int:
    """Export approved wordings into the catalogues, or count what native speakers checked."""
    directory = locales_dir or Path(locales.__file__).parent
    if not (directory / "messages.pot").exists():
        return fail(EXIT_CONFIG, f"{directory} holds no message catalogues (messages.pot)")
    if action == "export":

        async def act() -> ExportReport:
            db = await Database.open(offline_db_path(db_path))
            try:
                return await export(db, directory)
            finally:
                await db.close()

        try:
            report = asyncio.run(act())
        except StorageError as exc:
            return fail(EXIT_STORAGE, str(exc))
        for locale in sorted(report.written):
            print(
                f"{locale}: {report.written[locale]} checked messages marked, "
                f"{report.changed.get(locale, 0)} new wordings written"
            )
        for locale, msgid in report.stale:
            print(f"{locale}: source changed since review, needs review again: {msgid[:60]!r}")
    print(status_table(directory))
    return EXIT_OK


def demo_command(role: str, db_path: Path | None) -> int:
    """The whole bot in this terminal, offline."""
    configure_logging(level=logging.WARNING)
    try:
        return asyncio.run(run_demo(role, db_path, sys.stdin))
    except StorageError as exc:
        return fail(EXIT_STORAGE, str(exc))
    except KeyboardInterrupt:
        return EXIT_OK
