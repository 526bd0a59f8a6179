"""The help guide's data: anonymous view counts, contact requests, and voice notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from sqlite3 import Row

from storage.db import Database


async def count_view(db: Database, day: date, topic: str, locale: str) -> None:
    """One more view of a topic in a language on a day. Nothing about who looked."""
    await db.execute(
        "INSERT INTO help_views (day, topic, locale, views) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (day, topic, locale) DO UPDATE SET views = views + 1",
        (day.isoformat(), topic, locale),
    )


@dataclass(frozen=True)
class ViewCount:
    topic: str
    locale: str
    views: int


async def view_counts(db: Database, since: date, until: date | None = None) -> list[ViewCount]:
    """Views per topic and language from `since` up to, not including, `until`."""
    rows = await db.fetch_all(
        "SELECT topic, locale, sum(views) AS views FROM help_views WHERE day >= ? AND day < ? "
        "GROUP BY topic, locale ORDER BY views DESC, topic, locale",
        (since.isoformat(), (until or date.max).isoformat()),
    )
    return [ViewCount(r["topic"], r["locale"], int(r["views"])) for r in rows]


@dataclass(frozen=True)
class ContactRequest:
    id: int
    telegram_id: int
    district_id: int
    locale: str
    channel: str
    contact: str
    created_at: datetime
    handled_at: datetime | None


def _request(r: Row) -> ContactRequest:
    handled = r["handled_at"]
    return ContactRequest(
        r["id"],
        r["telegram_id"],
        r["district_id"],
        r["locale"],
        r["channel"],
        r["contact"],
        datetime.fromisoformat(r["created_at"]),
        datetime.fromisoformat(handled) if handled else None,
    )


async def create_contact_request(
    db: Database,
    telegram_id: int,
    district_id: int,
    locale: str,
    channel: str,
    contact: str,
    now: datetime,
) -> int:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO contact_requests (telegram_id, district_id, locale, channel, contact, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (telegram_id, district_id, locale, channel, contact, now.isoformat()),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid()")
    assert row is not None
    return int(row[0])


async def get_contact_request(db: Database, request_id: int) -> ContactRequest | None:
    row = await db.fetch_one("SELECT * FROM contact_requests WHERE id = ?", (request_id,))
    return _request(row) if row else None


async def requests_of(db: Database, telegram_id: int) -> list[ContactRequest]:
    """The requests she made herself (for /forget)."""
    rows = await db.fetch_all(
        "SELECT * FROM contact_requests WHERE telegram_id = ? ORDER BY id", (telegram_id,)
    )
    return [_request(row) for row in rows]


async def open_contact_requests(db: Database, district_id: int) -> list[ContactRequest]:
    rows = await db.fetch_all(
        "SELECT * FROM contact_requests WHERE district_id = ? AND handled_at IS NULL "
        "ORDER BY created_at",
        (district_id,),
    )
    return [_request(row) for row in rows]


async def mark_handled(db: Database, request_id: int, by: int, now: datetime) -> bool:
    changed = await db.execute(
        "UPDATE contact_requests SET handled_at = ?, handled_by = ? "
        "WHERE id = ? AND handled_at IS NULL",
        (now.isoformat(), by, request_id),
    )
    return changed > 0


async def purge_handled_requests(db: Database, handled_before: datetime) -> int:
    """Delete requests handled before this instant (30 days after, by the privacy promise)."""
    return await db.execute(
        "DELETE FROM contact_requests WHERE handled_at IS NOT NULL AND handled_at < ?",
        (handled_before.isoformat(),),
    )


async def expired_contact_requests(db: Database, before: datetime) -> list[ContactRequest]:
    """Requests due for deletion: handled before `before`, or never handled and made before it
    (nobody keeps a request for ever because nobody answered it)."""
    rows = await db.fetch_all(
        "SELECT * FROM contact_requests WHERE coalesce(handled_at, created_at) < ? ORDER BY id",
        (before.isoformat(),),
    )
    return [_request(row) for row in rows]


@dataclass(frozen=True)
class Delivery:
    """A coordinator's copy of a contact request: the message in her private chat."""

    coordinator: int
    message_id: int
    locale: str | None  # hers, for changing the copy in her language


async def record_delivery(db: Database, request_id: int, coordinator: int, message_id: int) -> None:
    await db.execute(
        "INSERT OR REPLACE INTO contact_request_deliveries "
        "(request_id, coordinator_telegram_id, message_id) VALUES (?, ?, ?)",
        (request_id, coordinator, message_id),
    )


async def deliveries(db: Database, request_id: int) -> list[Delivery]:
    rows = await db.fetch_all(
        "SELECT d.coordinator_telegram_id, d.message_id, p.locale "
        "FROM contact_request_deliveries AS d "
        "LEFT JOIN people AS p ON p.telegram_id = d.coordinator_telegram_id "
        "WHERE d.request_id = ? ORDER BY d.coordinator_telegram_id",
        (request_id,),
    )
    return [Delivery(int(r[0]), int(r[1]), r[2]) for r in rows]


async def districts_taking_requests(db: Database) -> set[int]:
    """The districts with at least one coordinator the bot can still reach."""
    rows = await db.fetch_all(
        "SELECT DISTINCT m.district_id FROM memberships AS m "
        "JOIN people AS p ON p.telegram_id = m.telegram_id "
        "WHERE m.role = 'coordinator' AND p.unreachable_since IS NULL"
    )
    return {int(row[0]) for row in rows}


async def save_voice_note(
    db: Database, topic: str, locale: str, file_id: str, by: int, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO voice_notes (topic, locale, file_id, recorded_by, recorded_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic, locale) DO UPDATE SET "
        "file_id = excluded.file_id, recorded_by = excluded.recorded_by, "
        "recorded_at = excluded.recorded_at",
        (topic, locale, file_id, by, now.isoformat()),
    )


async def voice_note(db: Database, topic: str, locale: str) -> str | None:
    row = await db.fetch_one(
        "SELECT file_id FROM voice_notes WHERE topic = ? AND locale = ?", (topic, locale)
    )
    return str(row["file_id"]) if row else None


async def voice_notes_recorded(db: Database) -> list[tuple[str, str]]:
    """Every (topic, locale) that has a voice note."""
    rows = await db.fetch_all("SELECT topic, locale FROM voice_notes ORDER BY topic, locale")
    return [(str(row["topic"]), str(row["locale"])) for row in rows]


async def delete_voice_note(db: Database, topic: str, locale: str) -> bool:
    deleted = await db.execute(
        "DELETE FROM voice_notes WHERE topic = ? AND locale = ?", (topic, locale)
    )
    return deleted > 0


@dataclass(frozen=True)
class Coordinator:
    telegram_id: int
    locale: str | None


async def district_coordinators(db: Database, district_id: int) -> list[Coordinator]:
    """Who receives a district's contact requests: its coordinators the bot can still reach."""
    rows = await db.fetch_all(
        "SELECT m.telegram_id, p.locale FROM memberships AS m "
        "JOIN people AS p ON p.telegram_id = m.telegram_id "
        "WHERE m.district_id = ? AND m.role = 'coordinator' AND p.unreachable_since IS NULL "
        "ORDER BY m.telegram_id",
        (district_id,),
    )
    return [Coordinator(int(row["telegram_id"]), row["locale"]) for row in rows]


async def delete_contact_request(db: Database, request_id: int) -> None:
    """Take back a request nobody can receive: it is not kept for no one."""
    await db.execute("DELETE FROM contact_requests WHERE id = ?", (request_id,))
