"""The outbox worker's finer points, in fake time: one rate plan however many senders wait on
it, a failed database write that must not leave a row `sending`, a 429 on the coordinator's
progress or report, and the progress message itself (HTML, at most every few seconds, left
alone once she deleted it, the report at most once)."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import handlers.jobs.announcements.reports as reports_module
import handlers.jobs.announcements.rows as rows_module
from bot.broadcasts import PROGRESS_EVERY, counts_from
from bot.offline.state import JSON
from handlers.common.context import SERVICES_KEY
from handlers.jobs.announcements.purge import purge_announcements
from storage import Database
from storage.announcements.outbox import busy, finish
from storage.announcements.records import get_announcement, set_progress_message
from storage.announcements.reports import mark_reported, status_counts, version_counts
from storage.districts import upsert_district
from tests.fakes.clock import FakeClock
from tests.fakes.scripted import AUTHOR, Script, announce, members, statuses, world
from tests.fakes.telegram import checked_api
from tests.support.restart import restarted

NOT_FOUND = (400, {"ok": False, "error_code": 400,
                   "description": "Bad Request: message to edit not found"})  # fmt: skip
NOT_MODIFIED = (400, {"ok": False, "error_code": 400,
                      "description": "Bad Request: message is not modified"})  # fmt: skip


def too_many(after: int) -> tuple[int, JSON]:
    return 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": after},
                 "description": f"Too Many Requests: retry after {after}"}  # fmt: skip


async def with_progress(worker: Any, api: Any, announcement_id: int) -> int:
    """The confirmation message the worker edits into the progress, as the handler leaves it."""
    message = await worker.bot.send_message(AUTHOR, "📢 Sending")
    await set_progress_message(worker.db, announcement_id, message.message_id)
    return int(message.message_id)


async def test_two_senders_to_one_chat_never_share_a_turn() -> None:
    script = Script(FakeClock())
    async with world(script) as (_db, _api, worker):
        worker.plan.record(7, script.clock.now.timestamp())  # a message just went to chat 7
        went: list[datetime] = []

        async def sender() -> None:
            await worker.pace(7)
            went.append(script.clock.now)

        await asyncio.gather(sender(), sender(), sender())
        gaps = [b - a for a, b in itertools.pairwise(sorted(went))]
        assert len(went) == 3 and all(g >= timedelta(seconds=1) for g in gaps), went


async def test_a_failed_status_write_leaves_no_row_sending(monkeypatch: Any) -> None:
    script = Script(FakeClock())
    real_finish = finish
    failures = deque(["boom"])

    async def flaky_finish(*args: Any) -> None:
        if failures:
            failures.popleft()
            raise RuntimeError("database is locked")
        await real_finish(*args)

    monkeypatch.setattr(rows_module, "finish", flaky_finish)
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 2)
        await announce(db, women, district_id)
        await worker.drain()
        # Woman 1's message went; writing "sent" failed: uncertain, reported, never resent.
        assert await statuses(db) == {1: "uncertain", 2: "sent"}
        assert len(api.bot_messages_in(1)) == 1
        assert "❓ 1 uncertain" in api.bot_messages_in(AUTHOR)[-1]["text"]
        assert not await busy(db, script.clock.now)


async def test_the_report_is_sent_at_most_once_when_marking_it_fails(monkeypatch: Any) -> None:
    script = Script(FakeClock())
    real_mark = mark_reported
    failures = deque(["boom"])

    async def flaky_mark(*args: Any) -> None:
        if failures:
            failures.popleft()
            raise RuntimeError("disk I/O error")
        await real_mark(*args)

    monkeypatch.setattr(reports_module, "mark_reported", flaky_mark)
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 1)
        await announce(db, women, district_id)
        await worker.drain()
        reports = [m for m in api.bot_messages_in(AUTHOR) if "delivered" in m["text"]]
        assert len(reports) == 1


async def test_progress_is_html_and_edited_at_most_every_few_seconds() -> None:
    script = Script(FakeClock())
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 150)
        await upsert_district(db, "alna", "Alna & Grorud", 3)
        announcement_id = await announce(db, women, district_id)
        message_id = await with_progress(worker, api, announcement_id)
        edits: list[datetime] = []
        api.listeners.append(
            lambda event, payload: edits.append(script.clock.now) if event == "edit" else None
        )
        await worker.drain()
        assert len(edits) >= 3
        gaps = [b - a for a, b in itertools.pairwise(edits)]
        assert all(g >= timedelta(seconds=PROGRESS_EVERY) for g in gaps[:-1]), gaps
        final = next(m for m in api.bot_messages_in(AUTHOR) if m["message_id"] == message_id)
        assert final["text"] == "📢 Sending: Alna & Grorud: all members\n▓▓▓▓▓▓▓▓▓▓ 150 / 150"


@pytest.mark.parametrize("answer", ["not modified", "deleted"])
async def test_a_progress_message_not_modified_or_deleted_breaks_nothing(answer: str) -> None:
    script = Script(FakeClock())
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 150)
        announcement_id = await announce(db, women, district_id)
        await with_progress(worker, api, announcement_id)
        tries = 0

        def refuse_edits(method: str, params: JSON) -> tuple[int, JSON] | None:
            nonlocal tries
            if method == "editMessageText":
                tries += 1
                return NOT_MODIFIED if answer == "not modified" else NOT_FOUND
            return script.fault(method, params)

        api.fault = refuse_edits
        await worker.drain()
        assert await statuses(db) == {i: "sent" for i in range(1, 151)}
        assert "✅ 150 sent" in api.bot_messages_in(AUTHOR)[-1]["text"]
        if answer == "deleted":
            assert tries == 1  # she deleted it: never tried again, not even for the last edit
        else:
            assert tries > 2


async def test_a_429_on_the_report_pauses_every_send_and_the_report_still_comes() -> None:
    script = Script(FakeClock())
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 2)
        await announce(db, women, district_id)
        answers = deque([too_many(5)])

        def once(method: str, params: JSON) -> tuple[int, JSON] | None:
            if method == "sendMessage" and int(params["chat_id"]) == AUTHOR and answers:
                return answers.popleft()
            return script.fault(method, params)

        api.fault = once
        await worker.drain()
        paused_at = script.clock.now.timestamp()
        assert worker.plan.paused(paused_at - 1)  # the plan was paused by the report's 429
        assert "✅ 2 sent" in api.bot_messages_in(AUTHOR)[-1]["text"]


async def test_30_days_after_the_report_only_the_counts_are_kept() -> None:
    script = Script(FakeClock())
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 3)
        script.plans = {2: deque(["403"])}
        announcement_id = await announce(db, women, district_id)
        await worker.drain()
        before = await version_counts(db, announcement_id)
        reported = script.clock.now

        assert await purge_announcements(db, reported + timedelta(days=29)) == 0
        assert len(await db.fetch_all("SELECT * FROM outbox")) == 3

        assert await purge_announcements(db, reported + timedelta(days=30, seconds=1)) == 1
        assert await db.fetch_all("SELECT * FROM outbox") == []  # her Telegram id: gone
        assert await db.fetch_all("SELECT * FROM announcement_versions") == []
        record = await get_announcement(db, announcement_id)
        assert record is not None and record.body == "" and record.media_file_id is None
        # The report is still there, in the same counts per version and status.
        assert await version_counts(db, announcement_id) == before
        statuses_kept = await status_counts(db, [announcement_id])
        kept = counts_from(statuses_kept[announcement_id])
        assert (kept.total, kept.sent, kept.unreachable, kept.done) == (3, 2, 1, True)
        assert await purge_announcements(db, reported + timedelta(days=31)) == 0  # once


async def test_start_up_purges_old_announcements_and_schedules_the_nightly_purge(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "bot.sqlite3"
    db = await Database.open(db_path)
    district_id, women = await members(db, checked_api(), 2)
    announcement_id = await announce(db, women, district_id)
    await db.execute("UPDATE outbox SET status = 'sent'")
    await mark_reported(db, announcement_id, datetime.now(UTC) - timedelta(days=31))
    await db.close()

    async with restarted(db_path, checked_api()) as application:
        services = application.bot_data[SERVICES_KEY]
        assert await services.db.fetch_all("SELECT * FROM outbox") == []
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name("announcements-purge")
        assert job.callback.__name__ == "announcements_purge_job"
