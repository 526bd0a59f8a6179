"""Facts of the help guide's catalogue confirmed from the bot (see bot/confirmations.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.db import Database


@dataclass(frozen=True)
class ConfirmationRecord:
    service_id: str
    fact: str  # "phone:<number>" or "address"
    source: str
    checked_on: date


async def add_confirmation(
    db: Database, record: ConfirmationRecord, confirmed_by: int, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO fact_confirmations (service_id, fact, source, checked_on, confirmed_by, "
        "confirmed_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            record.service_id,
            record.fact,
            record.source,
            record.checked_on.isoformat(),
            confirmed_by,
            now.isoformat(),
        ),
    )


async def list_confirmations(db: Database) -> list[ConfirmationRecord]:
    """Every confirmation, oldest first (so that a later one wins when applied in order)."""
    rows = await db.fetch_all(
        "SELECT service_id, fact, source, checked_on FROM fact_confirmations ORDER BY id"
    )
    return [
        ConfirmationRecord(
            r["service_id"], r["fact"], r["source"], date.fromisoformat(r["checked_on"])
        )
        for r in rows
    ]
