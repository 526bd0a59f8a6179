"""The drop-in's background work, restart-safe: a woman's reminder on the morning of a session,
a bydelsmor's reminder the day before her shift and her "how many women?" after it, and the
coordinators' alert three days before a short-handed session (once).

Each message is claimed in the database right before it is sent (claim-then-send, like the
meeting reminders), so a restart never sends it twice; a claim the last process never finished
is marked interrupted at start-up and never resent. Nothing depends on the JobQueue surviving:
`dispatch_dropin` works out from the database what is due at `now`, and runs at start-up and
every few minutes. The understaffing alert, due at a known moment, is also woken for at that
moment (planned from the database at start-up and every hour, and when a session or a shift
changes), so it is never up to five minutes late.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup
from telegram.ext import Application, JobQueue

from bot.dropin.rota import (
    ALERT_AHEAD,
    ASK_AFTER,
    alert_due,
    morning_due,
    reach_question_due,
    shift_reminder_due,
)
from bot.i18n import Translator, translator
from bot.outcome import Outcome
from bot.referrals import Catalogue, load_catalogue
from handlers.common.catalogue import CATALOGUE_KEY
from handlers.common.clock import Clock
from handlers.common.context import SERVICES_KEY, BotContext, Outbox, Services
from handlers.common.render import button
from handlers.delivery.sender import send_one, send_to_member
from handlers.dropin import codecs
from handlers.dropin.common import (
    WAKE_KEY,
    alert_wakeups,
    coming,
    occurrence_block,
    occurrence_of,
    schedule_wakeups,
    scheduled,
    short_day,
    title,
)
from handlers.dropin.reach import question, topics_keyboard
from storage import Database
from storage.dropin.rota import (
    claim_alert,
    claim_shift_message,
    finish_alert,
    finish_shift_message,
    interrupted_claims,
    locale_of,
    shifts_between,
    shifts_on,
)
from storage.dropin.sessions import (
    SessionRecord,
    claim_subscription,
    due_subscriptions,
    finish_subscription,
    get_session,
    list_sessions,
    purge_subscriptions,
    unsubscribe,
)
from storage.dropin.vanished import coming_shifts, coming_subscriptions, drop_shift
from storage.help import district_coordinators

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=5)  # how often the job looks at what is due
REFRESH_EVERY = timedelta(hours=1)  # how often the alerts' wake-ups are planned 36 hours ahead


async def dispatch_dropin(
    bot: Bot,
    db: Database,
    tz: ZoneInfo,
    now: datetime,
    catalogue: Catalogue | None,
    clock: Clock,
    pacer: Outbox | None = None,
) -> int:
    """Send whatever is due at `now` and not claimed before; returns how many were sent."""
    sent = await morning_reminders(bot, db, tz, now, clock)
    sent += await shift_messages(bot, db, tz, now, catalogue, clock, pacer)
    sent += await understaffing_alerts(bot, db, tz, now, clock, pacer)
    sent += await vanished_dates(bot, db, tz, now, clock, pacer)
    await purge_subscriptions(db, now.astimezone(tz).date())
    return sent


async def morning_reminders(
    bot: Bot, db: Database, tz: ZoneInfo, now: datetime, clock: Clock
) -> int:
    today = now.astimezone(tz).date()
    sent = 0
    for chat_id, session_id in await due_subscriptions(db, today):
        found = await occurrence_of(db, session_id, today, tz)
        if found is None or not morning_due(found[1], now, tz):
            continue
        session, occurrence = found
        if occurrence.cancelled:
            continue  # she was told when it was cancelled
        if not await claim_subscription(db, chat_id, session_id, today, now):
            continue
        t = translator(await locale_of(db, chat_id))
        text = "⏰ " + t._("Today you can meet a bydelsmor:") + "\n\n"
        text += occurrence_block(t, session, occurrence, tz)
        delivery = await send_one(bot, chat_id, text, clock=clock)
        await finish_subscription(db, chat_id, session_id, today, delivery.outcome)
        sent += delivery.outcome is Outcome.SENT
    return sent


async def shift_messages(
    bot: Bot,
    db: Database,
    tz: ZoneInfo,
    now: datetime,
    catalogue: Catalogue | None,
    clock: Clock,
    pacer: Outbox | None,
) -> int:
    today = now.astimezone(tz).date()
    sent = 0
    # The day before: shifts today and tomorrow whose reminder is not claimed yet.
    for shift in await shifts_between(db, today, today + timedelta(days=1), "reminder"):
        found = await occurrence_of(db, shift.session_id, shift.day, tz)
        if found is None or not shift_reminder_due(found[1], now, tz):
            continue
        if not await claim_shift_message(db, shift.id, "reminder", now):
            continue
        t = translator(await locale_of(db, shift.telegram_id))
        text = "🗓 " + t._("Reminder: you are on duty.") + "\n\n"
        text += occurrence_block(t, found[0], found[1], tz)
        rota = button("🗓", t._("Open the rota"), codecs.rota(found[0].district_id))
        keyboard = InlineKeyboardMarkup([[rota]])
        delivery = await send_to_member(
            bot, db, shift.telegram_id, text, keyboard, clock, pacer=pacer
        )
        await finish_shift_message(db, shift.id, "reminder", delivery.outcome)
        sent += delivery.outcome is Outcome.SENT
    # After the shift: how many women, about what.
    since = (now - ASK_AFTER).astimezone(tz).date()
    for shift in await shifts_between(db, since, today, "reach"):
        found = await occurrence_of(db, shift.session_id, shift.day, tz)
        if found is None or not reach_question_due(found[1], now):
            continue
        if not await claim_shift_message(db, shift.id, "reach", now):
            continue
        session = found[0]
        t = translator(await locale_of(db, shift.telegram_id))
        text = "🙏 " + t._("Thank you for your shift!") + "\n" + question(t)
        keyboard = topics_keyboard(
            t, catalogue or load_catalogue(), session.district_id, session.id, shift.day
        )
        delivery = await send_to_member(
            bot, db, shift.telegram_id, text, keyboard, clock, pacer=pacer
        )
        await finish_shift_message(db, shift.id, "reach", delivery.outcome)
        sent += delivery.outcome is Outcome.SENT
    return sent


async def understaffing_alerts(
    bot: Bot, db: Database, tz: ZoneInfo, now: datetime, clock: Clock, pacer: Outbox | None
) -> int:
    sent = 0
    sessions = await list_sessions(db)
    for session, occurrence in await coming(db, sessions, now, ALERT_AHEAD.days + 1, tz):
        on_duty = len((await shifts_on(db, session.id, [occurrence.day]))[occurrence.day])
        if not alert_due(occurrence, on_duty, session.min_on_duty, now):
            continue
        if not await claim_alert(db, session.id, occurrence.day, now):
            continue  # told once already
        outcome = "nobody"
        for coordinator in await district_coordinators(db, session.district_id):
            t = translator(coordinator.locale or "nb")
            missing = session.min_on_duty - on_duty
            text = "⚠️ " + t.ngettext(
                "{n} more bydelsmor is needed on {date}.",
                "{n} more bydelsmødre are needed on {date}.",
                missing,
            ).format(n=t.ltr(missing), date=short_day(t, occurrence, tz))
            text += "\n\n" + occurrence_block(t, session, occurrence, tz)
            ask = codecs.alert("a", session.id, occurrence.day)
            cancel = codecs.alert("c", session.id, occurrence.day)
            rows = [
                [button("🙋", t._("Ask all bydelsmødre"), ask)],
                [button("❌", t._("Cancel the session"), cancel)],
            ]
            keyboard = InlineKeyboardMarkup(rows)
            delivery = await send_to_member(
                bot, db, coordinator.telegram_id, text, keyboard, clock, pacer=pacer
            )
            outcome = delivery.outcome if outcome in ("nobody", Outcome.SENT) else outcome
            sent += delivery.outcome is Outcome.SENT
        await finish_alert(db, session.id, occurrence.day, outcome)
    return sent


async def vanished_dates(
    bot: Bot, db: Database, tz: ZoneInfo, now: datetime, clock: Clock, pacer: Outbox | None
) -> int:
    """A rule change (/sessions or `bydelsbot seed`) took away a date that had shifts or
    reminders: each bydelsmor on duty and each woman who asked for a reminder is told once, in
    her language, and her shift or reminder is removed (removing it is the claim)."""
    today = now.astimezone(tz).date()
    known: dict[tuple[int, date], SessionRecord | None] = {}

    async def gone(session_id: int, day: date) -> SessionRecord | None:
        """The session, if the schedule no longer gives it on that date."""
        if (session_id, day) not in known:
            session = await get_session(db, session_id)
            held = session is not None and bool(await scheduled(db, [session], day, day, tz))
            known[session_id, day] = None if held else session
        return known[session_id, day]

    sent = 0
    for shift in await coming_shifts(db, today):
        session = await gone(shift.session_id, shift.day)
        if session is None or not await drop_shift(db, shift.id):
            continue
        t = translator(await locale_of(db, shift.telegram_id))
        text = (
            vanished_text(t, session, shift.day, tz) + "\n" + t._("Your shift that day is removed.")
        )
        rota = button("🗓", t._("Open the rota"), codecs.rota(session.district_id))
        keyboard = InlineKeyboardMarkup([[rota]])
        delivery = await send_to_member(
            bot, db, shift.telegram_id, text, keyboard, clock, pacer=pacer
        )
        sent += delivery.outcome is Outcome.SENT
    for chat_id, session_id, day in await coming_subscriptions(db, today):
        session = await gone(session_id, day)
        if session is None or not await unsubscribe(db, chat_id, session_id, day):
            continue
        t = translator(await locale_of(db, chat_id))
        text = (
            vanished_text(t, session, day, tz)
            + "\n"
            + t._("Your reminder for that day is removed.")
        )
        sent += (await send_one(bot, chat_id, text, clock=clock)).outcome is Outcome.SENT
    return sent


def vanished_text(t: Translator, session: SessionRecord, day: date, tz: ZoneInfo) -> str:
    on = t.ltr(t.format_day(datetime.combine(day, time(12), tz), tz))
    # TRANSLATORS: {session} is a session's name (e.g. a drop-in), {date} a day.
    return "🗓 " + t._(
        "{session} on {date} no longer takes place: the schedule was changed."
    ).format(session=f"<b>{title(t, session)}</b>", date=on)


async def dropin_job(context: BotContext) -> None:
    """Every few minutes (and right after start-up): send what is due."""
    services, catalogue = context.services, context.bot_data.get(CATALOGUE_KEY)
    clock = services.clock
    await dispatch_dropin(
        context.bot, services.db, services.config.tz, clock.now(), catalogue, clock, services.outbox
    )


async def schedule_dropin_wakeups(
    job_queue: JobQueue[Any], db: Database, tz: ZoneInfo, now: datetime
) -> int:
    """A wake-up at the exact moment of each understaffing alert due in the next 36 hours
    (PTB keeps no jobs across a restart): at start-up and every hour; returns how many new."""
    wakeups = await alert_wakeups(db, await list_sessions(db), now, tz)
    return schedule_wakeups(job_queue, dropin_job, wakeups)


async def refresh_job(context: BotContext) -> None:
    assert context.job_queue is not None
    services = context.services
    await schedule_dropin_wakeups(
        context.job_queue, services.db, services.config.tz, services.clock.now()
    )


async def start_dropin(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """At start-up: mark what the last process left half-sent, plan the alerts' wake-ups, then
    run now and every 5 min (a safety net; what is due at a known moment is woken for)."""
    services: Services = application.bot_data[SERVICES_KEY]
    interrupted = await interrupted_claims(services.db)
    if interrupted:
        log.warning("%d drop-in messages were cut off by the last stop; not resent", interrupted)
    application.bot_data[WAKE_KEY] = dropin_job
    job_queue = application.job_queue
    assert job_queue is not None
    job_queue.run_repeating(dropin_job, interval=EVERY, first=0, name="dropin:dispatch")
    await schedule_dropin_wakeups(job_queue, services.db, services.config.tz, services.clock.now())
    job_queue.run_repeating(
        refresh_job, interval=REFRESH_EVERY, first=REFRESH_EVERY, name="dropin:refresh"
    )
