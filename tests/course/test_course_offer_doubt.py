"""An offer of a freed place whose message was cut off (a timeout, or the bot stopping between
the claim and Telegram's answer) is never sent again by itself: the coordinators are told, the
waiting list shows it first with ❓, and she sends it again or passes the place on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx
import pytest
from telegram.error import TimedOut

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.course import codecs
from handlers.jobs.course import run_course_jobs
from storage.course.cohorts import places_of
from tests.course.world import T0, full_list, hold_clock, withdraws
from tests.fakes.telegram import ChatDriver

HODAN, ZAHRA = 1002, 1003


@pytest.fixture(autouse=True)
def fixed_clock(clock: Clock) -> list[datetime]:
    return hold_clock(clock, T0)


def offers_to(api: OfflineBotApi, who: int) -> list[int]:
    return [
        c.status
        for c in api.calls_to("sendMessage")
        if c.params["chat_id"] == who and "free for you" in str(c.params.get("text"))
    ]


async def test_an_offer_lost_in_a_timeout_is_shown_and_sent_again_when_she_asks(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    kari, cohort_id, (amina, hodan, _) = await full_list(chat, services)

    def lost(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage" and "free for you" in str(params.get("text")):
            raise TimedOut from httpx.ReadTimeout("read timed out")  # perhaps delivered
        return None

    api.fault = lost
    await withdraws(amina)
    api.fault = None
    assert len(offers_to(api, HODAN)) == 1
    assert any("may not have reached her" in t and "Hodan" in t for t in kari.texts())
    # Not by the job, not after a restart: a timeout is never sent again by itself.
    await run_course_jobs(kari.app.bot, services)
    assert len(offers_to(api, HODAN)) == 1
    await kari.press(codecs.PLACES.encode(cohort_id), kari.last()["message_id"])
    assert "Hodan" in kari.last()["text"] and "perhaps not delivered" in kari.last()["text"]
    first = kari.last_with_buttons()["reply_markup"]["inline_keyboard"][0][0]
    assert first["text"].startswith("❓") and "Hodan" in first["text"]
    await kari.press(first["callback_data"])
    await kari.press_label("Send the offer again")
    assert offers_to(api, HODAN)[-1] == 200 and len(offers_to(api, HODAN)) == 2
    assert "perhaps not delivered" not in kari.last()["text"]
    assert "free for you" in hodan.last()["text"]


async def test_an_offer_cut_off_by_a_crash_is_shown_and_the_place_can_be_passed_on(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    kari, cohort_id, (amina, hodan, _) = await full_list(chat, services)

    def killed(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage" and "free for you" in str(params.get("text")):
            raise RuntimeError("the process was killed while the offer was being sent")
        return None

    api.fault = killed
    await withdraws(amina)
    api.fault = None
    await run_course_jobs(kari.app.bot, services)  # as at the next start-up
    assert len(offers_to(api, HODAN)) == 1  # claimed, never answered: not sent again
    await kari.send("/course")
    await kari.press(codecs.PLACES.encode(cohort_id), kari.last()["message_id"])
    assert "perhaps not delivered" in kari.last()["text"]
    await kari.press_label("Hodan")
    await kari.press_label("Let the next woman go first")
    assert offers_to(api, ZAHRA) == [200]
    places = {p.name: p.status for p in await places_of(services.db, cohort_id)}
    assert places == {"Zahra": "offered", "Hodan": "waiting"}
    assert hodan.last() is not None
