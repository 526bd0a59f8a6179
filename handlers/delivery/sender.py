"""Messages the bot starts itself (not replies): to a member who may have blocked the bot.

`send_one` and `send_to_member` are the one careful sender for messages a job or a coordinator's
action sends on its own (meeting reminders and notices, the drop-in's rota and reminders): flood
control, retries of what surely did not arrive, and one outcome vocabulary (`Delivery`).

A 403 from Telegram means she blocked the bot: she is marked unreachable, which her coordinator
sees, instead of the failure breaking whatever the coordinator was doing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.outcome import Outcome
from handlers.common.clock import Clock
from handlers.common.context import Outbox
from handlers.delivery.sending import outcome_of, retry_seconds, unreachable
from storage import Database
from storage.people import mark_unreachable

log = logging.getLogger(__name__)

NETWORK_ATTEMPTS = 4


# -- sending, one at a time ----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    message_id: int | None = None


async def send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    clock: Clock,
    pacer: Outbox | None = None,
    group: bool = False,
    paced: bool = False,
) -> Delivery:
    """Send one HTML message, honouring flood control and retrying what can be retried.

    With a `pacer` (the announcement worker) every try first waits its turn under the bot's one
    rate plan (about 30 a second overall, 1 a second per chat, 20 a minute per group), so that
    reminders and an announcement going out together stay within Telegram's limits; `paced`:
    the caller took the first try's turn already (before claiming the message).

    429: wait `retry_after` and try the same message again. A 5xx answer or a refused
    connection: a few tries with a growing pause. A timeout is never resent (the message may
    have arrived; twice is worse than once): uncertain. Unreachable: never retried (the answers
    are read by sending.outcome_of).
    """
    failures = 0
    while True:
        if pacer is not None and not paced:
            await pacer.pace(chat_id, group=group)
        paced = False
        try:
            message = await bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
            )
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            if pacer is not None:
                pacer.pause(wait)  # the whole bot waits, not only this sender
            await clock.sleep(wait)
        except ChatMigrated:
            raise  # only group chats migrate: the caller follows the chat
        except (Forbidden, NetworkError) as exc:  # BadRequest and TimedOut are NetworkErrors
            outcome = outcome_of(exc)
            if outcome is Outcome.FAILED:
                log.warning("Telegram refused a message: %s", exc.message)
            elif outcome is Outcome.UNCERTAIN:
                log.warning("a message may or may not have arrived; not resent: %s", type(exc))
            if outcome is not None:
                return Delivery(outcome)
            failures += 1  # surely not delivered: a 5xx or a refused connection
            if failures >= NETWORK_ATTEMPTS:
                log.warning("giving up on a message after %d tries: %s", failures, exc)
                return Delivery(Outcome.FAILED)
            await clock.sleep(2.0 ** (failures - 1))
        else:
            return Delivery(Outcome.SENT, message.message_id)


async def send_to_member(
    bot: Bot,
    db: Database,
    telegram_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None,
    clock: Clock,
    pacer: Outbox | None = None,
    *,
    paced: bool = False,
) -> Delivery:
    """`send_one` to her private chat; a woman who blocked the bot is marked unreachable."""
    delivery = await send_one(
        bot, telegram_id, text, keyboard, clock=clock, pacer=pacer, paced=paced
    )
    if delivery.outcome is Outcome.UNREACHABLE:
        log.info("a member could not be reached with a meeting message; marked unreachable")
        await mark_unreachable(db, telegram_id, clock.now())
    return delivery


async def send_to_person(bot: Bot, db: Database, telegram_id: int, text: str, clock: Clock) -> bool:
    """Send an HTML message to her private chat; False (and marked unreachable) if she blocked
    the bot."""
    try:
        await bot.send_message(telegram_id, text, parse_mode=ParseMode.HTML)
    except (Forbidden, BadRequest) as exc:
        if not unreachable(exc):
            raise
        log.info("a member blocked the bot or her chat is gone; marked unreachable")
    else:
        return True
    await mark_unreachable(db, telegram_id, clock.now())
    return False
