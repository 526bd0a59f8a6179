"""The meetings' background work: at start-up and every hour each district is planned anew and
JobQueue wake-ups are registered for the reminders due in the next 36 hours. PTB does not keep
jobs across a restart, so nothing depends on them: each wake-up, and one right after start-up,
runs `dispatch_reminders`, which works out from the database what is due and claims each
reminder before sending it (handlers/meetings/reminders.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application, JobQueue

from bot.meetings.reminders import parse_lead_hours, reminder_moments
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.meetings.planning import plan_all
from handlers.meetings.reminders import LONGEST_LEAD, dispatch_reminders
from storage import Database
from storage.meetings.meetings import all_upcoming_meetings
from storage.meetings.reminders import mark_interrupted
from storage.meetings.rules import meeting_settings

log = logging.getLogger(__name__)

WAKE_AHEAD = timedelta(hours=36)  # JobQueue wake-ups are registered this far ahead
REFRESH_EVERY = timedelta(hours=1)


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
