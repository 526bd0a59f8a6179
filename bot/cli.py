"""The `bydelsbot` command line: `run` against Telegram (bot/run.py), and the commands that work
without it (bot/commands.py): `demo` in the terminal, admin, backup, seed, translations.

Every failure an operator can cause (a missing token, a bad URL, an unreadable database, a server
that does not answer) ends in one line on stderr and a documented exit code (bot/exits.py), never
a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bot.commands import (
    admin_command,
    backup_command,
    demo_command,
    seed_command,
    translations_command,
)
from bot.demo import DEMO_ROLES
from bot.exits import EXIT_CONFIG, EXIT_OK
from bot.i18n import compile_catalogues
from bot.run import Webhook, run_command


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
        "--webhook",
        metavar="URL",
        default=None,
        help="receive updates at this public HTTPS URL instead of long polling (see README)",
    )
    run.add_argument("--listen", default="127.0.0.1", help="webhook: address to listen on")
    run.add_argument("--port", type=int, default=8080, help="webhook: port to listen on")
    demo = sub.add_parser("demo", help="chat with the bot offline, in this terminal")
    demo.add_argument(
        "--as",
        dest="role",
        choices=DEMO_ROLES,
        default="public",
        help="who you are in the demo (default: public, a woman looking for help)",
    )
    demo.add_argument(
        "--db",
        type=Path,
        default=None,
        help="keep the demo database in this file (default: a new one each time)",
    )
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
        "--locales",
        type=Path,
        default=None,
        help="the catalogues to write or count (default: the locales/ this bot runs from)",
    )
    return parser
