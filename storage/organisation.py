"""Organisation data from a seed file: districts with their group settings, and locations.

`bydelsbot seed FILE` hands the validated file to `apply_seed`, which writes all of it in one
transaction: a file either lands whole or not at all. Rows are matched by slug (districts) and id
(locations), so running the same file twice changes nothing the second time. Districts missing
from the file are never deleted: deleting one would cascade to its members, invites and history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database, StorageError, Transaction
from storage.dropin.sessions import SessionSeed, apply_session_seeds
from storage.meetings.rules import RULE_COLUMNS


@dataclass(frozen=True)
class LocationSeed:
    id: str
    name: str
    address: str
    # Either all three or none: coordinates are never stored without where they came from.
    latitude: float | None = None
    longitude: float | None = None
    coordinates_source: str | None = None


@dataclass(frozen=True)
class DistrictSeed:
    """One district's row, in the columns' own vocabulary (see 0002_organisation.sql)."""

    slug: str
    name: str
    phase: int
    default_locale: str = "nb"
    location_id: str | None = None
    meeting_weekday: int | None = None  # 0 = Monday
    meeting_time: str | None = None  # 'HH:MM', Europe/Oslo wall clock
    meeting_anchor: str | None = None  # ISO date of one fortnightly meeting
    monthly_rule: str | None = None  # 'weekday:<n>:<weekday>' or 'day:<d>'
    holiday_policy: str = "skip"
    reminder_hours: str = "48,3"
    days_off: str = "12-24,12-31"  # 'MM-DD,...': treated like public holidays; '' for none
    # None keeps whatever group chat is linked already, so an old file never unlinks a group.
    chat_id: int | None = None


@dataclass(frozen=True)
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class SeedCounts:
    districts: Tally
    locations: Tally
    districts_kept: int  # districts in the database that the file does not mention
    sessions: int = 0  # drop-in sessions and activities written
    # Districts whose meeting rule a coordinator set in the bot after the file's rule, which the
    # file has not changed since: the bot's (newer) rule was kept.
    rules_kept: tuple[str, ...] = ()
    # Drop-in sessions changed with /sessions after the file last set them, the same way.
    sessions_kept: tuple[str, ...] = ()


class SeedConflict(StorageError):
    """The file is valid on its own but clashes with the database (a group chat linked to a
    district the file does not mention). `slug` and `key` say where in the file."""

    def __init__(self, slug: str, key: str, reason: str) -> None:
        super().__init__(reason)
        self.slug = slug
        self.key = key
        self.reason = reason


_LOCATION_FIELDS = ("name", "address", "latitude", "longitude", "coordinates_source")
# The meeting rule's columns (RULE_COLUMNS) come last: a coordinator may also set them in the bot.
_DISTRICT_FIELDS = ("name", "phase", "default_locale", "location_id", *RULE_COLUMNS)
_SELECT_DISTRICTS = (
    f"SELECT id, slug, chat_id, seeded_rule, rule_changed_at, {', '.join(_DISTRICT_FIELDS)} "  # noqa: S608
    "FROM districts"
)


def _rule_json(values: Sequence[Any]) -> str:
    return json.dumps(list(values), separators=(",", ":"), ensure_ascii=False)


def _bot_rule_stands(old: sqlite3.Row, wanted: dict[str, Any]) -> bool:
    """A rule set in the bot stands unless the file's rule changed since the seed last wrote it:
    the newer change wins, and a seed run that repeats an old file never undoes it."""
    if old["rule_changed_at"] is None:
        return False
    seeded = json.loads(old["seeded_rule"]) if old["seeded_rule"] else None
    return seeded == [wanted[field] for field in RULE_COLUMNS]


async def apply_seed(
    db: Database,
    locations: Sequence[LocationSeed],
    districts: Sequence[DistrictSeed],
    now: datetime,
    sessions: Sequence[SessionSeed] = (),
    also: Callable[[Transaction], Awaitable[object]] | None = None,
) -> SeedCounts:
    """Create or update every location and district in one transaction; count what changed.

    A phase changed by the file is recorded in phase_changes (by nobody: `changed_by` NULL) at
    `now`, as a phase changed in the bot is.
    """
    try:
        async with db.transaction() as tx:
            location_tally = await _apply_locations(tx, locations)
            district_tally, kept, rules_kept = await _apply_districts(tx, districts, now)
            written = await apply_session_seeds(tx, sessions, now)
            if also is not None:  # more of the same file (the course's cohorts), all or nothing
                await also(tx)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot write the seed to {db.path}: {exc}") from None
    return SeedCounts(
        district_tally, location_tally, kept, written.written, tuple(rules_kept), written.kept
    )


async def _apply_locations(tx: Transaction, locations: Sequence[LocationSeed]) -> Tally:
    created = updated = unchanged = 0
    for loc in locations:
        wanted = tuple(getattr(loc, field) for field in _LOCATION_FIELDS)
        row = await tx.fetch_one(
            "SELECT name, address, latitude, longitude, coordinates_source "
            "FROM locations WHERE id = ?",
            (loc.id,),
        )
        if row is None:
            await tx.execute(
                "INSERT INTO locations (id, name, address, latitude, longitude, "
                "coordinates_source) VALUES (?, ?, ?, ?, ?, ?)",
                (loc.id, *wanted),
            )
            created += 1
        elif tuple(row) != wanted:
            await tx.execute(
                "UPDATE locations SET name = ?, address = ?, latitude = ?, longitude = ?, "
                "coordinates_source = ? WHERE id = ?",
                (*wanted, loc.id),
            )
            updated += 1
        else:
            unchanged += 1
    return Tally(created, updated, unchanged)


async def _apply_districts(
    tx: Transaction, districts: Sequence[DistrictSeed], now: datetime
) -> tuple[Tally, int, list[str]]:
    rows = await tx.fetch_all(_SELECT_DISTRICTS)
    existing = {row["slug"]: row for row in rows}
    _check_chats(existing, districts)
    # A file may move a chat from one district to another; clearing the moved links first keeps
    # the unique index on chat_id from seeing the same chat twice halfway through.
    for district in districts:
        old = existing.get(district.slug)
        if old is not None and district.chat_id is not None and district.chat_id != old["chat_id"]:
            await tx.execute(
                "UPDATE districts SET chat_id = NULL, chat_title = NULL WHERE id = ?", (old["id"],)
            )
    created = updated = unchanged = 0
    rules_kept: list[str] = []
    for district in districts:
        old = existing.get(district.slug)
        wanted: dict[str, Any] = {field: getattr(district, field) for field in _DISTRICT_FIELDS}
        seeded = _rule_json([wanted[field] for field in RULE_COLUMNS])
        if old is None:
            await _insert_district(tx, district, {**wanted, "seeded_rule": seeded})
            created += 1
            continue
        rule_taken = False
        if _bot_rule_stands(old, wanted):
            rules_kept.append(district.slug)
            for field in RULE_COLUMNS:
                del wanted[field]
        elif old["rule_changed_at"] is not None or old["seeded_rule"] != seeded:
            # The file's rule applies (it changed since): it is the rule's newest change now.
            wanted |= {"seeded_rule": seeded, "rule_changed_by": None, "rule_changed_at": None}
            rule_taken = old["rule_changed_at"] is not None
        chat_changed = district.chat_id is not None and district.chat_id != old["chat_id"]
        same = all(old[field] == value for field, value in wanted.items() if field != "seeded_rule")
        if not chat_changed and not rule_taken and same:
            unchanged += 1
            continue
        assignments = ", ".join(f"{field} = ?" for field in wanted)
        values: list[Any] = list(wanted.values())
        if chat_changed:
            assignments += ", chat_id = ?"
            values.append(district.chat_id)
        await tx.execute(
            f"UPDATE districts SET {assignments} WHERE id = ?",  # noqa: S608 - constant columns
            (*values, old["id"]),
        )
        if old["phase"] != district.phase:
            await tx.execute(
                "INSERT INTO phase_changes (district_id, from_phase, to_phase, changed_by, "
                "changed_at) VALUES (?, ?, ?, NULL, ?)",
                (old["id"], old["phase"], district.phase, now.isoformat()),
            )
        updated += 1
    mentioned = {district.slug for district in districts}
    kept = sum(1 for slug in existing if slug not in mentioned)
    return Tally(created, updated, unchanged), kept, rules_kept


async def _insert_district(tx: Transaction, district: DistrictSeed, wanted: dict[str, Any]) -> None:
    columns = ("slug", *wanted, "chat_id")
    placeholders = ", ".join("?" for _ in columns)
    await tx.execute(
        f"INSERT INTO districts ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
        (district.slug, *wanted.values(), district.chat_id),
    )


def _check_chats(existing: dict[str, sqlite3.Row], districts: Sequence[DistrictSeed]) -> None:
    """Refuse a chat the file gives a district while another district keeps it."""
    final = {slug: row["chat_id"] for slug, row in existing.items()}
    for district in districts:
        if district.chat_id is not None:
            final[district.slug] = district.chat_id
        else:
            final.setdefault(district.slug, None)
    for district in districts:
        if district.chat_id is None:
            continue
        for slug, chat_id in final.items():
            if slug != district.slug and chat_id == district.chat_id:
                raise SeedConflict(
                    district.slug,
                    "chat_id",
                    f"chat_id {district.chat_id} is already the group chat of district "
                    f"'{slug}' in the database",
                )
