"""Shared fixtures: a real SQLite file, the real Application, a spec-checking fake of Telegram."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import BotApplication
from bot.application import TURNS_KEY, build_application, close_services, open_services
from bot.config import Config
from bot.offline_api import OfflineBotApi, OfflineRequest
from handlers.announcements.outbox import OutboxWorker
from handlers.common.context import SERVICES_KEY, Services
from handlers.common.rate_limiter import Clock
from storage import Database
from storage.districts import upsert_district
from storage.people import add_membership
from tests.fakes.bot_process import TOKEN as E2E_TOKEN
from tests.fakes.clock import FakeClock
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import ChatDriver, checked_api

TEST_TOKEN = "123456789:TEST-token-for-the-offline-fake-abcdef"
ADMIN_ID = 9000


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


@pytest.fixture
def api() -> OfflineBotApi:
    return checked_api()


class VirtualClock:
    """The rate plan's clock in tests: a wait for a turn (or a 429's pause) is noted and skipped,
    so the plan is kept and no test waits real time."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return time.monotonic() + self.offset

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds
        await asyncio.sleep(0)


@pytest.fixture
def turns_clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
async def app(
    api: OfflineBotApi, db_path: Path, turns_clock: VirtualClock
) -> AsyncIterator[BotApplication]:
    """The real Application over the fake Bot API; fails the test on any call Telegram refuses."""
    config = Config(token=TEST_TOKEN, db_path=db_path, admins=frozenset({ADMIN_ID}))
    application = build_application(config, request=OfflineRequest(api), with_updater=False)
    application.bot_data[TURNS_KEY].clock = Clock(turns_clock.now, turns_clock.sleep)
    async with application:
        await open_services(application)
        await application.start()
        yield application
        await application.stop()
        await close_services(application)
    assert api.violations == [], "the bot made calls Telegram would refuse"


@pytest.fixture
def fake_telegram() -> Iterator[tuple[OfflineBotApi, BotApiHttpServer]]:
    """The spec-checking Bot API served over HTTP, for `bydelsbot run` as a real process."""
    api = checked_api()
    with BotApiHttpServer(api, E2E_TOKEN) as server:
        yield api, server
    assert api.violations == [], "the bot made calls Telegram would refuse"


@pytest.fixture
def services(app: BotApplication) -> Services:
    services = app.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services


@pytest.fixture
def chat(app: BotApplication, api: OfflineBotApi) -> Callable[..., ChatDriver]:
    """Make a woman's private chat: chat(user_id, name, language_code)."""

    def make(
        user_id: int = 1001, name: str = "Amina", language_code: str | None = None
    ) -> ChatDriver:
        return ChatDriver(app, api, api.user(user_id, name, language_code))

    return make


async def make_member(
    services: Services, user_id: int, role: str, district: str = "Alna", phase: int = 3,
    locale: str | None = "en",
) -> int:  # fmt: skip
    """Put her in a district group with a role; returns the district id."""
    district_id = await upsert_district(services.db, district.lower(), district, phase)
    await add_membership(
        services.db, user_id, district_id, role, "Member", datetime.now(UTC), locale
    )
    return district_id


@pytest.fixture
async def quiet(services: Services) -> Services:
    """The app's own worker stopped: the tests drain the outbox themselves, on a fake clock.
    The handlers pace their messages (the preview) by a worker on a fake clock too."""
    assert isinstance(services.outbox, OutboxWorker)
    await services.outbox.stop()
    clock = FakeClock()
    clock.now = datetime.now(UTC)
    services.outbox = OutboxWorker(services.outbox.bot, services.db, clock=clock.clock)
    return services
