"""The draft of an announcement she is composing: one per author, saved at every step."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from sqlite3 import Row

from storage.db import Database


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
