"""The [[session]] tables of the organisation file: drop-in sessions and local activities.

Checked by the one TOML reader (`bot.toml_reader`), as `bot.seeding` checks districts (the
same line-aware mistakes, a misspelt key or weekday gets a suggestion), and called from
`bot.seeding.parse_seed`, so one file loads whole or not at all. The README's "Organisation
data" shows the keys.
"""

from __future__ import annotations

import contextlib
import difflib
from datetime import date
from typing import Any

from bot.days import HOLIDAY_POLICIES, WEEKDAYS
from bot.dropin.plan import KINDS
from bot.i18n import LOCALE_CODES
from bot.toml_reader import Checker, Table, first_use, is_int, show, tables
from storage.dropin.sessions import SessionSeed

SESSION_KEYS = (
    "id",
    "district",
    "location",
    "kind",
    "weekday",
    "start",
    "end",
    "valid_from",
    "valid_to",
    "languages",
    "holidays",
    "min_on_duty",
    "max_on_duty",
    "withdraw_hours",
    "cancelled",
    "extra",
)
KIND_NAMES = {"drop-in": "dropin", **{k: k for k in KINDS if k != "dropin"}}
_LOCALES = {code.lower(): code for code in LOCALE_CODES}


def parse_sessions(check: Checker, document: dict[str, Any]) -> list[SessionSeed]:
    """The valid sessions; a district or location that is in neither the file nor the
    database is refused when the file is applied (`session_error` points at it)."""
    result: list[SessionSeed] = []
    seen: dict[str, int] = {}
    for index, data in enumerate(tables(check, document, "session")):
        table = Table(check, "session", index, data)
        session = _session(table)
        if session is None:
            continue
        if first_use(table, "id", session.slug, seen):
            result.append(session)
    return result


def _session(table: Table) -> SessionSeed | None:
    table.refuse_unknown(SESSION_KEYS)
    slug = table.slug("id")
    district = table.slug("district")
    location = table.slug("location")
    kind = table.choice("kind", KIND_NAMES.get, f"one of {', '.join(KIND_NAMES)}")
    if "kind" not in table.data:
        table.missing("kind")
    weekday = _weekday(table)
    start = _time(table, "start")
    end = _time(table, "end")
    if start is not None and end is not None and end <= start:
        table.fail("end", f"end {end} is not after start {start}")
    valid_from = _date(table, "valid_from", required=True)
    valid_to = _date(table, "valid_to", required=False)
    if valid_from and valid_to and valid_to < valid_from:
        table.fail("valid_to", f"valid_to {valid_to} is before valid_from {valid_from}")
    languages = _languages(table)
    holidays = table.choice("holidays", HOLIDAY_POLICIES.get, '"skip" or "next-working-day"')
    low = _count(table, "min_on_duty", 0, 2)
    high = _count(table, "max_on_duty", 1, 4)
    if low is not None and high is not None and low > high:
        table.fail("min_on_duty", f"min_on_duty {low} is above max_on_duty {high}")
    withdraw = _count(table, "withdraw_hours", 0, 24, highest=24 * 14)
    exceptions = _exceptions(table)
    if table.failed or None in (slug, district, location, kind, weekday, start, end, valid_from):
        return None
    assert slug and district and location and kind and start and end and valid_from
    assert weekday is not None and low is not None and high is not None and withdraw is not None
    return SessionSeed(
        slug=slug,
        district_slug=district,
        location_id=location,
        kind=kind,
        weekday=weekday,
        starts=start,
        ends=end,
        valid_from=valid_from.isoformat(),
        valid_to=valid_to.isoformat() if valid_to else None,
        languages=",".join(languages),
        holiday_policy=holidays or "skip",
        min_on_duty=low,
        max_on_duty=high,
        withdraw_hours=withdraw,
        exceptions=exceptions,
    )


def _weekday(table: Table) -> int | None:
    value = table.get("weekday", required=True)
    if value is None:
        return None
    word = value.strip().lower() if isinstance(value, str) else None
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    close = difflib.get_close_matches(word or "", WEEKDAYS, n=1)
    hint = f": did you mean {close[0]}?" if close else f" ({', '.join(WEEKDAYS)})"
    table.fail("weekday", f"weekday must be a day in English, got {show(value)}{hint}")
    return None


def _time(table: Table, key: str) -> str | None:
    value = table.get(key, required=True)
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        hours, minutes = value[:2], value[3:]
        if hours.isdecimal() and minutes.isdecimal() and int(hours) < 24 and int(minutes) < 60:
            return value
    table.fail(key, f'{key} must be "HH:MM" between "00:00" and "23:59", got {show(value)}')
    return None


def _date(table: Table, key: str, *, required: bool) -> date | None:
    value = table.get(key, required=required)
    if value is None:
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    if not isinstance(value, date) or hasattr(value, "hour"):
        table.fail(key, f"{key} must be a date like 2026-01-07, got {show(value)}")
        return None
    return value


def _languages(table: Table) -> tuple[str, ...]:
    value = table.get("languages", required=False)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.lower() in _LOCALES for v in value
    ):
        table.fail(
            "languages",
            f"languages must be a list of language codes ({', '.join(LOCALE_CODES)}), "
            f"got {show(value) if not isinstance(value, list) else value}",
        )
        return ()
    return tuple(dict.fromkeys(_LOCALES[v.lower()] for v in value))


def _count(table: Table, key: str, low: int, default: int, highest: int = 50) -> int | None:
    value = table.data.get(key)
    if value is None:
        return default
    if not is_int(value) or not low <= value <= highest:
        table.fail(key, f"{key} must be a whole number {low}-{highest}, got {show(value)}")
        return None
    return int(value)


def _exceptions(table: Table) -> tuple[tuple[str, str, str | None], ...]:
    """cancelled = [{ date = 2026-12-23, reason = "..." }], extra = [2026-12-28]."""
    found: list[tuple[str, str, str | None]] = []
    cancelled = table.data.get("cancelled", [])
    extra = table.data.get("extra", [])
    if not isinstance(cancelled, list) or not all(
        isinstance(c, dict)
        and isinstance(c.get("date"), date)
        and set(c) <= {"date", "reason"}
        and isinstance(c.get("reason", ""), str)
        for c in cancelled
    ):
        table.fail(
            "cancelled",
            'cancelled must be a list like [{ date = 2026-12-23, reason = "Christmas" }]',
        )
    else:
        found += [(c["date"].isoformat(), "cancelled", c.get("reason")) for c in cancelled]
    if not isinstance(extra, list) or not all(isinstance(d, date) for d in extra):
        table.fail("extra", "extra must be a list of dates like [2026-12-28]")
    else:
        found += [(d.isoformat(), "extra", None) for d in extra]
    days = [day for day, _, _ in found]
    twice = sorted({day for day in days if days.count(day) > 1})
    if twice:
        table.fail("extra", f"{twice[0]} is both cancelled and extra, or listed twice")
    return tuple(found)
