"""Sessions, their exceptions, and women's morning-reminder subscriptions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from storage.db import Database, StorageError, Transaction


@dataclass(frozen=True)
class SessionSeed:
    """One [[session]] of the seed file, in the columns' vocabulary (0010_dropin.sql)."""

    slug: str
    district_slug: str
    location_id: str
    kind: str
    weekday: int
    starts: str
    ends: str
    valid_from: str
    valid_to: str | None = None
    languages: str = ""
    holiday_policy: str = "skip"
    min_on_duty: int = 2
    max_on_duty: int = 4
    withdraw_hours: int = 24
    # (ISO date, 'cancelled' | 'extra', reason or None)
    exceptions: tuple[tuple[str, str, str | None], ...] = ()


@dataclass(frozen=True)
class SessionRecord:
    id: int
    uid: str
    district_id: int
    district_name: str
    location_id: str
    location_name: str
    address: str
    latitude: float | None
    longitude: float | None
    kind: str
    weekday: int
    starts: str
    ends: str
    valid_from: str
    valid_to: str | None
    languages: tuple[str, ...]
    holiday_policy: str
    days_off: str
    min_on_duty: int
    max_on_duty: int
    withdraw_hours: int


_SELECT = """
SELECT s.id, s.uid, s.district_id, d.name AS district_name, s.location_id,
       l.name AS location_name,
       l.address, l.latitude, l.longitude, s.kind, s.weekday, s.starts, s.ends, s.valid_from,
       s.valid_to, s.languages, s.holiday_policy, d.days_off, s.min_on_duty, s.max_on_duty,
       s.withdraw_hours
  FROM dropin_sessions AS s
  JOIN districts AS d ON d.id = s.district_id
  JOIN locations AS l ON l.id = s.location_id
"""


def _record(row: sqlite3.Row) -> SessionRecord:
    values = dict(row)
    values["languages"] = tuple(code for code in str(row["languages"]).split(",") if code)
    return SessionRecord(**values)


async def list_sessions(
    db: Database, district_ids: Iterable[int] | None = None
) -> list[SessionRecord]:
    rows = await db.fetch_all(_SELECT + " ORDER BY d.name, s.weekday, s.starts, s.id")
    wanted = None if district_ids is None else set(district_ids)
    return [_record(r) for r in rows if wanted is None or r["district_id"] in wanted]


async def get_session(db: Database, session_id: int) -> SessionRecord | None:
    row = await db.fetch_one(_SELECT + " WHERE s.id = ?", (session_id,))
    return _record(row) if row else None


async def exceptions_of(
    db: Database, session_ids: Iterable[int]
) -> dict[int, list[tuple[date, str, str | None]]]:
    """Each session's exceptions: (local date, 'cancelled' | 'extra', reason)."""
    ids = list(session_ids)
    found: dict[int, list[tuple[date, str, str | None]]] = {i: [] for i in ids}
    if not ids:
        return found
    marks = ",".join("?" for _ in ids)
    rows = await db.fetch_all(
        f"SELECT session_id, day, kind, reason FROM dropin_exceptions "  # noqa: S608
        f"WHERE session_id IN ({marks}) ORDER BY day",
        ids,
    )
    for row in rows:
        found[row["session_id"]].append(
            (date.fromisoformat(row["day"]), row["kind"], row["reason"])
        )
    return found


async def cancel_occurrence(
    db: Database, session_id: int, day: date, reason: str | None, by: int, now: datetime
) -> bool:
    """Mark one date cancelled; False when it already was."""
    async with db.transaction() as tx:
        row = await tx.fetch_one(
            "SELECT kind FROM dropin_exceptions WHERE session_id = ? AND day = ?",
            (session_id, day.isoformat()),
        )
        if row is not None and row["kind"] == "cancelled":
            return False
        await tx.execute(
            "INSERT INTO dropin_exceptions (session_id, day, kind, reason, changed_by, changed_at) "
            "VALUES (?, ?, 'cancelled', ?, ?, ?) ON CONFLICT (session_id, day) DO UPDATE SET "
            "kind = 'cancelled', reason = excluded.reason, changed_by = excluded.changed_by, "
            "changed_at = excluded.changed_at",
            (session_id, day.isoformat(), reason, by, now.isoformat()),
        )
    return True


# -- the seed file -----------------------------------------------------------------------------


class SessionConflict(StorageError):
    """A session names a district or place that is in neither the file nor the database."""

    def __init__(self, slug: str, key: str, reason: str) -> None:
        super().__init__(reason)
        self.slug = slug
        self.key = key
        self.reason = reason


def _rule(seed: SessionSeed) -> tuple[object, ...]:
    """The session as the file sets it, after its district, in the columns' order."""
    return (
        seed.location_id,
        seed.kind,
        seed.weekday,
        seed.starts,
        seed.ends,
        seed.valid_from,
        seed.valid_to,
        seed.languages,
        seed.holiday_policy,
        seed.min_on_duty,
        seed.max_on_duty,
        seed.withdraw_hours,
    )


def _seed_json(seed: SessionSeed) -> str:
    """What the file says about a session, as stored in `seeded_rule` (0018)."""
    values = (seed.district_slug, *_rule(seed))
    return json.dumps(list(values), separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class SessionsWritten:
    written: int  # sessions the file created or updated
    # Sessions a coordinator changed in the bot after the file last set them, which the file has
    # not changed since: the bot's (newer) settings were kept, as for the meeting rule.
    kept: tuple[str, ...] = ()


async def apply_session_seeds(
    tx: Transaction, sessions: Sequence[SessionSeed], now: datetime
) -> SessionsWritten:
    """Create or update each session by its slug; the file's exceptions replace the ones the
    file gave before (a coordinator's cancellation from the phone stays).

    The newer change wins: a session a coordinator changed with /sessions keeps her settings
    when the file says the same as when it was last applied; a file whose session changed since
    replaces them (and clears her who-and-when)."""
    kept: list[str] = []
    for seed in sessions:
        district = await tx.fetch_one(
            "SELECT id FROM districts WHERE slug = ?", (seed.district_slug,)
        )
        if district is None:
            raise SessionConflict(
                seed.slug,
                "district",
                f"district {seed.district_slug!r} is neither in this file nor in the database",
            )
        place = await tx.fetch_one("SELECT 1 FROM locations WHERE id = ?", (seed.location_id,))
        if place is None:
            raise SessionConflict(
                seed.slug,
                "location",
                f"location {seed.location_id!r} is neither in this file nor in the database",
            )
        seeded = _seed_json(seed)
        old = await tx.fetch_one(
            "SELECT rule_changed_at, seeded_rule FROM dropin_sessions WHERE slug = ?",
            (seed.slug,),
        )
        if old is not None and old["rule_changed_at"] is not None and old["seeded_rule"] == seeded:
            kept.append(seed.slug)
        else:
            values = (district["id"], *_rule(seed), seeded)
            await tx.execute(
                "INSERT INTO dropin_sessions (district_id, location_id, kind, weekday, starts, "
                "ends, valid_from, valid_to, languages, holiday_policy, min_on_duty, "
                "max_on_duty, withdraw_hours, seeded_rule, slug) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (slug) DO UPDATE SET district_id = excluded.district_id, "
                "location_id = excluded.location_id, kind = excluded.kind, "
                "weekday = excluded.weekday, starts = excluded.starts, ends = excluded.ends, "
                "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
                "languages = excluded.languages, holiday_policy = excluded.holiday_policy, "
                "min_on_duty = excluded.min_on_duty, max_on_duty = excluded.max_on_duty, "
                "withdraw_hours = excluded.withdraw_hours, seeded_rule = excluded.seeded_rule, "
                "rule_changed_by = NULL, rule_changed_at = NULL",
                (*values, seed.slug),
            )
        row = await tx.fetch_one("SELECT id FROM dropin_sessions WHERE slug = ?", (seed.slug,))
        assert row is not None
        await tx.execute(
            "DELETE FROM dropin_exceptions WHERE session_id = ? AND changed_by IS NULL",
            (row["id"],),
        )
        for day, kind, reason in seed.exceptions:
            await tx.execute(
                "INSERT OR IGNORE INTO dropin_exceptions (session_id, day, kind, reason, "
                "changed_by, changed_at) VALUES (?, ?, ?, ?, NULL, ?)",
                (row["id"], day, kind, reason, now.isoformat()),
            )
    return SessionsWritten(len(sessions) - len(kept), tuple(kept))


# -- morning reminders for women ----------------------------------------------------------------


async def subscribe(db: Database, chat_id: int, session_id: int, day: date) -> bool:
    """Remember her chat for the morning of that date; False if she had asked already."""
    changed = await db.execute(
        "INSERT OR IGNORE INTO dropin_subscriptions (chat_id, session_id, day) VALUES (?, ?, ?)",
        (chat_id, session_id, day.isoformat()),
    )
    return changed > 0


async def unsubscribe(db: Database, chat_id: int, session_id: int, day: date) -> bool:
    changed = await db.execute(
        "DELETE FROM dropin_subscriptions WHERE chat_id = ? AND session_id = ? AND day = ?",
        (chat_id, session_id, day.isoformat()),
    )
    return changed > 0


async def subscribed_days(db: Database, chat_id: int) -> set[tuple[int, date]]:
    rows = await db.fetch_all(
        "SELECT session_id, day FROM dropin_subscriptions WHERE chat_id = ?", (chat_id,)
    )
    return {(int(r["session_id"]), date.fromisoformat(r["day"])) for r in rows}


async def due_subscriptions(db: Database, day: date) -> list[tuple[int, int]]:
    """(chat id, session id) of the reminders for `day` not claimed yet."""
    rows = await db.fetch_all(
        "SELECT chat_id, session_id FROM dropin_subscriptions WHERE day = ? AND claimed_at IS NULL "
        "ORDER BY session_id, chat_id",
        (day.isoformat(),),
    )
    return [(int(r["chat_id"]), int(r["session_id"])) for r in rows]


async def claim_subscription(
    db: Database, chat_id: int, session_id: int, day: date, now: datetime
) -> bool:
    """Claim the reminder right before sending it: a restart never sends it twice."""
    changed = await db.execute(
        "UPDATE dropin_subscriptions SET claimed_at = ? WHERE chat_id = ? AND session_id = ? "
        "AND day = ? AND claimed_at IS NULL",
        (now.isoformat(), chat_id, session_id, day.isoformat()),
    )
    return changed > 0


async def finish_subscription(
    db: Database, chat_id: int, session_id: int, day: date, outcome: str
) -> None:
    await db.execute(
        "UPDATE dropin_subscriptions SET outcome = ? WHERE chat_id = ? AND session_id = ? "
        "AND day = ?",
        (outcome, chat_id, session_id, day.isoformat()),
    )


async def subscribers(db: Database, session_id: int, day: date) -> list[int]:
    rows = await db.fetch_all(
        "SELECT chat_id FROM dropin_subscriptions WHERE session_id = ? AND day = ?",
        (session_id, day.isoformat()),
    )
    return [int(r["chat_id"]) for r in rows]


async def purge_subscriptions(db: Database, before: date) -> int:
    """The subscription ends by itself: gone the day after its date."""
    return await db.execute("DELETE FROM dropin_subscriptions WHERE day < ?", (before.isoformat(),))


# -- a coordinator's changes from the phone ------------------------------------------------------

EDITABLE = (
    "weekday",
    "starts",
    "ends",
    "languages",
    "min_on_duty",
    "max_on_duty",
    "withdraw_hours",
    "valid_to",
)


async def update_session(
    db: Database, session_id: int, by: int, now: datetime, **changes: object
) -> bool:
    """Change some of a session's settings in one statement, with who and when (a later seed
    run keeps them unless the file's session changed since); False when the database's rules
    refuse them (an end before the start, a minimum above the maximum) or it is gone."""
    if not changes or any(key not in EDITABLE for key in changes):
        raise ValueError(f"not a session setting: {sorted(changes)}")
    assignments = ", ".join(f"{key} = ?" for key in changes)
    try:
        changed = await db.execute(
            f"UPDATE dropin_sessions SET {assignments}, rule_changed_by = ?, "  # noqa: S608
            "rule_changed_at = ? WHERE id = ?",
            (*changes.values(), by, now.isoformat(), session_id),
        )
    except sqlite3.IntegrityError:
        return False
    return changed > 0


async def add_extra_date(db: Database, session_id: int, day: date, by: int, now: datetime) -> bool:
    """An extra date (or a cancelled one restored); False if it is one already."""
    changed = await db.execute(
        "INSERT INTO dropin_exceptions (session_id, day, kind, reason, changed_by, changed_at) "
        "VALUES (?, ?, 'extra', NULL, ?, ?) ON CONFLICT (session_id, day) DO UPDATE SET "
        "kind = 'extra', reason = NULL, changed_by = excluded.changed_by, "
        "changed_at = excluded.changed_at WHERE kind != 'extra'",
        (session_id, day.isoformat(), by, now.isoformat()),
    )
    return changed > 0


@dataclass(frozen=True)
class Place:
    number: int  # the location's rowid: short and stable, for button data
    id: str
    name: str


async def places(db: Database) -> list[Place]:
    rows = await db.fetch_all("SELECT rowid, id, name FROM locations ORDER BY name, id")
    return [Place(int(r["rowid"]), r["id"], r["name"]) for r in rows]


async def create_session(
    db: Database, district_id: int, place_number: int, kind: str, weekday: int, today: date
) -> int | None:
    """A new weekly session from today, 12:00-15:00, 2 to 4 on duty: the coordinator adjusts
    it next. None if the place is gone."""
    async with db.transaction() as tx:
        place = await tx.fetch_one("SELECT id FROM locations WHERE rowid = ?", (place_number,))
        if place is None:
            return None
        await tx.execute(
            "INSERT INTO dropin_sessions (slug, district_id, location_id, kind, weekday, starts, "
            "ends, valid_from) VALUES ('new-' || lower(hex(randomblob(6))), ?, ?, ?, ?, "
            "'12:00', '15:00', ?)",
            (district_id, place["id"], kind, weekday, today.isoformat()),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid()")
        assert row is not None
        return int(row[0])
