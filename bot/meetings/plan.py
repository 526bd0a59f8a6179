"""The meeting planner: a group's rule, its phase and Norway's public holidays, turned into dated
meetings.

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
When the rule itself changes (18:00 becomes 18:30, a new phase), old and new meetings are
matched by the key's local date and the stored one is updated in place, so its answers, place,
note and cancellation stay; only a date the rule no longer gives is removed, and never a
meeting a coordinator changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.days import (
    DAYS_OFF,
    NEXT_WORKING_DAY,
    OSLO,
    SKIP,
    is_holiday,
    local_instant,
    next_working_day,
    parse_time,
)

FORTNIGHT = timedelta(days=14)
HORIZON = timedelta(days=90)  # how far ahead meetings are planned

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
    days_off: tuple[str, ...] = DAYS_OFF  # 'MM-DD': treated like public holidays

    @property
    def signature(self) -> str:
        """What the plan depends on: when it changes, future meetings are planned anew."""
        if self.phase == 3:
            body = f"fortnightly:{self.weekday}:{self.anchor}:{self.time}"
        elif self.phase == 4:
            body = f"monthly:{self.monthly}:{self.time}"
        else:
            body = "none"
        off = ",".join(sorted(set(self.days_off)))
        return f"phase:{self.phase};{body};holidays:{self.holiday_policy};off:{off}"


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
    changed: bool = False  # a coordinator moved, cancelled or annotated it: never deleted
    moved: bool = False  # a coordinator moved it: a new rule keeps her start


@dataclass(frozen=True)
class Update:
    id: int
    key: str  # the new rule's key for the same local date
    starts_at: datetime  # the new start; a meeting a coordinator changed keeps hers


@dataclass(frozen=True)
class Replan:
    delete: tuple[int, ...]  # ids of future rule meetings the rule no longer gives
    insert: tuple[PlannedMeeting, ...]  # rule meetings not stored yet
    update: tuple[Update, ...] = ()  # stored meetings the new rule gives on the same date


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
        if is_holiday(day, rule.days_off):
            if rule.holiday_policy != NEXT_WORKING_DAY:
                continue
            day, moved_from = next_working_day(day, rule.days_off), day
        starts_at = local_instant(day, at, tz)
        if since < starts_at <= until:
            planned.append(PlannedMeeting(key, starts_at, moved_from))
    return planned


def key_day(key: str) -> date:
    """The local date in a rule key ('2026-05-13T18:00' -> 13 May 2026)."""
    return date.fromisoformat(key[:10])


def replan(
    existing: Iterable[ExistingMeeting], planned: Sequence[PlannedMeeting], now: datetime
) -> Replan:
    """What to change so that the stored future follows the plan; the past is never touched.

    `planned` should reach back before `now` (see REPLAN_BACK): a meeting is wanted when the
    rule gives its key's own date, even if a holiday or a coordinator moved it later.
    Stored and planned rule meetings are matched by that date: a match is updated in place
    (new key, new start) and keeps its id, answers, place, note and cancellation; a meeting a
    coordinator moved keeps her start. A future rule meeting on a date the rule no longer
    gives is deleted, unless a coordinator changed it. Single meetings always stay.
    """
    by_day = {key_day(m.key): m for m in planned}
    keys = {m.key for m in planned}
    taken: set[date] = set()
    delete, update = [], []
    # One that already has the new key is matched first: keys stay unique.
    for meeting in sorted(
        (m for m in existing if m.rule_key is not None),
        key=lambda m: (m.rule_key not in keys, m.starts_at, m.id),
    ):
        assert meeting.rule_key is not None
        day = key_day(meeting.rule_key)
        new = by_day.get(day)
        if meeting.starts_at <= now:
            taken.add(day)  # the past stays, and its date is not planned again
            continue
        if new is None or day in taken:
            if not meeting.changed:
                delete.append(meeting.id)
            continue
        taken.add(day)
        # Her start stays; so does one the new rule would put in the past (it is not moved
        # to before now).
        keep = meeting.moved or new.starts_at <= now
        starts_at = meeting.starts_at if keep else new.starts_at
        if new.key != meeting.rule_key or starts_at != meeting.starts_at:
            update.append(Update(meeting.id, new.key, starts_at))
    insert = tuple(m for m in planned if key_day(m.key) not in taken and m.starts_at > now)
    return Replan(tuple(delete), insert, tuple(update))


REPLAN_BACK = timedelta(days=21)  # a moved meeting's key lies at most this far before its start
