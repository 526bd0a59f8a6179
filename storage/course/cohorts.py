"""Cohorts (kull) and the places in them: admitted, offered a freed place, or waiting.

The waiting list's rules live in `bot/course/waitlist.py`; this module reads a cohort's places
inside a transaction and writes back the state the rules decided, so that every change (an
accept, a withdrawal, a coordinator's move) is one transaction and two presses at the same
moment are taken one after the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database, Transaction


@dataclass(frozen=True)
class Cohort:
    id: int
    district_id: int
    district_name: str
    kind: str  # 'course' or 'catchup'
    name: str
    capacity: int
    threshold: int
    created_at: datetime
    completed_at: datetime | None
    version: int


@dataclass(frozen=True)
class Place:
    telegram_id: int
    name: str
    status: str  # 'admitted', 'offered', 'waiting'
    position: int
    offer_expires_at: datetime | None
    offer_claimed_at: datetime | None
    joined_at: datetime
    locale: str | None = None
    unreachable: bool = False
    offer_outcome: str | None = None  # 'sent', 'uncertain' or 'failed' once claimed

    @property
    def offer_in_doubt(self) -> bool:
        """An open offer whose message perhaps never reached her: a timeout, a refusal, or a
        send cut off by a crash (claimed, no outcome). Never sent again by itself."""
        return (
            self.status == "offered"
            and self.offer_claimed_at is not None
            and self.offer_outcome != "sent"
        )


_COHORT = """
SELECT c.id, c.district_id, d.name AS district_name, c.kind, c.name, c.capacity, c.threshold,
       c.created_at, c.completed_at, c.version
  FROM cohorts AS c JOIN districts AS d ON d.id = c.district_id
"""


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _cohort(r: Row) -> Cohort:
    return Cohort(
        int(r["id"]),
        int(r["district_id"]),
        r["district_name"],
        r["kind"],
        r["name"],
        int(r["capacity"]),
        int(r["threshold"]),
        datetime.fromisoformat(r["created_at"]),
        _dt(r["completed_at"]),
        int(r["version"]),
    )


def _place(r: Row) -> Place:
    return Place(
        int(r["telegram_id"]),
        r["name"],
        r["status"],
        int(r["position"]),
        _dt(r["offer_expires_at"]),
        _dt(r["offer_claimed_at"]),
        datetime.fromisoformat(r["joined_at"]),
        r["locale"],
        bool(r["unreachable"]),
        r["offer_outcome"],
    )


async def create_cohort(
    db: Database,
    district_id: int,
    name: str,
    capacity: int,
    by: int | None,
    now: datetime,
    kind: str = "course",
) -> int:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO cohorts (district_id, kind, name, capacity, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (district_id, kind, name, capacity, by, now.isoformat()),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid() AS id")
    assert row is not None
    return int(row["id"])


async def get_cohort(db: Database | Transaction, cohort_id: int) -> Cohort | None:
    row = await db.fetch_one(_COHORT + " WHERE c.id = ?", (cohort_id,))
    return _cohort(row) if row else None


async def cohorts_in(db: Database, district_ids: Sequence[int]) -> list[Cohort]:
    """The cohorts of these districts, running ones first, newest first."""
    marks = ",".join("?" * len(district_ids)) or "NULL"
    rows = await db.fetch_all(
        _COHORT + f" WHERE c.district_id IN ({marks}) "
        "ORDER BY c.completed_at IS NOT NULL, c.created_at DESC, c.id DESC",
        tuple(district_ids),
    )
    return [_cohort(row) for row in rows]


async def places_of(db: Database | Transaction, cohort_id: int) -> list[Place]:
    """Admitted (by name), offered and waiting (in order) women of a cohort."""
    rows = await db.fetch_all(
        """
        SELECT cp.*, p.locale, p.unreachable_since IS NOT NULL AS unreachable
          FROM course_places AS cp JOIN people AS p ON p.telegram_id = cp.telegram_id
         WHERE cp.cohort_id = ?
         ORDER BY CASE cp.status WHEN 'admitted' THEN 0 WHEN 'offered' THEN 1 ELSE 2 END,
                  cp.position, cp.name COLLATE NOCASE
        """,
        (cohort_id,),
    )
    return [_place(row) for row in rows]


async def places_of_person(db: Database, telegram_id: int) -> list[tuple[Cohort, Place]]:
    rows = await db.fetch_all(
        "SELECT cohort_id FROM course_places WHERE telegram_id = ? ORDER BY cohort_id",
        (telegram_id,),
    )
    found = []
    for row in rows:
        cohort = await get_cohort(db, int(row["cohort_id"]))
        places = [
            p for p in await places_of(db, int(row["cohort_id"])) if p.telegram_id == telegram_id
        ]
        if cohort is not None and places:
            found.append((cohort, places[0]))
    return found


async def save_places(
    tx: Transaction,
    cohort_id: int,
    capacity: int,
    admitted: Sequence[int],
    offers: Sequence[tuple[int, datetime]],
    waiting: Sequence[int],
    names: Mapping[int, str],
    now: datetime,
) -> None:
    """Write a cohort's places as the waiting list's rules left them (inside the caller's
    transaction). An offer that was already open keeps its claim, so it is never sent twice."""
    old = {p.telegram_id: p for p in await places_of(tx, cohort_id)}
    await tx.execute("DELETE FROM course_places WHERE cohort_id = ?", (cohort_id,))
    rows: list[tuple[int, str, int, datetime | None]] = [(w, "admitted", 0, None) for w in admitted]
    rows += [(w, "offered", 0, expires) for w, expires in offers]
    rows += [(w, "waiting", i + 1, None) for i, w in enumerate(waiting)]
    for who, status, position, expires in rows:
        before = old.get(who)
        claimed, outcome = None, None
        if before is not None and before.status == "offered" and status == "offered":
            claimed, outcome = before.offer_claimed_at, before.offer_outcome
        name = before.name if before is not None else names[who]
        joined = before.joined_at if before is not None else now
        await tx.execute(
            "INSERT INTO course_places (cohort_id, telegram_id, name, status, position, "
            "offer_expires_at, offer_claimed_at, offer_outcome, joined_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cohort_id,
                who,
                name,
                status,
                position,
                expires.isoformat() if expires else None,
                claimed.isoformat() if claimed else None,
                outcome,
                joined.isoformat(),
            ),
        )
    await tx.execute("UPDATE cohorts SET capacity = ? WHERE id = ?", (capacity, cohort_id))


async def bump_version(tx: Transaction, cohort_id: int, seen: int) -> bool:
    """Take the cohort for a coordinator's change, if nobody changed it since she saw `seen`."""
    changed = await tx.execute(
        "UPDATE cohorts SET version = version + 1 WHERE id = ? AND version = ?", (cohort_id, seen)
    )
    return changed == 1


async def claim_offer(db: Database, cohort_id: int, telegram_id: int, now: datetime) -> bool:
    """Mark an open offer's message as being sent, right before it is sent: a restart never
    sends the same offer twice. False if it was claimed already or is no longer open."""
    return (
        await db.execute(
            "UPDATE course_places SET offer_claimed_at = ? WHERE cohort_id = ? AND telegram_id = ? "
            "AND status = 'offered' AND offer_claimed_at IS NULL",
            (now.isoformat(), cohort_id, telegram_id),
        )
        == 1
    )


async def record_offer_outcome(
    db: Database, cohort_id: int, telegram_id: int, outcome: str | None, *, release: bool = False
) -> None:
    """What came of an offer's message; `release` un-claims it (Telegram surely did not get it:
    the next run sends it again)."""
    await db.execute(
        "UPDATE course_places SET offer_outcome = ?, "
        "offer_claimed_at = CASE WHEN ? THEN NULL ELSE offer_claimed_at END "
        "WHERE cohort_id = ? AND telegram_id = ? AND status = 'offered'",
        (outcome, release, cohort_id, telegram_id),
    )


async def offer_again(db: Database, cohort_id: int, telegram_id: int) -> bool:
    """The coordinator sends an offer in doubt again: False if it is not in doubt (any more)."""
    changed = await db.execute(
        "UPDATE course_places SET offer_claimed_at = NULL, offer_outcome = NULL "
        "WHERE cohort_id = ? AND telegram_id = ? AND status = 'offered' "
        "AND offer_claimed_at IS NOT NULL AND (offer_outcome IS NULL OR offer_outcome != 'sent')",
        (cohort_id, telegram_id),
    )
    return changed == 1


async def unsent_offers(db: Database) -> list[tuple[int, int]]:
    """(cohort, woman) of open offers whose message has not been claimed yet."""
    rows = await db.fetch_all(
        "SELECT cohort_id, telegram_id FROM course_places "
        "WHERE status = 'offered' AND offer_claimed_at IS NULL ORDER BY offer_expires_at"
    )
    return [(int(r["cohort_id"]), int(r["telegram_id"])) for r in rows]


async def next_offer_expiry(db: Database) -> datetime | None:
    row = await db.fetch_one(
        "SELECT min(offer_expires_at) AS at FROM course_places WHERE status = 'offered'"
    )
    return _dt(row["at"]) if row else None


async def cohorts_with_offers_due(db: Database, now: datetime) -> list[int]:
    rows = await db.fetch_all(
        "SELECT DISTINCT cohort_id FROM course_places "
        "WHERE status = 'offered' AND offer_expires_at <= ?",
        (now.isoformat(),),
    )
    return [int(r["cohort_id"]) for r in rows]


async def complete_cohort(tx: Transaction, cohort_id: int, now: datetime) -> bool:
    changed = await tx.execute(
        "UPDATE cohorts SET completed_at = ?, version = version + 1 "
        "WHERE id = ? AND completed_at IS NULL",
        (now.isoformat(), cohort_id),
    )
    return changed == 1


async def make_participant(
    tx: Transaction, telegram_id: int, district_id: int, name: str, now: datetime
) -> None:
    """An admitted woman becomes a participant of the district (a bydelsmor or coordinator
    keeps her role)."""
    await tx.execute(
        "INSERT INTO memberships (telegram_id, district_id, role, display_name, joined_at) "
        "VALUES (?, ?, 'participant', ?, ?) ON CONFLICT (telegram_id, district_id) DO NOTHING",
        (telegram_id, district_id, name, now.isoformat()),
    )


async def drop_participant(tx: Transaction, telegram_id: int, district_id: int) -> None:
    """A woman who left her last place stops being a participant of the district."""
    await tx.execute(
        """
        DELETE FROM memberships
         WHERE telegram_id = ? AND district_id = ? AND role = 'participant'
           AND NOT EXISTS (SELECT 1 FROM course_places AS cp
                             JOIN cohorts AS c ON c.id = cp.cohort_id
                            WHERE cp.telegram_id = memberships.telegram_id AND c.kind = 'course'
                              AND c.district_id = memberships.district_id
                              AND cp.status = 'admitted')
        """,
        (telegram_id, district_id),
    )


async def make_mother(
    tx: Transaction, telegram_id: int, district_id: int, name: str, now: datetime
) -> None:
    """She completed the training: a bydelsmor of the district (a coordinator stays one)."""
    await tx.execute(
        "INSERT INTO memberships (telegram_id, district_id, role, display_name, joined_at) "
        "VALUES (?, ?, 'mother', ?, ?) ON CONFLICT (telegram_id, district_id) DO UPDATE "
        "SET role = 'mother' WHERE memberships.role = 'participant'",
        (telegram_id, district_id, name, now.isoformat()),
    )
