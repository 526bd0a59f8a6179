"""The basic training in the chat: interest, cohorts, admission, the waiting list and offers,
through the real Application, a real SQLite file and the spec-checking fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from handlers.course import codecs
from handlers.jobs.course import run_course_jobs
from handlers.people.codecs import FORGET
from storage.course.cohorts import get_cohort, places_of
from storage.course.interest import get_interest
from storage.districts import upsert_district
from storage.people import load_person
from tests.course.world import (
    KARI,
    T0,
    admit_all,
    coordinator,
    full_list,
    hold_clock,
    interested,
    message_by_id,
    open_cohort,
    three_interested,
    withdraws,
)
from tests.fakes.telegram import ChatDriver
from tests.support.people import make_member, started


@pytest.fixture(autouse=True)
def fixed_clock(clock: Clock) -> list[datetime]:
    return hold_clock(clock, T0)


async def test_a_woman_says_she_is_interested_and_the_coordinator_is_told(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    kari = await coordinator(chat, services)
    amina = await started(chat(1001, "Amina"), "so")
    so = translator("so")
    await amina.send("/course")
    assert so._("Do you agree?") in amina.last()["text"]
    await amina.press(codecs.CONSENT.encode())
    await amina.press_label("Alna")
    await amina.send("x" * 300)  # too long: asked again, nothing stored
    assert "64" in amina.last()["text"] and await get_interest(services.db, 1001) is None
    await amina.send("<b>Amina</b> Hassan")
    await amina.send("not a number")
    assert await get_interest(services.db, 1001) is None
    await amina.send("412 34 567")
    stored = await get_interest(services.db, 1001)
    assert stored is not None and stored.name == "<b>Amina</b> Hassan"
    assert stored.phone == "+47 412 34 567" and stored.locale == "so"
    assert so._("Thank you, {name}!").format(name="<b>Amina</b> Hassan") in amina.last()["text"]
    told = kari.last()["text"]
    assert "New interest in the basic training" in told and "<b>Amina</b> Hassan — Soomaali" in told
    # The coordinator's list shows her with her language.
    await kari.send("/course")
    await kari.press_label("Interested women")
    assert "<b>Amina</b> Hassan — Soomaali — +47 412 34 567" in kari.last()["text"]


async def test_the_poster_link_opens_the_consent_and_no_thanks_stores_nothing(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await upsert_district(services.db, "alna", "Alna", 3)
    amina = chat(1001, "Amina")
    await amina.send("/start course")
    await amina.press(LANGUAGE.encode("ar"))
    assert translator("ar")._("Do you agree?") in amina.last()["text"]
    await amina.press(codecs.NO_THANKS.encode())
    assert await get_interest(services.db, 1001) is None
    # A forged district press without her consent stores nothing either.
    await amina.press(codecs.DISTRICT.encode(1), amina.last()["message_id"])
    assert await get_interest(services.db, 1001) is None


async def test_she_can_withdraw_her_interest(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await upsert_district(services.db, "alna", "Alna", 3)
    amina = await started(chat(1001, "Amina"))
    await interested(amina, "Amina", phone=None)
    interest = await get_interest(services.db, 1001)
    assert interest is not None and interest.phone is None
    await withdraws(amina)
    assert await get_interest(services.db, 1001) is None


async def test_admission_waiting_list_offer_and_accept(
    chat: Callable[..., ChatDriver], services: Services, fixed_clock: list[datetime]
) -> None:
    kari, women = await three_interested(chat, services)
    cohort_id = await open_cohort(kari, 25)
    # Capacity 2 through a forged press is refused when it is not offered... 0 and 10,000 too.
    cohort = await get_cohort(services.db, cohort_id)
    assert cohort is not None and cohort.capacity == 25
    for bad in (0, 10_000):
        await kari.press(
            codecs.CAPACITY.encode(cohort_id, cohort.version, bad), kari.last()["message_id"]
        )
        assert "between 1 and 200" in kari.toasts()[-1]
    assert (await get_cohort(services.db, cohort_id)).capacity == 25  # type: ignore[union-attr]
    await kari.press(
        codecs.CAPACITY.encode(cohort_id, cohort.version, 2), kari.last()["message_id"]
    )
    assert (await get_cohort(services.db, cohort_id)).capacity == 2  # type: ignore[union-attr]
    await admit_all(kari, cohort_id, ["Amina", "Hodan", "Zahra"])
    places = {p.name: p for p in await places_of(services.db, cohort_id)}
    assert [places[n].status for n in ("Amina", "Hodan", "Zahra")] == [
        "admitted",
        "admitted",
        "waiting",
    ]
    amina, hodan, zahra = women
    assert "You have a place" in amina.last()["text"]
    assert "You are number 1 on its waiting list" in zahra.last()["text"]
    person = await load_person(services.db, 1001)
    assert person is not None and person.memberships[0].role == "participant"
    # Hodan withdraws: Zahra is offered the place, with the time stated.
    await withdraws(hodan)
    offer = zahra.last()
    assert "A place in the basic training is free for you" in offer["text"]
    assert "Thursday, September 3, 2026 12:00" in offer["text"]  # 48 h, Oslo time
    await zahra.press(codecs.ACCEPT.encode(cohort_id))
    assert "Welcome to the basic training" in zahra.last()["text"]
    places = {p.name: p for p in await places_of(services.db, cohort_id)}
    assert sorted(places) == ["Amina", "Zahra"] and places["Zahra"].status == "admitted"
    zahra_person = await load_person(services.db, 1003)
    assert zahra_person is not None and zahra_person.memberships[0].role == "participant"
    hodan_person = await load_person(services.db, 1002)
    assert hodan_person is not None and hodan_person.memberships == ()


async def full_with_two_waiting(
    chat: Callable[..., ChatDriver], services: Services
) -> tuple[ChatDriver, int, list[ChatDriver]]:
    kari, cohort_id, women = await full_list(chat, services)
    await withdraws(women[0])  # Amina withdraws: Hodan is offered the place
    return kari, cohort_id, women


async def test_an_offer_not_answered_in_time_passes_on_and_a_late_accept_is_refused(
    chat: Callable[..., ChatDriver], services: Services, fixed_clock: list[datetime],
    app: object,
) -> None:  # fmt: skip
    _, cohort_id, (_, hodan, zahra) = await full_with_two_waiting(chat, services)
    assert "free for you" in hodan.last()["text"]
    fixed_clock[0] = T0 + timedelta(hours=48)
    await run_course_jobs(hodan.app.bot, services)
    assert "has passed" in hodan.last()["text"]
    assert "free for you" in zahra.last()["text"]
    offer_to_hodan = [
        m for m in hodan.api.bot_messages_in(hodan.chat_id) if "free for you" in m.get("text", "")
    ]
    await hodan.press(codecs.ACCEPT.encode(cohort_id), offer_to_hodan[0]["message_id"])
    edited = message_by_id(hodan, offer_to_hodan[0]["message_id"])
    assert "time to answer this offer has passed" in str(edited["text"])
    places = {p.name: p.status for p in await places_of(services.db, cohort_id)}
    assert places == {"Zahra": "offered"}


async def test_two_women_accepting_the_last_place_at_once_only_one_gets_it(
    chat: Callable[..., ChatDriver], services: Services, fixed_clock: list[datetime]
) -> None:
    _, cohort_id, (_, hodan, zahra) = await full_with_two_waiting(chat, services)
    hodan_offer = hodan.last()["message_id"]
    # Her window closes; nobody has run the job yet: Zahra's offer comes with the next change.
    fixed_clock[0] = T0 + timedelta(hours=49)
    await run_course_jobs(hodan.app.bot, services)
    zahra_offer = zahra.last()["message_id"]
    await asyncio.gather(
        hodan.press(codecs.ACCEPT.encode(cohort_id), hodan_offer),
        zahra.press(codecs.ACCEPT.encode(cohort_id), zahra_offer),
        zahra.press(codecs.ACCEPT.encode(cohort_id), zahra_offer),  # a double tap
    )
    places = await places_of(services.db, cohort_id)
    assert [(p.name, p.status) for p in places] == [("Zahra", "admitted")]
    cohort = await get_cohort(services.db, cohort_id)
    assert cohort is not None and cohort.capacity == 1


async def test_a_woman_who_blocked_the_bot_is_skipped_and_the_coordinator_told(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    kari, cohort_id, women = await full_list(chat, services)
    api.block(1002)
    await withdraws(women[0])
    assert "free for you" in women[2].last()["text"]
    assert any("Hodan could not be offered the free place" in t for t in kari.texts())
    places = {p.name: p.status for p in await places_of(services.db, cohort_id)}
    assert places == {"Zahra": "offered"}


async def test_two_coordinators_editing_the_same_list(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    kari, cohort_id, _ = await full_with_two_waiting(chat, services)
    cohort = await get_cohort(services.db, cohort_id)
    assert cohort is not None
    await make_member(services, KARI + 1, "coordinator")
    lena = await started(chat(KARI + 1, "Lena"))
    seen = cohort.version
    await lena.press(codecs.CAPACITY.encode(cohort_id, seen, 2), lena.last()["message_id"])
    await kari.press(codecs.CAPACITY.encode(cohort_id, seen, 10), kari.last()["message_id"])
    assert "Another coordinator changed this cohort" in kari.toasts()[-1]
    after = await get_cohort(services.db, cohort_id)
    assert after is not None and after.capacity == 2


async def test_a_woman_outside_cannot_manage_a_cohort(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    kari = await coordinator(chat, services)
    cohort_id = await open_cohort(kari, 25)
    amina = await started(chat(1001, "Amina"))
    await amina.press(codecs.CAPACITY.encode(cohort_id, 0, 3), amina.last()["message_id"])
    assert "only a coordinator" in amina.toasts()[-1]
    cohort = await get_cohort(services.db, cohort_id)
    assert cohort is not None and cohort.capacity == 25


async def test_a_woman_taken_off_is_told_and_her_data_shows_and_goes(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    kari, cohort_id, (_, hodan, zahra) = await full_with_two_waiting(chat, services)
    cohort = await get_cohort(services.db, cohort_id)
    assert cohort is not None
    await kari.press(
        codecs.PLACE_ACTION.encode(cohort_id, cohort.version, 1003, codecs.PlaceAction.REMOVE),
        kari.last()["message_id"],
    )
    assert "Your place or your turn in Alna: Autumn 2026 has ended" in zahra.last()["text"]
    await hodan.send("/mydata")
    shown = next(t for t in reversed(hodan.texts()) if "What this bot stores" in t)
    assert "You said you want to become a bydelsmor." in shown
    assert "You have a place or a turn in 1 course." in shown
    await hodan.send("/forget")
    await hodan.press(FORGET.encode("yes"))
    assert await get_interest(services.db, 1002) is None
    # Her offer went with her: nobody else is waiting, so the place stays free.
    assert [p.name for p in await places_of(services.db, cohort_id)] == []


async def test_keeping_her_interest_changes_nothing(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await upsert_district(services.db, "alna", "Alna", 3)
    amina = await started(chat(1001, "Amina"))
    await interested(amina, "Amina")
    await amina.send("/course")
    await amina.press(codecs.WITHDRAW.encode())
    await amina.press_label("No, keep it")
    assert amina.last()["text"] == "↩️ Nothing was changed."
    assert await get_interest(services.db, 1001) is not None


async def test_interest_nobody_acted_on_is_deleted_after_12_months(
    chat: Callable[..., ChatDriver], services: Services, fixed_clock: list[datetime]
) -> None:
    _, cohort_id, (amina, hodan, zahra) = await full_with_two_waiting(chat, services)
    await upsert_district(services.db, "alna", "Alna", 3)
    outsider = await started(chat(1009, "Sahra"))
    await interested(outsider, "Sahra")
    fixed_clock[0] = T0 + timedelta(days=364)
    await run_course_jobs(outsider.app.bot, services)
    assert await get_interest(services.db, 1009) is not None
    fixed_clock[0] = T0 + timedelta(days=365, hours=1)
    await run_course_jobs(outsider.app.bot, services)
    assert await get_interest(services.db, 1009) is None  # never given a place: deleted
    # Zahra has an offer (the job passed Hodan's lapsed one on to her): kept.
    assert await get_interest(services.db, 1003) is not None
    assert [p.name for p in await places_of(services.db, cohort_id)] == ["Zahra"]
    assert amina and hodan and zahra


async def test_a_typed_capacity_is_checked(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    kari = await coordinator(chat, services)
    cohort_id = await open_cohort(kari, 25)
    await kari.press(codecs.CAPACITY_MENU.encode(cohort_id), kari.last()["message_id"])
    await kari.press_label("Another number")
    assert "from 1 to 200" in kari.last()["text"]
    await kari.send("0")
    assert "between 1 and 200" in kari.last()["text"]
    await kari.send("10000")
    assert "between 1 and 200" in kari.last()["text"]
    await kari.send("twenty")
    assert "Please type a number" in kari.last()["text"]
    assert (await get_cohort(services.db, cohort_id)).capacity == 25  # type: ignore[union-attr]
    await kari.send("22")
    assert "Participants: 0 of 22" in kari.last()["text"]
    assert (await get_cohort(services.db, cohort_id)).capacity == 22  # type: ignore[union-attr]
