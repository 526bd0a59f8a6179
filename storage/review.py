"""Translation review: reviewer rights, suggested wordings, and checked messages.

A message is named by its English source (`msgid`) and `source_hash`, a hash of its whole source
that the caller computes; a row whose hash differs from today's source is out of date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database


@dataclass(frozen=True)
class Wording:
    id: int
    locale: str
    msgid: str
    source_hash: str
    forms: tuple[str, ...]
    status: str
    suggested_by: int | None


def _wording(row: Row) -> Wording:
    forms = tuple(str(form) for form in json.loads(row["forms"]))
    return Wording(
        row["id"],
        row["locale"],
        row["msgid"],
        row["source_hash"],
        forms,
        row["status"],
        row["suggested_by"],
    )


# -- reviewers ---------------------------------------------------------------------------------


async def reviewer_locales(db: Database, telegram_id: int) -> tuple[str, ...]:
    rows = await db.fetch_all(
        "SELECT locale FROM reviewers WHERE telegram_id = ? ORDER BY locale", (telegram_id,)
    )
    return tuple(str(row["locale"]) for row in rows)


async def set_reviewer(
    db: Database, telegram_id: int, locale: str, granted_by: int, now: datetime, *, on: bool
) -> bool:
    """Give or take away the right to review one language; False if nothing changed."""
    if on:
        changed = await db.execute(
            "INSERT INTO reviewers (telegram_id, locale, granted_by, granted_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (telegram_id, locale, granted_by, now.isoformat()),
        )
    else:
        changed = await db.execute(
            "DELETE FROM reviewers WHERE telegram_id = ? AND locale = ?", (telegram_id, locale)
        )
    return changed > 0


# -- checked messages --------------------------------------------------------------------------


async def checked_messages(db: Database, locale: str) -> dict[str, str]:
    """msgid -> source hash of every message of this language a native speaker has checked."""
    rows = await db.fetch_all(
        "SELECT msgid, source_hash FROM review_checks WHERE locale = ?", (locale,)
    )
    return {str(row["msgid"]): str(row["source_hash"]) for row in rows}


async def mark_good(
    db: Database, locale: str, msgid: str, source_hash: str, telegram_id: int, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO review_checks (locale, msgid, source_hash, checked_by, checked_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (locale, msgid) DO UPDATE SET "
        "source_hash = excluded.source_hash, checked_by = excluded.checked_by, "
        "checked_at = excluded.checked_at",
        (locale, msgid, source_hash, telegram_id, now.isoformat()),
    )


async def all_checks(db: Database) -> list[tuple[str, str, str, datetime]]:
    """(locale, msgid, source hash, when) of every check, for the export."""
    rows = await db.fetch_all(
        "SELECT locale, msgid, source_hash, checked_at FROM review_checks ORDER BY locale, msgid"
    )
    return [
        (row["locale"], row["msgid"], row["source_hash"], datetime.fromisoformat(row["checked_at"]))
        for row in rows
    ]


async def forget_check(db: Database, locale: str, msgid: str) -> None:
    """The source changed since the check: the message needs review again."""
    await db.execute("DELETE FROM review_checks WHERE locale = ? AND msgid = ?", (locale, msgid))


# -- wordings ----------------------------------------------------------------------------------

_WORDING = "SELECT id, locale, msgid, source_hash, forms, status, suggested_by FROM review_wordings"


async def suggest(
    db: Database,
    locale: str,
    msgid: str,
    source_hash: str,
    forms: tuple[str, ...],
    telegram_id: int,
    now: datetime,
) -> int:
    """Keep her wording as pending; her earlier pending wording of the same message goes."""
    async with db.transaction() as tx:
        await tx.execute(
            "DELETE FROM review_wordings WHERE locale = ? AND msgid = ? AND status = 'pending' "
            "AND suggested_by = ?",
            (locale, msgid, telegram_id),
        )
        await tx.execute(
            "INSERT INTO review_wordings (locale, msgid, source_hash, forms, suggested_by, "
            "suggested_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                locale,
                msgid,
                source_hash,
                json.dumps(list(forms), ensure_ascii=False),
                telegram_id,
                now.isoformat(),
            ),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid()")
    assert row is not None
    return int(row[0])


async def get_wording(db: Database, wording_id: int) -> Wording | None:
    row = await db.fetch_one(_WORDING + " WHERE id = ?", (wording_id,))
    return _wording(row) if row else None


async def pending_wordings(db: Database, locale: str) -> list[Wording]:
    rows = await db.fetch_all(
        _WORDING + " WHERE locale = ? AND status = 'pending' ORDER BY id", (locale,)
    )
    return [_wording(row) for row in rows]


async def live_wordings(db: Database) -> list[Wording]:
    rows = await db.fetch_all(_WORDING + " WHERE status = 'live' ORDER BY locale, msgid")
    return [_wording(row) for row in rows]


async def approve(db: Database, wording_id: int, telegram_id: int, now: datetime) -> bool:
    """Make a pending wording live (the one before it is replaced) and count the message as
    checked, all at once. False if it is no longer pending."""
    async with db.transaction() as tx:
        row = await tx.fetch_one(_WORDING + " WHERE id = ? AND status = 'pending'", (wording_id,))
        if row is None:
            return False
        # The live wording before it, and other wordings of the same message still waiting,
        # are replaced: one wording per message is live, and nobody is asked about the others.
        await tx.execute(
            "UPDATE review_wordings SET status = 'replaced' "
            "WHERE locale = ? AND msgid = ? AND status IN ('live', 'pending') AND id != ?",
            (row["locale"], row["msgid"], wording_id),
        )
        await tx.execute(
            "UPDATE review_wordings SET status = 'live', approved_by = ?, approved_at = ? "
            "WHERE id = ?",
            (telegram_id, now.isoformat(), wording_id),
        )
        await tx.execute(
            "INSERT INTO review_checks (locale, msgid, source_hash, checked_by, checked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (locale, msgid) DO UPDATE SET "
            "source_hash = excluded.source_hash, checked_by = excluded.checked_by, "
            "checked_at = excluded.checked_at",
            (row["locale"], row["msgid"], row["source_hash"], telegram_id, now.isoformat()),
        )
    return True


async def mark_stale(db: Database, wording_id: int) -> None:
    await db.execute(
        "UPDATE review_wordings SET status = 'stale' WHERE id = ? AND status IN "
        "('pending', 'live')",
        (wording_id,),
    )


async def wordings_by(db: Database, telegram_id: int) -> list[dict[str, object]]:
    """Her suggestions, for /mydata: language, source, wording, state, when."""
    rows = await db.fetch_all(
        "SELECT locale, msgid, forms, status, suggested_at FROM review_wordings "
        "WHERE suggested_by = ? ORDER BY id",
        (telegram_id,),
    )
    return [dict(row) for row in rows]
