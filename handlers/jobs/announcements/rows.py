"""One outbox row sent, and finished with the bot's outcome for it (bot/outcome.py).

Telegram's answer, read by handlers/delivery/sending.py: a 429 pauses every sender for
`retry_after` and the row goes again (not counted as an attempt); a server error or a connection
that never reached Telegram is retried with exponential backoff up to bot.broadcasts.MAX_ATTEMPTS
tries; a timeout waiting for the answer may have delivered it (Telegram gives no way to ask), so
the row is `uncertain`, never resent; unreachable (403, "chat not found") marks her so (left out
of later audiences until she writes again); a group chat that became a supergroup is followed to
its new id and tried once more; any other refusal fails the row.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, RetryAfter, TelegramError

from bot.broadcasts import backoff
from bot.outcome import Outcome
from handlers.common.clock import Clock
from handlers.common.render import escape
from handlers.delivery.rate_limiter import Turns
from handlers.delivery.sending import outcome_of, retry_seconds
from storage import Database
from storage.announcements.outbox import OutboxJob, finish, move_group_chat, retry_later
from storage.group_chats import migrate_chat
from storage.people import mark_unreachable

log = logging.getLogger(__name__)


async def send_row(bot: Bot, db: Database, clock: Clock, turns: Turns, job: OutboxJob) -> None:
    """Send the claimed row (its turn taken) and write how it ended."""
    try:
        await _send(bot, job)
    except RetryAfter as exc:
        turns.pause(retry_seconds(exc))
        await retry_later(db, job.id, None, count_attempt=False)
    except ChatMigrated as exc:
        await _follow_migration(db, clock, job, exc.new_chat_id)
    except TelegramError as exc:
        outcome = outcome_of(exc)
        if outcome is None:  # a 5xx or a refused connection: surely not delivered
            await _retry(db, clock, job, type(exc).__name__)
        elif outcome is Outcome.UNREACHABLE:
            await _unreachable(db, clock, job)
        else:
            if outcome is Outcome.UNCERTAIN:  # she may have it; twice is worse than once
                log.warning("an announcement may or may not have arrived: %s", type(exc).__name__)
            else:
                log.warning("Telegram refused an announcement delivery: %s", exc.message)
            await finish(db, job.id, outcome, clock.now())
    except Exception:
        # A bug must not leave the row `sending`: that would be reported as uncertain.
        await finish(db, job.id, Outcome.FAILED, clock.now())
        raise
    else:
        await finish(db, job.id, Outcome.SENT, clock.now())


async def _send(bot: Bot, job: OutboxJob) -> None:
    text = escape(job.body)
    if job.media_kind == "photo":
        assert job.media_file_id is not None
        await bot.send_photo(
            job.chat_id, job.media_file_id, caption=text or None, parse_mode=ParseMode.HTML
        )
    elif job.media_kind == "document":
        assert job.media_file_id is not None
        await bot.send_document(
            job.chat_id, job.media_file_id, caption=text or None, parse_mode=ParseMode.HTML
        )
    else:
        await bot.send_message(job.chat_id, text, parse_mode=ParseMode.HTML)


async def _retry(db: Database, clock: Clock, job: OutboxJob, reason: str) -> None:
    delay = backoff(job.attempts + 1)
    now = clock.now()
    if delay is None:
        log.warning(
            "an announcement delivery failed %d times (%s): given up", job.attempts + 1, reason
        )
        await finish(db, job.id, Outcome.FAILED, now)
    else:
        await retry_later(db, job.id, now + timedelta(seconds=delay))


async def _unreachable(db: Database, clock: Clock, job: OutboxJob) -> None:
    now = clock.now()
    await finish(db, job.id, Outcome.UNREACHABLE, now)
    if job.telegram_id is not None:
        log.info("a member has blocked the bot; marked unreachable")
        await mark_unreachable(db, job.telegram_id, now)
    else:
        log.info("the bot can no longer write in a linked group chat")


async def _follow_migration(db: Database, clock: Clock, job: OutboxJob, new_chat_id: int) -> None:
    """The group became a supergroup: store its new id and try once more there."""
    assert job.group_chat_id is not None
    await migrate_chat(db, job.group_chat_id, new_chat_id)
    await move_group_chat(db, job.group_chat_id, new_chat_id)
    if job.attempts == 0:
        await retry_later(db, job.id, None)
    else:
        await finish(db, job.id, Outcome.FAILED, clock.now())
