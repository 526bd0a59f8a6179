"""The questions a chat's next message answers, for those that survive a restart.

One row per private chat: a new question replaces the old one. handlers/common/awaiting.py keeps the
same questions in memory (it must decide synchronously whether a message is an answer) and
writes them through to this table; at start-up it reads them back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database


@dataclass(frozen=True)
class AskedRecord:
    telegram_id: int
    question: str
    values: tuple[str, ...]
    until: datetime


async def save_question(
    db: Database,
    telegram_id: int,
    question: str,
    values: tuple[str, ...],
    now: datetime,
    until: datetime,
) -> None:
    """Store her open question, replacing whatever she was asked before."""
    await db.execute(
        "INSERT INTO awaiting (telegram_id, question, answer_values, asked_at, until) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET "
        "question = excluded.question, answer_values = excluded.answer_values, "
        "asked_at = excluded.asked_at, until = excluded.until",
        (telegram_id, question, json.dumps(list(values)), now.isoformat(), until.isoformat()),
    )


async def delete_question(db: Database, telegram_id: int) -> None:
    await db.execute("DELETE FROM awaiting WHERE telegram_id = ?", (telegram_id,))


async def open_questions(db: Database, now: datetime) -> list[AskedRecord]:
    """Every question still open at `now`; the closed ones are deleted."""
    await db.execute("DELETE FROM awaiting WHERE until <= ?", (now.isoformat(),))
    rows = await db.fetch_all("SELECT * FROM awaiting ORDER BY telegram_id")
    found = []
    for row in rows:
        values = json.loads(row["answer_values"])
        found.append(
            AskedRecord(
                int(row["telegram_id"]),
                str(row["question"]),
                tuple(str(v) for v in values) if isinstance(values, list) else (),
                datetime.fromisoformat(row["until"]),
            )
        )
    return found
