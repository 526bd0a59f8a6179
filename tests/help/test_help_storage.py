"""Storage for the help guide (issue 6): counts without people, requests that expire."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage import Database
from storage.districts import upsert_district
from storage.help import (
    count_view,
    create_contact_request,
    get_contact_request,
    mark_handled,
    open_contact_requests,
    purge_handled_requests,
    save_voice_note,
    view_counts,
    voice_note,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def test_views_are_counts_per_day_topic_and_language_only(db: Database) -> None:
    for _ in range(3):
        await count_view(db, date(2026, 11, 22), "violence", "so")
    await count_view(db, date(2026, 11, 21), "violence", "so")
    await count_view(db, date(2026, 10, 1), "pregnancy", "ar")
    counts = await view_counts(db, since=date(2026, 11, 1))
    assert [(c.topic, c.locale, c.views) for c in counts] == [("violence", "so", 4)]
    columns = await db.fetch_all("SELECT name FROM pragma_table_info('help_views')")
    assert {row["name"] for row in columns} == {"day", "topic", "locale", "views"}


async def test_contact_requests_are_deleted_30_days_after_they_are_handled(db: Database) -> None:
    alna = await upsert_district(db, "alna", "Alna", 3)
    old = await create_contact_request(db, 1, alna, "so", "phone", "+47 400 00 000", NOW)
    fresh = await create_contact_request(db, 2, alna, "ar", "telegram", "Hawa", NOW)
    waiting = await create_contact_request(db, 3, alna, "ti", "telegram", "Letay", NOW)
    assert await mark_handled(db, old, 99, NOW - timedelta(days=31))
    assert not await mark_handled(db, old, 98, NOW)  # handled once only
    assert await mark_handled(db, fresh, 99, NOW - timedelta(days=2))
    assert await purge_handled_requests(db, NOW - timedelta(days=30)) == 1
    assert await get_contact_request(db, old) is None
    assert await get_contact_request(db, fresh) is not None
    assert [r.id for r in await open_contact_requests(db, alna)] == [waiting]


async def test_a_new_voice_note_replaces_the_old_one(db: Database) -> None:
    assert await voice_note(db, "pregnancy", "so") is None
    await save_voice_note(db, "pregnancy", "so", "file-1", 7, NOW)
    await save_voice_note(db, "pregnancy", "so", "file-2", 8, NOW)
    assert await voice_note(db, "pregnancy", "so") == "file-2"
    assert await voice_note(db, "pregnancy", "ar") is None
