"""The meetings themselves: read one or a window of them, and a coordinator's changes to one
(added, moved, cancelled, restored, its place and note)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database
from storage.meetings.instants import iso, moment


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    district_id: int
    district_name: str
    rule_key: str | None
    starts_at: datetime
    place: str | None
    note: str | None
    cancelled_at: datetime | None
    uid: str = ""  # stable and random: the calendar's UID
    revision: int = 0  # how often it changed: the calendar's SEQUENCE
    updated_at: datetime | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


_MEETINGS = """
    SELECT m.id, m.district_id, d.name AS district_name, m.rule_key, m.starts_at,
           coalesce(m.place, l.name) AS place, m.note, m.cancelled_at, m.uid, m.revision,
           m.updated_at
      FROM meetings AS m
      JOIN districts AS d ON d.id = m.district_id
      LEFT JOIN locations AS l ON l.id = d.location_id
"""


def _meeting(row: Row) -> MeetingRecord:
    starts_at = moment(row["starts_at"])
    assert starts_at is not None
    return MeetingRecord(
        row["id"],
        row["district_id"],
        row["district_name"],
        row["rule_key"],
        starts_at,
        row["place"],
        row["note"],
        moment(row["cancelled_at"]),
        row["uid"],
        row["revision"],
        moment(row["updated_at"]),
    )


async def get_meeting(db: Database, meeting_id: int) -> MeetingRecord | None:
    row = await db.fetch_one(_MEETINGS + " WHERE m.id = ?", (meeting_id,))
    return _meeting(row) if row else None


async def upcoming_meetings(
    db: Database,
    district_ids: Iterable[int],
    since: datetime,
    until: datetime,
    *,
    include_cancelled: bool = False,
) -> list[MeetingRecord]:
    """Meetings of these districts that start after `since` and no later than `until`."""
    ids = sorted(set(district_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    cancelled = "" if include_cancelled else " AND m.cancelled_at IS NULL"
    rows = await db.fetch_all(
        _MEETINGS
        + f" WHERE m.district_id IN ({marks}) AND m.starts_at > ? AND m.starts_at <= ?"
        + cancelled
        + " ORDER BY m.starts_at, m.id",
        (*ids, iso(since), iso(until)),
    )
    return [_meeting(row) for row in rows]


async def all_upcoming_meetings(
    db: Database, since: datetime, until: datetime
) -> list[MeetingRecord]:
    """Every district's meetings (not cancelled) in the window: for reminders."""
    rows = await db.fetch_all(
        _MEETINGS + " WHERE m.starts_at > ? AND m.starts_at <= ? AND m.cancelled_at IS NULL"
        " ORDER BY m.starts_at, m.id",
        (iso(since), iso(until)),
    )
    return [_meeting(row) for row in rows]


async def add_meeting(
    db: Database, district_id: int, starts_at: datetime, by: int, now: datetime
) -> int:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO meetings (district_id, starts_at, changed_by, changed_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (district_id, iso(starts_at), by, iso(now), iso(now)),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid()")
    assert row is not None
    return int(row[0])


async def move_meeting(
    db: Database, meeting_id: int, starts_at: datetime, by: int, now: datetime
) -> bool:
    """Move a meeting; its reminders start over for the new time (the answers stay)."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE meetings SET starts_at = ?, changed_by = ?, changed_at = ?, moved_at = ?, "
            "updated_at = ?, revision = revision + 1 "
            "WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?",
            (iso(starts_at), by, iso(now), iso(now), iso(now), meeting_id, iso(now)),
        )
        if changed:
            await tx.execute("DELETE FROM reminder_deliveries WHERE meeting_id = ?", (meeting_id,))
            await tx.execute("DELETE FROM meeting_chat_posts WHERE meeting_id = ?", (meeting_id,))
    return changed > 0


async def cancel_meeting(db: Database, meeting_id: int, by: int, now: datetime) -> bool:
    changed = await db.execute(
        "UPDATE meetings SET cancelled_at = ?, changed_by = ?, changed_at = ?, updated_at = ?, "
        "revision = revision + 1 WHERE id = ? AND cancelled_at IS NULL",
        (iso(now), by, iso(now), iso(now), meeting_id),
    )
    return changed > 0


async def restore_meeting(db: Database, meeting_id: int, by: int, now: datetime) -> bool:
    """Undo a cancellation; False if it is not cancelled (any more) or has begun."""
    changed = await db.execute(
        "UPDATE meetings SET cancelled_at = NULL, changed_by = ?, changed_at = ?, updated_at = ?, "
        "revision = revision + 1 WHERE id = ? AND cancelled_at IS NOT NULL AND starts_at > ?",
        (by, iso(now), iso(now), meeting_id, iso(now)),
    )
    return changed > 0


async def set_place_and_note(
    db: Database, meeting_id: int, place: str | None, note: str | None, by: int, now: datetime
) -> bool:
    """False if the meeting is gone, cancelled or has begun meanwhile: nothing changes then."""
    changed = await db.execute(
        "UPDATE meetings SET place = ?, note = ?, changed_by = ?, changed_at = ?, updated_at = ?, "
        "revision = revision + 1 WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?",
        (place, note, by, iso(now), iso(now), meeting_id, iso(now)),
    )
    return changed > 0
