"""Announcements: drafts, audiences, the announcement with its outbox, and delivery progress.

The announcement, its versions and one outbox row per recipient are written in one transaction
(`create_announcement`), which also deletes the draft: a second press of "send" finds no draft
and writes nothing. The worker then moves each row pending -> sending -> sent / failed /
blocked, one committed step at a time (`claim`, `finish`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from sqlite3 import Row

from storage.db import Database

# -- drafts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftRecord:
    created_by: int
    step: str
    district_id: int | None = None
    audience: str | None = None
    body: str | None = None
    media_kind: str | None = None
    media_file_id: str | None = None
    versions: dict[str, str] = field(default_factory=dict)
    editing_locale: str | None = None
    send_at: datetime | None = None
    original_locale: str | None = None  # the language of `body`; None: the assumed one
    updated_at: datetime | None = None  # when it was last saved (set by save_draft)


def _draft(row: Row) -> DraftRecord:
    return DraftRecord(
        created_by=row["created_by"],
        step=row["step"],
        district_id=row["district_id"],
        audience=row["audience"],
        body=row["body"],
        media_kind=row["media_kind"],
        media_file_id=row["media_file_id"],
        versions=json.loads(row["versions"]),
        editing_locale=row["editing_locale"],
        original_locale=row["original_locale"],
        send_at=datetime.fromisoformat(row["send_at"]) if row["send_at"] else None,
        updated_at=datetime.fromisoformat(row["updated_at"]) if row["updated_at"] else None,
    )


async def get_draft(db: Database, created_by: int) -> DraftRecord | None:
    row = await db.fetch_one("SELECT * FROM broadcast_drafts WHERE created_by = ?", (created_by,))
    return _draft(row) if row else None


async def save_draft(db: Database, draft: DraftRecord, now: datetime) -> None:
    """Store the whole draft (replacing her previous one): every step is kept as she takes it."""
    await db.execute(
        """
        INSERT INTO broadcast_drafts (created_by, step, district_id, audience, body, media_kind,
                                      media_file_id, versions, editing_locale, send_at,
                                      original_locale, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (created_by) DO UPDATE SET
            step = excluded.step, district_id = excluded.district_id,
            audience = excluded.audience, body = excluded.body,
            media_kind = excluded.media_kind, media_file_id = excluded.media_file_id,
            versions = excluded.versions, editing_locale = excluded.editing_locale,
            send_at = excluded.send_at, original_locale = excluded.original_locale,
            updated_at = excluded.updated_at
        """,
        (
            draft.created_by,
            draft.step,
            draft.district_id,
            draft.audience,
            draft.body,
            draft.media_kind,
            draft.media_file_id,
            json.dumps(draft.versions, sort_keys=True),
            draft.editing_locale,
            draft.send_at.isoformat() if draft.send_at else None,
            draft.original_locale,
            now.isoformat(),
        ),
    )


async def delete_draft(db: Database, created_by: int, steps: Sequence[str] | None = None) -> bool:
    """Delete her draft (only if it is at one of `steps`, when given); False if there was none."""
    if steps is None:
        changed = await db.execute(
            "DELETE FROM broadcast_drafts WHERE created_by = ?", (created_by,)
        )
    else:
        changed = await db.execute(
            "DELETE FROM broadcast_drafts WHERE created_by = ? "  # noqa: S608 - placeholders
            f"AND step IN ({', '.join('?' * len(steps))})",
            (created_by, *steps),
        )
    return changed > 0


# -- audiences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudienceMember:
    telegram_id: int
    locale: str | None  # the language she chose; None if she never chose one
    district_locale: str  # her district's default language (the first, if she has several)


def _reachable_where(
    district_ids: Sequence[int] | None, role: str | None
) -> tuple[str, list[object]]:
    where: list[str] = ["p.unreachable_since IS NULL"]
    params: list[object] = []
    if district_ids is not None:
        where.append(f"m.district_id IN ({', '.join('?' * len(district_ids))})")
        params.extend(district_ids)
    if role is not None:
        where.append("m.role = ?")
        params.append(role)
    return " AND ".join(where), params


async def reachable_members(
    db: Database, district_ids: Sequence[int] | None, role: str | None = None
) -> list[AudienceMember]:
    """The members of these districts (None: of every district), optionally of one role, each
    once, leaving out whoever blocked the bot: she is back once she writes to it again."""
    if district_ids is not None and not district_ids:
        return []
    where, params = _reachable_where(district_ids, role)
    rows = await db.fetch_all(
        f"""
        SELECT m.telegram_id, p.locale, d.default_locale, min(d.id)
          FROM memberships AS m
          JOIN people AS p ON p.telegram_id = m.telegram_id
          JOIN districts AS d ON d.id = m.district_id
         WHERE {where}
         GROUP BY m.telegram_id
         ORDER BY m.telegram_id
        """,  # noqa: S608 - the clauses are constants, the values parameters
        params,
    )
    return [AudienceMember(r["telegram_id"], r["locale"], r["default_locale"]) for r in rows]


async def count_reachable(
    db: Database, district_ids: Sequence[int] | None, role: str | None = None
) -> int:
    """How many `reachable_members` there are, counted in SQL (a screen shows the number only)."""
    if district_ids is not None and not district_ids:
        return 0
    where, params = _reachable_where(district_ids, role)
    row = await db.fetch_one(
        f"""
        SELECT count(DISTINCT m.telegram_id)
          FROM memberships AS m
          JOIN people AS p ON p.telegram_id = m.telegram_id
         WHERE {where}
        """,  # noqa: S608 - the clauses are constants, the values parameters
        params,
    )
    return int(row[0]) if row else 0


async def count_reachable_by_role(
    db: Database, district_id: int, roles: Sequence[str]
) -> tuple[int, list[int]]:
    """`count_reachable` for one district: all its members and each of these roles, in one
    query (the audience screen shows the four numbers at once)."""
    where, params = _reachable_where([district_id], None)
    per_role = "".join(
        ", count(DISTINCT CASE WHEN m.role = ? THEN m.telegram_id END)" for _ in roles
    )
    row = await db.fetch_one(
        f"""
        SELECT count(DISTINCT m.telegram_id){per_role}
          FROM memberships AS m
          JOIN people AS p ON p.telegram_id = m.telegram_id
         WHERE {where}
        """,  # noqa: S608 - the clauses are constants, the values parameters
        [*roles, *params],
    )
    if row is None:
        return 0, [0 for _ in roles]
    return int(row[0]), [int(n) for n in tuple(row)[1:]]


async def districts_in_phase(db: Database, phase: int) -> list[int]:
    rows = await db.fetch_all("SELECT id FROM districts WHERE phase = ? ORDER BY id", (phase,))
    return [int(row["id"]) for row in rows]


# -- announcements -----------------------------------------------------------------------------


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


_ANNOUNCEMENT = """
    SELECT a.id, a.district_id, d.name AS district_name, a.audience, a.created_by, a.created_at,
           a.send_at, a.body, a.media_kind, a.media_file_id, a.progress_message_id,
           a.reported_at, a.cancelled_at
      FROM announcements AS a LEFT JOIN districts AS d ON d.id = a.district_id
"""


def _announcement(row: Row) -> AnnouncementRecord:
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
    rows = await db.fetch_all(_ANNOUNCEMENT + where + " ORDER BY a.send_at", params)
    return [_announcement(row) for row in rows]


async def get_announcement(db: Database, announcement_id: int) -> AnnouncementRecord | None:
    row = await db.fetch_one(_ANNOUNCEMENT + " WHERE a.id = ?", (announcement_id,))
    return _announcement(row) if row else None


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
        _ANNOUNCEMENT + where + " ORDER BY a.id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return (int(total[0]) if total else 0), [_announcement(row) for row in rows]


async def set_progress_message(db: Database, announcement_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE announcements SET progress_message_id = ? WHERE id = ?",
        (message_id, announcement_id),
    )


async def mark_reported(db: Database, announcement_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE announcements SET reported_at = ? WHERE id = ?", (now.isoformat(), announcement_id)
    )


async def version_counts(db: Database, announcement_id: int) -> list[tuple[str | None, str, int]]:
    """(version locale or None for the original, status, how many), for the report (from the
    counts kept once the outbox rows were purged)."""
    kept = await db.fetch_one(
        "SELECT report_counts FROM announcements WHERE id = ? AND report_counts IS NOT NULL",
        (announcement_id,),
    )
    if kept is not None:
        return [(locale, status, int(n)) for locale, status, n in json.loads(kept[0])]
    rows = await db.fetch_all(
        "SELECT locale, status, count(*) AS n FROM outbox WHERE announcement_id = ? "
        "GROUP BY locale, status ORDER BY locale, status",
        (announcement_id,),
    )
    return [(row["locale"], row["status"], int(row["n"])) for row in rows]


async def status_counts(
    db: Database, announcement_ids: Sequence[int]
) -> dict[int, list[tuple[str, int]]]:
    """(status, how many) per announcement, for a page of the history."""
    if not announcement_ids:
        return {}
    rows = await db.fetch_all(
        "SELECT announcement_id, status, count(*) AS n FROM outbox "  # noqa: S608
        f"WHERE announcement_id IN ({', '.join('?' * len(announcement_ids))}) "
        "GROUP BY announcement_id, status",
        announcement_ids,
    )
    found: dict[int, list[tuple[str, int]]] = {i: [] for i in announcement_ids}
    for row in rows:
        found[int(row["announcement_id"])].append((row["status"], int(row["n"])))
    kept = await db.fetch_all(
        "SELECT id, report_counts FROM announcements "  # noqa: S608
        f"WHERE id IN ({', '.join('?' * len(announcement_ids))}) AND report_counts IS NOT NULL",
        announcement_ids,
    )
    for row in kept:
        found[int(row["id"])] = [(status, int(n)) for _, status, n in json.loads(row[1])]
    return found


async def purge_reported(db: Database, reported_before: datetime, now: datetime) -> int:
    """Forget what announcements reported before `reported_before` need no more: each one's
    outbox rows (who got it), versions, text and file become counts per version and status,
    which /broadcasts goes on showing. How many announcements were purged."""
    async with db.transaction() as tx:
        due = await tx.fetch_all(
            "SELECT id FROM announcements WHERE purged_at IS NULL AND reported_at IS NOT NULL "
            "AND reported_at <= ?",
            (reported_before.isoformat(),),
        )
        for row in due:
            announcement_id = int(row["id"])
            counts = await tx.fetch_all(
                "SELECT locale, status, count(*) AS n FROM outbox WHERE announcement_id = ? "
                "GROUP BY locale, status ORDER BY locale, status",
                (announcement_id,),
            )
            kept = [[r["locale"], r["status"], int(r["n"])] for r in counts]
            await tx.execute(
                "UPDATE announcements SET report_counts = ?, purged_at = ?, body = '', "
                "media_file_id = NULL WHERE id = ?",
                (json.dumps(kept), now.isoformat(), announcement_id),
            )
            await tx.execute("DELETE FROM outbox WHERE announcement_id = ?", (announcement_id,))
            await tx.execute(
                "DELETE FROM announcement_versions WHERE announcement_id = ?", (announcement_id,)
            )
    return len(due)


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


# -- the outbox, as the worker drains it -------------------------------------------------------


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
    """Record the outcome of the request: sent, failed or blocked."""
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


async def announcement_progress(db: Database, announcement_id: int) -> tuple[int, int]:
    """(finished, total) deliveries of one announcement."""
    row = await db.fetch_one(
        "SELECT count(*) AS total, "
        "sum(status IN ('sent', 'failed', 'blocked', 'uncertain')) AS finished "
        "FROM outbox WHERE announcement_id = ?",
        (announcement_id,),
    )
    if row is None:
        return 0, 0
    return int(row["finished"] or 0), int(row["total"] or 0)
