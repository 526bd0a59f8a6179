"""Configuration read from the environment, in this one place.

Every setting the bot takes is parsed and checked here, so a wrong value stops the bot at start-up
with one readable line instead of failing later in the middle of a conversation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DB = "./bydelsbot.sqlite3"
DEFAULT_TZ = "Europe/Oslo"
DEFAULT_API_URL = "https://api.telegram.org/bot"
# Announcements: messages a second overall. Telegram allows about 30; 29 leaves room for replies.
DEFAULT_SEND_RATE = 29
MAX_SEND_RATE = 1000  # only ever sensible against a fake or a self-hosted Bot API server

# BotFather tokens are "<bot id>:<35 characters>"; checking the shape catches a pasted name or a
# truncated copy before the first request, and never echoes the token back.
_TOKEN_RE = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{30,64}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Config:
    """The bot's settings, already validated."""

    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    db_path: Path = Path(DEFAULT_DB)
    admins: frozenset[int] = frozenset()
    tz_name: str = DEFAULT_TZ
    send_rate: int = DEFAULT_SEND_RATE
    # Translation review: may an admin alone make a reviewer's wording live (and review any
    # language)? Otherwise only a second reviewer of the same language can.
    review_admins_approve: bool = True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def api_file_url(self) -> str:
        """Where files are downloaded from: Telegram's layout puts `/file` before `/bot`."""
        base = self.api_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base.rstrip("/") + "/file/bot"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Read and validate the settings; raise ConfigError naming the first bad one."""
        env = os.environ if env is None else env
        return cls(
            token=parse_token(env.get("BOT_TOKEN", "")),
            api_url=parse_api_url(env.get("BOT_API_URL", "")),
            db_path=parse_db_path(env.get("BYDELSBOT_DB", "")),
            admins=parse_admins(env.get("BYDELSBOT_ADMINS", "")),
            tz_name=parse_tz(env.get("BYDELSBOT_TZ", "")),
            send_rate=parse_send_rate(env.get("BYDELSBOT_SEND_RATE", "")),
            review_admins_approve=parse_yes_no(
                "BYDELSBOT_REVIEW_ADMINS_APPROVE",
                env.get("BYDELSBOT_REVIEW_ADMINS_APPROVE", ""),
                default=True,
            ),
        )


def parse_token(raw: str) -> str:
    token = raw.strip()
    if not token:
        raise ConfigError("BOT_TOKEN is not set: get a token from @BotFather and export BOT_TOKEN.")
    if not _TOKEN_RE.fullmatch(token):
        raise ConfigError(
            "BOT_TOKEN is malformed: expected '<digits>:<letters>' as @BotFather gives it."
        )
    return token


def parse_api_url(raw: str) -> str:
    url = raw.strip() or DEFAULT_API_URL
    example = "an http(s) URL ending in /bot, such as http://127.0.0.1:8081/bot"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urllib validates the port lazily, on access
    except ValueError:
        raise ConfigError(f"BOT_API_URL must be {example}, not {url!r}.") from None
    # python-telegram-bot appends the token straight after this URL: without the final "/bot"
    # the token would become part of the host or port, and end up in error messages.
    if parts.scheme not in {"http", "https"} or not parts.hostname or not url.endswith("/bot"):
        raise ConfigError(f"BOT_API_URL must be {example}, not {url!r}.")
    if parts.query or parts.fragment:
        raise ConfigError(f"BOT_API_URL must be {example}, not {url!r}.")
    return url


def parse_db_path(raw: str) -> Path:
    return Path(raw.strip() or DEFAULT_DB)


def parse_admins(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for piece in raw.split(","):
        piece = piece.strip()
        if not piece:
            continue
        if not piece.isdigit():
            raise ConfigError(
                f"BYDELSBOT_ADMINS must be comma-separated Telegram user ids, got {piece!r}."
            )
        ids.add(int(piece))
    return frozenset(ids)


def parse_tz(raw: str) -> str:
    name = raw.strip() or DEFAULT_TZ
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"BYDELSBOT_TZ is not a known time zone: {name!r}.") from None
    return name


def parse_send_rate(raw: str) -> int:
    value = raw.strip()
    if not value:
        return DEFAULT_SEND_RATE
    if not value.isdigit() or not 1 <= int(value) <= MAX_SEND_RATE:
        raise ConfigError(
            f"BYDELSBOT_SEND_RATE must be a whole number of messages a second, 1-{MAX_SEND_RATE} "
            f"(Telegram allows about 30), got {value!r}."
        )
    return int(value)


def parse_yes_no(name: str, raw: str, *, default: bool) -> bool:
    value = raw.strip().lower()
    if not value:
        return default
    if value in {"yes", "true", "1", "on"}:
        return True
    if value in {"no", "false", "0", "off"}:
        return False
    raise ConfigError(f"{name} must be yes or no, got {raw.strip()!r}.")
