"""Sending the meetings' messages, restart-safe: reminders, group posts and members' notices.

`dispatch_reminders` works out from the database what is due and claims each reminder before
sending it, so a restart never sends one twice. The planning is handlers/meetings/planning.py,
the wake-ups that call this handlers/jobs/meetings.py, the careful sender
handlers/delivery/sender.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import (
    ChatMigrated,
)
from telegram.ext import Application

from bot.i18n import Translator, translator
from bot.meeting_plan import (
    HORIZON,
    due_reminder,
    parse_lead_hours,
    reminder_moments,
)
from bot.outcome import Outcome
from handlers.common.clock import Clock
from handlers.common.context import SERVICES_KEY, Outbox, Services
from handlers.delivery.sender import Delivery, send_one, send_to_member
from handlers.meetings.meetings import meeting_text, reminder_keyboard, reminder_text
from storage import Database
from storage.group_chats import migrate_chat
from storage.meetings.meetings import MeetingRecord, all_upcoming_meetings
from storage.meetings.reminders import (
    chat_post_claimed,
    claim_chat_post,
    claim_reminder,
    finish_chat_post,
    finish_reminder,
)
from storage.meetings.rsvps import attendees, member_locales
from storage.meetings.rules import meeting_settings

log = logging.getLogger(__name__)

LONGEST_LEAD = timedelta(days=14)  # seeding allows lead times up to 336 hours


async def post_to_group(
    bot: Bot,
    db: Database,
    chat_id: int,
    text: str,
    clock: Clock,
    pacer: Outbox | None = None,
    *,
    paced: bool = False,
) -> Delivery:
    """Post in a district's group chat, following it once if it became a supergroup."""
    try:
        return await send_one(bot, chat_id, text, clock=clock, pacer=pacer, group=True, paced=paced)
    except ChatMigrated as exc:
        await migrate_chat(db, chat_id, exc.new_chat_id)
        try:
            return await send_one(bot, exc.new_chat_id, text, clock=clock, pacer=pacer, group=True)
        except ChatMigrated:
            return Delivery(Outcome.FAILED)


async def tell_members(
    bot: Bot,
    db: Database,
    district_id: int,
    compose: Callable[[Translator], str],
    clock: Clock,
    *,
    skip: int | None = None,
    pacer: Outbox | None = None,
) -> int:
    """Send every member of the district a message in her own language; returns how many got
    it. `skip` is the one who made the change (she has seen it already)."""
    members = await member_locales(db, district_id)
    sent = 0
    for telegram_id, locale in members:
        if telegram_id == skip:
            continue
        delivery = await send_to_member(
            bot, db, telegram_id, compose(translator(locale)), None, clock, pacer
        )
        sent += delivery.outcome is Outcome.SENT
    return sent


NOTICE_TASK = "meetings:tell-members"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def tell_members_soon(
    application: AnyApplication,
    district_id: int,
    compose: Callable[[Translator], str],
    *,
    skip: int | None = None,
) -> None:
    """`tell_members` in the background: the coordinator's handler answers at once instead of
    making everyone wait while the notices go out one by one (with 429 pauses). A failure is
    logged, never lost."""
    services: Services = application.bot_data[SERVICES_KEY]

    async def run() -> None:
        try:
            await tell_members(
                application.bot,
                services.db,
                district_id,
                compose,
                services.clock,
                skip=skip,
                pacer=services.outbox,
            )
        except Exception:
            log.exception("telling the members of a meeting change failed")

    application.create_task(run(), name=NOTICE_TASK)


async def notices_sent() -> None:
    """Wait for the notices still going out in the background (for tests and the demo)."""
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t.get_name() == NOTICE_TASK and t is not current]
    await asyncio.gather(*tasks)


# -- reminders -----------------------------------------------------------------------------------


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


def group_post(t: Translator, meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """The short post in the group chat: when and where, and where to answer."""
    return (
        "⏰ "
        + t._("Our next meeting:")
        + "\n"
        + meeting_text(t, meeting, tz)
        + "\n\n"
        + t._("Each of you gets a reminder from the bot in a private chat: answer there.")
    )
