"""Planning meetings from each group's rule, and sending the reminders, restart-safe.

At start-up and every hour the bot plans each district's next 90 days (a group whose rule or
phase changed, from /phase or from `bydelsbot seed`, is planned anew and its members are told)
and registers JobQueue wake-ups for the reminders due in the next 36 hours. PTB does not keep
jobs across a restart, so nothing depends on them: each wake-up, and one right after start-up,
runs `dispatch_reminders`, which works out from the database what is due and claims each
reminder before sending it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import (
    ChatMigrated,
)
from telegram.ext import Application, JobQueue

from bot.i18n import Translator, translator
from bot.meeting_plan import (
    HORIZON,
    REPLAN_BACK,
    ExistingMeeting,
    MeetingRule,
    due_reminder,
    parse_days_off,
    parse_lead_hours,
    plan,
    reminder_moments,
    replan,
)
from handlers.common.context import SERVICES_KEY, BotContext, Outbox, Services
from handlers.common.delivery import Delivery, Sleep, send_one, send_to_member
from handlers.common.labels import phase_line
from handlers.common.render import escape
from handlers.common.sending import Outcome
from handlers.meetings.meetings import meeting_text, reminder_keyboard, reminder_text
from storage import Database
from storage.group_chats import migrate_chat
from storage.meetings import (
    MeetingRecord,
    MeetingSettings,
    all_meeting_settings,
    all_upcoming_meetings,
    apply_plan,
    attendees,
    chat_post_claimed,
    claim_chat_post,
    claim_reminder,
    finish_chat_post,
    finish_reminder,
    mark_interrupted,
    meeting_settings,
    member_locales,
    rule_meetings,
    stored_plan,
    upcoming_meetings,
)

log = logging.getLogger(__name__)

WAKE_AHEAD = timedelta(hours=36)  # JobQueue wake-ups are registered this far ahead
REFRESH_EVERY = timedelta(hours=1)
LONGEST_LEAD = timedelta(days=14)  # seeding allows lead times up to 336 hours


async def post_to_group(
    bot: Bot,
    db: Database,
    chat_id: int,
    text: str,
    sleep: Sleep = asyncio.sleep,
    pacer: Outbox | None = None,
    *,
    paced: bool = False,
) -> Delivery:
    """Post in a district's group chat, following it once if it became a supergroup."""
    try:
        return await send_one(bot, chat_id, text, sleep=sleep, pacer=pacer, group=True, paced=paced)
    except ChatMigrated as exc:
        await migrate_chat(db, chat_id, exc.new_chat_id)
        try:
            return await send_one(bot, exc.new_chat_id, text, sleep=sleep, pacer=pacer, group=True)
        except ChatMigrated:
            return Delivery(Outcome.FAILED)


async def tell_members(
    bot: Bot,
    db: Database,
    district_id: int,
    compose: Callable[[Translator], str],
    now: datetime,
    *,
    skip: int | None = None,
    sleep: Sleep = asyncio.sleep,
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
            bot, db, telegram_id, compose(translator(locale)), None, now, sleep, pacer
        )
        sent += delivery.outcome is Outcome.SENT
    return sent


NOTICE_TASK = "meetings:tell-members"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def tell_members_soon(
    application: AnyApplication,
    district_id: int,
    compose: Callable[[Translator], str],
    now: datetime,
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
                now,
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
    sleep: Sleep = asyncio.sleep,
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
                now,
                sleep,
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
                bot, db, settings.chat_id, post, sleep, pacer, paced=pacer is not None
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


# -- planning ------------------------------------------------------------------------------------


def rule_of(settings: MeetingSettings) -> MeetingRule:
    return MeetingRule(
        phase=settings.phase,
        weekday=settings.meeting_weekday,
        time=settings.meeting_time,
        anchor=date.fromisoformat(settings.meeting_anchor) if settings.meeting_anchor else None,
        monthly=settings.monthly_rule,
        holiday_policy=settings.holiday_policy,
        days_off=parse_days_off(settings.days_off),
    )


@dataclass(frozen=True)
class PlanResult:
    changed: bool  # meetings were added, moved or removed
    new_phase: bool  # the group is in another phase than when it was last planned
    has_rule: bool = True  # the rule gives regular meetings (phase 1-2, or none set: False)
    moved: tuple[tuple[datetime, datetime], ...] = ()  # (was, now) of meetings members knew
    removed: tuple[datetime, ...] = ()  # starts of meetings members knew, no longer planned


async def plan_district(
    db: Database, settings: MeetingSettings, now: datetime, tz: ZoneInfo
) -> PlanResult:
    """Bring the district's stored future in line with its rule; the past stays as it was."""
    rule = rule_of(settings)
    before = await stored_plan(db, settings.district_id)
    existing = [
        ExistingMeeting(m.id, m.rule_key, m.starts_at, m.changed, m.moved)
        for m in await rule_meetings(db, settings.district_id)
    ]
    latest = max((m.starts_at for m in existing), default=now)
    # From a little back, so that a meeting a coordinator moved past its key's time is known.
    planned = plan(rule, now - REPLAN_BACK, max(now + HORIZON, latest), tz)
    has_rule = bool(plan(rule, now, now + HORIZON, tz))
    changes = replan(existing, planned, now)
    unchanged_rule = before is not None and before.signature == rule.signature
    if unchanged_rule and not (changes.delete or changes.insert or changes.update):
        return PlanResult(False, False, has_rule)
    # What the members knew: a cancelled meeting is no news when it moves or goes.
    known = {
        m.id: m
        for m in await upcoming_meetings(
            db, [settings.district_id], now, datetime.max.replace(tzinfo=UTC)
        )
    }
    await apply_plan(
        db,
        settings.district_id,
        changes.delete,
        [(m.key, m.starts_at) for m in changes.insert],
        rule.signature,
        rule.phase,
        now,
        [(u.id, u.key, u.starts_at) for u in changes.update],
    )
    moved = tuple(
        (known[u.id].starts_at, u.starts_at)
        for u in changes.update
        if u.id in known and known[u.id].starts_at != u.starts_at
    )
    removed = tuple(known[i].starts_at for i in changes.delete if i in known)
    new_phase = before is not None and before.phase != settings.phase
    changed = bool(changes.delete or changes.insert or changes.update)
    if before is None:  # the first plan: nobody knew any meeting yet
        moved, removed = (), ()
    return PlanResult(changed, new_phase, has_rule, moved, removed)


async def phase_has_rule(
    db: Database, district_id: int, phase: int, now: datetime, tz: ZoneInfo
) -> bool:
    """Whether the district's settings give regular meetings in `phase` (for /phase to warn
    before a move that stops them)."""
    settings = await meeting_settings(db, district_id)
    if settings is None:
        return False
    return bool(plan(replace(rule_of(settings), phase=phase), now, now + HORIZON, tz))


async def plan_and_tell(
    bot: Bot,
    db: Database,
    district_id: int,
    tz: ZoneInfo,
    now: datetime,
    *,
    announce: bool = False,
    changed_by: int | None = None,
    application: AnyApplication | None = None,
    headline: Callable[[Translator, MeetingRecord | None], str] | None = None,
) -> PlanResult | None:
    """Plan one district; tell its members in their language (all but `changed_by`, who has
    seen it) of a new phase (or `announce`: the caller changed it) and of every meeting that
    moved or was removed, in one message each; in the background if `application` is given (a
    handler, which should answer at once)."""
    settings = await meeting_settings(db, district_id)
    if settings is None:
        return None
    result = await plan_district(db, settings, now, tz)
    new_phase = result.new_phase or announce
    if new_phase or result.moved or result.removed or headline is not None:
        upcoming = await upcoming_meetings(db, [district_id], now, now + HORIZON)
        following = upcoming[0] if upcoming else None

        def compose(t: Translator) -> str:
            # A new rule set in the bot (`headline`) is said first, with the next meeting.
            parts = [headline(t, following)] if headline is not None else []
            if new_phase:
                parts.append(phase_notice(t, settings, following, tz, result.has_rule))
            # "The regular meetings stop" says it for the removed ones; a list would alarm.
            if result.moved or (result.removed and (result.has_rule or not new_phase)):
                parts.append(changes_notice(t, result, tz, removed=result.has_rule))
            return "\n\n".join(parts)

        if application is not None:
            tell_members_soon(application, district_id, compose, now, skip=changed_by)
        else:
            await tell_members(bot, db, district_id, compose, now, skip=changed_by)
    return result


def phase_notice(
    t: Translator,
    settings: MeetingSettings,
    following: MeetingRecord | None,
    tz: ZoneInfo,
    has_rule: bool = True,
) -> str:
    text = (
        "🔄 "
        + t._("{district} is in a new phase.").format(district=t.ltr(escape(settings.name)))
        + "\n"
        + phase_line(t, settings.phase)
        + "\n\n"
    )
    if not has_rule:
        # Calm, not alarming: the group goes on, the coordinator sets the new rhythm.
        text += t._(
            "The regular meetings stop for now, until the coordinator sets a new meeting time."
        )
        if following is None:
            return text
        text += "\n\n"
    elif following is None:
        return text + t._("No regular meetings are planned in this phase.")
    return text + t._("The next meeting:") + "\n" + meeting_text(t, following, tz)


def changes_notice(t: Translator, result: PlanResult, tz: ZoneInfo, removed: bool = True) -> str:
    """One summary of the meetings that moved or (if `removed`) were removed by a new plan."""
    lines = []
    if result.moved:
        lines.append("🕒 " + t._("These meetings have a new time:"))
        # TRANSLATORS: one moved meeting; {before} and {after} are a day and time each.
        lines += [
            "• "
            + t._("{before} → now {after}").format(
                before=t.ltr(t.format_datetime(was, tz)),
                after=t.ltr(t.format_datetime(moved_to, tz)),
            )
            for was, moved_to in result.moved
        ]
    if result.removed and removed:
        if lines:
            lines.append("")
        lines.append("🗑 " + t._("These meetings will not take place:"))
        lines += ["• " + t.ltr(t.format_datetime(was, tz)) for was in result.removed]
    return "\n".join(lines)


async def plan_all(bot: Bot, db: Database, tz: ZoneInfo, now: datetime) -> None:
    for settings in await all_meeting_settings(db):
        await plan_and_tell(bot, db, settings.district_id, tz, now)


# -- jobs ----------------------------------------------------------------------------------------


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
    await dispatch_reminders(
        context.bot, services.db, services.config.tz, datetime.now(UTC), pacer=services.outbox
    )


async def refresh_job(context: BotContext) -> None:
    """Every hour: plan the rolling horizon and register the next wake-ups."""
    services, now = context.services, datetime.now(UTC)
    await plan_all(context.bot, services.db, services.config.tz, now)
    assert context.job_queue is not None
    await schedule_wakeups(context.job_queue, services.db, now)


async def start_meetings(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """At start-up: plan, rebuild the wake-ups, and send at once what came due while down."""
    services: Services = application.bot_data[SERVICES_KEY]
    now = datetime.now(UTC)
    # A reminder claimed but never finished was cut off by the last stop: say so, never resend.
    interrupted = await mark_interrupted(services.db, now, now)
    if interrupted:
        log.warning("%d reminders were cut off by the last stop; marked interrupted", interrupted)
    await plan_all(application.bot, services.db, services.config.tz, now)
    job_queue = application.job_queue
    assert job_queue is not None
    await schedule_wakeups(job_queue, services.db, now)
    job_queue.run_once(dispatch_job, when=0, name="remind:start-up")
    job_queue.run_repeating(
        refresh_job, interval=REFRESH_EVERY, first=REFRESH_EVERY, name="meetings:refresh"
    )
