"""An announcement waiting for its time: listed, sent at another time, or cancelled, as long as
none of its deliveries has started."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.announcements.records import (
    SELECT_ANNOUNCEMENTS,
    AnnouncementRecord,
    announcement_record,
)
from storage.db import Database

# Only an announcement none of whose deliveries has started may be moved or cancelled.
_UNTOUCHED = (
    "cancelled_at IS NULL AND reported_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox AS o "
    "WHERE o.announcement_id = announcements.id AND o.status != 'pending')"
)


async def reschedule_announcement(db: Database, announcement_id: int, send_at: datetime) -> bool:
    """Send it at another time (now: at once); False if it has started or is gone."""
    changed = await db.execute(
        f"UPDATE announcements SET send_at = ? WHERE id = ? AND {_UNTOUCHED}",  # noqa: S608
        (send_at.isoformat(), announcement_id),
    )
    return changed > 0


async def cancel_announcement(db: Database, announcement_id: int, now: datetime) -> bool:
    """Nobody gets it: its deliveries are deleted and it is marked cancelled (and reported, so
    the worker never reports it); False if it has started or is gone."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE announcements SET cancelled_at = ?1, reported_at = ?1 "  # noqa: S608
            f"WHERE id = ?2 AND {_UNTOUCHED}",
            (now.isoformat(), announcement_id),
        )
        if changed:
            await tx.execute("DELETE FROM outbox WHERE announcement_id = ?", (announcement_id,))
    return changed > 0


async def waiting_announcements(
    db: Database, district_ids: Sequence[int] | None, author: int, now: datetime
) -> list[AnnouncementRecord]:
    """The scheduled ones still to go, soonest first, that she may see (as in the history)."""
    where = " WHERE a.send_at > ? AND a.reported_at IS NULL AND a.cancelled_at IS NULL"
    params: list[object] = [now.isoformat()]
    if district_ids is not None:
        marks = ", ".join("?" * len(district_ids)) or "NULL"
        where += f" AND (a.district_id IN ({marks}) OR a.created_by = ?)"
        params += [*district_ids, author]
    rows = await db.fetch_all(SELECT_ANNOUNCEMENTS + where + " ORDER BY a.send_at", params)
    return [announcement_record(row) for row in rows]
