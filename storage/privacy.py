"""What the bot stores about one person, and forgetting it (/mydata and /forget).

Every column that holds a person's Telegram id is listed once, in `PERSON_COLUMNS`, with what
forgetting does to it: her own rows are deleted; rows that belong to a district (an invite she
made, a phase change she recorded) stay, without her id. `unhandled_person_columns` reads the
live schema and names any column that looks like it holds a person but is not listed, so a new
table that stores people cannot slip past /forget: the tests fail, and `forget_person` refuses
to half-forget.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from storage.db import Database, StorageError
from storage.review import wordings_by

log = logging.getLogger(__name__)


class Forget(Enum):
    DELETE = "delete"  # the row is about her: it goes
    UNLINK = "unlink"  # the row belongs to a district: it stays, her id becomes NULL


@dataclass(frozen=True)
class PersonColumn:
    table: str
    column: str
    forget: Forget


# In the order `forget_person` works through them: `people` last, so that rows hanging off it
# are counted as they go instead of disappearing silently by ON DELETE CASCADE.
PERSON_COLUMNS: tuple[PersonColumn, ...] = (
    # Her reviewer rights go (before her memberships, whose trigger would take them silently);
    # the wordings and checks she made stay, for everyone reading that language, without her.
    PersonColumn("reviewers", "telegram_id", Forget.DELETE),
    PersonColumn("reviewers", "granted_by", Forget.UNLINK),
    PersonColumn("review_wordings", "suggested_by", Forget.UNLINK),
    PersonColumn("review_wordings", "approved_by", Forget.UNLINK),
    PersonColumn("review_checks", "checked_by", Forget.UNLINK),
    PersonColumn("memberships", "telegram_id", Forget.DELETE),
    PersonColumn("admins", "telegram_id", Forget.DELETE),
    PersonColumn("invite_uses", "telegram_id", Forget.DELETE),
    PersonColumn("invites", "created_by", Forget.UNLINK),
    PersonColumn("phase_changes", "changed_by", Forget.UNLINK),
    PersonColumn("contact_requests", "telegram_id", Forget.DELETE),
    PersonColumn("contact_requests", "handled_by", Forget.UNLINK),
    # A copy of a request in a coordinator's chat: forgetting her forgets where it is.
    PersonColumn("contact_request_deliveries", "coordinator_telegram_id", Forget.DELETE),
    PersonColumn("voice_notes", "recorded_by", Forget.UNLINK),
    PersonColumn("rsvps", "telegram_id", Forget.DELETE),
    PersonColumn("reminder_deliveries", "telegram_id", Forget.DELETE),
    PersonColumn("meetings", "changed_by", Forget.UNLINK),
    PersonColumn("broadcast_drafts", "created_by", Forget.DELETE),
    PersonColumn("awaiting", "telegram_id", Forget.DELETE),
    PersonColumn("fact_confirmations", "confirmed_by", Forget.UNLINK),
    PersonColumn("districts", "rule_changed_by", Forget.UNLINK),
    PersonColumn("announcements", "created_by", Forget.UNLINK),
    PersonColumn("outbox", "telegram_id", Forget.DELETE),
    # The basic training: her interest, places, reminders and card go; a cohort she opened
    # stays without her id, and her attendance stays as "a former participant" (no id, no name).
    PersonColumn("course_interest", "telegram_id", Forget.DELETE),
    PersonColumn("course_places", "telegram_id", Forget.DELETE),
    PersonColumn("course_reminders", "telegram_id", Forget.DELETE),
    PersonColumn("course_cards", "telegram_id", Forget.DELETE),
    # Her card and diploma waiting to be sent (or sent) go; so do those a forgotten
    # coordinator was to receive or hear about (she can no longer be told).
    PersonColumn("course_deliveries", "telegram_id", Forget.DELETE),
    PersonColumn("course_deliveries", "recipient_telegram_id", Forget.DELETE),
    PersonColumn("course_deliveries", "coordinator_telegram_id", Forget.DELETE),
    PersonColumn("course_attendance", "telegram_id", Forget.UNLINK),
    PersonColumn("cohorts", "created_by", Forget.UNLINK),
    # The drop-in: her morning reminders go; her shifts stay without her id (the report's
    # volunteer hours count them), so a future one becomes a free place again.
    PersonColumn("dropin_subscriptions", "chat_id", Forget.DELETE),
    PersonColumn("dropin_shifts", "telegram_id", Forget.UNLINK),
    PersonColumn("dropin_exceptions", "changed_by", Forget.UNLINK),
    PersonColumn("dropin_sessions", "rule_changed_by", Forget.UNLINK),
    PersonColumn("people", "telegram_id", Forget.DELETE),
)

# Columns whose names look like a person's id but are not one (none yet): "table.column".
NOT_A_PERSON: frozenset[str] = frozenset()


class _Reader(Protocol):
    """A Database, or a Transaction when the reading must happen inside one."""

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]: ...


_PERSON_LIKE = re.compile(r"^(telegram_id|.+_telegram_id|.+_by|user_id|.+_user_id)$")


async def collect_personal_data(db: Database, telegram_id: int) -> dict[str, Any]:
    """Everything stored about her, as plain JSON-able values grouped by table.

    Only her own data: invites she made say how often they were used, never by whom.
    """
    person = await db.fetch_one(
        "SELECT locale, unreachable_since FROM people WHERE telegram_id = ?", (telegram_id,)
    )
    admin = await db.fetch_one("SELECT added_at FROM admins WHERE telegram_id = ?", (telegram_id,))
    memberships = await db.fetch_all(
        """
        SELECT d.name AS district, m.role, m.display_name, m.joined_at, m.last_seen
          FROM memberships AS m JOIN districts AS d ON d.id = m.district_id
         WHERE m.telegram_id = ? ORDER BY m.joined_at, d.name
        """,
        (telegram_id,),
    )
    invite_uses = await db.fetch_all(
        """
        SELECT d.name AS district, i.role, u.used_at
          FROM invite_uses AS u
          JOIN invites AS i ON i.code_hash = u.code_hash
          JOIN districts AS d ON d.id = i.district_id
         WHERE u.telegram_id = ? ORDER BY u.used_at
        """,
        (telegram_id,),
    )
    invites = await db.fetch_all(
        """
        SELECT d.name AS district, i.role, i.created_at, i.expires_at, i.max_uses, i.uses,
               i.revoked_at
          FROM invites AS i JOIN districts AS d ON d.id = i.district_id
         WHERE i.created_by = ? ORDER BY i.created_at
        """,
        (telegram_id,),
    )
    phase_changes = await db.fetch_all(
        """
        SELECT d.name AS district, p.from_phase, p.to_phase, p.changed_at
          FROM phase_changes AS p JOIN districts AS d ON d.id = p.district_id
         WHERE p.changed_by = ? ORDER BY p.changed_at
        """,
        (telegram_id,),
    )
    contact_requests = await db.fetch_all(
        """
        SELECT d.name AS district, c.channel, c.contact, c.created_at, c.handled_at
          FROM contact_requests AS c JOIN districts AS d ON d.id = c.district_id
         WHERE c.telegram_id = ? ORDER BY c.created_at
        """,
        (telegram_id,),
    )
    # Copies of women's requests in her chat, as a coordinator: when, never whose.
    request_copies = await db.fetch_all(
        """
        SELECT d.name AS district, c.created_at
          FROM contact_request_deliveries AS cd
          JOIN contact_requests AS c ON c.id = cd.request_id
          JOIN districts AS d ON d.id = c.district_id
         WHERE cd.coordinator_telegram_id = ? ORDER BY c.created_at
        """,
        (telegram_id,),
    )
    rsvps = await db.fetch_all(
        """
        SELECT d.name AS district, m.starts_at AS meeting, r.answer, r.answered_at
          FROM rsvps AS r JOIN meetings AS m ON m.id = r.meeting_id
          JOIN districts AS d ON d.id = m.district_id
         WHERE r.telegram_id = ? ORDER BY m.starts_at
        """,
        (telegram_id,),
    )
    reminders = await db.fetch_all(
        """
        SELECT d.name AS district, m.starts_at AS meeting, rd.lead_hours, rd.claimed_at,
               rd.outcome
          FROM reminder_deliveries AS rd JOIN meetings AS m ON m.id = rd.meeting_id
          JOIN districts AS d ON d.id = m.district_id
         WHERE rd.telegram_id = ? ORDER BY m.starts_at, rd.lead_hours DESC
        """,
        (telegram_id,),
    )
    drafts = await db.fetch_all(
        "SELECT step, audience, body, original_locale, media_kind, versions, send_at, "
        "updated_at FROM broadcast_drafts WHERE created_by = ?",
        (telegram_id,),
    )
    # The question her next message answers (a meeting's note, her announcement's text).
    awaiting = await db.fetch_all(
        "SELECT question, answer_values, asked_at, until FROM awaiting WHERE telegram_id = ?",
        (telegram_id,),
    )
    # Help-guide facts she confirmed as an admin (where and when she checked them).
    confirmations = await db.fetch_all(
        "SELECT service_id, fact, source, checked_on, confirmed_at FROM fact_confirmations "
        "WHERE confirmed_by = ? ORDER BY id",
        (telegram_id,),
    )
    announcements = await db.fetch_all(
        "SELECT created_at, send_at, audience, body, media_kind FROM announcements "
        "WHERE created_by = ? ORDER BY id",
        (telegram_id,),
    )
    # Announcements sent to her: when, in which version, and how the delivery went.
    deliveries = await db.fetch_all(
        """
        SELECT a.created_at, o.locale, o.status, o.finished_at
          FROM outbox AS o JOIN announcements AS a ON a.id = o.announcement_id
         WHERE o.telegram_id = ? ORDER BY o.id
        """,
        (telegram_id,),
    )
    course = await _course_data(db, telegram_id)
    reviewer = await db.fetch_all(
        "SELECT locale, granted_at FROM reviewers WHERE telegram_id = ? ORDER BY locale",
        (telegram_id,),
    )
    dropin_reminders = await db.fetch_all(
        "SELECT s.slug AS session, ds.day, ds.outcome FROM dropin_subscriptions AS ds "
        "JOIN dropin_sessions AS s ON s.id = ds.session_id WHERE ds.chat_id = ? ORDER BY ds.day",
        (telegram_id,),
    )
    shifts = await db.fetch_all(
        "SELECT s.slug AS session, sh.day, sh.taken_at FROM dropin_shifts AS sh "
        "JOIN dropin_sessions AS s ON s.id = sh.session_id WHERE sh.telegram_id = ? "
        "ORDER BY sh.day",
        (telegram_id,),
    )
    # A session she changed with /sessions keeps who and when (the newer change wins over seed).
    sessions_changed = await db.fetch_all(
        "SELECT slug AS session, rule_changed_at FROM dropin_sessions WHERE rule_changed_by = ? "
        "ORDER BY rule_changed_at",
        (telegram_id,),
    )
    return {
        "telegram_id": telegram_id,
        "dropin_subscriptions": [dict(row) for row in dropin_reminders],
        "dropin_shifts": [dict(row) for row in shifts],
        "dropin_sessions_changed": [dict(row) for row in sessions_changed],
        "people": dict(person) if person else None,
        "memberships": [dict(row) for row in memberships],
        "admins": dict(admin) if admin else None,
        "invite_uses": [dict(row) for row in invite_uses],
        "invites": [dict(row) for row in invites],
        "phase_changes": [dict(row) for row in phase_changes],
        "contact_requests": [dict(row) for row in contact_requests],
        "contact_request_copies": [dict(row) for row in request_copies],
        "rsvps": [dict(row) for row in rsvps],
        "reminder_deliveries": [dict(row) for row in reminders],
        "broadcast_drafts": [dict(row) for row in drafts],
        "awaiting": [dict(row) for row in awaiting],
        "fact_confirmations": [dict(row) for row in confirmations],
        "announcements": [dict(row) for row in announcements],
        "outbox": [dict(row) for row in deliveries],
        "reviewers": [dict(row) for row in reviewer],
        "review_wordings": await wordings_by(db, telegram_id),
        **course,
    }


async def _course_data(db: Database, telegram_id: int) -> dict[str, Any]:
    """The basic training: her interest, her places, the evenings she came to and was reminded
    of, her ID cards (and whether they were sent), and the cohorts she opened as a coordinator."""
    queries = {
        "course_interest": """
            SELECT d.name AS district, i.name, i.phone, i.created_at
              FROM course_interest AS i JOIN districts AS d ON d.id = i.district_id
             WHERE i.telegram_id = ?""",
        "course_places": """
            SELECT c.name AS cohort, cp.name, cp.status, cp.position, cp.offer_expires_at,
                   cp.joined_at
              FROM course_places AS cp JOIN cohorts AS c ON c.id = cp.cohort_id
             WHERE cp.telegram_id = ? ORDER BY cp.joined_at""",
        "course_attendance": """
            SELECT c.name AS cohort, e.module, e.starts_at
              FROM course_attendance AS a JOIN course_evenings AS e ON e.id = a.evening_id
              JOIN cohorts AS c ON c.id = e.cohort_id
             WHERE a.telegram_id = ? ORDER BY e.starts_at""",
        "course_reminders": """
            SELECT e.module, e.starts_at, r.claimed_at, r.answer
              FROM course_reminders AS r JOIN course_evenings AS e ON e.id = r.evening_id
             WHERE r.telegram_id = ? ORDER BY e.starts_at""",
        "course_cards": """
            SELECT d.name AS district, k.name, k.issued_at, k.withdrawn_at
              FROM course_cards AS k JOIN districts AS d ON d.id = k.district_id
             WHERE k.telegram_id = ? ORDER BY k.issued_at""",
        "cohorts": "SELECT name, capacity, created_at FROM cohorts WHERE created_by = ?",
        # Her card and diploma being sent: what, and whether it arrived (no one else's name).
        "course_deliveries": """
            SELECT c.name AS cohort, k.kind, k.claimed_at, k.outcome
              FROM course_deliveries AS k JOIN cohorts AS c ON c.id = k.cohort_id
             WHERE k.telegram_id = ? ORDER BY k.id""",
    }
    return {
        key: [dict(row) for row in await db.fetch_all(sql, (telegram_id,))]
        for key, sql in queries.items()
    }


def stores_nothing(data: dict[str, Any]) -> bool:
    """Does a `collect_personal_data` result hold nothing but the id it was asked about?"""
    return not any(value for key, value in data.items() if key != "telegram_id")


async def forget_person(db: Database, telegram_id: int) -> dict[str, int]:
    """Delete her rows and unlink her id from the district's rows, in one transaction.

    Returns how many rows each table lost or had unlinked, keyed by table, zeros left out.
    """
    counts: dict[str, int] = {}
    async with db.transaction() as tx:
        unhandled = await _unhandled(tx)
        if unhandled:
            raise StorageError(
                "refusing to forget: storage/privacy.py does not handle " + ", ".join(unhandled)
            )
        # Zero the space her rows leave, so her name cannot be read back from the file
        # (SQLite's default, where not compiled otherwise, leaves it there).
        previous = await tx.fetch_one("PRAGMA secure_delete")
        await tx.execute("PRAGMA secure_delete = ON")
        for ref in PERSON_COLUMNS:
            if ref.forget is Forget.DELETE:
                sql = f"DELETE FROM {ref.table} WHERE {ref.column} = ?"  # noqa: S608
            else:
                sql = f"UPDATE {ref.table} SET {ref.column} = NULL WHERE {ref.column} = ?"  # noqa: S608
            changed = await tx.execute(sql, (telegram_id,))
            if changed:
                counts[ref.table] = counts.get(ref.table, 0) + changed
        await tx.execute(f"PRAGMA secure_delete = {int(previous[0]) if previous else 0}")
    # The WAL still holds the pages as they were before: copy it into the file and truncate it.
    if not await db.checkpoint():
        log.warning("a reader kept the database log open: forgotten data leaves it later")
    return counts


async def unhandled_person_columns(db: Database) -> list[str]:
    """Columns ("table.column") that look like they hold a person's id but that
    `PERSON_COLUMNS` does not handle: by name (telegram_id, *_by, *user_id) or by a foreign key
    to `people`."""
    return await _unhandled(db)


async def _unhandled(reader: _Reader) -> list[str]:
    handled = {f"{ref.table}.{ref.column}" for ref in PERSON_COLUMNS} | NOT_A_PERSON
    found: list[str] = []
    for table in await _tables(reader):
        keys = await reader.fetch_all("SELECT * FROM pragma_foreign_key_list(?)", (table,))
        pointing_at_people = {row["from"] for row in keys if row["table"] == "people"}
        for row in await reader.fetch_all("SELECT name FROM pragma_table_info(?)", (table,)):
            column = str(row["name"])
            looks_personal = _PERSON_LIKE.match(column) or column in pointing_at_people
            if looks_personal and f"{table}.{column}" not in handled:
                found.append(f"{table}.{column}")
    return found


async def tables_mentioning(db: Database, value: int) -> list[str]:
    """Every "table.column" in the whole database that holds this value, as the value itself
    or inside a text. Used by the tests to prove that forgetting leaves nothing behind."""
    found: list[str] = []
    for table in await _tables(db):
        for row in await db.fetch_all("SELECT name FROM pragma_table_info(?)", (table,)):
            column = _quoted(row["name"])
            hit = await db.fetch_one(
                f"SELECT 1 FROM {_quoted(table)} WHERE {column} = ? "  # noqa: S608
                f"OR (typeof({column}) = 'text' AND instr({column}, ?) > 0) LIMIT 1",
                (value, str(value)),
            )
            if hit is not None:
                found.append(f"{table}.{row['name']}")
    return found


async def _tables(reader: _Reader) -> list[str]:
    rows = await reader.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [str(row["name"]) for row in rows]


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
