"""Meeting ids are never reused and each meeting has a stable uid: the table rebuild keeps
every row, answer and reminder, and the cascades from them."""

from __future__ import annotations

from pathlib import Path

from storage.db import Database
from tests.support.rows import migrations_before

NOW = "2026-12-01T08:00:00+00:00"


async def test_the_rebuild_keeps_rows_and_ids_are_never_reused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    old = await Database.open(path, migrations_before("_meeting_ids.sql"))
    await old.execute("INSERT INTO districts (id, slug, name, phase) VALUES (1, 'alna', 'Alna', 3)")
    await old.execute("INSERT INTO people (telegram_id) VALUES (7)")
    for meeting_id in (1, 2):
        await old.execute(
            "INSERT INTO meetings (id, district_id, rule_key, starts_at, place) "
            "VALUES (?, 1, ?, ?, 'Furuset')",
            (meeting_id, f"2026-12-0{meeting_id}T18:00", f"2026-12-0{meeting_id}T17:00:00+00:00"),
        )
        await old.execute("INSERT INTO rsvps VALUES (?, 7, 'yes', ?)", (meeting_id, NOW))
        await old.execute(
            "INSERT INTO reminder_deliveries VALUES (?, 48, 7, ?, 'sent', ?)",
            (meeting_id, NOW, NOW),
        )
        await old.execute("INSERT INTO meeting_chat_posts VALUES (?, ?, 'sent')", (meeting_id, NOW))
    await old.close()

    db = await Database.open(path)
    try:
        rows = await db.fetch_all("SELECT id, uid, place FROM meetings ORDER BY id")
        assert [(r["id"], r["place"]) for r in rows] == [(1, "Furuset"), (2, "Furuset")]
        assert len({r["uid"] for r in rows}) == 2 and all(len(r["uid"]) == 32 for r in rows)
        for table in ("rsvps", "reminder_deliveries", "meeting_chat_posts"):
            count = await db.fetch_one(f"SELECT count(*) FROM {table}")
            assert count is not None and count[0] == 2, table
            refs = await db.fetch_all(f"PRAGMA foreign_key_list({table})")
            assert "meetings" in {r["table"] for r in refs}, table
        assert await db.fetch_all("PRAGMA foreign_key_check") == []
        # Deleting a meeting still takes its answers and reminders with it...
        await db.execute("DELETE FROM meetings WHERE id = 2")
        for table in ("rsvps", "reminder_deliveries", "meeting_chat_posts"):
            count = await db.fetch_one(f"SELECT count(*) FROM {table}")
            assert count is not None and count[0] == 1, table
        # ...and the next meeting never gets its id (nor its uid).
        await db.execute(
            "INSERT INTO meetings (district_id, starts_at) VALUES (1, '2026-12-20T17:00:00+00:00')"
        )
        newest = await db.fetch_one("SELECT max(id), count(DISTINCT uid) FROM meetings")
        assert newest is not None and newest[0] == 3 and newest[1] == 2
    finally:
        await db.close()
