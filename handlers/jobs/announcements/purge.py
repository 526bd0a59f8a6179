"""Announcements KEPT_AFTER_REPORT after their report keep only their counts: at start-up and
every night."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.broadcasts import KEPT_AFTER_REPORT
from handlers.common.context import SERVICES_KEY, BotContext, Services
from storage import Database
from storage.announcements.reports import purge_reported

log = logging.getLogger(__name__)


async def purge_announcements(db: Database, now: datetime) -> int:
    """KEPT_AFTER_REPORT after its report, an announcement keeps only its counts: who got it
    (the outbox rows with her Telegram id), its text and its versions are deleted. Run at
    start-up and every night."""
    purged = await purge_reported(db, now - KEPT_AFTER_REPORT, now)
    if purged:
        log.info("%d announcement(s) reported long ago: only their counts are kept", purged)
    return purged


async def announcements_purge_job(context: BotContext) -> None:
    """The nightly JobQueue run of purge_announcements."""
    services = context.application.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services):
        await purge_announcements(services.db, services.clock.now())
