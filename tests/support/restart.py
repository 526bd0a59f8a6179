"""The bot started again: a second real Application on the same database file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import BotApplication
from bot.application import build_application, close_services, open_services
from bot.config import Config
from bot.offline.api import OfflineBotApi
from bot.offline.transport import OfflineRequest
from tests.fakes.telegram import TEST_TOKEN


@asynccontextmanager
async def restarted(db_path: Path, api: OfflineBotApi) -> AsyncIterator[BotApplication]:
    """A new Application over this database and Bot API, its services open (the start-up work
    done) and running, as after a restart; stopped and closed again when the block ends.
    Running, as `bydelsbot run` is: a task a handler starts in the background (a meeting's
    notices) is then the Application's own, awaited when it stops."""
    config = Config(token=TEST_TOKEN, db_path=db_path)
    application = build_application(config, request=OfflineRequest(api), with_updater=False)
    async with application:
        await open_services(application)
        await application.start()
        try:
            yield application
        finally:
            await application.stop()
            await close_services(application)
