"""A completion's cards and diplomas are all-or-nothing: written with the new roles in one
transaction, each claimed right before it is sent, sent again after a restart when Telegram
surely did not get it, never sent again by itself after a timeout (the coordinator is told and
can send it again), and a drawing failure is told to the coordinator in her language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from telegram.error import TimedOut

from bot.app import BotApplication
from bot.application import build_application, close_services, open_services
from bot.config import Config
from bot.course import cards
from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.offline.transport import OfflineRequest
from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.course import codecs
from handlers.jobs.course import run_course_jobs
from storage.course.evenings import set_present
from storage.people import load_person
from tests.course.world import KARI, cohort_in_alna, hold_clock, seventeen_evenings
from tests.fakes.telegram import TEST_TOKEN, ChatDriver
from tests.support.people import started

T0 = datetime(2027, 6, 1, 10, 0, tzinfo=UTC)
AMINA, HODAN = 1001, 1002
NAMES = {AMINA: "أمينة حسن", HODAN: "Hodan Ali"}
NB = translator("nb")


@pytest.fixture(autouse=True)
def fixed_clock(clock: Clock) -> None:
    hold_clock(clock, T0)


async def two_eligible_women(
    services: Services, chat: Callable[..., ChatDriver]
) -> tuple[int, ChatDriver]:
    """A cohort where Amina and Hodan came to every evening; Kari (Norwegian) coordinates."""
    _, cohort = await cohort_in_alna(services, NAMES, T0)
    for evening in await seventeen_evenings(services, cohort, T0):
        for who in NAMES:
            await set_present(services.db, evening, who, True)
    for who in NAMES:
        await started(chat(who, "W"), "en")
    kari = await started(chat(KARI, "Kari"), "nb")
    return cohort, kari


async def complete(kari: ChatDriver, cohort: int) -> None:
    await kari.press(codecs.COHORT.encode(cohort), kari.last()["message_id"])
    await kari.press(codecs.COMPLETE.encode(cohort, 0))
    await kari.press(codecs.COMPLETE_SURE.encode(cohort, 0))


def photos_to(api: OfflineBotApi, who: int) -> list[int]:
    return [c.status for c in api.calls_to("sendPhoto") if c.params["chat_id"] == who]


def diplomas(api: OfflineBotApi) -> list[str]:
    return [
        c.uploads["document"][0]
        for c in api.calls_to("sendDocument")
        if c.params["chat_id"] == KARI and c.status == 200
    ]


async def roles(services: Services, who: int) -> list[str]:
    person = await load_person(services.db, who)
    assert person is not None
    return [m.role for m in person.memberships]


async def test_cards_telegram_did_not_get_are_sent_after_a_restart(
    app: BotApplication,
    services: Services,
    api: OfflineBotApi,
    chat: Callable[..., ChatDriver],
    db_path: Path,
) -> None:
    cohort, kari = await two_eligible_women(services, chat)

    def telegram_down(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method in ("sendPhoto", "sendDocument"):
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return None

    api.fault = telegram_down
    await complete(kari, cohort)
    # The roles changed at once; nothing arrived yet.
    assert await roles(services, AMINA) == ["mother"] and await roles(services, HODAN) == ["mother"]
    assert all(s == 502 for s in photos_to(api, AMINA) + photos_to(api, HODAN))
    api.fault = None
    # The bot restarts: at start-up the course's job sends every card and diploma, once.
    second = build_application(
        Config(token=TEST_TOKEN, db_path=db_path), request=OfflineRequest(api), with_updater=False
    )
    async with second:
        try:
            await open_services(second)
        finally:
            await close_services(second)
    assert [s for s in photos_to(api, AMINA) if s == 200] == [200]
    assert [s for s in photos_to(api, HODAN) if s == 200] == [200]
    assert sorted(diplomas(api)) == [f"diplom-{AMINA}.png", f"diplom-{HODAN}.png"]
    # Its next runs send nothing again.
    await run_course_jobs(app.bot, services)
    assert [s for s in photos_to(api, AMINA) if s == 200] == [200] and len(diplomas(api)) == 2


async def test_a_timeout_is_uncertain_shown_to_her_and_sent_again_only_when_she_asks(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    cohort, kari = await two_eligible_women(services, chat)

    def lost(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendPhoto" and int(params["chat_id"]) == AMINA:
            raise TimedOut from httpx.ReadTimeout("read timed out")  # perhaps delivered
        return None

    api.fault = lost
    await complete(kari, cohort)
    api.fault = None
    assert len(photos_to(api, AMINA)) == 1 and photos_to(api, HODAN) == [200]
    assert len(diplomas(api)) == 2
    note = NB._("The ID card of {name} may not have arrived: Telegram did not answer in time.")
    assert not note.startswith("The ID card")  # Norwegian, not the English source
    assert any(note.format(name=NAMES[AMINA]) in text for text in kari.texts())
    # Never sent again by itself: not by the job, not after a restart.
    await run_course_jobs(app.bot, services)
    assert len(photos_to(api, AMINA)) == 1
    # Kari sees it under ID cards and sends it again.
    await kari.press(codecs.CARDS.encode(cohort), kari.last()["message_id"])
    assert "❓" in kari.last()["text"] and NAMES[AMINA] in kari.last()["text"]
    await kari.press_label(NAMES[AMINA])  # the first such button: 🔁 send again
    assert photos_to(api, AMINA) == [200] or photos_to(api, AMINA)[-1] == 200
    assert len(photos_to(api, AMINA)) == 2
    assert "❓" not in kari.last()["text"]


async def test_a_drawing_failure_is_told_to_the_coordinator_in_her_language(
    app: BotApplication,
    services: Services,
    api: OfflineBotApi,
    chat: Callable[..., ChatDriver],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cohort, kari = await two_eligible_women(services, chat)
    script_runs = cards.script_runs

    def broken_font(text: str, bold: bool = False) -> list[tuple[str, Path]]:
        if text == NAMES[AMINA]:
            raise OSError("the Arabic font file is unreadable")
        return script_runs(text, bold)

    monkeypatch.setattr(cards, "script_runs", broken_font)
    await complete(kari, cohort)
    # Hodan got her card and Kari her diploma; Amina is a bydelsmor all the same.
    assert photos_to(api, HODAN) == [200] and diplomas(api) == [f"diplom-{HODAN}.png"]
    assert photos_to(api, AMINA) == [] and await roles(services, AMINA) == ["mother"]
    card_note = NB._("The ID card of {name} could not be drawn or sent.")
    diploma_note = NB._("The diploma of {name} could not be drawn or sent.")
    assert not card_note.startswith("The ID card")  # Norwegian, not the English source
    texts = kari.texts()
    assert any(card_note.format(name=NAMES[AMINA]) in text for text in texts)
    assert any(diploma_note.format(name=NAMES[AMINA]) in text for text in texts)
    # Once the font is back, she sends both again from ID cards.
    monkeypatch.setattr(cards, "script_runs", script_runs)
    await kari.press(codecs.CARDS.encode(cohort), kari.last()["message_id"])
    assert kari.last()["text"].count("⚠️") == 2
    await kari.press_label(NAMES[AMINA])
    await kari.press_label(NAMES[AMINA])
    assert photos_to(api, AMINA) == [200] and len(diplomas(api)) == 2
