"""Checks on a module evening before it is saved: the date and time a coordinator typed, and
what clashes with it (another evening of the cohort that day, a public holiday: the same
holiday rule of bot/days.py the meetings use, Christmas Eve and New Year's Eve included)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.days import DAYS_OFF, is_holiday, local_instant

LENGTHS = (90, 120, 150, 180)  # minutes, the buttons offered
_WHEN = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?\s+(\d{1,2})[:.](\d{2})\s*$")


class WhenProblem(StrEnum):
    UNREADABLE = "unreadable"  # not "24.09.2026 18:00"
    NO_SUCH_DATE = "no_such_date"  # 31.02, 24:00
    PAST = "past"


def parse_when(text: str, tz: ZoneInfo, now: datetime) -> datetime | WhenProblem:
    """ "24.09.2026 18:00" (or "24.09 18:00", this year or the next) as an instant in UTC."""
    match = _WHEN.match(text)
    if match is None:
        return WhenProblem.UNREADABLE
    day, month, year_text, hour, minute = match.groups()
    today = now.astimezone(tz).date()
    year = int(year_text) if year_text else today.year
    if year_text and len(year_text) == 2:
        year += 2000
    try:
        at = time(int(hour), int(minute))
        on = date(year, int(month), int(day))
        if not year_text and on < today:
            on = date(year + 1, int(month), int(day))
    except ValueError:
        return WhenProblem.NO_SUCH_DATE
    instant = local_instant(on, at, tz)
    return WhenProblem.PAST if instant <= now else instant


class Clash(StrEnum):
    SAME_DAY = "same_day"  # another evening of the cohort on that day
    HOLIDAY = "holiday"  # a Norwegian public holiday, or Christmas Eve / New Year's Eve


@dataclass(frozen=True)
class Warning:
    clash: Clash
    other: datetime | None = None  # the other evening's start, for SAME_DAY


def clashes(
    starts_at: datetime,
    others: Iterable[datetime],
    tz: ZoneInfo,
    days_off: Iterable[str] = DAYS_OFF,
) -> list[Warning]:
    """What the coordinator should know before she saves an evening at `starts_at`."""
    day = starts_at.astimezone(tz).date()
    found = [Warning(Clash.SAME_DAY, o) for o in others if o.astimezone(tz).date() == day]
    if is_holiday(day, days_off):
        found.append(Warning(Clash.HOLIDAY))
    return found
