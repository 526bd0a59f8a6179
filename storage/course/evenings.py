"""A cohort's module evenings, who came to each, and the reminder the day before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database, Transaction


@dataclass(frozen=True)
class Evening:
    id: int
    cohort_id: int
    module: int | None  # None: a district's extra evening
    title: str | None
    starts_at: datetime
    minutes: int
    location_id: str | None
    location_name: str | None
    location_address: str | None
    latitude: float | None
    longitude: float | None
    lecturer: str | None
    cancelled_at: datetime | None


_SELECT = """
SELECT e.id, e.cohort_id, e.module, e.title, e.starts_at, e.minutes, e.location_id,
       l.name AS location_name, l.address AS location_address, l.latitude, l.longitude,
       e.lecturer, e.cancelled_at
  FROM course_evenings AS e LEFT JOIN locations AS l ON l.id = e.location_id
"""


def _evening(r: Row) -> Evening:
    return Evening(
        int(r["id"]),
        int(r["cohort_id"]),
        r["module"],
        r["title"],
        datetime.fromisoformat(r["starts_at"]),
        int(r["minutes"]),
        r["location_id"],
        r["location_name"],
        r["location_address"],
        r["latitude"],
        r["longitude"],
        r["lecturer"],
        datetime.fromisoformat(r["cancelled_at"]) if r["cancelled_at"] else None,
    )


async def add_evening(
    db: Database | Transaction,
    cohort_id: int,
    module: int | None,
    starts_at: datetime,
    minutes: int,
    location_id: str | None,
    lecturer: str | None,
    title: str | None = None,
) -> int:
    if isinstance(db, Database):
        async with db.transaction() as tx:
            return await add_evening(
                tx, cohort_id, module, starts_at, minutes, location_id, lecturer, title
            )
    await db.execute(
        "INSERT INTO course_evenings (cohort_id, module, title, starts_at, minutes, location_id, "
        "lecturer) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (cohort_id, module, title, starts_at.isoformat(), minutes, location_id, lecturer),
    )
    row = await db.fetch_one("SELECT last_insert_rowid() AS id")
    assert row is not None
    return int(row["id"])


async def evenings_of(db: Database | Transaction, cohort_id: int) -> list[Evening]:
    rows = await db.fetch_all(
        _SELECT + " WHERE e.cohort_id = ? ORDER BY e.starts_at, e.id", (cohort_id,)
    )
    return [_evening(row) for row in rows]


async def get_evening(db: Database | Transaction, evening_id: int) -> Evening | None:
    row = await db.fetch_one(_SELECT + " WHERE e.id = ?", (evening_id,))
    return _evening(row) if row else None


async def move_evening(tx: Transaction, evening_id: int, starts_at: datetime) -> None:
    # A moved evening is a new evening to remind of: the reminders already sent are dropped.
    await tx.execute(
        "UPDATE course_evenings SET starts_at = ? WHERE id = ?", (starts_at.isoformat(), evening_id)
    )
    await tx.execute("DELETE FROM course_reminders WHERE evening_id = ?", (evening_id,))


async def rename_evening(tx: Transaction, evening_id: int, title: str) -> None:
    await tx.execute("UPDATE course_evenings SET title = ? WHERE id = ?", (title, evening_id))


async def cancel_evening(tx: Transaction, evening_id: int, now: datetime) -> bool:
    changed = await tx.execute(
        "UPDATE course_evenings SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
        (now.isoformat(), evening_id),
    )
    return changed == 1


async def locations(db: Database) -> list[tuple[str, str]]:
    """(id, name) of the places from the seed file, for the place buttons."""
    rows = await db.fetch_all("SELECT id, name FROM locations ORDER BY name")
    return [(r["id"], r["name"]) for r in rows]


# -- attendance ---------------------------------------------------------------------------------


async def set_present(db: Database, evening_id: int, telegram_id: int, present: bool) -> None:
    if present:
        await db.execute(
            "INSERT OR IGNORE INTO course_attendance (evening_id, telegram_id) VALUES (?, ?)",
            (evening_id, telegram_id),
        )
    else:
        await db.execute(
            "DELETE FROM course_attendance WHERE evening_id = ? AND telegram_id = ?",
            (evening_id, telegram_id),
        )


async def present_at(db: Database, evening_id: int) -> set[int]:
    rows = await db.fetch_all(
        "SELECT telegram_id FROM course_attendance WHERE evening_id = ? AND telegram_id IS NOT "
        "NULL",
        (evening_id,),
    )
    return {int(r["telegram_id"]) for r in rows}


async def attendance_of(db: Database, cohort_id: int) -> dict[int, list[int | None]]:
    """For each evening of the cohort, who came (None: a former participant, forgotten)."""
    rows = await db.fetch_all(
        "SELECT a.evening_id, a.telegram_id FROM course_attendance AS a "
        "JOIN course_evenings AS e ON e.id = a.evening_id WHERE e.cohort_id = ?",
        (cohort_id,),
    )
    found: dict[int, list[int | None]] = {}
    for r in rows:
        found.setdefault(int(r["evening_id"]), []).append(r["telegram_id"])
    return found


async def modules_attended(db: Database, telegram_id: int) -> set[int]:
    """The modules she came to, in any cohort or catch-up evening."""
    rows = await db.fetch_all(
        "SELECT DISTINCT e.module FROM course_attendance AS a "
        "JOIN course_evenings AS e ON e.id = a.evening_id "
        "WHERE a.telegram_id = ? AND e.module IS NOT NULL",
        (telegram_id,),
    )
    return {int(r["module"]) for r in rows}


# -- reminders the day before -------------------------------------------------------------------


async def evenings_starting(db: Database, after: datetime, until: datetime) -> list[Evening]:
    rows = await db.fetch_all(
        _SELECT + " WHERE e.cancelled_at IS NULL AND e.starts_at > ? AND e.starts_at <= ? "
        "ORDER BY e.starts_at",
        (after.isoformat(), until.isoformat()),
    )
    return [_evening(row) for row in rows]


async def claim_evening_reminder(
    db: Database, evening_id: int, telegram_id: int, now: datetime
) -> bool:
    """Record, before sending, that her reminder goes out: never twice, even after a restart."""
    changed = await db.execute(
        "INSERT OR IGNORE INTO course_reminders (evening_id, telegram_id, claimed_at) "
        "VALUES (?, ?, ?)",
        (evening_id, telegram_id, now.isoformat()),
    )
    return changed == 1


async def answer_evening(db: Database, evening_id: int, telegram_id: int, answer: str) -> bool:
    changed = await db.execute(
        "UPDATE course_reminders SET answer = ? WHERE evening_id = ? AND telegram_id = ?",
        (answer, evening_id, telegram_id),
    )
    return changed == 1


async def evening_answers(db: Database, evening_ids: Sequence[int]) -> dict[tuple[int, int], str]:
    marks = ",".join("?" * len(evening_ids)) or "NULL"
    rows = await db.fetch_all(
        f"SELECT evening_id, telegram_id, answer FROM course_reminders "  # noqa: S608
        f"WHERE answer IS NOT NULL AND evening_id IN ({marks})",
        tuple(evening_ids),
    )
    return {(int(r["evening_id"]), int(r["telegram_id"])): r["answer"] for r in rows}
