"""ID cards: a random token per card (the QR code's link holds nothing else) and whether it is
still valid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Transaction


@dataclass(frozen=True)
class Card:
    token: str
    telegram_id: int
    district_id: int
    name: str
    issued_at: datetime
    withdrawn_at: datetime | None


async def issue_card(
    db: Database | Transaction,
    token: str,
    telegram_id: int,
    district_id: int,
    name: str,
    now: datetime,
) -> None:
    await db.execute(
        "INSERT INTO course_cards (token, telegram_id, district_id, name, issued_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (token, telegram_id, district_id, name, now.isoformat()),
    )


async def card_by_token(db: Database, token: str) -> Card | None:
    row = await db.fetch_one("SELECT * FROM course_cards WHERE token = ?", (token,))
    if row is None:
        return None
    return Card(
        row["token"],
        int(row["telegram_id"]),
        int(row["district_id"]),
        row["name"],
        datetime.fromisoformat(row["issued_at"]),
        datetime.fromisoformat(row["withdrawn_at"]) if row["withdrawn_at"] else None,
    )


async def cards_in(db: Database, district_id: int) -> list[Card]:
    rows = await db.fetch_all(
        "SELECT token FROM course_cards WHERE district_id = ? ORDER BY issued_at", (district_id,)
    )
    found = [await card_by_token(db, r["token"]) for r in rows]
    return [card for card in found if card is not None]


async def cards_of(db: Database, telegram_id: int) -> list[Card]:
    rows = await db.fetch_all(
        "SELECT token FROM course_cards WHERE telegram_id = ? ORDER BY issued_at", (telegram_id,)
    )
    found = [await card_by_token(db, r["token"]) for r in rows]
    return [card for card in found if card is not None]


async def withdraw_card(db: Database, token: str, now: datetime) -> bool:
    changed = await db.execute(
        "UPDATE course_cards SET withdrawn_at = ? WHERE token = ? AND withdrawn_at IS NULL",
        (now.isoformat(), token),
    )
    return changed == 1
