"""The completion's messages (each woman's ID card, each diploma to the coordinator) as rows:
written with the new roles in one transaction, claimed right before each send, and given an
outcome after it. See migration 0019 for what each state means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database, Transaction


@dataclass(frozen=True)
class Delivery:
    id: int
    cohort_id: int
    telegram_id: int
    kind: str  # 'card' or 'diploma'
    name: str
    card_token: str | None
    recipient: int
    coordinator: int
    claimed_at: datetime | None
    outcome: str | None

    @property
    def uncertain(self) -> bool:
        """Perhaps delivered, perhaps not: never sent again without the coordinator."""
        return self.outcome == "uncertain" or (self.claimed_at is not None and self.outcome is None)


def _delivery(r: Row) -> Delivery:
    return Delivery(
        int(r["id"]),
        int(r["cohort_id"]),
        int(r["telegram_id"]),
        r["kind"],
        r["name"],
        r["card_token"],
        int(r["recipient_telegram_id"]),
        int(r["coordinator_telegram_id"]),
        datetime.fromisoformat(r["claimed_at"]) if r["claimed_at"] else None,
        r["outcome"],
    )


async def add_delivery(
    tx: Transaction,
    cohort_id: int,
    telegram_id: int,
    kind: str,
    name: str,
    recipient: int,
    coordinator: int,
    card_token: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO course_deliveries (cohort_id, telegram_id, kind, name, card_token, "
        "recipient_telegram_id, coordinator_telegram_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cohort_id, telegram_id, kind) DO NOTHING",
        (cohort_id, telegram_id, kind, name, card_token, recipient, coordinator),
    )


async def unclaimed_deliveries(db: Database) -> list[Delivery]:
    rows = await db.fetch_all(
        "SELECT * FROM course_deliveries WHERE claimed_at IS NULL ORDER BY id"
    )
    return [_delivery(r) for r in rows]


async def deliveries_of(db: Database, cohort_id: int) -> list[Delivery]:
    rows = await db.fetch_all(
        "SELECT * FROM course_deliveries WHERE cohort_id = ? ORDER BY id", (cohort_id,)
    )
    return [_delivery(r) for r in rows]


async def get_delivery(db: Database, delivery_id: int) -> Delivery | None:
    row = await db.fetch_one("SELECT * FROM course_deliveries WHERE id = ?", (delivery_id,))
    return _delivery(row) if row else None


async def claim_delivery(db: Database, delivery_id: int, now: datetime) -> bool:
    """Right before the send: False if it was claimed already (by the job or a handler)."""
    changed = await db.execute(
        "UPDATE course_deliveries SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL",
        (now.isoformat(), delivery_id),
    )
    return changed == 1


async def record_outcome(db: Database, delivery_id: int, outcome: str) -> None:
    await db.execute(
        "UPDATE course_deliveries SET outcome = ? WHERE id = ?", (outcome, delivery_id)
    )


async def release_delivery(db: Database, delivery_id: int) -> None:
    """Telegram surely did not get it (refused connection, a 5xx, a 429): the next run of the
    course's job sends it again."""
    await db.execute(
        "UPDATE course_deliveries SET claimed_at = NULL, outcome = NULL WHERE id = ?",
        (delivery_id,),
    )


async def send_again(db: Database, delivery_id: int, cohort_id: int) -> bool:
    """The coordinator asks for an uncertain or failed one to be sent again (she has checked,
    or accepts a possible second copy). False if it is not uncertain or failed (any more)."""
    changed = await db.execute(
        "UPDATE course_deliveries SET claimed_at = NULL, outcome = NULL "
        "WHERE id = ? AND cohort_id = ? AND claimed_at IS NOT NULL "
        "AND (outcome IS NULL OR outcome IN ('uncertain', 'failed'))",
        (delivery_id, cohort_id),
    )
    return changed == 1
