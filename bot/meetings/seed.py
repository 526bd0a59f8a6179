"""The organisation file's `[district.meetings]` table: a group's meeting rule, checked the way
the whole file is (bot/seeding.py), and turned into the district's rule columns."""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from typing import Any

from bot.days import DAYS_OFF, HOLIDAY_POLICIES, WEEKDAYS
from bot.toml_reader import Table, is_int, show

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
DEFAULT_REMINDER_HOURS = (48, 3)
MAX_REMINDER_HOURS = 336  # two weeks: the longest a fortnightly group can be reminded ahead
MAX_MONTH_DAY = 28  # every month has it
MEETING_KEYS = ("time", "weekday", "anchor", "monthly", "holidays", "days_off", "reminder_hours")

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"\d{2}-\d{2}")
_MONTHLY = re.compile(rf"(?:({'|'.join(ORDINALS)}) ({'|'.join(WEEKDAYS)}))|(?:day (\d{{1,2}}))")


def parse_meetings(district: Table, phase: int | None) -> dict[str, Any]:
    """The [district.meetings] table as district columns; {} (no meetings yet) when absent."""
    data = district.data.get("meetings")
    if data is None:
        return {}
    if not isinstance(data, dict):
        district.fail("meetings", f"meetings must be a [district.meetings] table, got {show(data)}")
        return {}
    table = Table(district.check, "district", district.index, data, ("meetings",))
    table.refuse_unknown(MEETING_KEYS)
    meeting_time = table.choice("time", _parse_time, '"HH:MM" between "00:00" and "23:59"')
    if "time" not in data:
        table.missing("time")
    weekday = table.choice("weekday", _parse_weekday, f"a day in English ({', '.join(WEEKDAYS)})")
    anchor = _anchor(table, weekday)
    monthly = table.choice(
        "monthly", _parse_monthly, '"first|second|third|fourth|last <weekday>" or "day <1-28>"'
    )
    holidays = table.choice("holidays", HOLIDAY_POLICIES.get, '"skip" or "next-working-day"')
    hours = _reminder_hours(table)
    days_off = _days_off(table)
    if "weekday" not in data and "monthly" not in data:
        table.missing(
            "weekday" if "weekday" in table.misspelt else "monthly",
            f"{table.title} needs weekday and anchor (every second week) or monthly",
        )
    elif phase == 3 and "weekday" not in data:
        table.missing("weekday", "a phase 3 group meets every second week: set weekday and anchor")
    elif phase == 4 and "monthly" not in data:
        table.missing(
            "monthly", 'a phase 4 group meets monthly: set monthly, e.g. "first wednesday"'
        )
    district.failed = district.failed or table.failed
    return {
        "meeting_time": meeting_time,
        "meeting_weekday": weekday,
        "meeting_anchor": anchor.isoformat() if anchor else None,
        "monthly_rule": monthly,
        "holiday_policy": holidays or "skip",
        "reminder_hours": ",".join(str(hour) for hour in hours),
        "days_off": ",".join(days_off),
    }


def _anchor(table: Table, weekday: int | None) -> date | None:
    """The date of one fortnightly meeting: which weeks are meeting weeks."""
    value = table.data.get("anchor")
    if value is None:
        if "weekday" in table.data and "anchor" not in table.misspelt:
            table.fail(
                "weekday",
                "weekday needs an anchor: the date of one meeting (e.g. anchor = 2026-01-07), "
                "so the bot knows which weeks the group meets",
            )
        return None
    if "weekday" not in table.data and "weekday" not in table.misspelt:
        table.fail("anchor", "anchor needs a weekday")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        with contextlib.suppress(ValueError):  # e.g. 2026-02-30: refused below
            value = date.fromisoformat(value.strip())
    if isinstance(value, datetime) or not isinstance(value, date):
        table.fail("anchor", f"anchor must be a date like 2026-01-07, got {show(value)}")
        return None
    if weekday is not None and value.weekday() != weekday:
        table.fail(
            "anchor",
            f"anchor {value.isoformat()} is a {WEEKDAYS[value.weekday()]}, "
            f"not a {WEEKDAYS[weekday]}",
        )
    return value


def _reminder_hours(table: Table) -> tuple[int, ...]:
    value = table.data.get("reminder_hours")
    if value is None:
        return DEFAULT_REMINDER_HOURS
    if (
        not isinstance(value, list)
        or not value
        or not all(is_int(hour) and 1 <= hour <= MAX_REMINDER_HOURS for hour in value)
    ):
        table.fail(
            "reminder_hours",
            f"reminder_hours must be a list of whole hours 1-{MAX_REMINDER_HOURS} before the "
            f"meeting, e.g. [48, 3], got {show(value) if not isinstance(value, list) else value}",
        )
        return DEFAULT_REMINDER_HOURS
    repeated = sorted({hour for hour in value if value.count(hour) > 1})
    if repeated:
        table.fail("reminder_hours", f"reminder_hours lists {repeated[0]} twice")
    # Stored longest first, so [3, 48] and [48, 3] are the same setting.
    return tuple(sorted(set(value), reverse=True))


def _days_off(table: Table) -> tuple[str, ...]:
    """Days the group never meets though they are no public holiday, as 'MM-DD'; [] for none."""
    value = table.data.get("days_off")
    if value is None:
        return DAYS_OFF
    if not isinstance(value, list) or not all(
        isinstance(day, str) and _is_month_day(day) for day in value
    ):
        table.fail(
            "days_off",
            'days_off must be a list of "MM-DD" days, e.g. ["12-24", "12-31"], or [] for none, '
            f"got {show(value) if not isinstance(value, list) else value}",
        )
        return DAYS_OFF
    return tuple(sorted(set(value)))


def _is_month_day(value: str) -> bool:
    if not _MONTH_DAY.fullmatch(value):
        return False
    try:
        date(2024, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day
    except ValueError:
        return False
    return True


def _parse_time(value: str) -> str | None:
    return value if _TIME.fullmatch(value) else None


def _parse_weekday(value: str) -> int | None:
    return WEEKDAYS.index(value) if value in WEEKDAYS else None


def _parse_monthly(value: str) -> str | None:
    match = _MONTHLY.fullmatch(value)
    if match is None:
        return None
    if match.group(3) is not None:
        day = int(match.group(3))
        return f"day:{day}" if 1 <= day <= MAX_MONTH_DAY else None
    return f"weekday:{ORDINALS[match.group(1)]}:{WEEKDAYS.index(match.group(2))}"
