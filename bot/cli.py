"""The `bydelsbot` command: `run` against Telegram, `demo` in the terminal.

Every failure an operator can cause (a missing token, a bad URL, an unreadable database, a server
that does not answer) ends in one line on stderr and a documented exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError

import locales
from bot.application import build_application
from bot.config import Config, ConfigError, parse_db_path
from bot.course.seeding import course_summary, past_evening_error
from bot.demo import DEMO_ROLES, run_demo
from bot.i18n import compile_catalogues
from bot.logs import configure_logging
from bot.meeting_plan import OSLO
from bot.review.export import ExportReport, export, status_table
from bot.seeding import SeedError, read_seed, summary
from handlers.common.context import SERVICES_KEY, Services
from handlers.common.transport import BydelsBot
from storage import Database, StorageError
from storage.admins import add_admin, list_admins, remove_admin
from storage.backup import backup_database, schema_version_of
from storage.course.seed import CourseCounts, EveningInThePast, apply_course_seed
from storage.db import Transaction
from storage.dropin.sessions import SessionConflict
from storage.organisation import SeedConflict, SeedCounts, apply_seed

EXIT_OK = 0
EXIT_RUNTIME = 1  # Telegram could not be reached, or refused us
EXIT_CONFIG = 2  # a setting is missing or malformed
EXIT_STORAGE = 3  # the database cannot be used

log = logging.getLogger("bydelsbot")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return run_command(Webhook.of(args))
    if args.command == "demo":
        return demo_command(args.role, args.db)
    if args.command == "admin":
        return admin_command(args.action, args.telegram_id, args.db)
    if args.command == "seed":
        return seed_command(args.file, args.db)
    if args.command == "backup":
        return backup_command(args.path, args.db)
    if args.command == "translations":
        return translations_command(args.action, args.db, args.locales)
    if args.command == "compile-catalogues":
        for path in compile_catalogues():
            print(path)
        return EXIT_OK
    _parser().print_help()
    return EXIT_CONFIG


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bydelsbot", description="The Bydelsmødre Telegram bot.")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot against the Bot API (configured by environment)")
    run.add_argument(
        "--webhook", metavar="URL", default=None,
        help="receive updates at this public HTTPS URL instead of long polling (see README)",
    )  # fmt: skip
    run.add_argument("--listen", default="127.0.0.1", help="webhook: address to listen on")
    run.add_argument("--port", type=int, default=8080, help="webhook: port to listen on")
    demo = sub.add_parser("demo", help="chat with the bot offline, in this terminal")
    demo.add_argument(
        "--as", dest="role", choices=DEMO_ROLES, default="public",
        help="who you are in the demo (default: public, a woman looking for help)",
    )  # fmt: skip
    demo.add_argument(
        "--db", type=Path, default=None,
        help="keep the demo database in this file (default: a new one each time)",
    )  # fmt: skip
    admin = sub.add_parser(
        "admin", help="add, remove or list central admins (stored in the database)"
    )
    admin.add_argument("action", choices=("add", "remove", "list"))
    admin.add_argument("telegram_id", type=int, nargs="?", help="her Telegram user id")
    admin.add_argument(
        "--db", type=Path, default=None, help="database file (default: BYDELSBOT_DB)"
    )
    backup = sub.add_parser(
        "backup", help="write a consistent copy of the database, also while the bot is running"
    )
    backup.add_argument("path", type=Path, help="the file to write the copy to")
    backup.add_argument(
        "--db", type=Path, default=None, help="database file (default: BYDELSBOT_DB)"
    )
    seed = sub.add_parser(
        "seed", help="create or update districts and locations from a TOML file (see README)"
    )
    seed.add_argument(
        "file", type=Path, help="the organisation file, e.g. data/oslo-districts.toml"
    )
    seed.add_argument("--db", type=Path, default=None, help="database file (default: BYDELSBOT_DB)")
    sub.add_parser(
        "compile-catalogues", help="write the .mo files next to the installed .po catalogues"
    )
    translations = sub.add_parser(
        "translations",
        help="export: write wordings reviewers approved in the bot into the .po files; "
        "status: per language, how many messages a native speaker has checked",
    )
    translations.add_argument("action", choices=("export", "status"))
    translations.add_argument(
        "--db", type=Path, default=None, help="database file (default: BYDELSBOT_DB)"
    )
    translations.add_argument(
        "--locales", type=Path, default=None,
        help="the catalogues to write or count (default: the locales/ this bot runs from)",
    )  # fmt: skip
    return parser


def _fail(code: int, message: str, secret: str = "") -> int:
    if secret:
        message = message.replace(secret, "[token]")  # never echo the token, even in an error
    print(f"bydelsbot: {message}", file=sys.stderr)
    return code


@dataclass(frozen=True)
class Webhook:
    """`run --webhook URL`: Telegram posts each update to URL (HTTPS, ended by a reverse proxy
    in front of the bot), which forwards it to listen:port. Each request must carry the secret
    token given to Telegram (BYDELSBOT_WEBHOOK_SECRET, else a new random one at every start)."""

    url: str
    listen: str
    port: int
    secret: str

    @classmethod
    def of(cls, args: argparse.Namespace) -> Webhook | None:
        if args.webhook is None:
            return None
        secret = os.environ.get("BYDELSBOT_WEBHOOK_SECRET") or secrets.token_urlsafe(32)
        return cls(args.webhook, args.listen, args.port, secret)

    def problem(self) -> str | None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            return f"--webhook must be a URL such as https://bot.example.org/telegram: {self.url}"
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.secret):
            return "BYDELSBOT_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256 of them)"
        if not 0 < self.port < 65536:
            return f"--port must be between 1 and 65535: {self.port}"
        return None


def run_command(webhook: Webhook | None = None) -> int:
    """Long polling (or a webhook) against the Bot API until SIGINT or SIGTERM."""
    try:
        config = Config.from_env()
    except ConfigError as exc:
        return _fail(EXIT_CONFIG, str(exc))
    if webhook is not None and webhook.problem():
        return _fail(EXIT_CONFIG, str(webhook.problem()))
    configure_logging(secrets=[config.token])
    application = build_application(config, long_running=True)
    failure = _exit_on_failure(config, lambda: asyncio.run(preflight(config, application.bot)))
    if failure is not None:
        return failure
    log.info("starting: database %s, Bot API at %s", config.db_path, config.api_url)
    # run_polling answers SIGINT and SIGTERM by stopping the updater, the application and the
    # post_shutdown hook (which closes the database) in order.
    if webhook is None:
        failure = _exit_on_failure(
            config,
            lambda: application.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False),
        )
    else:
        # PTB's webhook server logs an update it cannot read with its content: say less.
        logging.getLogger("telegram.ext.Updater").addFilter(UnreadableWebhookUpdate())
        log.info("webhook: listening on %s:%d for %s", webhook.listen, webhook.port, webhook.url)
        failure = _exit_on_failure(
            config,
            lambda: application.run_webhook(
                listen=webhook.listen, port=webhook.port,
                url_path=urlsplit(webhook.url).path.lstrip("/"), webhook_url=webhook.url,
                secret_token=webhook.secret, allowed_updates=Update.ALL_TYPES, close_loop=False,
            ),
        )  # fmt: skip
    close_leftover_database(application)
    if failure is not None:
        return failure
    log.info("stopped")
    return EXIT_OK


def close_leftover_database(application: Any) -> None:
    """A SIGTERM in the middle of start-up (e.g. while setWebhook is answered) can end PTB's run
    before its shutdown closed the database: its thread would keep the process alive. Close it."""
    services = application.bot_data.pop(SERVICES_KEY, None)
    if isinstance(services, Services):
        try:
            asyncio.run(services.db.close())
        except Exception:  # the process ends anyway; say why the database may need a look
            log.warning("the database could not be closed cleanly after an interrupted start")


class UnreadableWebhookUpdate(logging.Filter):
    """An update the webhook server cannot read is logged without its content (her message, her
    phone number), as in polling mode (handlers/common/transport.py); Telegram is answered 400."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "Received data was" in str(record.msg):
            record.msg, record.args, record.exc_info = (
                "an update could not be read; skipped",
                None,
                None,
            )
        return True


def _exit_on_failure(config: Config, step: Callable[[], object]) -> int | None:
    """Run a step of start-up or polling; turn what an operator can fix into a line and a code."""
    try:
        step()
    except StorageError as exc:
        return _fail(EXIT_STORAGE, str(exc))
    except InvalidToken:
        return _fail(EXIT_CONFIG, "Telegram refused BOT_TOKEN: check it with @BotFather.")
    except NetworkError as exc:
        reason = f"cannot reach the Bot API at {config.api_url}: {exc}"
        return _fail(EXIT_RUNTIME, reason, config.token)
    except TelegramError as exc:
        reason = f"the Bot API refused to start the bot: {exc}"
        return _fail(EXIT_RUNTIME, reason, config.token)
    return None


async def preflight(config: Config, bot: Bot | None = None) -> None:
    """Check the database and the Bot API before polling, so that a mistake is one clear line.

    python-telegram-bot would retry and log tracebacks instead; here each failure maps to an
    exception that `run_command` turns into a message and an exit code.
    """
    db = await Database.open(config.db_path)
    await db.close()
    # A server that answers with something other than Bot API JSON makes PTB log a traceback
    # before raising; the raised error is reported below as one line instead.
    request_log = logging.getLogger("telegram.request")
    previous = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        async with bot or Bot(config.token, base_url=config.api_url) as checked:
            log.info("connected as @%s", checked.bot.username)
            if isinstance(checked, BydelsBot):
                checked.known_at_start()  # run_polling's start asks getMe no second time
    finally:
        request_log.setLevel(previous)


def offline_db_path(explicit: Path | None) -> Path:
    """The database for commands that do not talk to Telegram: --db, else BYDELSBOT_DB."""
    return explicit or parse_db_path(os.environ.get("BYDELSBOT_DB", ""))


def admin_command(action: str, telegram_id: int | None, db_path: Path | None) -> int:
    """Add, remove or list the central office's admins."""
    if action != "list" and telegram_id is None:
        return _fail(EXIT_CONFIG, f"admin {action} needs a Telegram user id")

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
        return _fail(EXIT_STORAGE, str(exc))
    for line in lines:
        print(line)
    return EXIT_OK


def backup_command(path: Path, db_path: Path | None) -> int:
    """Copy the live database to `path` with SQLite's online backup."""
    try:
        backup_database(offline_db_path(db_path), path)
        version = schema_version_of(path)
    except StorageError as exc:
        return _fail(EXIT_STORAGE, str(exc))
    print(f"backup written to {path} ({path.stat().st_size} bytes, schema v{version})")
    return EXIT_OK


def seed_command(file: Path, db_path: Path | None) -> int:
    """Load districts and locations from a TOML file: all of it, or nothing if it has a mistake."""
    try:
        seed = read_seed(file.read_bytes(), str(file))
    except OSError as exc:
        return _fail(EXIT_CONFIG, f"cannot read {file}: {exc.strerror or exc}")
    except SeedError as exc:
        return _fail(EXIT_CONFIG, str(exc))

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
        return _fail(EXIT_CONFIG, str(seed.district_error(exc.slug, exc.key, exc.reason)))
    except SessionConflict as exc:
        return _fail(EXIT_CONFIG, str(seed.session_error(exc.slug, exc.key, exc.reason)))
    except EveningInThePast as exc:  # the course's evenings: a new one in the past
        return _fail(EXIT_CONFIG, str(past_evening_error(seed, exc, OSLO)))
    except StorageError as exc:
        return _fail(EXIT_STORAGE, str(exc))
    line = summary(counts)
    if seed.cohorts:
        line += ", " + course_summary(course[0])
    print(line)
    return EXIT_OK


def translations_command(action: str, db_path: Path | None, locales_dir: Path | None) -> int:
    """Export approved wordings into the catalogues, or count what native speakers checked."""
    directory = locales_dir or Path(locales.__file__).parent
    if not (directory / "messages.pot").exists():
        return _fail(EXIT_CONFIG, f"{directory} holds no message catalogues (messages.pot)")
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
            return _fail(EXIT_STORAGE, str(exc))
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
        return _fail(EXIT_STORAGE, str(exc))
    except KeyboardInterrupt:
        return EXIT_OK
