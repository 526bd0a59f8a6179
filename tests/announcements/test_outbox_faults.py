"""The outbox worker against a Bot API that fails in every way Telegram does, in any mix.

429 with retry_after pauses everything; 403 and "chat not found" block (and mark her
unreachable); 500 and a connection that timed out before anything was sent are retried with
backoff up to the limit; a read timeout after Telegram delivered ("lost") is uncertain, never
resent; a group that became a supergroup is followed. Through all of it: nobody gets a message
twice, nobody is lost, no limit is broken. The worker's clock and sleep are fakes, so nothing
here waits real time.
"""

from __future__ import annotations

import itertools
from collections import deque
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.outcome import Outcome
from storage.announcements.drafts import DraftRecord, save_draft
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from storage.districts import get_district
from storage.group_chats import link_chat
from tests.fakes.clock import START, FakeClock
from tests.fakes.scripted import (
    AUTHOR,
    Script,
    announce,
    expected_status,
    members,
    statuses,
    windows,
    world,
)

fault_kind = st.sampled_from(
    ["ok", "429:1", "429:7", "403", "notfound", "500", "timeout", "lost", "400"]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(fault_kind, max_size=7), min_size=1, max_size=14))
async def test_any_mix_of_faults_gives_each_woman_at_most_one_copy(
    faults: list[list[str]],
) -> None:
    script = Script(FakeClock())
    script.plans = {i + 1: deque(f) for i, f in enumerate(faults)}
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, len(faults))
        await announce(db, women, district_id)
        await worker.drain()

        found = await statuses(db)
        for i, plan in enumerate(faults, start=1):
            delivered = len(api.bot_messages_in(i))
            assert found[i] == expected_status(plan), (i, plan)
            arrived = found[i] == Outcome.SENT or (found[i] == Outcome.UNCERTAIN and "lost" in plan)
            assert delivered == (1 if arrived else 0), (i, plan)
        unreachable = await db.fetch_all(
            "SELECT telegram_id FROM people WHERE unreachable_since IS NOT NULL"
        )
        assert {r["telegram_id"] for r in unreachable} == {
            i for i, s in found.items() if s == Outcome.UNREACHABLE
        }

        # The right version, escaped: the fake renders HTML as Telegram does.
        for woman in women:
            for message in api.bot_messages_in(woman.telegram_id):
                want = "Kulan jimcaha" if woman.reads == "so" else "Møte <fredag> & mat"
                assert message["text"] == want

        # Limits, in fake time: nothing during a pause, 29 a second, one a second per chat.
        times = [t for t, _, _ in script.log]
        assert max(windows(times, 1.0)) <= 29
        for when, _, kind in script.log:
            if kind.startswith("429:"):
                pause = timedelta(seconds=int(kind[4:]))
                assert not [t for t, _, _ in script.log if when < t < when + pause]
        for chat in {c for _, c, _ in script.log}:
            mine = [t for t, c, _ in script.log if c == chat]
            assert all(b - a >= timedelta(seconds=1) for a, b in itertools.pairwise(mine))

        # The report reached the coordinator and counts what happened.
        report = api.bot_messages_in(AUTHOR)[-1]["text"]
        sent = sum(s == Outcome.SENT for s in found.values())
        assert report.startswith("📢 Announcement delivered: Alna: all members")
        assert f"✅ {sent} sent" in report
        blocked = sum(s == Outcome.UNREACHABLE for s in found.values())
        assert (f"🚫 {blocked} blocked" in report) == bool(blocked)


async def test_backoff_doubles_between_tries_of_a_server_error() -> None:
    script = Script(FakeClock())
    script.plans = {1: deque(["500", "timeout", "500"])}
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 1)
        await announce(db, women, district_id)
        await worker.drain()
        tries = [t for t, c, _ in script.log if c == 1]
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(tries)]
        assert [round(g) for g in gaps] == [2, 4, 8]
        assert len(api.bot_messages_in(1)) == 1


async def test_a_group_that_became_a_supergroup_is_followed_once() -> None:
    script = Script(FakeClock())
    async with world(script) as (db, api, worker):
        district_id, _ = await members(db, api, 0)
        old = api.group_chat(-100, "Alna bydelsmødre")
        await link_chat(db, district_id, -100, "Alna bydelsmødre")
        api.migrate(old, -1001000000100, api.user(AUTHOR, "Kari"))
        await save_draft(db, DraftRecord(AUTHOR, "confirm"), START)
        new = NewAnnouncement(AUTHOR, district_id, f"g{district_id}", "Hei alle", None, None, {},
                              START)  # fmt: skip
        await create_announcement(db, new, [Recipient(None, -100, None)], START)
        await worker.drain()
        assert [m["text"] for m in api.bot_messages_in(-1001000000100)] == ["Hei alle"]
        district = await get_district(db, district_id)
        assert district is not None and district.chat_id == -1001000000100
        row = await db.fetch_one("SELECT group_chat_id, status FROM outbox")
        assert row is not None and tuple(row) == (-1001000000100, "sent")


async def test_a_row_in_flight_at_a_crash_is_uncertain_and_never_resent() -> None:
    script = Script(FakeClock())
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 3)
        await announce(db, women, district_id)
        await db.execute("UPDATE outbox SET status = 'sending', attempts = 1 WHERE telegram_id = 2")
        assert await worker.recover() == 1
        await worker.drain()
        assert await statuses(db) == {1: "sent", 2: "uncertain", 3: "sent"}
        assert api.bot_messages_in(2) == []
        report = api.bot_messages_in(AUTHOR)[-1]["text"]
        assert "✅ 2 sent · ❓ 1 uncertain" in report
        assert "may or may not have arrived" in report


async def test_a_timeout_after_delivery_is_uncertain_and_never_resent() -> None:
    script = Script(FakeClock())
    script.plans = {1: deque(["lost"]), 2: deque(["timeout"])}
    async with world(script) as (db, api, worker):
        district_id, women = await members(db, api, 2)
        await announce(db, women, district_id)
        await worker.drain()
        assert await statuses(db) == {1: "uncertain", 2: "sent"}
        assert len(api.bot_messages_in(1)) == 1  # she has it once; it was not sent again
        assert [c for _, c, _ in script.log].count(1) == 1
        assert len(api.bot_messages_in(2)) == 1  # the connect timeout reached nobody: retried
        report = api.bot_messages_in(AUTHOR)[-1]["text"]
        assert "✅ 1 sent · ❓ 1 uncertain" in report
