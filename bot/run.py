"""`bydelsbot run`: the bot against Telegram, by long polling or a webhook, until SIGINT or
SIGTERM. The database and the Bot API are checked first, so that a mistake is one clear line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.application import build_application
from bot.config import Config, ConfigError
from bot.exits import EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME, EXIT_STORAGE, fail
from bot.logs import configure_logging
from handlers.common.context import SERVICES_KEY, Services
from handlers.common.transport import BydelsBot
from storage import Database, StorageError

log = logging.getLogger("bydelsbot")


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
        return fail(EXIT_CONFIG, str(exc))
    if webhook is not None and webhook.problem():
        return fail(EXIT_CONFIG, str(webhook.problem()))
    configure_logging(secrets=[config.token])
    application = build_application(config, long_running=True)
    failure = _exit_on_failure(config, lambda: asyncio.run(preflight(config, application.bot)))
    if failure is not None:
        return failure
    log.info("starting: database %s, Bot API at %s", config.db_path, config.api_url)
    # Whatever ends the run, even an error nobody foresaw, the database is closed: its thread
    # would otherwise keep the process alive after SIGTERM.
    try:
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
            log.info(
                "webhook: listening on %s:%d for %s", webhook.listen, webhook.port, webhook.url
            )
            failure = _exit_on_failure(
                config,
                lambda: application.run_webhook(
                    listen=webhook.listen,
                    port=webhook.port,
                    url_path=urlsplit(webhook.url).path.lstrip("/"),
                    webhook_url=webhook.url,
                    secret_token=webhook.secret,
                    allowed_updates=Update.ALL_TYPES,
                    close_loop=False,
                ),
            )
    finally:
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
        return fail(EXIT_STORAGE, str(exc))
    except InvalidToken:
        return fail(EXIT_CONFIG, "Telegram refused BOT_TOKEN: check it with @BotFather.")
    except NetworkError as exc:
        reason = f"cannot reach the Bot API at {config.api_url}: {exc}"
        return fail(EXIT_RUNTIME, reason, config.token)
    except TelegramError as exc:
        reason = f"the Bot API refused to start the bot: {exc}"
        return fail(EXIT_RUNTIME, reason, config.token)
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
