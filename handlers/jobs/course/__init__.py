"""The course's jobs: offers of a freed place (sent, and passed on when they lapse), the
reminder the day before each evening, and deleting interest nobody acted on for 12 months.

Every send is claimed in the database first (`claim_offer`, `claim_evening_reminder`), so a
restart never sends one twice. An offer whose send was cut off (a timeout, or a crash between
the claim and the answer) is not retried by itself: the coordinators see it in the waiting
list and send it again or pass the place on (she can still see her offer in /course). The
completion's cards and diplomas are sent by handlers/jobs/course/cards.py, from here too. The
job runs at start-up and every few minutes; PTB keeps no jobs across a restart and none are
needed: what is due is read from the database each time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application

from bot.course import waitlist
from bot.i18n import Translator, translator
from bot.outcome import Outcome
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.common.render import button, escape
from handlers.course import codecs
from handlers.course.places import change_places
from handlers.course.texts import cohort_label, evening_lines, offer_keyboard, offer_text
from handlers.delivery.sending import outcome_of, unreachable
from handlers.jobs.course.cards import deliver_completions
from storage.course.cohorts import (
    Cohort,
    claim_offer,
    cohorts_with_offers_due,
    get_cohort,
    places_of,
    record_offer_outcome,
    unsent_offers,
)
from storage.course.evenings import claim_evening_reminder, evenings_starting
from storage.course.interest import purge_interest
from storage.help import district_coordinators
from storage.people import mark_unreachable

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=5)
REMIND_BEFORE = timedelta(hours=24)  # "the day before"
INTEREST_KEPT = timedelta(days=365)  # README: interest not acted on is deleted after 12 months


async def send(
    bot: Bot,
    services: Services,
    telegram_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> bool:
    """Send to her private chat; False (and she is marked unreachable) if she blocked the bot.

    Any other failure (a timeout, a server error) is logged and not retried: the message was
    claimed, and what it says can always be seen again in /course."""
    try:
        await bot.send_message(telegram_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except TelegramError as exc:
        if not unreachable(exc):
            log.warning("a course message was not sent (%s)", type(exc).__name__)
            return True
    else:
        return True
    log.info("a woman of the course has blocked the bot; marked unreachable")
    await mark_unreachable(services.db, telegram_id, services.clock.now())
    return False


def _leave(state: waitlist.WaitingList, who: int, now: datetime) -> waitlist.Step:
    return waitlist.leave(state, who, now)


async def tell_coordinators(bot: Bot, services: Services, district_id: int, compose: Any) -> None:
    """`compose(t)` to each of the district's coordinators, in her language."""
    for coordinator in await district_coordinators(services.db, district_id):
        t = translator(coordinator.locale or "nb")
        await send(bot, services, coordinator.telegram_id, compose(t))


async def send_offer(
    bot: Bot, services: Services, telegram_id: int, text: str, keyboard: InlineKeyboardMarkup
) -> Outcome | None:
    """Send an offer: how it ended (sending.outcome_of; she is marked unreachable if she
    blocked the bot), or None when Telegram surely did not get it (sent again by the next run)."""
    try:
        await bot.send_message(telegram_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except TelegramError as exc:
        outcome = outcome_of(exc)
        if outcome is Outcome.UNREACHABLE:
            await mark_unreachable(services.db, telegram_id, services.clock.now())
        elif outcome is not None:
            log.warning("a course offer was not sent (%s): %s", type(exc).__name__, outcome)
        return outcome
    return Outcome.SENT


async def deliver_offers(bot: Bot, services: Services) -> None:
    """Send every open offer not sent yet; a woman who blocked the bot is skipped (her place
    goes to the next) and the coordinators are told. One Telegram surely did not get is tried
    again by the next run; one perhaps delivered (a timeout) is never sent again by itself:
    the coordinators are told, and the waiting list shows it with 🔁 and ⏭."""
    db, tz = services.db, services.config.tz
    tried: set[tuple[int, int]] = set()
    while pending := [o for o in await unsent_offers(db) if o not in tried]:
        for cohort_id, who in pending:
            tried.add((cohort_id, who))
            now = services.clock.now()
            if not await claim_offer(db, cohort_id, who, now):
                continue
            cohort = await get_cohort(db, cohort_id)
            place = next((p for p in await places_of(db, cohort_id) if p.telegram_id == who), None)
            if cohort is None or place is None or place.offer_expires_at is None:
                continue
            t = translator(place.locale or "nb")
            text = offer_text(t, cohort, place.offer_expires_at, tz)
            outcome = await send_offer(bot, services, who, text, offer_keyboard(t, cohort_id))
            if outcome is not Outcome.UNREACHABLE:
                await record_offer_outcome(db, cohort_id, who, outcome, release=outcome is None)
                if outcome in (Outcome.UNCERTAIN, Outcome.FAILED):

                    def doubt(t: Translator, name: str = place.name, label: Cohort = cohort) -> str:
                        return "❓ " + t._(
                            "The offer of a place in {cohort} to {name} may not have reached "
                            "her. See the waiting list to send it again or pass the place on."
                        ).format(name=escape(name), cohort=cohort_label(t, label))

                    await tell_coordinators(bot, services, cohort.district_id, doubt)
                continue
            await change_places(db, cohort_id, partial(_leave, who=who, now=now), now)

            def skipped(t: Translator, name: str = place.name, label: Cohort = cohort) -> str:
                return "🚫 " + t._(
                    "{name} could not be offered the free place in {cohort}: she has blocked the "
                    "bot. She was taken off the list and the place goes to the next woman."
                ).format(name=escape(name), cohort=cohort_label(t, label))

            await tell_coordinators(bot, services, cohort.district_id, skipped)


async def expire_offers(bot: Bot, services: Services, now: datetime) -> None:
    """Offers whose window closed lapse; their places are offered to the next women."""
    db = services.db
    for cohort_id in await cohorts_with_offers_due(db, now):
        names = {p.telegram_id: p for p in await places_of(db, cohort_id)}
        changed = await change_places(db, cohort_id, lambda s: waitlist.tick(s, now), now)
        if changed is None:
            continue
        for who in changed.step.lapsed:
            place = names.get(who)
            t = translator(place.locale if place and place.locale else "nb")
            text = "⌛ " + t._(
                "The time to answer the offer of a place in {cohort} has passed. The place went "
                "to the next woman on the list."
            ).format(cohort=cohort_label(t, changed.cohort))
            await send(bot, services, who, text)
    await deliver_offers(bot, services)


async def remind_evenings(bot: Bot, services: Services, now: datetime) -> None:
    """The day before each evening: when, where, who teaches, and "coming / can't"."""
    db, tz = services.db, services.config.tz
    for evening in await evenings_starting(db, now, now + REMIND_BEFORE):
        cohort = await get_cohort(db, evening.cohort_id)
        if cohort is None or cohort.completed_at is not None:
            continue
        for place in await places_of(db, evening.cohort_id):
            if place.status != "admitted" or place.unreachable:
                continue
            if not await claim_evening_reminder(db, evening.id, place.telegram_id, now):
                continue
            t = translator(place.locale or "nb")
            text = "\n".join(
                ["⏰ " + t._("Tomorrow in the basic training:"), *evening_lines(t, evening, tz)]
            )
            keyboard = InlineKeyboardMarkup(
                [
                    [button("✅", t._("I'm coming"), codecs.COMING.encode(evening.id))],
                    [button("❌", t._("I can't come"), codecs.NOT_COMING.encode(evening.id))],
                ]
            )
            await send(bot, services, place.telegram_id, text, keyboard)


async def run_course_jobs(bot: Bot, services: Services) -> None:
    now = services.clock.now()
    await expire_offers(bot, services, now)
    await remind_evenings(bot, services, now)
    await deliver_completions(bot, services)
    await purge_interest(services.db, now - INTEREST_KEPT)


async def course_job(context: BotContext) -> None:
    """Every few minutes: lapse offers, send offers, evening reminders and the cards and
    diplomas of a completion not sent yet, purge old interest."""
    await run_course_jobs(context.bot, context.services)


async def start_course(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """At start-up: whatever came due while the bot was down, then every few minutes."""
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    await run_course_jobs(application.bot, services)
    if application.job_queue is not None:
        application.job_queue.run_repeating(course_job, EVERY, first=EVERY, name="course")
