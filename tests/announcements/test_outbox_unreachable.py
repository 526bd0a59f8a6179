"""One word for a recipient the bot cannot reach: migration 0020 renames the outbox's stored
'blocked' to 'unreachable' (bot/outcome.py), in the rows and in the counts kept after a purge,
and the report, the history and the progress read it as before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.broadcasts import counts_from
from bot.i18n import LANGUAGES, Language, translator
from bot.outcome import Outcome
from handlers.announcements.announcement_text import counts_line, report_text
from storage.announcements.reports import announcement_progress, status_counts, version_counts
from storage.db import Database
from tests.support.rows import migrations_before

NOW = "2026-12-01T08:00:00+00:00"


async def test_stored_blocked_becomes_unreachable_and_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    old = await Database.open(path, migrations_before("_outbox_unreachable.sql"))
    for announcement_id in (1, 2):
        await old.execute(
            "INSERT INTO announcements (id, audience, created_at, send_at, body) "
            "VALUES (?, 'm1', ?, ?, 'Hei')",
            (announcement_id, NOW, NOW),
        )
    for telegram_id, status in ((11, "sent"), (12, "blocked"), (13, "pending"), (14, "failed")):
        await old.execute(
            "INSERT INTO outbox (announcement_id, telegram_id, locale, status) "
            "VALUES (1, ?, 'so', ?)",
            (telegram_id, status),
        )
    kept = [["so", "sent", 3], ["so", "blocked", 2], [None, "uncertain", 1]]
    await old.execute(
        "UPDATE announcements SET report_counts = ?, purged_at = ? WHERE id = 2",
        (json.dumps(kept), NOW),
    )
    await old.close()

    db = await Database.open(path)
    try:
        rows = await db.fetch_all("SELECT status FROM outbox ORDER BY telegram_id")
        assert [r[0] for r in rows] == ["sent", "unreachable", "pending", "failed"]
        assert await announcement_progress(db, 1) == (3, 4)
        counts = await status_counts(db, [1, 2])
        first, second = counts_from(counts[1]), counts_from(counts[2])
        assert (first.sent, first.unreachable, first.failed, first.total) == (1, 1, 1, 4)
        assert (second.sent, second.unreachable, second.uncertain) == (3, 2, 1)
        assert ("so", Outcome.UNREACHABLE, 2) in await version_counts(db, 2)
        # The old word is no longer a state a row can be in.
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("UPDATE outbox SET status = 'blocked' WHERE telegram_id = 11")
    finally:
        await db.close()


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda lang: lang.code)
def test_the_report_names_the_unreachable_in_every_language(language: Language) -> None:
    t = translator(language.code)
    rows = [("so", Outcome.SENT.value, 3), ("so", Outcome.UNREACHABLE.value, 2)]
    text = report_text(t, "Alna", rows)
    blocked = "🚫 " + t._("{n} blocked").format(n=t.ltr(2))
    assert blocked in text and blocked in counts_line(t, counts_from([("unreachable", 2)]))
