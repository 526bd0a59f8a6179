"""The rota: who is on duty at each occurrence, swaps, and the messages the jobs claim.

Every change is one transaction, and the database has one writer at a time (storage/db.py), so
two presses at the same moment are decided one after the other: the maximum is counted inside
the transaction that adds the shift, and a swap moves the shift to its new owner in the same
transaction that checks it is still on offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from storage.db import Database, Transaction

ON_DUTY_ROLES = ("mother", "coordinator")


class Taken(StrEnum):
    TAKEN = "taken"
    FULL = "full"
    ALREADY = "already"
    NOT_MEMBER = "not_member"


class Accepted(StrEnum):
    ACCEPTED = "accepted"
    GONE = "gone"  # withdrawn, or another mother was faster
    ALREADY = "already"  # she is on duty that day already (or it is her own offer)
    NOT_MEMBER = "not_member"


@dataclass(frozen=True)
class Shift:
    id: int
    session_id: int
    day: date
    telegram_id: int
    name: str
    swap_id: int | None  # offered for a swap


async def shifts_on(db: Database, session_id: int, days: list[date]) -> dict[date, list[Shift]]:
    """The owned shifts of these occurrences, with the bydelsmor's name in the district."""
    found: dict[date, list[Shift]] = {day: [] for day in days}
    if not days:
        return found
    marks = ",".join("?" for _ in days)
    rows = await db.fetch_all(
        f"""
        SELECT sh.id, sh.session_id, sh.day, sh.telegram_id,
               coalesce(m.display_name, '?') AS name, sw.id AS swap_id
          FROM dropin_shifts AS sh
          JOIN dropin_sessions AS s ON s.id = sh.session_id
          LEFT JOIN memberships AS m
                 ON m.telegram_id = sh.telegram_id AND m.district_id = s.district_id
          LEFT JOIN dropin_swaps AS sw ON sw.shift_id = sh.id
         WHERE sh.session_id = ? AND sh.telegram_id IS NOT NULL AND sh.day IN ({marks})
         ORDER BY sh.taken_at, sh.id
        """,  # noqa: S608 - only placeholders
        (session_id, *(d.isoformat() for d in days)),
    )
    for row in rows:
        day = date.fromisoformat(row["day"])
        found.setdefault(day, []).append(
            Shift(row["id"], session_id, day, row["telegram_id"], row["name"], row["swap_id"])
        )
    return found


async def _is_on_duty_member(tx: Transaction, telegram_id: int, session_id: int) -> bool:
    row = await tx.fetch_one(
        "SELECT 1 FROM memberships AS m JOIN dropin_sessions AS s ON s.district_id = m.district_id "
        "WHERE s.id = ? AND m.telegram_id = ? AND m.role IN ('mother', 'coordinator')",
        (session_id, telegram_id),
    )
    return row is not None


async def take_shift(
    db: Database, session_id: int, day: date, telegram_id: int, now: datetime
) -> Taken:
    """Put her on duty, unless the occurrence has its maximum or she is no member (any more)."""
    async with db.transaction() as tx:
        if not await _is_on_duty_member(tx, telegram_id, session_id):
            return Taken.NOT_MEMBER
        rows = await tx.fetch_all(
            "SELECT telegram_id FROM dropin_shifts WHERE session_id = ? AND day = ? "
            "AND telegram_id IS NOT NULL",
            (session_id, day.isoformat()),
        )
        if any(r["telegram_id"] == telegram_id for r in rows):
            return Taken.ALREADY
        limit = await tx.fetch_one(
            "SELECT max_on_duty FROM dropin_sessions WHERE id = ?", (session_id,)
        )
        if limit is None or len(rows) >= limit["max_on_duty"]:
            return Taken.FULL
        await tx.execute(
            "INSERT INTO dropin_shifts (session_id, day, telegram_id, taken_at) "
            "VALUES (?, ?, ?, ?)",
            (session_id, day.isoformat(), telegram_id, now.isoformat()),
        )
    return Taken.TAKEN


async def withdraw_shift(db: Database, session_id: int, day: date, telegram_id: int) -> bool:
    changed = await db.execute(
        "DELETE FROM dropin_shifts WHERE session_id = ? AND day = ? AND telegram_id = ?",
        (session_id, day.isoformat(), telegram_id),
    )
    return changed > 0


async def offer_swap(
    db: Database, session_id: int, day: date, telegram_id: int, now: datetime
) -> int | None:
    """Offer her shift to the others; the swap's id, or None if she has no such shift."""
    async with db.transaction() as tx:
        shift = await tx.fetch_one(
            "SELECT id FROM dropin_shifts WHERE session_id = ? AND day = ? AND telegram_id = ?",
            (session_id, day.isoformat(), telegram_id),
        )
        if shift is None:
            return None
        await tx.execute(
            "INSERT OR IGNORE INTO dropin_swaps (shift_id, offered_at) VALUES (?, ?)",
            (shift["id"], now.isoformat()),
        )
        row = await tx.fetch_one("SELECT id FROM dropin_swaps WHERE shift_id = ?", (shift["id"],))
        assert row is not None
        return int(row["id"])


@dataclass(frozen=True)
class SwapOffer:
    swap_id: int
    shift_id: int
    session_id: int
    day: date
    offered_by: int


async def get_swap(db: Database, swap_id: int) -> SwapOffer | None:
    row = await db.fetch_one(
        "SELECT sw.id, sh.id AS shift_id, sh.session_id, sh.day, sh.telegram_id FROM dropin_swaps "
        "AS sw JOIN dropin_shifts AS sh ON sh.id = sw.shift_id WHERE sw.id = ? "
        "AND sh.telegram_id IS NOT NULL",
        (swap_id,),
    )
    if row is None:
        return None
    return SwapOffer(
        row["id"],
        row["shift_id"],
        row["session_id"],
        date.fromisoformat(row["day"]),
        row["telegram_id"],
    )


async def accept_swap(db: Database, swap_id: int, telegram_id: int, now: datetime) -> Accepted:
    """Move the offered shift to her: the offer ends with it, so a second press finds it gone
    and the shift always has exactly one owner."""
    async with db.transaction() as tx:
        row = await tx.fetch_one(
            "SELECT sh.id, sh.session_id, sh.day, sh.telegram_id FROM dropin_swaps AS sw "
            "JOIN dropin_shifts AS sh ON sh.id = sw.shift_id WHERE sw.id = ? "
            "AND sh.telegram_id IS NOT NULL",
            (swap_id,),
        )
        if row is None:
            return Accepted.GONE
        if not await _is_on_duty_member(tx, telegram_id, row["session_id"]):
            return Accepted.NOT_MEMBER
        mine = await tx.fetch_one(
            "SELECT 1 FROM dropin_shifts WHERE session_id = ? AND day = ? AND telegram_id = ?",
            (row["session_id"], row["day"], telegram_id),
        )
        if mine is not None:
            return Accepted.ALREADY
        await tx.execute("DELETE FROM dropin_swaps WHERE id = ?", (swap_id,))
        # A new owner: her own reminder the day before and her own question after the shift.
        await tx.execute(
            "UPDATE dropin_shifts SET telegram_id = ?, taken_at = ?, reminder_claimed_at = NULL, "
            "reminder_outcome = NULL, reach_claimed_at = NULL, reach_outcome = NULL WHERE id = ?",
            (telegram_id, now.isoformat(), row["id"]),
        )
    return Accepted.ACCEPTED


async def on_duty_counts(db: Database, session_id: int, days: list[date]) -> dict[date, int]:
    shifts = await shifts_on(db, session_id, days)
    return {day: len(found) for day, found in shifts.items()}


async def locales_of(
    db: Database, district_id: int, roles: tuple[str, ...]
) -> list[tuple[int, str]]:
    """(telegram id, language) of the district's members with these roles, reachable ones."""
    marks = ",".join("?" for _ in roles)
    rows = await db.fetch_all(
        f"SELECT m.telegram_id, coalesce(p.locale, d.default_locale) AS locale "  # noqa: S608
        f"FROM memberships AS m JOIN people AS p ON p.telegram_id = m.telegram_id "
        f"JOIN districts AS d ON d.id = m.district_id WHERE m.district_id = ? "
        f"AND m.role IN ({marks}) AND p.unreachable_since IS NULL ORDER BY m.telegram_id",
        (district_id, *roles),
    )
    return [(int(r["telegram_id"]), str(r["locale"])) for r in rows]


async def locale_of(db: Database, telegram_id: int) -> str:
    row = await db.fetch_one("SELECT locale FROM people WHERE telegram_id = ?", (telegram_id,))
    return str(row["locale"]) if row and row["locale"] else "nb"


# -- what the jobs claim ------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnedShift:
    id: int
    session_id: int
    day: date
    telegram_id: int


async def shifts_between(db: Database, first: date, last: date, column: str) -> list[OwnedShift]:
    """Owned shifts on local dates first..last whose `column` ('reminder' or 'reach') message
    is not claimed yet."""
    claimed = {"reminder": "reminder_claimed_at", "reach": "reach_claimed_at"}[column]
    rows = await db.fetch_all(
        f"SELECT id, session_id, day, telegram_id FROM dropin_shifts "  # noqa: S608
        f"WHERE day BETWEEN ? AND ? AND telegram_id IS NOT NULL AND {claimed} IS NULL "
        f"ORDER BY day, id",
        (first.isoformat(), last.isoformat()),
    )
    return [
        OwnedShift(r["id"], r["session_id"], date.fromisoformat(r["day"]), r["telegram_id"])
        for r in rows
    ]


async def claim_shift_message(db: Database, shift_id: int, column: str, now: datetime) -> bool:
    claimed = {"reminder": "reminder_claimed_at", "reach": "reach_claimed_at"}[column]
    changed = await db.execute(
        f"UPDATE dropin_shifts SET {claimed} = ? WHERE id = ? AND {claimed} IS NULL "  # noqa: S608
        f"AND telegram_id IS NOT NULL",
        (now.isoformat(), shift_id),
    )
    return changed > 0


async def finish_shift_message(db: Database, shift_id: int, column: str, outcome: str) -> None:
    done = {"reminder": "reminder_outcome", "reach": "reach_outcome"}[column]
    await db.execute(
        f"UPDATE dropin_shifts SET {done} = ? WHERE id = ?",  # noqa: S608
        (outcome, shift_id),
    )


async def claim_alert(db: Database, session_id: int, day: date, now: datetime) -> bool:
    """The understaffing alert, once per occurrence."""
    changed = await db.execute(
        "INSERT OR IGNORE INTO dropin_alerts (session_id, day, claimed_at) VALUES (?, ?, ?)",
        (session_id, day.isoformat(), now.isoformat()),
    )
    return changed > 0


async def finish_alert(db: Database, session_id: int, day: date, outcome: str) -> None:
    await db.execute(
        "UPDATE dropin_alerts SET outcome = ? WHERE session_id = ? AND day = ?",
        (outcome, session_id, day.isoformat()),
    )


async def interrupted_claims(db: Database) -> int:
    """Claims a stopped process never finished: marked, never resent."""
    total = 0
    for table, column in (
        ("dropin_shifts", "reminder"),
        ("dropin_shifts", "reach"),
    ):
        total += await db.execute(
            f"UPDATE {table} SET {column}_outcome = 'interrupted' "  # noqa: S608
            f"WHERE {column}_claimed_at IS NOT NULL AND {column}_outcome IS NULL"
        )
    total += await db.execute(
        "UPDATE dropin_subscriptions SET outcome = 'interrupted' "
        "WHERE claimed_at IS NOT NULL AND outcome IS NULL"
    )
    total += await db.execute(
        "UPDATE dropin_alerts SET outcome = 'interrupted' WHERE outcome IS NULL"
    )
    return total


async def my_shifts(db: Database, telegram_id: int, since: date) -> list[OwnedShift]:
    rows = await db.fetch_all(
        "SELECT id, session_id, day, telegram_id FROM dropin_shifts WHERE telegram_id = ? "
        "AND day >= ? ORDER BY day",
        (telegram_id, since.isoformat()),
    )
    return [
        OwnedShift(r["id"], r["session_id"], date.fromisoformat(r["day"]), r["telegram_id"])
        for r in rows
    ]
