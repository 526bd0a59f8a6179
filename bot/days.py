"""Days and times in Oslo: the time zone, Norway's public holidays and a district's own days
off, working days, and a local wall-clock time turned into a UTC instant.

Shared by every feature that plans on the calendar (meetings, drop-in sessions, course
evenings). A wall-clock time stays at 18:00 across the daylight-saving change; what leaves here
are UTC instants, never naive datetimes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from bot.config import DEFAULT_TZ

OSLO = ZoneInfo(DEFAULT_TZ)  # the one setting: bot/config.py
DAYS_OFF = ("12-24", "12-31")  # Oslo keeps Christmas Eve and New Year's Eve free
# What a group does when its meeting (or session) falls on a holiday.
SKIP = "skip"
NEXT_WORKING_DAY = "next_working_day"
# The organisation file's words (bot/seeding.py): weekdays in English, 0 = Monday.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOLIDAY_POLICIES = {"skip": SKIP, "next-working-day": NEXT_WORKING_DAY}

_DAY_OFF = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@cache
def _norwegian_holidays(year: int) -> frozenset[date]:
    # Sundays are not "holidays" here: a group that meets on Sundays meets on Sundays.
    return frozenset(holidays.country_holidays("NO", years=year, include_sundays=False))


def is_holiday(day: date, days_off: Iterable[str] = ()) -> bool:
    """A public holiday, or one of the district's own days off ('MM-DD')."""
    return day in _norwegian_holidays(day.year) or f"{day:%m-%d}" in set(days_off)


def is_working_day(day: date, days_off: Iterable[str] = ()) -> bool:
    return day.weekday() < 5 and not is_holiday(day, days_off)


def next_working_day(day: date, days_off: Iterable[str] = ()) -> date:
    """The first working day (Monday to Friday, not a public holiday or day off) after `day`."""
    off = set(days_off)
    day += timedelta(days=1)
    while not is_working_day(day, off):
        day += timedelta(days=1)
    return day


def parse_days_off(value: str | None) -> tuple[str, ...]:
    """'12-24,12-31' -> ('12-24', '12-31'); nonsense is dropped, never guessed."""
    found = {part.strip() for part in (value or "").split(",")}
    return tuple(sorted(day for day in found if _DAY_OFF.fullmatch(day)))


def parse_time(value: str | None) -> time | None:
    match = _TIME.fullmatch(value or "")
    return time(int(match[1]), int(match[2])) if match else None


def local_instant(day: date, at: time, tz: ZoneInfo = OSLO) -> datetime:
    """The UTC instant of a local wall-clock time on a day."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
