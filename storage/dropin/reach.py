"""The reach log (counts only) and the raw numbers of the reach report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from storage.db import Database


async def log_reach(
    db: Database,
    district_id: int,
    session_id: int | None,
    day: date,
    topic: str,
    women: int,
    now: datetime,
) -> None:
    """One count: how many women, about what, where and when; never who."""
    await db.execute(
        "INSERT INTO reach_logs (district_id, session_id, day, topic, women, logged_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (district_id, session_id, day.isoformat(), topic, women, now.isoformat()),
    )


@dataclass(frozen=True)
class ReachRow:
    day: date
    district: str
    topic: str
    women: int


@dataclass(frozen=True)
class ShiftRow:
    session_id: int
    day: date
    district: str
    volunteers: int  # shifts on that day, owned or left by a forgotten bydelsmor


def _scope(district_ids: Iterable[int] | None, column: str) -> tuple[str, list[int]]:
    """The condition that keeps a report to the given districts (all when None), on `column`:
    both reports join districts, so each names its own table's district_id."""
    if district_ids is None:
        return "", []
    ids = list(district_ids)
    return f" AND {column} IN ({','.join('?' for _ in ids) or 'NULL'})", ids


async def reach_rows(
    db: Database, first: date, last: date, district_ids: Iterable[int] | None
) -> list[ReachRow]:
    where, ids = _scope(district_ids, "r.district_id")
    rows = await db.fetch_all(
        f"SELECT r.day, d.name AS district, r.topic, sum(r.women) AS women "  # noqa: S608
        f"FROM reach_logs AS r JOIN districts AS d ON d.id = r.district_id "
        f"WHERE r.day BETWEEN ? AND ?{where} "
        f"GROUP BY r.day, d.name, r.topic ORDER BY r.day",
        (first.isoformat(), last.isoformat(), *ids),
    )
    return [
        ReachRow(date.fromisoformat(r["day"]), r["district"], r["topic"], r["women"]) for r in rows
    ]


async def shift_rows(
    db: Database, first: date, last: date, district_ids: Iterable[int] | None
) -> list[ShiftRow]:
    where, ids = _scope(district_ids, "s.district_id")
    rows = await db.fetch_all(
        f"SELECT sh.session_id, sh.day, d.name AS district, count(*) AS volunteers "  # noqa: S608
        f"FROM dropin_shifts AS sh JOIN dropin_sessions AS s ON s.id = sh.session_id "
        f"JOIN districts AS d ON d.id = s.district_id WHERE sh.day BETWEEN ? AND ?"
        f"{where} "
        f"GROUP BY sh.session_id, sh.day, d.name",
        (first.isoformat(), last.isoformat(), *ids),
    )
    return [
        ShiftRow(r["session_id"], date.fromisoformat(r["day"]), r["district"], r["volunteers"])
        for r in rows
    ]
