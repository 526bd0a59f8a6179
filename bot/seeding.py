"""The organisation file: districts, their groups' settings and locations, read from TOML.

A coordinator edits the file by hand, so every mistake is refused with the line it is on and a
reason she can act on, and nothing is guessed: an unknown key is a typo until proven otherwise,
and a file with one mistake is refused whole. The file's shape is documented in the README
("Organisation data"); `data/oslo-districts.toml` is a worked example.

Pure rules: text in, frozen values (the `storage.organisation` seeds) or a `SeedError` out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.days import OSLO
from bot.i18n import LOCALE_CODES
from bot.meetings.seed import parse_meetings
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

DEFAULT_LANGUAGE = "nb"

LOCATION_KEYS = ("id", "name", "address", "latitude", "longitude", "coordinates_source")
DISTRICT_KEYS = ("slug", "name", "phase", "default_language", "location", "chat_id", "meetings")
TOP_LEVEL_KEYS = ("location", "district", "session", "cohort", "evening")

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
            f"; the meeting rule set in the bot kept for {', '.join(counts.rules_kept)}"
            " (change the rule in the file to replace it)"
        )
    if counts.sessions_kept:
        # The same rule for a drop-in session a coordinator changed with /sessions.
        line += (
            f"; the session settings set in the bot kept for {', '.join(counts.sessions_kept)}"
            " (change the session in the file to replace them)"
        )
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
        for key, value in (
            ("slug", district.slug),
            ("name", district.name),
            ("chat_id", district.chat_id),
        ):
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
    meetings = parse_meetings(table, phase)
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
