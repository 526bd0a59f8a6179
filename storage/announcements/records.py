"""The announcement itself: written with its versions and its outbox in one transaction, and
read back one at a time or a page of the history at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database


@dataclass(frozen=True)
class Recipient:
    """One outbox row to write: a woman or a group chat, and the version it gets."""

    telegram_id: int | None
    group_chat_id: int | None
    locale: str | None
    fallback: bool = False


@dataclass(frozen=True)
class NewAnnouncement:
    created_by: int
    district_id: int | None
    audience: str
    body: str
    media_kind: str | None
    media_file_id: str | None
    versions: dict[str, str]
    send_at: datetime
    progress_message_id: int | None = None  # her confirmation, edited into the progress


async def create_announcement(
    db: Database, new: NewAnnouncement, recipients: Iterable[Recipient], now: datetime
) -> int | None:
    """Write the announcement, its versions and its outbox, and delete the draft, in one
    transaction. None (and nothing written) if her draft is gone: it was sent or cancelled."""
    async with db.transaction() as tx:
        gone = await tx.execute(
            "DELETE FROM broadcast_drafts WHERE created_by = ?", (new.created_by,)
        )
        if not gone:
            return None
        await tx.execute(
            """
            INSERT INTO announcements (district_id, audience, created_by, created_at, send_at,
                                       body, media_kind, media_file_id, progress_message_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                new.district_id,
                new.audience,
                new.created_by,
                now.isoformat(),
                new.send_at.isoformat(),
                new.body,
                new.media_kind,
                new.media_file_id,
                new.progress_message_id,
            ),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid()")
        assert row is not None
        announcement_id = int(row[0])
        for locale, body in sorted(new.versions.items()):
            await tx.execute(
                "INSERT INTO announcement_versions (announcement_id, locale, body) "
                "VALUES (?, ?, ?)",
                (announcement_id, locale, body),
            )
        for r in recipients:
            await tx.execute(
                "INSERT INTO outbox (announcement_id, telegram_id, group_chat_id, locale, "
                "fallback) VALUES (?, ?, ?, ?, ?)",
                (announcement_id, r.telegram_id, r.group_chat_id, r.locale, int(r.fallback)),
            )
    return announcement_id


@dataclass(frozen=True)
class AnnouncementRecord:
    id: int
    district_id: int | None
    district_name: str | None
    audience: str
    created_by: int | None
    created_at: datetime
    send_at: datetime
    body: str
    media_kind: str | None
    media_file_id: str | None
    progress_message_id: int | None
    reported_at: datetime | None
    cancelled_at: datetime | None = None  # cancelled while it waited: nobody got it

    def waiting(self, now: datetime) -> bool:
        """Scheduled for later, and neither sent nor cancelled."""
        return self.send_at > now and self.reported_at is None and self.cancelled_at is None


SELECT_ANNOUNCEMENTS = """
    SELECT a.id, a.district_id, d.name AS district_name, a.audience, a.created_by, a.created_at,
           a.send_at, a.body, a.media_kind, a.media_file_id, a.progress_message_id,
           a.reported_at, a.cancelled_at
      FROM announcements AS a LEFT JOIN districts AS d ON d.id = a.district_id
"""


def announcement_record(row: Row) -> AnnouncementRecord:
    return AnnouncementRecord(
        row["id"],
        row["district_id"],
        row["district_name"],
        row["audience"],
        row["created_by"],
        datetime.fromisoformat(row["created_at"]),
        datetime.fromisoformat(row["send_at"]),
        row["body"],
        row["media_kind"],
        row["media_file_id"],
        row["progress_message_id"],
        datetime.fromisoformat(row["reported_at"]) if row["reported_at"] else None,
        datetime.fromisoformat(row["cancelled_at"]) if row["cancelled_at"] else None,
    )


async def get_announcement(db: Database, announcement_id: int) -> AnnouncementRecord | None:
    row = await db.fetch_one(SELECT_ANNOUNCEMENTS + " WHERE a.id = ?", (announcement_id,))
    return announcement_record(row) if row else None


async def list_announcements(
    db: Database, district_ids: Sequence[int] | None, author: int, limit: int, offset: int
) -> tuple[int, list[AnnouncementRecord]]:
    """Newest first: to these districts or made by her (None: all, for admins), and how many
    there are."""
    if district_ids is None:
        where, params = "", []
    else:
        marks = ", ".join("?" * len(district_ids)) or "NULL"
        where = f" WHERE a.district_id IN ({marks}) OR a.created_by = ?"
        params = [*district_ids, author]
    total = await db.fetch_one(
        "SELECT count(*) FROM announcements AS a" + where,  # noqa: S608 - constant clause
        params,
    )
    rows = await db.fetch_all(
        SELECT_ANNOUNCEMENTS + where + " ORDER BY a.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return (int(total[0]) if total else 0), [announcement_record(row) for row in rows]


async def set_progress_message(db: Database, announcement_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE announcements SET progress_message_id = ? WHERE id = ?",
        (message_id, announcement_id),
    )
