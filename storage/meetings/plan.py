"""The meetings a district's rule planned, and the rule they follow: replanned in one
transaction, never touching the past or a meeting a coordinator changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database
from storage.meetings.instants import iso


@dataclass(frozen=True)
class StoredPlan:
    signature: str
    phase: int


async def stored_plan(db: Database, district_id: int) -> StoredPlan | None:
    row = await db.fetch_one(
        "SELECT signature, phase FROM meeting_plans WHERE district_id = ?", (district_id,)
    )
    return StoredPlan(row["signature"], row["phase"]) if row else None


@dataclass(frozen=True)
class RuleMeeting:
    id: int
    rule_key: str
    starts_at: datetime
    changed: bool  # a coordinator moved, cancelled or annotated it
    moved: bool  # a coordinator moved it


async def rule_meetings(db: Database, district_id: int) -> list[RuleMeeting]:
    """The district's meetings planned by its rule."""
    rows = await db.fetch_all(
        "SELECT id, rule_key, starts_at, changed_at IS NOT NULL AS changed, "
        "moved_at IS NOT NULL AS moved FROM meetings "
        "WHERE district_id = ? AND rule_key IS NOT NULL ORDER BY starts_at",
        (district_id,),
    )
    return [_rule_meeting(row) for row in rows]


def _rule_meeting(row: Row) -> RuleMeeting:
    starts_at = datetime.fromisoformat(row["starts_at"])
    return RuleMeeting(
        row["id"], row["rule_key"], starts_at, bool(row["changed"]), bool(row["moved"])
    )


async def apply_plan(
    db: Database,
    district_id: int,
    delete: Sequence[int],
    insert: Sequence[tuple[str, datetime]],
    signature: str,
    phase: int,
    now: datetime,
    update: Sequence[tuple[int, str, datetime]] = (),
) -> None:
    """Delete, update (id, new key, new start) and add rule meetings and record the rule they
    follow, in one transaction. Only future rule meetings are touched, and a coordinator's
    changed meeting is never deleted."""
    async with db.transaction() as tx:
        for meeting_id in delete:
            await tx.execute(
                "DELETE FROM meetings WHERE id = ? AND district_id = ? AND rule_key IS NOT NULL "
                "AND starts_at > ? AND changed_at IS NULL",
                (meeting_id, district_id, iso(now)),
            )
        for meeting_id, key, starts_at in update:
            moved = await tx.execute(
                "UPDATE meetings SET rule_key = ?, starts_at = ?, revision = revision + 1, "
                "updated_at = ? WHERE id = ? AND district_id = ? AND rule_key IS NOT NULL "
                "AND starts_at > ? AND starts_at != ?",
                (
                    key,
                    iso(starts_at),
                    iso(now),
                    meeting_id,
                    district_id,
                    iso(now),
                    iso(starts_at),
                ),
            )
            if moved:  # its reminders start over for the new time (the answers stay)
                await tx.execute(
                    "DELETE FROM reminder_deliveries WHERE meeting_id = ?", (meeting_id,)
                )
                await tx.execute(
                    "DELETE FROM meeting_chat_posts WHERE meeting_id = ?", (meeting_id,)
                )
            else:
                await tx.execute(
                    "UPDATE meetings SET rule_key = ? WHERE id = ? AND district_id = ? "
                    "AND rule_key IS NOT NULL AND starts_at > ?",
                    (key, meeting_id, district_id, iso(now)),
                )
        for key, starts_at in insert:
            await tx.execute(
                "INSERT OR IGNORE INTO meetings (district_id, rule_key, starts_at, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (district_id, key, iso(starts_at), iso(now)),
            )
        await tx.execute(
            "INSERT INTO meeting_plans (district_id, signature, phase, planned_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (district_id) DO UPDATE SET "
            "signature = excluded.signature, phase = excluded.phase, "
            "planned_at = excluded.planned_at",
            (district_id, signature, phase, iso(now)),
        )
