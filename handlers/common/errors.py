"""The error handler: log first (never message text), then tell her in her language."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import traceback

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.identity import identify
from handlers.common.context import BotContext
from handlers.common.identity import identity_of
from handlers.common.render import answer_expired, say_sorry

log = logging.getLogger(__name__)


def describe_update(update: object) -> str:
    """Which update failed, by id and kind only: its text may be about violence or health."""
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = [
        name
        for name in ("message", "callback_query", "my_chat_member", "chat_member")
        if getattr(update, name, None) is not None
    ]
    return f"update {update.update_id} ({', '.join(kinds) or 'other'})"


def describe_error(error: BaseException | None) -> str:
    """The exception's type and where it was raised, without its message.

    An exception's message can quote what she wrote ("could not parse '...'"), so only the
    stack frames, which are our code, go to the log.
    """
    if error is None:
        return "unknown error"
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{type(error).__module__}.{type(error).__qualname__}\n{frames}".rstrip()


def message_gone(error: BaseException | None) -> bool:
    """Telegram refused to change a message because it is gone (deleted) or too old."""
    if not isinstance(error, BadRequest):
        return False
    text = error.message.lower()
    return "message" in text and ("not found" in text or "can't be" in text or "invalid" in text)


def storage_trouble(error: BaseException | None) -> str | None:
    """The operator's one line for a database that cannot be written (disk full, read-only)."""
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if "full" in text:
            return "database or disk is full"
        if "readonly" in text or "read-only" in text:
            return "the database file is read-only"
        if "disk i/o" in text:
            return "the disk failed to read or write the database"
    return None


async def error_callback(update: object, context: BotContext) -> None:
    """Log the failure, then tell her something went wrong, if she can be told."""
    if update is None and isinstance(context.error, NetworkError):
        # python-telegram-bot reports polling trouble without an update and retries by itself.
        log.warning("polling: %s; retrying", type(context.error).__name__)
        return
    if isinstance(update, Update) and update.callback_query and message_gone(context.error):
        # A press on a message deleted meanwhile (or too old to edit): the button is dead.
        log.info("%s: a button of a message that is gone", describe_update(update))
        await _load_identity_for_error(update, context)
        with contextlib.suppress(TelegramError):
            await answer_expired(update.callback_query, context.t)
        return
    if isinstance(update, Update) and isinstance(context.error, Forbidden):
        # She blocked the bot (or it is no longer in that chat) and still pressed or wrote: the
        # answer cannot reach her, and nothing on our side failed. One line, no traceback.
        log.info("%s: Telegram refused the answer (403)", describe_update(update))
        return
    trouble = storage_trouble(context.error)
    if trouble is not None:
        # One line, not a traceback per update: the operator has to free space or fix rights.
        log.error("%s: %s; she was asked to try again later", describe_update(update), trouble)
    else:
        log.error(
            "handler failed on %s: %s", describe_update(update), describe_error(context.error)
        )
    if not isinstance(update, Update):
        return  # nobody to tell
    await _load_identity_for_error(update, context)
    await say_sorry(update, context)


async def _load_identity_for_error(update: Update, context: BotContext) -> None:
    """The error handler gets a fresh context: find her language again, if the database lets us."""
    user = update.effective_user
    if context.has_identity or user is None:
        return
    try:
        context.identity = await identity_of(user, context)
    except Exception:  # the database itself may be what failed: Telegram's hint will do
        context.identity = identify(user.id, None, user.language_code, frozenset())
