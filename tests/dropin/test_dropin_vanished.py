"""A rule change that takes away a date with shifts or reminders (from /sessions or from
`bydelsbot seed`) tells the bydelsmødre on duty and the women who asked, once, in their
language, and leaves no shift or reminder hanging on a date that is gone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.app import BotApplication
from bot.days import OSLO
from bot.i18n import translator
from handlers.common.context import Services
from handlers.dropin import codecs
from handlers.jobs.dropin import dispatch_dropin
from storage.dropin.rota import shifts_on
from storage.dropin.sessions import subscribed_days
from storage.organisation import apply_seed
from tests.dropin.world import (
    ALNA,
    AMINA,
    FADUMO,
    KARI,
    PLACE,
    furuset,
    next_wednesday,
    wednesday_session,
)
from tests.fakes.telegram import ChatDriver
from tests.support.people import started


async def test_a_date_taken_away_in_the_bot_is_told_once_and_nothing_dangles(
    chat: Callable[..., ChatDriver], services: Services, app: BotApplication
) -> None:
    sid = await furuset(services)
    day = await next_wednesday(services.db)
    fadumo = await started(chat(FADUMO, "Fadumo"), "so")
    amina = await started(chat(AMINA, "Amina"), "ur")
    await fadumo.press(codecs.shift("t", sid, day))
    await amina.press(codecs.remind("r", sid, day))
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/sessions")
    await kari.press(codecs.session("w", sid))
    await kari.press(codecs.session("W", sid, "3"))  # Wednesdays become Thursdays
    # The press woke the job at once; a second look (as the five-minute one) sends nothing more.
    for _ in range(2):
        await dispatch_dropin(app.bot, services.db, OSLO, datetime.now(UTC), None, services.clock)
    so, ur = translator("so"), translator("ur")
    shift_gone, reminder_gone = (
        so._("Your shift that day is removed."),
        ur._("Your reminder for that day is removed."),
    )
    assert [text for text in fadumo.texts() if shift_gone in text] == [fadumo.last()["text"]]
    assert [text for text in amina.texts() if reminder_gone in text] == [amina.last()["text"]]
    assert shift_gone != "Your shift that day is removed."  # in her language, not English
    assert (await shifts_on(services.db, sid, [day]))[day] == []
    assert await subscribed_days(services.db, AMINA) == set()


async def test_a_date_taken_away_by_the_seed_file_is_told_too(
    chat: Callable[..., ChatDriver], services: Services, app: BotApplication
) -> None:
    sid = await furuset(services)
    day = await next_wednesday(services.db)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.press(codecs.shift("t", sid, day))
    # A date the schedule still has is left alone.
    assert (
        await dispatch_dropin(app.bot, services.db, OSLO, datetime.now(UTC), None, services.clock)
        == 0
    )
    assert len((await shifts_on(services.db, sid, [day]))[day]) == 1
    # The file ends the session before that date.
    seed = wednesday_session(valid_to=(day - timedelta(days=1)).isoformat())
    await apply_seed(services.db, [PLACE], [ALNA], datetime.now(UTC), [seed])
    assert (
        await dispatch_dropin(app.bot, services.db, OSLO, datetime.now(UTC), None, services.clock)
        == 1
    )
    assert "no longer takes place" in fadumo.last()["text"]
    assert (await shifts_on(services.db, sid, [day]))[day] == []
