"""What every sender of the bot must know about Telegram's answers: when a chat cannot be
reached (the one place "chat not found" is read), when a failed request is surely undelivered
(safe to send again), how long a 429 asks everyone to wait, and which of the bot's outcomes
(bot/outcome.py) a failed send is."""

from __future__ import annotations

import os
from datetime import timedelta

import httpx
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.outcome import Outcome

# python-telegram-bot 22 gives durations (a 429's retry_after among them) as plain seconds, and
# warns on every RetryAfter it raises, until a program opts in to their future type, timedelta:
# the bot opts in here, where Telegram's errors are read, before any request is made.
os.environ.setdefault("PTB_TIMEDELTA", "true")


def unreachable(exc: TelegramError) -> bool:
    """Whether Telegram says the chat cannot be reached: 403 (she blocked the bot or deleted her
    account) or 400 "chat not found". Retrying cannot change it."""
    if isinstance(exc, Forbidden):
        return True
    return isinstance(exc, BadRequest) and "chat not found" in exc.message.lower()


def outcome_of(exc: TelegramError) -> Outcome | None:
    """How a send that raised `exc` ended, or None when Telegram surely did not get it (a 429, a
    5xx, a refused connection), so that sending it again is safe."""
    if isinstance(exc, RetryAfter):
        return None
    if unreachable(exc):
        return Outcome.UNREACHABLE
    if isinstance(exc, BadRequest):  # a refusal (BadRequest is a NetworkError in PTB)
        return Outcome.FAILED
    if isinstance(exc, NetworkError):  # a 5xx, a lost connection, a timeout
        return None if surely_not_sent(exc) else Outcome.UNCERTAIN
    return Outcome.FAILED


def surely_not_sent(exc: NetworkError) -> bool:
    """Whether Telegram certainly did not deliver the message, so sending again is safe.

    Yes: Telegram answered with an error (a 5xx), or the connection was refused or never got
    a free slot before anything was sent. No: a timeout or a connection lost while waiting for
    the answer, when the message may well have arrived.
    """
    cause = exc.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(exc, TimedOut):
        return False
    # PTB raises a bare NetworkError for an HTTP error answer; transport failures carry the
    # httpx (or other) exception they came from.
    return cause is None or isinstance(cause, TelegramError)


def retry_seconds(error: RetryAfter) -> float:
    """The pause a 429 asks for, in seconds."""
    value = error.retry_after  # a timedelta (PTB_TIMEDELTA above); seconds if opted out
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
