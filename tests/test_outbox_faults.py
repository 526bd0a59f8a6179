"""The outbox worker against a Bot API that fails in every way Telegram does, in any mix.

429 with retry_after pauses everything; 403 and "chat not found" block (and mark her
unreachable); 500 and a connection that timed out before anything was sent are retried with
backoff up to the limit; a read timeout after Telegram delivered ("lost") is uncertain, never
resent; a group that became a supergroup is followed. Through all of it: nobody gets a message
twice, nobody is lost, no limit is broken. The worker's clock and sleep are fakes, so nothing
here waits real time.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Bot
from telegram.error import TimedOut
from telegram.request import RequestData

from bot.broadcasts import MAX_ATTEMPTS, Candidate, Status, deliveries
from bot.offline_api import JSON, OfflineBotApi, OfflineRequest
from handlers.announcements.outbox import Clock, OutboxWorker
from storage import Database
from storage.broadcasts import (
    DraftRecord,
    NewAnnouncement,
    Recipient,
    create_announcement,
    save_draft,
)
from storage.districts import get_district, upsert_district
from storage.group_chats import link_chat
from storage.people import add_membership
from tests.conftest import TEST_TOKEN
from tests.fakes.telegram import checked_api

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
AUTHOR = 900
SENDS = {"sendMessage", "sendPhoto", "sendDocument"}
ANSWERS: dict[str, tuple[int, JSON]] = {
    "403": (403, {"ok": False, "error_code": 403,
                  "description": "Forbidden: bot was blocked by the user"}),
    "notfound": (400, {"ok": False, "error_code": 400,
                       "description": "Bad Request: chat not found"}),
    "500": (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}),
    "400": (400, {"ok": False, "error_code": 400,
                  "description": "Bad Request: message text is empty"}),
}  # fmt: skip


class FakeClock:
    """Time that passes only when the worker sleeps."""

    def __init__(self) -> None:
        self.now = START

    async def sleep(self, seconds: float) -> None:
        # Whole microseconds, rounded up, as a datetime can hold them.
        self.now += timedelta(microseconds=math.ceil(max(0.0, seconds) * 1e6))
        await asyncio.sleep(0)

    @property
    def clock(self) -> Clock:
        return Clock(now=lambda: self.now, sleep=self.sleep)


@dataclass
class Script:
    """What Telegram answers to each send to each chat, in order; "ok" once a chat's list is
    used up. Every send is logged with the fake time it was made at."""

    clock: FakeClock
    plans: dict[int, deque[str]] = field(default_factory=dict)
    log: list[tuple[datetime, int, str]] = field(default_factory=list)
    current: str = "ok"

    def next_for(self, chat_id: int) -> str:
        plan = self.plans.get(chat_id)
        kind = plan.popleft() if plan else "ok"
        self.log.append((self.clock.now, chat_id, kind))
        return kind

    def fault(self, method: str, params: JSON) -> tuple[int, JSON] | None:
        """The offline API's fault hook: answer the way the script says, instead of sending."""
        if method not in SENDS or self.current == "ok":
            return None
        kind, self.current = self.current, "ok"
        if kind.startswith("429:"):
            after = int(kind[4:])
            return 429, {
                "ok": False, "error_code": 429, "parameters": {"retry_after": after},
                "description": f"Too Many Requests: retry after {after}",
            }  # fmt: skip
        return ANSWERS[kind]


class ScriptedRequest(OfflineRequest):
    """The offline API's transport, with the script's timeouts: "timeout" never reaches
    Telegram (a connect timeout); "lost" is delivered, and then the answer times out."""

    def __init__(self, api: OfflineBotApi, script: Script) -> None:
        super().__init__(api)
        self.script = script

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:  # fmt: skip
        api_method = url.rsplit("/", 1)[-1]
        if api_method in SENDS and request_data is not None:
            kind = self.script.next_for(int(str(request_data.parameters["chat_id"])))
            if kind == "timeout":
                raise TimedOut("Timed out") from httpx.ConnectTimeout("connect")
            if kind == "lost":
                await super().do_request(url, method, request_data, *args, **kwargs)
                raise TimedOut("Timed out") from httpx.ReadTimeout("read")
            self.script.current = kind
        return await super().do_request(url, method, request_data, *args, **kwargs)


@asynccontextmanager
async def world(script: Script) -> Any:
    """A database, the offline API with the script's faults, a Bot over it, and a worker."""
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "faults.sqlite3")
        api = checked_api()
        api.fault = script.fault
        bot = Bot(TEST_TOKEN, request=ScriptedRequest(api, script))
        await bot.initialize()
        try:
            yield db, api, OutboxWorker(bot, db, clock=script.clock.clock)
        finally:
            await bot.shutdown()
            await db.close()
        assert api.violations == []


async def announce(db: Database, women: list[Candidate], district_id: int) -> int:
    await save_draft(db, DraftRecord(AUTHOR, "confirm"), START)
    recipients = [
        Recipient(d.telegram_id, None, d.locale, d.fallback) for d in deliveries(women, {"so"})
    ]
    new = NewAnnouncement(AUTHOR, district_id, f"m{district_id}", "Møte <fredag> & mat", None,
                          None, {"so": "Kulan jimcaha"}, START)  # fmt: skip
    announcement_id = await create_announcement(db, new, recipients, START)
    assert announcement_id is not None
    return announcement_id


async def members(db: Database, api: OfflineBotApi, n: int) -> tuple[int, list[Candidate]]:
    district_id = await upsert_district(db, "alna", "Alna", 3)
    await add_membership(db, AUTHOR, district_id, "coordinator", "Kari", START, "en")
    api.private_chat(api.user(AUTHOR, "Kari"))
    women = []
    for i in range(1, n + 1):
        locale = ("so", "ar", None)[i % 3]
        await add_membership(db, i, district_id, "mother", f"W{i}", START, locale)
        api.private_chat(api.user(i, f"W{i}"))
        women.append(Candidate(i, locale, "nb"))
    return district_id, women


def expected_status(faults: list[str]) -> str:
    attempts = 0
    for kind in [*faults, "ok"]:
        if kind.startswith("429"):
            continue  # not an attempt: Telegram did not deliver and said when to come back
        if kind in ("403", "notfound"):
            return Status.BLOCKED
        if kind == "400":
            return Status.FAILED
        if kind == "lost":
            return Status.UNCERTAIN
        if kind == "ok":
            return Status.SENT
        attempts += 1
        if attempts >= MAX_ATTEMPTS:
            return Status.FAILED
    raise AssertionError("unreachable")


def windows(times: list[datetime], seconds: float) -> Iterator[int]:
    recent: deque[datetime] = deque()
    for t in times:
        recent.append(t)
        while recent[0] <= t - timedelta(seconds=seconds):
            recent.popleft()
        yield len(recent)


async def statuses(db: Database) -> dict[int, str]:
    rows = await db.fetch_all("SELECT telegram_id, status FROM outbox")
    return {int(r["telegram_id"]): r["status"] for r in rows}


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
            arrived = found[i] == Status.SENT or (found[i] == Status.UNCERTAIN and "lost" in plan)
            assert delivered == (1 if arrived else 0), (i, plan)
        unreachable = await db.fetch_all(
            "SELECT telegram_id FROM people WHERE unreachable_since IS NOT NULL"
        )
        assert {r["telegram_id"] for r in unreachable} == {
            i for i, s in found.items() if s == Status.BLOCKED
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
        sent = sum(s == Status.SENT for s in found.values())
        assert report.startswith("📢 Announcement delivered: Alna: all members")
        assert f"✅ {sent} sent" in report
        blocked = sum(s == Status.BLOCKED for s in found.values())
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
