"""Shared fixtures: a real SQLite file, the real Application, a spec-checking fake of Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import BotApplication
from bot.application import build_application, close_services, open_services
from bot.config import Config
from bot.offline.api import OfflineBotApi
from bot.offline.transport import OfflineRequest
from handlers.common.clock import Clock
from handlers.common.context import SERVICES_KEY, Services
from handlers.jobs.announcements.worker import OutboxWorker
from storage import Database
from tests.fakes.bot_process import TOKEN as E2E_TOKEN
from tests.fakes.clock import FakeClock, VirtualClock
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import TEST_TOKEN, ChatDriver, checked_api
from tests.support.people import ADMIN_ID


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


@pytest.fixture
def turns_clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def clock(turns_clock: VirtualClock) -> Clock:
    """The bot's one clock in tests (handlers/common/clock.py): the Application's handlers, jobs
    and rate plan all read it. Its sleeps are noted (turns_clock.slept) and skipped; a test moves
    the time of day by replacing `clock.now`."""
    return Clock(monotonic=turns_clock.now, sleep=turns_clock.sleep)


@pytest.fixture
async def app(api: OfflineBotApi, db_path: Path, clock: Clock) -> AsyncIterator[BotApplication]:
    """The real Application over the fake Bot API; fails the test on any call Telegram refuses."""
    config = Config(token=TEST_TOKEN, db_path=db_path, admins=frozenset({ADMIN_ID}))
    application = build_application(
        config, request=OfflineRequest(api), with_updater=False, clock=clock
    )
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
