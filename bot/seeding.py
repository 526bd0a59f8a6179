"""The organisation file: districts, their groups' settings and locations, read from TOML.

A coordinator edits the file by hand, so every mistake is refused with the line it is on and a
reason she can act on, and nothing is guessed: an unknown key is a typo until proven otherwise,
and a file with one mistake is refused whole. The file's shape is documented in the README
("Organisation data"); `data/oslo-districts.toml` is a worked example.

Pure rules: text in, frozen values (the `storage.organisation` seeds) or a `SeedError` out.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.i18n import LOCALE_CODES
from bot.meeting_plan import OSLO
from bot.toml_reader import (
    Checker,
    Table,
    TomlError,
    decode,
    first_use,
    is_int,
    load,
    locate,
    show,
    tables,
    top_level_line,
    unknown_key,
)
from storage.course.seed import CohortSeed, EveningSeed
from storage.dropin.sessions import SessionSeed
from storage.organisation import DistrictSeed, LocationSeed, SeedCounts, Tally

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
HOLIDAY_POLICIES = {"skip": "skip", "next-working-day": "next_working_day"}
DEFAULT_LANGUAGE = "nb"
DEFAULT_REMINDER_HOURS = (48, 3)
MAX_REMINDER_HOURS = 336  # two weeks: the longest a fortnightly group can be reminded ahead
MAX_MONTH_DAY = 28  # every month has it

LOCATION_KEYS = ("id", "name", "address", "latitude", "longitude", "coordinates_source")
DISTRICT_KEYS = ("slug", "name", "phase", "default_language", "location", "chat_id", "meetings")
MEETING_KEYS = (
    "time", "weekday", "anchor", "monthly", "holidays", "days_off", "reminder_hours",
)  # fmt: skip
DEFAULT_DAYS_OFF = ("12-24", "12-31")  # Christmas Eve and New Year's Eve: days off in Oslo
TOP_LEVEL_KEYS = ("location", "district", "session", "cohort", "evening")

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"\d{2}-\d{2}")
_MONTHLY = re.compile(rf"(?:({'|'.join(ORDINALS)}) ({'|'.join(WEEKDAYS)}))|(?:day (\d{{1,2}}))")
_LOCALES = {code.lower(): code for code in LOCALE_CODES}
# Telegram: chat ids have at most 52 significant bits.
_MIN_CHAT_ID = -(2**52)


# The organisation file's mistakes are the reader's (callers catch `SeedError`).
SeedError = TomlError


@dataclass(frozen=True)
class Seed:
    locations: tuple[LocationSeed, ...]
    districts: tuple[DistrictSeed, ...]
    cohorts: tuple[CohortSeed, ...] = ()  # the basic training (bot/course/seeding.py)
    evenings: tuple[EveningSeed, ...] = ()
    sessions: tuple[SessionSeed, ...] = ()  # drop-in sessions and activities (bot/dropin/seed.py)
    source: str = field(default="", compare=False)
    text: str = field(default="", repr=False, compare=False)

    def district_error(self, slug: str, key: str, reason: str) -> SeedError:
        """Point at `key` of the district `slug` (for what only the database can tell)."""
        index = next(i for i, district in enumerate(self.districts) if district.slug == slug)
        return SeedError(self.source, locate(self.text, "district", index, (key,)), reason)

    def session_error(self, slug: str, key: str, reason: str) -> SeedError:
        """Point at `key` of the session `slug` (a district or place the database lacks)."""
        index = next(i for i, session in enumerate(self.sessions) if session.slug == slug)
        return SeedError(self.source, locate(self.text, "session", index, (key,)), reason)


def read_seed(data: bytes, source: str) -> Seed:
    """Decode the file (UTF-8, with or without the byte-order mark Notepad adds) and parse it."""
    return parse_seed(decode(data, source), source)


def parse_seed(text: str, source: str) -> Seed:
    """Parse and validate the whole file; the first mistake in it (by line) is raised."""
    document = load(text, source)
    check = Checker(text)
    locations, location_ids = _locations(check, document)
    districts = _districts(check, document, location_ids)
    # Imported here: bot.dropin.seed and bot.course.seeding build on this module's checker.
    from bot.course.seeding import parse_course
    from bot.dropin.seed import parse_sessions

    sessions = parse_sessions(check, document)
    slugs = {district.slug for district in districts}
    cohorts, evenings = parse_course(check, document, slugs, location_ids, OSLO)
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            reason = unknown_key(key, TOP_LEVEL_KEYS, "at the top level")
            check.error(top_level_line(text, key), reason)
    if not check.errors and not locations and not districts and not sessions:
        check.error(1, "no [[district]] or [[location]] tables: nothing to seed")
    check.raise_first(source)
    return Seed(
        tuple(locations),
        tuple(districts),
        cohorts=tuple(cohorts),
        evenings=tuple(evenings),
        sessions=tuple(sessions),
        source=source,
        text=text,
    )


def summary(counts: SeedCounts) -> str:
    """One line for the operator: what the file created, changed and left alone."""
    line = f"{_tally(counts.districts, 'district')}, {_tally(counts.locations, 'location')}"
    if counts.sessions:
        line += f", {_plural(counts.sessions, 'session')} written"
    if counts.districts_kept:
        others = _plural(counts.districts_kept, "other district")
        line += f"; {others} in the database left untouched"
    if counts.rules_kept:
        # The coordinator's change in the bot is newer than the file's rule: it stays.
        line += (
            "; the meeting rule set in the bot kept for " + ", ".join(counts.rules_kept)
            + " (change the rule in the file to replace it)"
        )  # fmt: skip
    if counts.sessions_kept:
        # The same rule for a drop-in session a coordinator changed with /sessions.
        line += (
            "; the session settings set in the bot kept for " + ", ".join(counts.sessions_kept)
            + " (change the session in the file to replace them)"
        )  # fmt: skip
    return line


def _tally(tally: Tally, noun: str) -> str:
    return (
        f"{_plural(tally.total, noun)} ({tally.created} created, {tally.updated} updated, "
        f"{tally.unchanged} unchanged)"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _locations(check: Checker, document: dict[str, Any]) -> tuple[list[LocationSeed], set[str]]:
    """The valid locations, and every id the file names (so that a district pointing at a
    location with a mistake of its own is not blamed for it too)."""
    result: list[LocationSeed] = []
    named: set[str] = set()
    first_line: dict[str, int] = {}
    for index, data in enumerate(tables(check, document, "location")):
        if isinstance(data.get("id"), str):
            named.add(data["id"])
        table = Table(check, "location", index, data)
        location = _location(table)
        if location is None:
            continue
        if first_use(table, "id", location.id, first_line):
            result.append(location)
    return result, named


def _location(table: Table) -> LocationSeed | None:
    table.refuse_unknown(LOCATION_KEYS)
    location_id = table.slug("id")
    name = table.text("name", 100)
    address = table.text("address", 200)
    latitude = table.number("latitude", -90, 90)
    longitude = table.number("longitude", -180, 180)
    source = table.text("coordinates_source", 300, required=False)
    given = {"latitude": "latitude" in table.data, "longitude": "longitude" in table.data}
    if given["latitude"] != given["longitude"]:
        missing = "longitude" if given["latitude"] else "latitude"
        present = "latitude" if given["latitude"] else "longitude"
        table.fail(present, f"{present} needs {missing} too")
    elif given["latitude"] and "coordinates_source" not in table.data:
        table.fail(
            "latitude",
            "latitude and longitude need a coordinates_source saying where they come from "
            "(never invent coordinates)",
        )
    elif "coordinates_source" in table.data and not given["latitude"]:
        table.fail("coordinates_source", "coordinates_source without latitude and longitude")
    if table.failed or location_id is None or name is None or address is None:
        return None
    return LocationSeed(location_id, name, address, latitude, longitude, source)


def _districts(
    check: Checker, document: dict[str, Any], location_ids: set[str]
) -> list[DistrictSeed]:
    result: list[DistrictSeed] = []
    seen: dict[tuple[str, object], int] = {}
    for index, data in enumerate(tables(check, document, "district")):
        table = Table(check, "district", index, data)
        district = _district(table, location_ids)
        if district is None:
            continue
        for key, value in (("slug", district.slug), ("name", district.name),
                           ("chat_id", district.chat_id)):  # fmt: skip
            if value is None:
                continue
            if (key, value) in seen:
                table.fail(key, f"{key} {show(value)} is already used on line {seen[key, value]}")
            else:
                seen[key, value] = table.line(key)
        if not table.failed:
            result.append(district)
    return result


def _district(table: Table, location_ids: set[str]) -> DistrictSeed | None:
    table.refuse_unknown(DISTRICT_KEYS)
    slug = table.slug("slug")
    name = table.text("name", 100)
    phase = table.integer("phase", 1, 4)
    language = table.choice("default_language", _LOCALES.get, f"one of {', '.join(LOCALE_CODES)}")
    location = table.slug("location", required=False)
    if location is not None and location not in location_ids:
        table.fail(
            "location", f"location {show(location)} is not the id of a [[location]] in this file"
        )
    chat_id = table.get("chat_id", required=False)
    if chat_id is not None and not (is_int(chat_id) and _MIN_CHAT_ID <= chat_id <= -1):
        table.fail(
            "chat_id",
            f"chat_id must be the id of a Telegram group, a negative number such as "
            f"-1001234567890, got {show(chat_id)}",
        )
        chat_id = None
    meetings = _meetings(table, phase)
    if table.failed or slug is None or name is None or phase is None:
        return None
    return DistrictSeed(
        slug=slug,
        name=name,
        phase=phase,
        default_locale=language or DEFAULT_LANGUAGE,
        location_id=location,
        chat_id=chat_id,
        **meetings,
    )


def _meetings(district: Table, phase: int | None) -> dict[str, Any]:
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
        return DEFAULT_DAYS_OFF
    if not isinstance(value, list) or not all(
        isinstance(day, str) and _is_month_day(day) for day in value
    ):
        table.fail(
            "days_off",
            'days_off must be a list of "MM-DD" days, e.g. ["12-24", "12-31"], or [] for none, '
            f"got {show(value) if not isinstance(value, list) else value}",
        )
        return DEFAULT_DAYS_OFF
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
