"""The `bydelsbot` command's exit codes, and the one line on stderr that goes with a failure:
every failure an operator can cause ends so, never in a traceback."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_RUNTIME = 1  # Telegram could not be reached, or refused us
EXIT_CONFIG = 2  # a setting is missing or malformed
EXIT_STORAGE = 3  # the database cannot be used


def fail(code: int, message: str, secret: str = "") -> int:
    if secret:
        message = message.replace(secret, "[token]")  # never echo the token, even in an error
    print(f"bydelsbot: {message}", file=sys.stderr)
    return code
