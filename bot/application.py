"""Build the python-telegram-bot Application, and open and close what it serves with.

`bydelsbot run`, `bydelsbot demo` and the tests all build the bot here; only the transport under
the Bot object differs (HTTP to Telegram, the terminal, a test fake). The handlers themselves are
registered in bot/app.py, the one registry.
"""

from __future__ import annotations

import gc
from datetime import time

from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.app import BotApplication, register_handlers
from bot.config import Config
from bot.i18n import load_formats
from bot.rate_limit import Limits, RatePlan
from bot.review.flow import refresh_live
from handlers.common import awaiting
from handlers.common.catalogue import CATALOGUE_KEY
from handlers.common.clock import CLOCK_KEY, Clock
from handlers.common.commands import publish_command_menus
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.common.transport import BydelsBot
from handlers.delivery.rate_limiter import PlanLimiter, Turns
from handlers.help import confirm_facts
from handlers.jobs.announcements.purge import announcements_purge_job, purge_announcements
from handlers.jobs.announcements.worker import OutboxWorker
from handlers.jobs.course import start_course
from handlers.jobs.dropin import start_dropin
from handlers.jobs.help import contact_requests_purge_job, purge_contact_requests
from handlers.jobs.meetings import start_meetings
from storage import Database

CONFIG_KEY = "config"
TURNS_KEY = "turns"


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    with_updater: bool = True,
    long_running: bool = False,
    clock: Clock | None = None,
) -> BotApplication:
    """The whole bot, ready for `run_polling` or for feeding updates by hand (`long_running`:
    the process serves for days, `bydelsbot run`: see settle_heap). `clock`: the one clock of
    every handler, job and the rate plan (a test's, whose sleeps are skipped)."""
    clock = clock or Clock()
    # Every request of the bot waits for its turn under one rate plan
    # (handlers/delivery/rate_limiter.py); the announcement worker and the reminders take their
    # turns from the same Turns.
    turns = Turns(RatePlan(Limits(per_second=config.send_rate)), clock)
    # Our own ExtBot (handlers/common/transport.py), so that an update PTB cannot read is skipped.
    bot = BydelsBot(
        token=config.token,
        base_url=config.api_url,
        base_file_url=config.api_file_url,
        defaults=Defaults(tzinfo=config.tz),
        # As ApplicationBuilder would: many requests at once, one connection for getUpdates.
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=get_updates_request or request or HTTPXRequest(),
        rate_limiter=PlanLimiter(turns),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .post_init(open_services_for_good if long_running else open_services)
        .post_stop(stop_outbox)
        .post_shutdown(close_services)
    )
    if not with_updater:
        builder = builder.updater(None)
    application: BotApplication = builder.build()
    application.bot_data[CONFIG_KEY] = config
    application.bot_data[TURNS_KEY] = turns
    application.bot_data[CLOCK_KEY] = clock
    register_handlers(application)
    return application


async def open_services(application: BotApplication) -> None:
    """Open the database and publish the localized command menus before the first update."""
    config: Config = application.bot_data[CONFIG_KEY]
    clock: Clock = application.bot_data[CLOCK_KEY]
    db = await Database.open(config.db_path)
    # Announcements: the one outbox worker, which first resumes what a previous process left.
    worker = OutboxWorker(application.bot, db, clock=clock, turns=application.bot_data[TURNS_KEY])
    application.bot_data[SERVICES_KEY] = Services(config=config, db=db, outbox=worker, clock=clock)
    await publish_command_menus(application.bot, db)
    # Wordings native reviewers approved in the bot: used at once, also after a restart.
    await refresh_live(db)
    # The help guide: its catalogue is checked once, before the first woman asks; contact
    # requests handled over 30 days ago (or unhandled for 30 days) are deleted now and every night.
    application.bot_data[CATALOGUE_KEY] = await confirm_facts.confirmed_catalogue(db)
    await purge_contact_requests(application.bot, db, clock.now())
    if application.job_queue is not None:
        application.job_queue.run_daily(
            contact_requests_purge_job, time(4, 0, tzinfo=config.tz), name="help-guide-purge"
        )
    # Announcements 30 days after their report keep only their counts: now and every night.
    await purge_announcements(db, clock.now())
    if application.job_queue is not None:
        application.job_queue.run_daily(
            announcements_purge_job, time(4, 10, tzinfo=config.tz), name="announcements-purge"
        )
    # Typed answers: the questions still open before a restart are asked again, silently.
    questions = application.bot_data[awaiting.KEY]
    assert isinstance(questions, awaiting.Questions)
    await questions.restore(db, clock.now())
    # Meetings: plan the rolling horizon, rebuild the reminder wake-ups (PTB keeps no jobs
    # across a restart) and send at once what came due while the bot was down.
    await start_meetings(application)
    # The basic training: offers that lapsed or were never sent, tomorrow's evening reminders,
    # and interest kept too long; then every few minutes.
    await start_course(application)
    # The drop-in: what the last process left half-sent is marked, then what is due goes out
    # (morning reminders, shift reminders, the question after a shift, understaffing alerts).
    await start_dropin(application)
    worker.start()


async def open_services_for_good(application: BotApplication) -> None:
    await open_services(application)
    settle_heap()


def settle_heap() -> None:
    """After start-up: what it built (handlers, catalogues, translators, compiled patterns)
    lives as long as the process, so it is moved out of the garbage collector's way. Otherwise
    every full collection walks all of it again and one update waits for it (65 ms at 10,000
    members in benchmarks/updates.py). Not done in tests: they build many applications in one
    process, and frozen objects are never freed. The languages' date formats are loaded first,
    so that they are settled too."""
    load_formats()
    gc.collect()
    gc.freeze()


async def stop_outbox(application: BotApplication) -> None:
    """Let the announcement in flight finish while the Bot API connection is still open."""
    services = application.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services) and isinstance(services.outbox, OutboxWorker):
        await services.outbox.stop()


async def close_services(application: BotApplication) -> None:
    await stop_outbox(application)
    services = application.bot_data.pop(SERVICES_KEY, None)
    if isinstance(services, Services):
        await services.db.close()
