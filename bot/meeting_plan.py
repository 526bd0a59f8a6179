"""The meeting planner: a group's rule, its phase and Norway's public holidays, turned into dated
meetings; and which reminder is due for a meeting at a given moment.

Pure functions of plain values and `now`. A rule is a local wall-clock time in Europe/Oslo
("every second Wednesday at 18:00"), so a meeting stays at 18:00 across the daylight-saving
change; what leaves here are UTC instants, never naive datetimes.

- Fase 3: every second week on `weekday`, counted from `anchor` (the date of one meeting; none
  are planned before it).
- Fase 4: monthly, on the n-th (or last) weekday of the month, or on a day of the month.
- Fase 1-2: no regular meetings (a coordinator adds single ones).

A meeting planned by the rule is known by its key, the local date and time the rule gives it
before any holiday moves it ("2026-05-13T18:00"): planning the same rule twice gives the same
keys, so a re-plan adds what is missing and keeps the meetings (and their answers) it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")
FORTNIGHT = timedelta(days=14)
HORIZON = timedelta(days=90)  # how far ahead meetings are planned
SKIP = "skip"
NEXT_WORKING_DAY = "next_working_day"

_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_MONTHLY = re.compile(r"weekday:(-1|[1-4]):([0-6])|day:([1-9]|1\d|2[0-8])")


@dataclass(frozen=True)
class MeetingRule:
    """A district's meeting settings, in the columns' vocabulary (0002_organisation.sql)."""

    phase: int
    weekday: int | None = None  # 0 = Monday
    time: str | None = None  # 'HH:MM', local
    anchor: date | None = None
    monthly: str | None = None  # 'weekday:<n>:<weekday>' or 'day:<d>'
    holiday_policy: str = SKIP

    @property
    def signature(self) -> str:
        """What the plan depends on: when it changes, future meetings are planned anew."""
        if self.phase == 3:
            body = f"fortnightly:{self.weekday}:{self.anchor}:{self.time}"
        elif self.phase == 4:
            body = f"monthly:{self.monthly}:{self.time}"
        else:
            body = "none"
        return f"phase:{self.phase};{body};holidays:{self.holiday_policy}"


@dataclass(frozen=True)
class PlannedMeeting:
    key: str  # the rule's local date and time for it, before a holiday moved it
    starts_at: datetime  # UTC
    moved_from: date | None = None  # the holiday it was moved away from


@dataclass(frozen=True)
class ExistingMeeting:
    id: int
    rule_key: str | None  # None: a single meeting a coordinator added
    starts_at: datetime


@dataclass(frozen=True)
class Replan:
    delete: tuple[int, ...]  # ids of future rule meetings the rule no longer gives
    insert: tuple[PlannedMeeting, ...]  # rule meetings not stored yet


@cache
def _norwegian_holidays(year: int) -> frozenset[date]:
    # Sundays are not "holidays" here: a group that meets on Sundays meets on Sundays.
    return frozenset(holidays.country_holidays("NO", years=year, include_sundays=False))


def is_holiday(day: date) -> bool:
    return day in _norwegian_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day (Monday to Friday, not a public holiday) after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def parse_time(value: str | None) -> time | None:
    match = _TIME.fullmatch(value or "")
    return time(int(match[1]), int(match[2])) if match else None


def parse_lead_hours(value: str) -> tuple[int, ...]:
    """'48,3' -> (48, 3), largest first; nonsense is dropped, never guessed."""
    hours = {int(part) for part in value.split(",") if part.strip().isdecimal()}
    return tuple(sorted((h for h in hours if 0 < h <= 24 * 14), reverse=True))


def rule_dates(rule: MeetingRule, first: date, last: date) -> list[date]:
    """The dates the rule gives between first and last (inclusive), before holidays."""
    if rule.phase == 3 and rule.weekday is not None and rule.anchor is not None:
        start = max(first, rule.anchor)
        offset = (start - rule.anchor).days % 14
        day = start if offset == 0 else start + timedelta(days=14 - offset)
        found = []
        while day <= last:
            found.append(day)
            day += FORTNIGHT
        return found
    if rule.phase == 4 and rule.monthly is not None:
        match = _MONTHLY.fullmatch(rule.monthly)
        if match is None:
            return []
        found = []
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            day = _monthly_date(year, month, match)
            if first <= day <= last:
                found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found
    return []


def _monthly_date(year: int, month: int, match: re.Match[str]) -> date:
    if match[3] is not None:
        return date(year, month, int(match[3]))
    n, weekday = int(match[1]), int(match[2])
    if n == -1:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def local_instant(day: date, at: time, tz: ZoneInfo = OSLO) -> datetime:
    """The UTC instant of a local wall-clock time on a day."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def plan(
    rule: MeetingRule, since: datetime, until: datetime, tz: ZoneInfo = OSLO
) -> list[PlannedMeeting]:
    """The rule's meetings that start after `since` and no later than `until`, holidays
    applied by the group's policy."""
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("refusing to plan with a naive datetime")
    at = parse_time(rule.time)
    if at is None:
        return []
    # A week of slack on each side: a holiday can move a meeting past the range's edge.
    first = since.astimezone(tz).date() - timedelta(days=7)
    last = until.astimezone(tz).date() + timedelta(days=7)
    planned = []
    for day in rule_dates(rule, first, last):
        key = f"{day.isoformat()}T{at.strftime('%H:%M')}"
        moved_from = None
        if is_holiday(day):
            if rule.holiday_policy != NEXT_WORKING_DAY:
                continue
            day, moved_from = next_working_day(day), day
        starts_at = local_instant(day, at, tz)
        if since < starts_at <= until:
            planned.append(PlannedMeeting(key, starts_at, moved_from))
    return planned


def replan(
    existing: Iterable[ExistingMeeting], planned: Sequence[PlannedMeeting], now: datetime
) -> Replan:
    """What to change so that the stored future follows the plan; the past is never touched.

    Single meetings stay whatever the rule says. A rule meeting the coordinator moved or
    cancelled keeps its key, so it stays as she left it while the rule still gives it.
    """
    wanted = {meeting.key for meeting in planned}
    stored: set[str] = set()
    delete = []
    for meeting in existing:
        if meeting.rule_key is None:
            continue
        stored.add(meeting.rule_key)
        if meeting.starts_at > now and meeting.rule_key not in wanted:
            delete.append(meeting.id)
    insert = tuple(m for m in planned if m.key not in stored and m.starts_at > now)
    return Replan(tuple(delete), insert)


@dataclass(frozen=True)
class ReminderDecision:
    send: int | None  # the lead time (hours) to send now, if any
    skip: tuple[int, ...] = ()  # lead times overdue together with it: recorded, never sent


def due_reminder(
    starts_at: datetime, lead_hours: Iterable[int], now: datetime, done: Iterable[int] = ()
) -> ReminderDecision:
    """Which reminder a member should get now, given the lead times already handled for her.

    Nothing once the meeting has begun. A reminder the bot missed while it was down is sent
    late if the meeting is still ahead; when several are overdue at once only the latest one
    (the shortest lead time) is sent, and the others are skipped for good.
    """
    if now >= starts_at:
        return ReminderDecision(None)
    handled = set(done)
    due = sorted(
        (h for h in lead_hours if h not in handled and starts_at - timedelta(hours=h) <= now),
        reverse=True,
    )
    if not due:
        return ReminderDecision(None)
    # A shorter lead time already handled makes the longer ones pointless too.
    if handled and min(handled) < due[-1]:
        return ReminderDecision(None, tuple(due))
    return ReminderDecision(due[-1], tuple(due[:-1]))


def reminder_moments(starts_at: datetime, lead_hours: Iterable[int]) -> list[tuple[int, datetime]]:
    """(lead time, moment it is due) for each of the group's lead times."""
    return [(h, starts_at - timedelta(hours=h)) for h in lead_hours]
