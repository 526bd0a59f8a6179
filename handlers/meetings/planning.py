"""Planning meetings from each group's rule: the next 90 days of a district, its members told
of what changed (a group whose rule or phase changed, from /phase, the bot's rule or
`bydelsbot seed`). `plan_district` decides and writes; `plan_and_tell` also tells the members
(handlers/meetings/reminders.py sends); the wake-ups are handlers/jobs/meetings.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.i18n import Translator
from bot.meetings.plan import HORIZON, REPLAN_BACK, ExistingMeeting, MeetingRule, plan, replan
from bot.meetings.rule_draft import RuleDraft
from handlers.common.context import Services
from handlers.common.labels import phase_line
from handlers.common.render import escape
from handlers.meetings import reminders
from handlers.meetings.meetings import meeting_text
from storage import Database
from storage.meetings.meetings import MeetingRecord, upcoming_meetings
from storage.meetings.plan import apply_plan, rule_meetings, stored_plan
from storage.meetings.rules import MeetingSettings, all_meeting_settings, meeting_settings

log = logging.getLogger(__name__)


def rule_of(settings: MeetingSettings) -> MeetingRule:
    return RuleDraft.of(settings).rule()


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
    services: Services,
    district_id: int,
    now: datetime,
    *,
    announce: bool = False,
    changed_by: int | None = None,
    application: reminders.AnyApplication | None = None,
    headline: Callable[[Translator, MeetingRecord | None], str] | None = None,
) -> PlanResult | None:
    """Plan one district; tell its members in their language (all but `changed_by`, who has
    seen it) of a new phase (or `announce`: the caller changed it) and of every meeting that
    moved or was removed, in one message each; in the background if `application` is given (a
    handler, which should answer at once)."""
    db, tz = services.db, services.config.tz
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
            reminders.tell_members_soon(application, district_id, compose, skip=changed_by)
        else:
            await reminders.tell_members(
                bot, db, district_id, compose, services.clock, skip=changed_by
            )
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


async def plan_all(bot: Bot, services: Services, now: datetime) -> None:
    for settings in await all_meeting_settings(services.db):
        await plan_and_tell(bot, services, settings.district_id, now)
