"""The drop-in planner: a weekly session rule with its exceptions, turned into dated occurrences.

Pure functions of plain values. A session is a local wall-clock rule in Europe/Oslo ("every
Wednesday 12:00-15:00"), so it stays at 12:00 across the daylight-saving change; occurrences
carry UTC instants, never naive datetimes. A public holiday (bot/days.py, the meetings' rule, with
the district's own days off) skips the occurrence or moves it to the next working day; a
cancelled date stays in the list, marked, so that a woman reads "cancelled this week" instead of
wondering; an extra date is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.days import (
    DAYS_OFF,
    NEXT_WORKING_DAY,
    OSLO,
    SKIP,
    is_holiday,
    local_instant,
    next_working_day,
)
from bot.i18n import N_

CANCELLED = "cancelled"
EXTRA = "extra"
HOLIDAY_POLICIES = (SKIP, NEXT_WORKING_DAY)

# The kinds of session, with the label women read (a message id). The 2016 report lists these
# activities: the library drop-in, exercise groups, gatherings for isolated women at home and
# for the elderly, groups for women and children.
KINDS: dict[str, str] = {
    "dropin": N_("Drop-in: talk to a bydelsmor"),
    "exercise": N_("Exercise group for women"),
    "home": N_("Coffee for women at home"),
    "elderly": N_("Gathering for the elderly"),
    "children": N_("Women and children together"),
}


@dataclass(frozen=True)
class SessionRule:
    weekday: int  # 0 = Monday
    starts: time  # local
    ends: time  # local, after starts
    valid_from: date
    valid_to: date | None = None
    holiday_policy: str = SKIP
    days_off: tuple[str, ...] = DAYS_OFF


@dataclass(frozen=True)
class SessionException:
    day: date
    kind: str  # CANCELLED or EXTRA
    reason: str | None = None


@dataclass(frozen=True)
class Occurrence:
    day: date  # local date it takes place on
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    cancelled: bool = False
    reason: str | None = None  # why it was cancelled, as the coordinator wrote it
    moved_from: date | None = None  # the holiday it was moved away from
    extra: bool = False


def rule_dates(rule: SessionRule, first: date, last: date) -> list[date]:
    """The rule's weekdays between first and last (inclusive), within its validity."""
    start = max(first, rule.valid_from)
    end = last if rule.valid_to is None else min(last, rule.valid_to)
    day = start + timedelta(days=(rule.weekday - start.weekday()) % 7)
    found = []
    while day <= end:
        found.append(day)
        day += timedelta(days=7)
    return found


def occurrences(
    rule: SessionRule,
    exceptions: Iterable[SessionException],
    first: date,
    last: date,
    tz: ZoneInfo = OSLO,
) -> list[Occurrence]:
    """The occurrences on local dates first..last, in order, holidays and exceptions applied."""
    by_day = {e.day: e for e in exceptions}
    days: dict[date, tuple[date | None, bool]] = {}
    # A week of slack: a holiday before `first` can move an occurrence into the range.
    for day in rule_dates(rule, first - timedelta(days=7), last):
        moved_from = None
        if is_holiday(day, rule.days_off):
            if rule.holiday_policy != NEXT_WORKING_DAY:
                continue
            day, moved_from = next_working_day(day, rule.days_off), day
        days.setdefault(day, (moved_from, False))
    for extra_day in (e.day for e in by_day.values() if e.kind == EXTRA):
        days.setdefault(extra_day, (None, True))
    found = []
    for day in sorted(days):
        if not first <= day <= last:
            continue
        moved_from, extra = days[day]
        marked = by_day.get(day)
        cancelled = marked is not None and marked.kind == CANCELLED
        found.append(
            Occurrence(
                day,
                local_instant(day, rule.starts, tz),
                local_instant(day, rule.ends, tz),
                cancelled,
                marked.reason if cancelled and marked else None,
                moved_from,
                extra,
            )
        )
    return found


def upcoming(
    rule: SessionRule,
    exceptions: Iterable[SessionException],
    now: datetime,
    days: int,
    tz: ZoneInfo = OSLO,
) -> list[Occurrence]:
    """Occurrences that have not ended yet, in the next `days` days."""
    if now.tzinfo is None:
        raise ValueError("refusing to plan with a naive datetime")
    today = now.astimezone(tz).date()
    return [
        o
        for o in occurrences(rule, exceptions, today, today + timedelta(days=days), tz)
        if o.ends_at > now
    ]


def occurrence_on(
    rule: SessionRule, exceptions: Iterable[SessionException], day: date, tz: ZoneInfo = OSLO
) -> Occurrence | None:
    """The occurrence on this local date, if the rule (or an extra date) gives one."""
    found = occurrences(rule, exceptions, day, day, tz)
    return found[0] if found else None


def hours(occurrence: Occurrence) -> float:
    """Its length in hours (a real length: 23 or 25-hour days never matter for a session)."""
    return (occurrence.ends_at - occurrence.starts_at).total_seconds() / 3600


def day_key(day: date) -> str:
    """The compact date used in button data: 2026-12-09 -> '20261209'."""
    return f"{day:%Y%m%d}"


def parse_day_key(text: str) -> date | None:
    if len(text) != 8 or not text.isdecimal():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
