"""A Bot API that answers from a script (403, chat not found, 500, 429, timeouts, a lost
answer), and the announcement world the outbox tests run in: a database, women, an announcement.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from telegram import Bot
from telegram.error import TimedOut
from telegram.request import RequestData

from bot.broadcasts import MAX_ATTEMPTS, Candidate, deliveries
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.offline.transport import OfflineRequest
from bot.outcome import Outcome
from handlers.jobs.announcements.worker import OutboxWorker
from storage import Database
from storage.announcements.drafts import DraftRecord, save_draft
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from storage.districts import upsert_district
from storage.people import add_membership
from tests.fakes.clock import START, FakeClock
from tests.fakes.telegram import TEST_TOKEN, checked_api

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
            return Outcome.UNREACHABLE
        if kind == "400":
            return Outcome.FAILED
        if kind == "lost":
            return Outcome.UNCERTAIN
        if kind == "ok":
            return Outcome.SENT
        attempts += 1
        if attempts >= MAX_ATTEMPTS:
            return Outcome.FAILED
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
