"""The understaffing alert goes out at its exact moment (three days before the session), not at
the job's next five-minute look: wake-ups planned from the database at start-up and every hour,
and again when a session or a shift changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from bot.app import BotApplication
from bot.days import OSLO, local_instant
from handlers.common.context import Services
from handlers.dropin import codecs
from handlers.jobs.dropin import schedule_dropin_wakeups
from tests.dropin.world import FADUMO, HAWA, KARI, furuset
from tests.fakes.telegram import ChatDriver
from tests.support.people import started


def alert_jobs(app: BotApplication) -> dict[str, datetime]:
    assert app.job_queue is not None
    return {
        job.name: job.next_t
        for job in app.job_queue.jobs()
        if job.name and job.name.startswith("dropin:alert:") and job.next_t is not None
    }


async def test_the_alert_is_woken_for_at_its_exact_moment(
    app: BotApplication, services: Services, chat: Callable[..., ChatDriver]
) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(OSLO).date() + timedelta(days=4)
    # A session four days ahead at 12:00: its alert is tomorrow at 12:00, within 36 hours.
    # (Also an extra date, so that a public holiday that day never skips it.)
    sid = await furuset(
        services,
        weekday=day.weekday(),
        valid_from=(day - timedelta(days=14)).isoformat(),
        exceptions=((day.isoformat(), "extra", None),),
    )
    moment = local_instant(day, time(12), OSLO) - timedelta(days=3)
    assert app.job_queue is not None
    # As at start-up, then at the hourly refresh: one wake-up, at the moment, never two.
    assert await schedule_dropin_wakeups(app.job_queue, services.db, OSLO, now) == 1
    assert await schedule_dropin_wakeups(app.job_queue, services.db, OSLO, now) == 0
    assert list(alert_jobs(app).values()) == [moment]
    # Both places taken: no alert is due, and none is planned.
    for job in app.job_queue.jobs():
        if job.name and job.name.startswith("dropin:alert:"):
            job.schedule_removal()
    fadumo, hawa = await started(chat(FADUMO, "Fadumo")), await started(chat(HAWA, "Hawa"))
    await fadumo.press(codecs.shift("t", sid, day))
    await hawa.press(codecs.shift("t", sid, day))
    assert await schedule_dropin_wakeups(app.job_queue, services.db, OSLO, now) == 0
    # She withdraws: below the minimum again, woken for at once at the alert's moment.
    await hawa.send("/rota")
    await hawa.press(codecs.shift("w", sid, day), hawa.last()["message_id"])
    assert "You are no longer on duty." in hawa.toasts()
    assert list(alert_jobs(app).values()) == [moment]
    # The coordinator moves it to 14:00: the new moment gets its own wake-up.
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/sessions")
    await kari.press(codecs.session("t", sid))
    await kari.press(codecs.session("T", sid, "1400"))
    later = local_instant(day, time(14), OSLO) - timedelta(days=3)
    assert later in alert_jobs(app).values()
