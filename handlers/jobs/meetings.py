"""The meetings' background work: at start-up and every hour each district is planned anew and
JobQueue wake-ups are registered for the reminders due in the next 36 hours. PTB does not keep
jobs across a restart, so nothing depends on them: each wake-up, and one right after start-up,
runs `dispatch_reminders`, which works out from the database what is due and claims each
reminder before sending it, so a restart never sends one twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.ext import Application, JobQueue

from bot.i18n import translator
from bot.meetings.plan import HORIZON
from bot.meetings.reminders import due_reminder, parse_lead_hours, reminder_moments
from bot.outcome import Outcome
from handlers.common.clock import Clock
from handlers.common.context import SERVICES_KEY, BotContext, Outbox, Services
from handlers.delivery.sender import send_to_member
from handlers.meetings.meetings import reminder_keyboard, reminder_text
from handlers.meetings.planning import plan_all
from handlers.meetings.reminders import group_post, post_to_group
from storage import Database
from storage.meetings.meetings import all_upcoming_meetings
from storage.meetings.reminders import (
    chat_post_claimed,
    claim_chat_post,
    claim_reminder,
    finish_chat_post,
    finish_reminder,
    mark_interrupted,
)
from storage.meetings.rsvps import attendees
from storage.meetings.rules import meeting_settings

log = logging.getLogger(__name__)

LONGEST_LEAD = timedelta(days=14)  # seeding allows lead times up to 336 hours
WAKE_AHEAD = timedelta(hours=36)  # JobQueue wake-ups are registered this far ahead
REFRESH_EVERY = timedelta(hours=1)


async def dispatch_reminders(
    bot: Bot,
    db: Database,
    tz: ZoneInfo,
    now: datetime,
    clock: Clock,
    pacer: Outbox | None = None,
) -> int:
    """Send every reminder that is due at `now` and not sent before; returns how many."""
    sent = 0
    for meeting in await all_upcoming_meetings(db, now, now + LONGEST_LEAD):
        settings = await meeting_settings(db, meeting.district_id)
        if settings is None:
            continue
        leads = parse_lead_hours(settings.reminder_hours)
        if not any(moment <= now for _, moment in reminder_moments(meeting.starts_at, leads)):
            continue
        for person in await attendees(db, meeting.id):
            decision = due_reminder(meeting.starts_at, leads, now, person.leads_done)
            if decision.send is None:
                if decision.skip:
                    await claim_reminder(
                        db, meeting.id, person.telegram_id, None, decision.skip, "skipped_late", now
                    )
                continue
            if person.answer == "no":
                # She said she is not coming: the next reminder would only nag her.
                await claim_reminder(
                    db,
                    meeting.id,
                    person.telegram_id,
                    None,
                    (decision.send, *decision.skip),
                    "skipped_not_coming",
                    now,
                )
                continue
            # Her turn under the rate plan first, then the claim, then the message: a process
            # killed while the reminder waits for its turn has claimed nothing and sends it
            # after the restart. Claimed only while the meeting is still ahead, not cancelled
            # and not moved: a coordinator may cancel it while this loop is sending.
            if pacer is not None:
                await pacer.pace(person.telegram_id)
            claimed = await claim_reminder(
                db,
                meeting.id,
                person.telegram_id,
                decision.send,
                decision.skip,
                "skipped_late",
                now,
                meeting.starts_at,
            )
            if not claimed:
                continue
            t = translator(person.locale)
            delivery = await send_to_member(
                bot,
                db,
                person.telegram_id,
                reminder_text(t, meeting, tz, person.answer),
                reminder_keyboard(t, meeting.id),
                clock,
                pacer,
                paced=pacer is not None,
            )
            await finish_reminder(
                db, meeting.id, person.telegram_id, decision.send, delivery.outcome, now
            )
            sent += delivery.outcome is Outcome.SENT
        if settings.chat_id is None or await chat_post_claimed(db, meeting.id):
            continue
        if pacer is not None:
            await pacer.pace(settings.chat_id, group=True)  # the turn first, as above
        if await claim_chat_post(db, meeting.id, now):
            post = group_post(translator(settings.default_locale), meeting, tz)
            delivery = await post_to_group(
                bot, db, settings.chat_id, post, clock, pacer, paced=pacer is not None
            )
            await finish_chat_post(db, meeting.id, delivery.outcome)
    return sent


async def next_reminder_moment(db: Database, now: datetime) -> datetime | None:
    """When the next reminder falls due after `now`, if one is planned (for the demo)."""
    moments = []
    for meeting in await all_upcoming_meetings(db, now, now + HORIZON):
        settings = await meeting_settings(db, meeting.district_id)
        leads = parse_lead_hours(settings.reminder_hours) if settings else ()
        moments += [m for _, m in reminder_moments(meeting.starts_at, leads) if m > now]
    return min(moments, default=None)


async def schedule_wakeups(job_queue: JobQueue[Any], db: Database, now: datetime) -> int:
    """Register a wake-up for every reminder due in the next 36 hours; returns how many."""
    count = 0
    for meeting in await all_upcoming_meetings(db, now, now + WAKE_AHEAD + LONGEST_LEAD):
        settings = await meeting_settings(db, meeting.district_id)
        if settings is None:
            continue
        for lead, moment in reminder_moments(
            meeting.starts_at, parse_lead_hours(settings.reminder_hours)
        ):
            if not now < moment <= now + WAKE_AHEAD:
                continue
            name = f"remind:{meeting.id}:{lead}"
            for old in job_queue.get_jobs_by_name(name):
                old.schedule_removal()
            job_queue.run_once(dispatch_job, when=moment, name=name)
            count += 1
    return count


async def dispatch_job(context: BotContext) -> None:
    """A reminder is due (or the bot has just started): send what is due."""
    services = context.services
    clock = services.clock
    await dispatch_reminders(
        context.bot, services.db, services.config.tz, clock.now(), clock, services.outbox
    )


async def refresh_job(context: BotContext) -> None:
    """Every hour: plan the rolling horizon and register the next wake-ups."""
    services = context.services
    now = services.clock.now()
    await plan_all(context.bot, services, now)
    assert context.job_queue is not None
    await schedule_wakeups(context.job_queue, services.db, now)


async def start_meetings(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """At start-up: plan, rebuild the wake-ups, and send at once what came due while down."""
    services: Services = application.bot_data[SERVICES_KEY]
    now = services.clock.now()
    # A reminder claimed but never finished was cut off by the last stop: say so, never resend.
    interrupted = await mark_interrupted(services.db, now, now)
    if interrupted:
        log.warning("%d reminders were cut off by the last stop; marked interrupted", interrupted)
    await plan_all(application.bot, services, now)
    job_queue = application.job_queue
    assert job_queue is not None
    await schedule_wakeups(job_queue, services.db, now)
    job_queue.run_once(dispatch_job, when=0, name="remind:start-up")
    job_queue.run_repeating(
        refresh_job, interval=REFRESH_EVERY, first=REFRESH_EVERY, name="meetings:refresh"
    )
