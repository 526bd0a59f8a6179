"""Shifts and reminder subscriptions on dates the schedule no longer gives (a rule changed in the
bot or by `bydelsbot seed`): found, then removed one by one; removing one is its claim, so she
is told once (handlers/jobs/dropin.py) and nothing is left hanging on a date that is gone."""

from __future__ import annotations

from datetime import date

from storage.db import Database
from storage.dropin.rota import OwnedShift


async def coming_shifts(db: Database, first: date) -> list[OwnedShift]:
    """Every owned shift on `first` or later."""
    rows = await db.fetch_all(
        "SELECT id, session_id, day, telegram_id FROM dropin_shifts "
        "WHERE day >= ? AND telegram_id IS NOT NULL ORDER BY day, id",
        (first.isoformat(),),
    )
    return [
        OwnedShift(r["id"], r["session_id"], date.fromisoformat(r["day"]), r["telegram_id"])
        for r in rows
    ]


async def drop_shift(db: Database, shift_id: int) -> bool:
    """Remove a shift (its swap offer goes with it); False if another run removed it first."""
    return await db.execute("DELETE FROM dropin_shifts WHERE id = ?", (shift_id,)) > 0


async def coming_subscriptions(db: Database, first: date) -> list[tuple[int, int, date]]:
    """(chat id, session id, date) of every morning reminder asked for `first` or later."""
    rows = await db.fetch_all(
        "SELECT chat_id, session_id, day FROM dropin_subscriptions WHERE day >= ? "
        "ORDER BY day, session_id, chat_id",
        (first.isoformat(),),
    )
    return [(int(r["chat_id"]), int(r["session_id"]), date.fromisoformat(r["day"])) for r in rows]
