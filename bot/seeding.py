"""The organisation file: districts, their groups' settings and locations, read from TOML.

A coordinator edits the file by hand, so every mistake is refused with the line it is on and a
reason she can act on, and nothing is guessed: an unknown key is a typo until proven otherwise,
and a file with one mistake is refused whole. The file's shape is documented in the README
("Organisation data"); `data/oslo-districts.toml` is a worked example.

Pure rules: text in, frozen values (the `storage.organisation` seeds) or a `SeedError` out.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import json
import math
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.i18n import LOCALE_CODES
from bot.meeting_plan import OSLO
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

_SLUG = re.compile(r"[a-z0-9-]{1,40}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"\d{2}-\d{2}")
_MONTHLY = re.compile(rf"(?:({'|'.join(ORDINALS)}) ({'|'.join(WEEKDAYS)}))|(?:day (\d{{1,2}}))")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_AT_END = " (at end of document)"
_UNQUOTED_TIME = re.compile(r"=\s*\d{1,2}:\d{2}\s*(#.*)?$")
_LOCALES = {code.lower(): code for code in LOCALE_CODES}
# Telegram: chat ids have at most 52 significant bits.
_MIN_CHAT_ID = -(2**52)


class SeedError(ValueError):
    """A file the seed refuses: where (1-based line) and why, as `file:line: reason`."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}:{line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


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
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SeedError(source, line, "the file is not UTF-8 text: save it as UTF-8") from None
    return parse_seed(text, source)


def parse_seed(text: str, source: str) -> Seed:
    """Parse and validate the whole file; the first mistake in it (by line) is raised."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(text, source, str(exc)) from None
    check = _Checker(text)
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
            reason = _unknown(key, TOP_LEVEL_KEYS, "at the top level")
            check.error(_top_level_line(text, key), reason)
    if not check.errors and not locations and not districts and not sessions:
        check.error(1, "no [[district]] or [[location]] tables: nothing to seed")
    if check.errors:
        line, reason = min(check.errors, key=lambda error: error[0])
        raise SeedError(source, line, reason)
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


# -- syntax --------------------------------------------------------------------------------------


def _syntax_error(text: str, source: str, message: str) -> SeedError:
    """tomllib's message ends in '(at line L, column C)'; say it the way every other error is."""
    position = _TOML_POSITION.search(message)
    if position:
        line = int(position.group(1))
        reason = f"{message[: position.start()]} (column {position.group(2)})"
    elif message.endswith(_TOML_AT_END):
        line = len(text.rstrip("\n").split("\n"))
        reason = f"{message.removesuffix(_TOML_AT_END)} at the end of the file"
    else:
        line, reason = 1, message
    lines = text.split("\n")
    if 0 < line <= len(lines) and _UNQUOTED_TIME.search(lines[line - 1]):
        reason += ': write times in quotes, e.g. "18:00"'
    return SeedError(source, line, f"not valid TOML: {reason}")


# -- finding lines -------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]]+?)\s*(\]\]|\])\s*(?:#.*)?$")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    table: str  # the [[table]] it belongs to ("" before the first header)
    index: int  # which [[table]] of that name, from 0 (-1 for a plain [table])
    sub: tuple[str, ...]  # the sub-table inside it, e.g. ("meetings",)
    is_header: bool


def _lines(text: str) -> list[_Line]:
    """Every line with the table it belongs to, as tomllib would file it.

    Good enough for pointing at a mistake: lines inside multi-line strings are skipped, and dotted
    headers are split on dots (a quoted key with a dot in it would be misread).
    """
    counts: dict[str, int] = {}
    table, index, sub = "", -1, tuple[str, ...]()
    open_string: str | None = None
    result: list[_Line] = []
    # tomllib counts lines by "\n" only; str.splitlines would also split on \x0b, \u2028, ...
    for number, line in enumerate(text.split("\n"), start=1):
        if open_string is not None:
            if line.count(open_string) % 2 == 1:
                open_string = None
            result.append(_Line(number, line, table, index, sub, is_header=False))
            continue
        header = _HEADER.match(line)
        if header:
            parts = tuple(part.strip().strip("\"'") for part in header.group(2).split("."))
            if header.group(1) == "[[" and len(parts) == 1:
                counts[parts[0]] = counts.get(parts[0], -1) + 1
                table, index, sub = parts[0], counts[parts[0]], ()
            elif parts[0] == table and index >= 0:
                sub = parts[1:]
            else:
                table, index, sub = parts[0], -1, parts[1:]
            result.append(_Line(number, line, table, index, sub, is_header=True))
            continue
        for quotes in ('"""', "'''"):
            if line.count(quotes) % 2 == 1:
                open_string = quotes
                break
        result.append(_Line(number, line, table, index, sub, is_header=False))
    return result


def _key_pattern(path: tuple[str, ...]) -> re.Pattern[str]:
    dotted = r"\s*\.\s*".join(rf"([\"']?){re.escape(part)}\{i + 1}" for i, part in enumerate(path))
    return re.compile(rf"^\s*{dotted}\s*=")


def locate(text: str, table: str, index: int, path: tuple[str, ...] = ()) -> int:
    """The line of `path` (e.g. ("meetings", "time")) in the `index`-th [[table]] of `text`.

    Falls back to the nearest thing that exists: the sub-table or the inline table holding the
    key, else the block's [[table]] header, else line 1.
    """
    block = [line for line in _lines(text) if line.table == table and line.index == index]
    if not block:
        return 1
    for depth in range(len(path), 0, -1):
        wanted = path[:depth]
        for line in block:
            if line.is_header:
                if line.sub == wanted:
                    return line.number
            elif (
                wanted[: len(line.sub)] == line.sub
                and len(line.sub) < depth
                and _key_pattern(wanted[len(line.sub) :]).match(line.text)
            ):
                return line.number
    return block[0].number


def _top_level_line(text: str, key: str) -> int:
    for line in _lines(text):
        if line.is_header and line.table == key and not line.sub:
            return line.number
        if line.table == "" and not line.is_header and _key_pattern((key,)).match(line.text):
            return line.number
    return 1


# -- validation ----------------------------------------------------------------------------------


class _Checker:
    """Collects every mistake with its line, so the earliest one can be reported."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[tuple[int, str]] = []

    def error(self, line: int, reason: str) -> None:
        self.errors.append((line, reason))


class _Table:
    """One [[location]], [[district]] or [district.meetings] table, read key by key."""

    def __init__(
        self, check: _Checker, table: str, index: int, data: dict[str, Any],
        prefix: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        self.check = check
        self.table = table
        self.index = index
        self.data = data
        self.prefix = prefix
        self.failed = False
        # Known keys an unknown key looks like a typo of: their absence needs no second error.
        self.misspelt: set[str] = set()

    @property
    def title(self) -> str:
        return f"[{self.table}.{'.'.join(self.prefix)}]" if self.prefix else f"[[{self.table}]]"

    def line(self, key: str | None = None) -> int:
        path = self.prefix if key is None else (*self.prefix, key)
        return locate(self.check.text, self.table, self.index, path)

    def fail(self, key: str | None, reason: str) -> None:
        self.failed = True
        self.check.error(self.line(key), reason)

    def refuse_unknown(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in known:
                self.fail(key, _unknown(key, known, f"in {self.title}"))
                self.misspelt.update(difflib.get_close_matches(key, known, n=1))

    def get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.missing(key)
        return value

    def missing(self, what: str, reason: str | None = None) -> None:
        """A required key is absent; said on the table's header line, unless a misspelt key
        already explains it."""
        if what in self.misspelt:
            self.failed = True
        else:
            self.fail(None, reason or f"{self.title} is missing {what}")

    def text(self, key: str, max_length: int, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"{key} must be text in quotes, got {_show(value)}")
            return None
        value = value.strip()
        if not 1 <= len(value) <= max_length or "\n" in value:
            self.fail(key, f"{key} must be one line of 1-{max_length} characters")
            return None
        return value

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not _SLUG.fullmatch(value):
            self.fail(key, f"{key} must be 1-40 characters of a-z, 0-9 and '-', got {_show(value)}")
            return None
        return value

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.get(key, required=True)
        if value is None:
            return None
        if not _is_int(value) or not low <= value <= high:
            self.fail(key, f"{key} must be {low}-{high}, got {_show(value)}")
            return None
        return int(value)

    def number(self, key: str, low: float, high: float) -> float | None:
        value = self.get(key, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"{key} must be a number, got {_show(value)}")
            return None
        if math.isnan(value) or not low <= value <= high:
            self.fail(key, f"{key} must be between {low:g} and {high:g}, got {value}")
            return None
        return float(value)

    def choice(self, key: str, parse: Callable[[str], Any], expected: str) -> Any:
        """A text value turned into a column value by `parse` (None: not one of `expected`)."""
        value = self.get(key, required=False)
        if value is None:
            return None
        parsed = parse(" ".join(value.lower().split())) if isinstance(value, str) else None
        if parsed is None:
            self.fail(key, f"{key} must be {expected}, got {_show(value)}")
        return parsed


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _unknown(key: str, known: Sequence[str], where: str) -> str:
    reason = f"unknown key {_show(key)} {where}"
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"{reason}: did you mean {close[0]}?"
    return f"{reason} (known keys: {', '.join(known)})"


def _tables(check: _Checker, document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The [[name]] tables of the document, or none (and a mistake) if written another way."""
    value = document.get(name, [])
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    check.error(
        _top_level_line(check.text, name),
        f"{name} must be written as [[{name}]] tables (two square brackets), one per {name}",
    )
    return []


def _locations(check: _Checker, document: dict[str, Any]) -> tuple[list[LocationSeed], set[str]]:
    """The valid locations, and every id the file names (so that a district pointing at a
    location with a mistake of its own is not blamed for it too)."""
    result: list[LocationSeed] = []
    named: set[str] = set()
    first_line: dict[str, int] = {}
    for index, data in enumerate(_tables(check, document, "location")):
        if isinstance(data.get("id"), str):
            named.add(data["id"])
        table = _Table(check, "location", index, data)
        location = _location(table)
        if location is None:
            continue
        if location.id in first_line:
            table.fail(
                "id", f"id {_show(location.id)} is already used on line {first_line[location.id]}"
            )
            continue
        first_line[location.id] = table.line("id")
        result.append(location)
    return result, named


def _location(table: _Table) -> LocationSeed | None:
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
    check: _Checker, document: dict[str, Any], location_ids: set[str]
) -> list[DistrictSeed]:
    result: list[DistrictSeed] = []
    seen: dict[tuple[str, object], int] = {}
    for index, data in enumerate(_tables(check, document, "district")):
        table = _Table(check, "district", index, data)
        district = _district(table, location_ids)
        if district is None:
            continue
        for key, value in (("slug", district.slug), ("name", district.name),
                           ("chat_id", district.chat_id)):  # fmt: skip
            if value is None:
                continue
            if (key, value) in seen:
                table.fail(key, f"{key} {_show(value)} is already used on line {seen[key, value]}")
            else:
                seen[key, value] = table.line(key)
        if not table.failed:
            result.append(district)
    return result


def _district(table: _Table, location_ids: set[str]) -> DistrictSeed | None:
    table.refuse_unknown(DISTRICT_KEYS)
    slug = table.slug("slug")
    name = table.text("name", 100)
    phase = table.integer("phase", 1, 4)
    language = table.choice("default_language", _LOCALES.get, f"one of {', '.join(LOCALE_CODES)}")
    location = table.slug("location", required=False)
    if location is not None and location not in location_ids:
        table.fail(
            "location", f"location {_show(location)} is not the id of a [[location]] in this file"
        )
    chat_id = table.get("chat_id", required=False)
    if chat_id is not None and not (_is_int(chat_id) and _MIN_CHAT_ID <= chat_id <= -1):
        table.fail(
            "chat_id",
            f"chat_id must be the id of a Telegram group, a negative number such as "
            f"-1001234567890, got {_show(chat_id)}",
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


def _meetings(district: _Table, phase: int | None) -> dict[str, Any]:
    """The [district.meetings] table as district columns; {} (no meetings yet) when absent."""
    data = district.data.get("meetings")
    if data is None:
        return {}
    if not isinstance(data, dict):
        district.fail(
            "meetings", f"meetings must be a [district.meetings] table, got {_show(data)}"
        )
        return {}
    table = _Table(district.check, "district", district.index, data, ("meetings",))
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


def _anchor(table: _Table, weekday: int | None) -> date | None:
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
        table.fail("anchor", f"anchor must be a date like 2026-01-07, got {_show(value)}")
        return None
    if weekday is not None and value.weekday() != weekday:
        table.fail(
            "anchor",
            f"anchor {value.isoformat()} is a {WEEKDAYS[value.weekday()]}, "
            f"not a {WEEKDAYS[weekday]}",
        )
    return value


def _reminder_hours(table: _Table) -> tuple[int, ...]:
    value = table.data.get("reminder_hours")
    if value is None:
        return DEFAULT_REMINDER_HOURS
    if (
        not isinstance(value, list)
        or not value
        or not all(_is_int(hour) and 1 <= hour <= MAX_REMINDER_HOURS for hour in value)
    ):
        table.fail(
            "reminder_hours",
            f"reminder_hours must be a list of whole hours 1-{MAX_REMINDER_HOURS} before the "
            f"meeting, e.g. [48, 3], got {_show(value) if not isinstance(value, list) else value}",
        )
        return DEFAULT_REMINDER_HOURS
    repeated = sorted({hour for hour in value if value.count(hour) > 1})
    if repeated:
        table.fail("reminder_hours", f"reminder_hours lists {repeated[0]} twice")
    # Stored longest first, so [3, 48] and [48, 3] are the same setting.
    return tuple(sorted(set(value), reverse=True))


def _days_off(table: _Table) -> tuple[str, ...]:
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
            f"got {_show(value) if not isinstance(value, list) else value}",
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
