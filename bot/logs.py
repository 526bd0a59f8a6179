"""Logging set-up: quiet third-party chatter, and never write a secret.

The `httpx` logger prints every request URL, and Telegram puts the bot token in the URL; it is
kept at WARNING, and a filter masks the token in anything that still gets through.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

_MASK = "[token]"


class RedactSecrets(logging.Filter):
    """Replace each secret in a record's message (after formatting its arguments) by a mask."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, _MASK)
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts (e.g. httpx's) can repeat the URL too: format now, then mask.
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self._secrets:
                text = text.replace(secret, _MASK)
            record.exc_text, record.exc_info = text, None
        return True


def configure_logging(secrets: Iterable[str] = (), level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
