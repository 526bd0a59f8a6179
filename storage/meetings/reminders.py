"""Reminders and the group chat's post, claimed before they are sent and finished after, so
that however often the bot restarts, nobody gets the same reminder twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from storage.db import Database
from storage.meetings.instants import iso


async def claim_reminder(
    db: Database,
    meeting_id: int,
    telegram_id: int,
    lead_hours: int | None,
    skipped: Iterable[int],
    skip_outcome: str,
    now: datetime,
    starts_at: datetime | None = None,
) -> bool:
    """Write her reminder's row before sending it; False if it was claimed before (by an
    earlier run, before a restart), or if the meeting was cancelled, has begun or (given
    `starts_at`, the start the reminder was written for) moved meanwhile: then it must not be
    sent. Lead times skipped with it are recorded as finished, with `skip_outcome`."""
    still = "SELECT 1 FROM meetings WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?"
    params: tuple[object, ...] = (meeting_id, iso(now))
    if starts_at is not None:
        still += " AND starts_at = ?"
        params += (iso(starts_at),)
    async with db.transaction() as tx:
        claimed = 0
        if lead_hours is not None:
            claimed = await tx.execute(
                "INSERT OR IGNORE INTO reminder_deliveries "
                "(meeting_id, lead_hours, telegram_id, claimed_at) "
                f"SELECT ?, ?, ?, ? WHERE EXISTS ({still})",
                (meeting_id, lead_hours, telegram_id, iso(now), *params),
            )
        for hours in skipped:
            await tx.execute(
                "INSERT OR IGNORE INTO reminder_deliveries (meeting_id, lead_hours, telegram_id, "
                "claimed_at, outcome, finished_at) VALUES (?, ?, ?, ?, ?, ?)",
                (meeting_id, hours, telegram_id, iso(now), skip_outcome, iso(now)),
            )
    return claimed > 0


async def finish_reminder(
    db: Database, meeting_id: int, telegram_id: int, lead_hours: int, outcome: str, now: datetime
) -> None:
    await db.execute(
        "UPDATE reminder_deliveries SET outcome = ?, finished_at = ? "
        "WHERE meeting_id = ? AND telegram_id = ? AND lead_hours = ?",
        (outcome, iso(now), meeting_id, telegram_id, lead_hours),
    )


async def reminder_outcomes(db: Database, meeting_id: int) -> dict[tuple[int, int], str | None]:
    """(telegram id, lead hours) -> outcome (None: claimed, not finished) for one meeting."""
    rows = await db.fetch_all(
        "SELECT telegram_id, lead_hours, outcome FROM reminder_deliveries WHERE meeting_id = ?",
        (meeting_id,),
    )
    return {(row["telegram_id"], row["lead_hours"]): row["outcome"] for row in rows}


async def claim_chat_post(db: Database, meeting_id: int, now: datetime) -> bool:
    """Claim the group chat's post; False if claimed before or the meeting is no longer ahead."""
    changed = await db.execute(
        "INSERT OR IGNORE INTO meeting_chat_posts (meeting_id, claimed_at) SELECT ?, ? "
        "WHERE EXISTS (SELECT 1 FROM meetings WHERE id = ? AND cancelled_at IS NULL "
        "AND starts_at > ?)",
        (meeting_id, iso(now), meeting_id, iso(now)),
    )
    return changed > 0


async def chat_post_claimed(db: Database, meeting_id: int) -> bool:
    """Was the group chat's post for this meeting claimed already (sent, or on its way)?"""
    row = await db.fetch_one("SELECT 1 FROM meeting_chat_posts WHERE meeting_id = ?", (meeting_id,))
    return row is not None


async def finish_chat_post(db: Database, meeting_id: int, outcome: str) -> None:
    await db.execute(
        "UPDATE meeting_chat_posts SET outcome = ? WHERE meeting_id = ?", (outcome, meeting_id)
    )


async def interrupted_reminders(db: Database, meeting_id: int) -> int:
    """How many of the meeting's reminders were cut off by a restart (see mark_interrupted)."""
    row = await db.fetch_one(
        "SELECT count(*) FROM reminder_deliveries WHERE meeting_id = ? AND outcome = 'interrupted'",
        (meeting_id,),
    )
    return int(row[0]) if row else 0


async def mark_interrupted(db: Database, claimed_before: datetime, now: datetime) -> int:
    """At start-up: reminders claimed before `claimed_before` and never finished were cut off
    by a crash between claim and send (perhaps sent, perhaps not): record them as
    'interrupted' instead of leaving them silently NULL. Returns how many."""
    return await db.execute(
        "UPDATE reminder_deliveries SET outcome = 'interrupted', finished_at = ? "
        "WHERE outcome IS NULL AND claimed_at < ?",
        (iso(now), iso(claimed_before)),
    )
