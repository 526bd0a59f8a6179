"""The outbox, as the worker drains it: one row per recipient, moved pending -> sending -> one
of the bot's outcomes (bot/outcome.py: sent, failed, unreachable, uncertain), one committed step
at a time, so a restart never sends a row twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database


@dataclass(frozen=True)
class OutboxJob:
    """One delivery to make: to whom, what, and how often it was tried."""

    id: int
    announcement_id: int
    telegram_id: int | None
    group_chat_id: int | None
    body: str
    media_kind: str | None
    media_file_id: str | None
    attempts: int

    @property
    def chat_id(self) -> int:
        chat = self.telegram_id if self.telegram_id is not None else self.group_chat_id
        assert chat is not None
        return chat


async def recover_in_flight(db: Database, now: datetime) -> int:
    """At start-up: rows left in `sending` were in flight when the process died. Telegram may
    or may not have delivered them, so they become `uncertain`, never silently resent."""
    return await db.execute(
        "UPDATE outbox SET status = 'uncertain', finished_at = ? WHERE status = 'sending'",
        (now.isoformat(),),
    )


async def due_jobs(db: Database, now: datetime, limit: int) -> list[OutboxJob]:
    """Pending rows that may go now, oldest announcement first, each with its version's text."""
    rows = await db.fetch_all(
        """
        SELECT o.id, o.announcement_id, o.telegram_id, o.group_chat_id, o.attempts,
               coalesce(v.body, a.body) AS body, a.media_kind, a.media_file_id
          FROM outbox AS o
          JOIN announcements AS a ON a.id = o.announcement_id
          LEFT JOIN announcement_versions AS v
                 ON v.announcement_id = o.announcement_id AND v.locale = o.locale
         WHERE o.status = 'pending' AND a.send_at <= ?1
           AND (o.not_before IS NULL OR o.not_before <= ?1)
         ORDER BY o.announcement_id, o.id
         LIMIT ?2
        """,
        (now.isoformat(), limit),
    )
    return [
        OutboxJob(
            r["id"],
            r["announcement_id"],
            r["telegram_id"],
            r["group_chat_id"],
            r["body"],
            r["media_kind"],
            r["media_file_id"],
            r["attempts"],
        )
        for r in rows
    ]


async def next_due_at(db: Database) -> datetime | None:
    """When the earliest pending row that is not due yet becomes due (scheduled or backing off)."""
    row = await db.fetch_one(
        """
        SELECT min(max(a.send_at, coalesce(o.not_before, a.send_at))) AS due
          FROM outbox AS o JOIN announcements AS a ON a.id = o.announcement_id
         WHERE o.status = 'pending'
        """
    )
    return datetime.fromisoformat(row["due"]) if row and row["due"] else None


async def claim(db: Database, outbox_id: int) -> bool:
    """Mark the row `sending` (committed before the request goes); False if it is not pending
    any more (forgotten, or taken)."""
    changed = await db.execute(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
        "WHERE id = ? AND status = 'pending'",
        (outbox_id,),
    )
    return changed > 0


async def finish(db: Database, outbox_id: int, status: str, now: datetime) -> None:
    """Record how the request ended (bot/outcome.Outcome)."""
    await db.execute(
        "UPDATE outbox SET status = ?, finished_at = ?, not_before = NULL WHERE id = ?",
        (status, now.isoformat(), outbox_id),
    )


async def retry_later(
    db: Database, outbox_id: int, not_before: datetime | None, *, count_attempt: bool = True
) -> None:
    """Back to pending, to be tried again from `not_before`. A 429 does not count as an attempt:
    Telegram said plainly that it did not deliver."""
    await db.execute(
        "UPDATE outbox SET status = 'pending', not_before = ?, "
        "attempts = attempts - ? WHERE id = ?",
        (not_before.isoformat() if not_before else None, 0 if count_attempt else 1, outbox_id),
    )


async def move_group_chat(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """The group became a supergroup: its pending rows follow it to the new id."""
    await db.execute(
        "UPDATE outbox SET group_chat_id = ? WHERE group_chat_id = ? AND status IN "
        "('pending', 'sending')",
        (new_chat_id, old_chat_id),
    )


async def busy(db: Database, now: datetime) -> bool:
    """Is anything due left to send or to report?"""
    row = await db.fetch_one(
        """
        SELECT EXISTS (SELECT 1 FROM announcements AS a
                        WHERE a.reported_at IS NULL AND a.send_at <= ?) AS busy
        """,
        (now.isoformat(),),
    )
    return bool(row and row["busy"])


async def anything_left(db: Database) -> bool:
    """Is any announcement, due or scheduled, still to be sent or reported?"""
    row = await db.fetch_one(
        "SELECT EXISTS (SELECT 1 FROM announcements WHERE reported_at IS NULL) AS left"
    )
    return bool(row and row["left"])


async def unreported_finished(db: Database) -> list[int]:
    """Announcements whose every delivery is finished but whose report was not sent yet."""
    rows = await db.fetch_all(
        """
        SELECT a.id FROM announcements AS a
         WHERE a.reported_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.announcement_id = a.id
                            AND o.status IN ('pending', 'sending'))
         ORDER BY a.id
        """
    )
    return [int(row["id"]) for row in rows]
