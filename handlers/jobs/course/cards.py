"""The completion's messages: each new bydelsmor's ID card (with her welcome) and each diploma
to the coordinator, sent from the rows the completion wrote with the new roles.

Claim, then draw and send, then record the outcome: a restart never sends one twice, and one
not claimed yet (the process died before it got there) is sent by the next run of the course's
job, at start-up or within minutes. Telegram's answer decides what happens next:
- delivered: 'sent';
- she blocked the bot: 'unreachable' (she is marked so; she is a bydelsmor all the same);
- surely not delivered (refused connection, a 5xx, a 429): the claim is released and the next
  run sends it again;
- no answer (a timeout, a lost connection): 'uncertain'. It may have arrived, so it is never
  sent again by itself: the coordinator is told and can send it again from 🪪 ID cards;
- the picture could not be drawn (or Telegram refused it): 'failed', and the coordinator is told
  in her language.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime

from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.course.cards import render_card, render_diploma
from bot.i18n import Translator, translator
from bot.identity import Role
from bot.outcome import Outcome
from handlers.common.commands import set_chat_commands
from handlers.common.context import Services
from handlers.common.render import escape
from handlers.delivery.sending import outcome_of
from storage import Database
from storage.course.cohorts import Cohort, get_cohort
from storage.course.deliveries import (
    Delivery,
    claim_delivery,
    record_outcome,
    release_delivery,
    unclaimed_deliveries,
)
from storage.people import load_person, mark_unreachable

log = logging.getLogger(__name__)


def card_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start=card-{token}"


async def locale_of(db: Database, telegram_id: int) -> Translator:
    person = await load_person(db, telegram_id)
    return translator(person.locale if person and person.locale else "nb")


async def tell(bot: Bot, db: Database, telegram_id: int, text: str) -> None:
    """A note to the coordinator; if it cannot be sent, she still sees it under 🪪 ID cards."""
    try:
        await bot.send_message(telegram_id, text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.warning("a note about a course card was not sent (%s)", type(exc).__name__)


def failed_note(t: Translator, d: Delivery) -> str:
    return note(
        "⚠️",
        d,
        t._("The ID card of {name} could not be drawn or sent."),
        t._("The diploma of {name} could not be drawn or sent."),
        t._("Try again later from 🪪 ID cards; if it fails again, tell whoever runs the bot."),
    )


def uncertain_note(t: Translator, d: Delivery) -> str:
    return note(
        "❓",
        d,
        t._("The ID card of {name} may not have arrived: Telegram did not answer in time."),
        t._("The diploma of {name} may not have arrived: Telegram did not answer in time."),
        t._(
            "It is not sent again by itself, so that nobody gets it twice. Ask her, and send it "
            "again from 🪪 ID cards if it did not arrive."
        ),
    )


def note(icon: str, d: Delivery, if_card: str, if_diploma: str, advice: str) -> str:
    """A note about one delivery: what happened to her card or diploma, then what to do.
    Failed and uncertain notes differ only in their words, so they are built here alike."""
    what = if_card if d.kind == "card" else if_diploma
    return icon + " " + what.format(name=escape(d.name)) + "\n" + advice


async def _send(bot: Bot, db: Database, d: Delivery, cohort: Cohort, picture: bytes) -> None:
    if d.kind == "card":
        t = await locale_of(db, d.telegram_id)
        welcome = "🎉 " + t._(
            "Congratulations, {name}! You have completed the basic training and are now a "
            "bydelsmor in {district}. Here is your ID card."
        ).format(name=escape(d.name), district=t.ltr(escape(cohort.district_name)))
        await bot.send_photo(
            d.recipient,
            InputFile(io.BytesIO(picture), filename="id-card.png"),
            caption=welcome,
            parse_mode=ParseMode.HTML,
        )
        try:  # her menu of commands becomes a bydelsmor's; the card matters more
            await set_chat_commands(bot, d.recipient, Role.MOTHER, t)
        except TelegramError as exc:
            log.warning("a new bydelsmor's commands were not set (%s)", type(exc).__name__)
    else:
        await bot.send_document(
            d.recipient,
            InputFile(io.BytesIO(picture), filename=f"diplom-{d.telegram_id}.png"),
            caption=escape(d.name),
            parse_mode=ParseMode.HTML,
        )


def _draw(d: Delivery, cohort: Cohort, bot_username: str, day: datetime) -> bytes:
    if d.kind == "card":
        assert d.card_token is not None
        return render_card(
            d.name, cohort.district_name, day.date(), card_link(bot_username, d.card_token)
        )
    return render_diploma(d.name, cohort.district_name, day.date())


async def deliver_one(bot: Bot, services: Services, d: Delivery) -> None:
    """Claim, draw, send and record one; never raises for Telegram's or the drawing's sake."""
    db, tz, now = services.db, services.config.tz, services.clock.now()
    cohort = await get_cohort(db, d.cohort_id)
    if cohort is None or not await claim_delivery(db, d.id, now):
        return
    coordinator = await locale_of(db, d.coordinator)
    completed = cohort.completed_at or now
    try:
        picture = _draw(d, cohort, bot.username, completed.astimezone(tz))
    except Exception:  # any drawing failure is reported to her, not fatal to the others
        log.exception("a course %s could not be drawn", d.kind)
        await record_outcome(db, d.id, Outcome.FAILED)
        await tell(bot, db, d.coordinator, failed_note(coordinator, d))
        return
    try:
        await _send(bot, db, d, cohort, picture)
    except TelegramError as exc:
        outcome = outcome_of(exc)
        if outcome is None:  # surely not delivered (a 429 too): the next run sends it
            await release_delivery(db, d.id)
            return
        await record_outcome(db, d.id, outcome)
        if outcome is Outcome.UNREACHABLE:
            # She blocked the bot: a bydelsmor all the same; the coordinator has her diploma.
            await mark_unreachable(db, d.recipient, now)
        elif outcome is Outcome.UNCERTAIN:
            log.warning("a course %s may not have arrived (%s)", d.kind, type(exc).__name__)
            await tell(bot, db, d.coordinator, uncertain_note(coordinator, d))
        else:
            log.warning("a course %s was not sent (%s)", d.kind, type(exc).__name__)
            await tell(bot, db, d.coordinator, failed_note(coordinator, d))
    else:
        await record_outcome(db, d.id, Outcome.SENT)


async def deliver_completions(bot: Bot, services: Services) -> None:
    """Every card and diploma not claimed yet, once each (a released one waits for the next
    run, so a Telegram that keeps failing is not hammered)."""
    for d in await unclaimed_deliveries(services.db):
        await deliver_one(bot, services, d)
