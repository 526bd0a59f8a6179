"""What every drop-in screen shares: a session's occurrences from the database, and how a
session, its time, its place and its languages read in her language."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup
from telegram.ext import JobQueue

from bot.days import parse_days_off
from bot.dropin.plan import KINDS, Occurrence, SessionException, SessionRule, occurrences
from bot.dropin.rota import ALERT_AHEAD, alert_moment
from bot.i18n import LANGUAGE_BY_CODE, Translator
from handlers.common.context import BotContext
from handlers.common.render import escape
from handlers.delivery.sender import Delivery, send_to_member
from storage import Database
from storage.dropin.rota import shifts_on
from storage.dropin.sessions import SessionRecord, exceptions_of, get_session, list_sessions

Scheduled = tuple[SessionRecord, Occurrence]
MAP_SEARCH = "https://www.openstreetmap.org/search?query="
# The drop-in job (handlers/jobs/dropin.py), put here at start-up so that a handler can wake it
# without importing the jobs (which build on the handlers' texts).
WAKE_KEY = "dropin:job"
WAKE_AHEAD = timedelta(hours=36)


async def send_to(
    context: BotContext, telegram_id: int, text: str, keyboard: InlineKeyboardMarkup | None
) -> Delivery:
    """A message from a drop-in handler to one woman's private chat, through the bot's outbox
    (the swap offer, its taker's thanks and the coordinator's notices all go this way)."""
    return await send_to_member(
        context.bot,
        context.db,
        telegram_id,
        text,
        keyboard,
        context.clock,
        pacer=context.services.outbox,
    )


def wake_at(context: BotContext, *moments: datetime) -> None:
    """Run the drop-in job at each moment (at once if it has passed) within the next 36 hours:
    a reminder due soon goes out on time, not at the next five-minute look."""
    job = context.bot_data.get(WAKE_KEY)
    if job is None or context.job_queue is None:
        return
    current = context.clock.now()
    for moment in moments:
        delay = (moment - current).total_seconds()
        if delay < WAKE_AHEAD.total_seconds():
            context.job_queue.run_once(job, when=max(0.0, delay), name="dropin:wake")


async def alert_wakeups(
    db: Database, sessions: list[SessionRecord], now: datetime, tz: ZoneInfo
) -> list[tuple[str, datetime]]:
    """(job name, moment) of each understaffing alert due within the next 36 hours (or due
    already): three days before an occurrence still below its minimum. The name carries the
    moment, so a session moved to another time gets its own wake-up."""
    horizon = now + WAKE_AHEAD
    found = await coming(db, sessions, now, (ALERT_AHEAD + WAKE_AHEAD).days + 1, tz)
    wakeups: list[tuple[str, datetime]] = []
    for session, occurrence in found:
        moment = alert_moment(occurrence)
        if occurrence.cancelled or occurrence.starts_at <= now or moment > horizon:
            continue
        on_duty = len((await shifts_on(db, session.id, [occurrence.day]))[occurrence.day])
        if on_duty < session.min_on_duty:
            name = f"dropin:alert:{session.id}:{occurrence.day}:{int(moment.timestamp())}"
            wakeups.append((name, max(moment, now)))
    return wakeups


def schedule_wakeups(
    job_queue: JobQueue[Any], job: Any, wakeups: list[tuple[str, datetime]]
) -> int:
    """Run `job` at each moment, once per name (a refresh never doubles a wake-up)."""
    added = 0
    for name, moment in wakeups:
        if job_queue.get_jobs_by_name(name):
            continue
        job_queue.run_once(job, when=moment, name=name)
        added += 1
    return added


async def wake_for_alerts(context: BotContext, session_id: int | None = None) -> None:
    """After a session or a shift changed: the alerts it makes due are sent at their moment,
    not at the next five-minute look."""
    job = context.bot_data.get(WAKE_KEY)
    if job is None or context.job_queue is None:
        return
    sessions = await list_sessions(context.db)
    if session_id is not None:
        sessions = [s for s in sessions if s.id == session_id]
    wakeups = await alert_wakeups(
        context.db, sessions, context.clock.now(), context.services.config.tz
    )
    schedule_wakeups(context.job_queue, job, wakeups)


def rule_of(session: SessionRecord) -> SessionRule:
    return SessionRule(
        weekday=session.weekday,
        starts=time.fromisoformat(session.starts),
        ends=time.fromisoformat(session.ends),
        valid_from=date.fromisoformat(session.valid_from),
        valid_to=date.fromisoformat(session.valid_to) if session.valid_to else None,
        holiday_policy=session.holiday_policy,
        days_off=parse_days_off(session.days_off),
    )


async def scheduled(
    db: Database, sessions: list[SessionRecord], first: date, last: date, tz: ZoneInfo
) -> list[Scheduled]:
    """Every occurrence of these sessions on local dates first..last, soonest first."""
    exceptions = await exceptions_of(db, [s.id for s in sessions])
    found: list[Scheduled] = []
    for session in sessions:
        marks = [
            SessionException(day, kind, reason) for day, kind, reason in exceptions[session.id]
        ]
        found += [(session, o) for o in occurrences(rule_of(session), marks, first, last, tz)]
    return sorted(found, key=lambda pair: (pair[1].starts_at, pair[0].id))


async def coming(
    db: Database, sessions: list[SessionRecord], now: datetime, days: int, tz: ZoneInfo
) -> list[Scheduled]:
    """Occurrences that have not ended, in the next `days` days, soonest first."""
    today = now.astimezone(tz).date()
    found = await scheduled(db, sessions, today, today + timedelta(days=days), tz)
    return [(s, o) for s, o in found if o.ends_at > now]


async def occurrence_of(db: Database, session_id: int, day: date, tz: ZoneInfo) -> Scheduled | None:
    """The session and its occurrence on that date, if the schedule gives one."""
    session = await get_session(db, session_id)
    if session is None:
        return None
    found = await scheduled(db, [session], day, day, tz)
    return found[0] if found else None


def title(t: Translator, session: SessionRecord) -> str:
    return t._(KINDS.get(session.kind, KINDS["dropin"]))


def when(t: Translator, occurrence: Occurrence, tz: ZoneInfo) -> str:
    """'Wednesday 9 December 2026 12:00–15:00', in her language."""
    end = occurrence.ends_at.astimezone(tz).strftime("%H:%M")
    return f"{t.format_datetime(occurrence.starts_at, tz)}{t.ltr('–' + end)}"


def short_day(t: Translator, occurrence: Occurrence, tz: ZoneInfo) -> str:
    return t.ltr(t.format_day(occurrence.starts_at, tz))


def place(t: Translator, session: SessionRecord) -> str:
    """The place and its address; a map-search link where the place has no sourced coordinates
    (where it has, the handler sends it as a Telegram venue)."""
    text = f"📍 {t.ltr(escape(session.location_name))}, {t.ltr(escape(session.address))}"
    if session.latitude is None:
        query = quote_plus(f"{session.location_name}, {session.address}")
        # TRANSLATORS: a link that opens a map search for the place.
        label = t._("Map")
        text += f' · <a href="{MAP_SEARCH}{query}">{label}</a>'
    return text


def languages(t: Translator, session: SessionRecord) -> str | None:
    names = [LANGUAGE_BY_CODE[c].native_name for c in session.languages if c in LANGUAGE_BY_CODE]
    if not names:
        return None
    # TRANSLATORS: followed by the names of languages, each in its own script.
    return "🗣 " + t._("Languages spoken:") + " " + ", ".join(t.ltr(n) for n in names)


def occurrence_block(
    t: Translator, session: SessionRecord, occurrence: Occurrence, tz: ZoneInfo
) -> str:
    """A session on one date: what, when, where, in which languages, and whether it is off."""
    lines = [f"<b>{title(t, session)}</b>", "🗓 " + when(t, occurrence, tz), place(t, session)]
    spoken = languages(t, session)
    if spoken:
        lines.append(spoken)
    if occurrence.cancelled:
        lines.append("❌ " + t._("Cancelled this week."))
        if occurrence.reason:
            lines.append(t.ltr(escape(occurrence.reason)))
    elif occurrence.moved_from is not None:
        # TRANSLATORS: {date} is the public holiday the session was moved away from.
        lines.append("↪️ " + t._("Moved from {date} (public holiday).").format(
            date=t.ltr(t.format_day(datetime.combine(occurrence.moved_from, time(12), tz), tz))
        ))  # fmt: skip
    return "\n".join(lines)
