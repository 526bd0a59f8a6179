"""Module evenings: planned from the phone with clashes flagged, reminded the day before,
moved or cancelled with participants told, attendance marked on pages, progress and the CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.course.evenings import Clash, WhenProblem, clashes, parse_when
from bot.course.progress import progress
from bot.offline.api import OfflineBotApi
from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.course import codecs
from handlers.jobs.course import run_course_jobs
from storage.course.evenings import add_evening, evenings_of, present_at
from storage.people import add_membership
from tests.course.world import KARI, cohort_in_alna, hold_clock
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started

OSLO = ZoneInfo("Europe/Oslo")
T0 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(clock: Clock) -> list[datetime]:
    return hold_clock(clock, T0)


def test_typed_dates_are_checked() -> None:
    assert parse_when("24.09.2027 18:00", OSLO, T0) == datetime(2027, 9, 24, 16, 0, tzinfo=UTC)
    assert parse_when("24.9 18.00", OSLO, T0) == datetime(2027, 9, 24, 16, 0, tzinfo=UTC)
    assert parse_when("31.02.2027 18:00", OSLO, T0) is WhenProblem.NO_SUCH_DATE
    assert parse_when("10.03.2027 24:00", OSLO, T0) is WhenProblem.NO_SUCH_DATE
    assert parse_when("01.01.2027 18:00", OSLO, T0) is WhenProblem.PAST
    assert parse_when("tomorrow", OSLO, T0) is WhenProblem.UNREADABLE
    # 1 March: "28.02" means next year's.
    assert parse_when("28.02 18:00", OSLO, T0) == datetime(2028, 2, 28, 17, 0, tzinfo=UTC)


def test_holidays_and_a_second_evening_that_day_are_flagged() -> None:
    may17 = datetime(2027, 5, 17, 16, 0, tzinfo=UTC)
    assert [w.clash for w in clashes(may17, [], OSLO)] == [Clash.HOLIDAY]
    christmas_eve = datetime(2027, 12, 24, 16, 0, tzinfo=UTC)
    assert [w.clash for w in clashes(christmas_eve, [], OSLO)] == [Clash.HOLIDAY]
    tuesday = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
    same_day = tuesday - timedelta(hours=3)
    assert [w.clash for w in clashes(tuesday, [same_day, tuesday + timedelta(days=1)], OSLO)] == [
        Clash.SAME_DAY
    ]


def test_progress_needs_the_threshold_and_modules_1_and_17() -> None:
    mine = progress(range(1, 16), range(1, 17), 15)
    assert mine.done == 15 and mine.missed == (16,) and not mine.eligible  # 17 missing
    assert mine.on_track  # 17 is still to come
    assert progress([*range(1, 15), 17], range(1, 18), 15).eligible
    assert not progress(range(3, 18), range(1, 18), 15).eligible  # 1 and 2 missed
    assert not progress([], [1], 15).on_track  # module 1 missed: only a catch-up helps


async def cohort_with(services: Services, women: dict[int, str]) -> tuple[int, int]:
    """A cohort in Alna with these women admitted; returns (district, cohort)."""
    return await cohort_in_alna(services, women, T0, places=200, locale="en")


async def test_an_evening_from_the_phone_with_bad_dates_and_a_holiday(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    _, cohort = await cohort_with(services, {})
    kari = await started(chat(KARI, "Kari"))
    await kari.press(codecs.EVENINGS.encode(cohort), kari.last()["message_id"])
    await kari.press_label("Add an evening")
    await kari.press(codecs.EVENING_MODULE.encode(cohort, 1))
    await kari.send("31.02.2027 18:00")
    assert "There is no such date" in kari.last()["text"]
    await kari.send("01.02.2027 18:00")
    assert "passed already" in kari.last()["text"]
    await kari.send("17.05.2027 18:00")
    await kari.press(codecs.EVENING_LENGTH.encode(cohort, 120))
    await kari.press(codecs.EVENING_PLACE.encode(cohort, 0))
    assert "That day is a public holiday." in kari.last()["text"]
    await kari.send("Dr. <i>Hansen</i>")
    assert "Lecturer: Dr. <i>Hansen</i>" in kari.last()["text"]  # arrives literally
    assert await evenings_of(services.db, cohort) == []  # nothing until she saves
    await kari.press_label("Save the evening")
    [evening] = await evenings_of(services.db, cohort)
    assert (
        evening.module == 1 and evening.minutes == 120 and evening.lecturer == "Dr. <i>Hansen</i>"
    )
    assert evening.starts_at == datetime(2027, 5, 17, 16, 0, tzinfo=UTC)


async def test_reminder_the_day_before_once_and_her_answer(
    chat: Callable[..., ChatDriver], services: Services, fixed_clock: list[datetime]
) -> None:
    _, cohort = await cohort_with(services, {1001: "Amina"})
    amina = await started(chat(1001, "Amina"))
    evening = await add_evening(
        services.db, cohort, 7, T0 + timedelta(days=3), 120, None, "Dr. Lie"
    )
    await run_course_jobs(amina.app.bot, services)
    assert not any("Tomorrow" in t for t in amina.texts())
    fixed_clock[0] = T0 + timedelta(days=2, hours=1)
    await run_course_jobs(amina.app.bot, services)
    await run_course_jobs(amina.app.bot, services)  # a second run (or a restart) sends nothing
    reminders = [t for t in amina.texts() if "Tomorrow in the basic training" in t]
    assert len(reminders) == 1 and "Module 7: Women's health" in reminders[0]
    assert "Lecturer: Dr. Lie" in reminders[0]
    await amina.press(codecs.NOT_COMING.encode(evening))
    assert "We hope to see you next time" in amina.last()["text"]
    answers = await services.db.fetch_all("SELECT answer FROM course_reminders")
    assert [r["answer"] for r in answers] == ["no"]


async def test_moving_and_cancelling_tell_every_participant(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    _, cohort = await cohort_with(services, {1001: "Amina", 1002: "Hodan"})
    amina, hodan = await started(chat(1001, "Amina")), await started(chat(1002, "Hodan"), "so")
    evening = await add_evening(services.db, cohort, 2, T0 + timedelta(days=7), 120, None, None)
    kari = await started(chat(KARI, "Kari"))
    await kari.press(codecs.MOVE_EVENING.encode(evening), kari.last()["message_id"])
    await kari.send("10.03.2027 18:00")
    await kari.press_label("Yes, move it")
    assert "is moved from" in amina.last()["text"] and "10" in amina.last()["text"]
    assert hodan.last()["text"] != amina.last()["text"]  # in Somali
    await kari.press(codecs.CANCEL_EVENING.encode(evening), kari.last()["message_id"])
    await kari.press(codecs.CANCEL_EVENING_SURE.encode(evening))
    assert "is cancelled" in amina.last()["text"]


async def test_attendance_pages_edit_themselves_for_130_women(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    women = {2000 + i: f"Kvinne {i:03d}" for i in range(130)}
    _, cohort = await cohort_with(services, women)
    evening = await add_evening(services.db, cohort, 1, T0 - timedelta(days=1), 120, None, None)
    kari = await started(chat(KARI, "Kari"))
    await kari.press(codecs.ATTENDANCE.encode(evening, 0), kari.last()["message_id"])
    screen = kari.last()
    assert "Page 1 of 7" in screen["text"] and "Came: 0 of 130" in screen["text"]
    await kari.press(codecs.ATTENDANCE.encode(evening, 6), screen["message_id"])
    assert "Page 7 of 7" in kari.last()["text"]
    await kari.press_label("Kvinne 129")
    assert kari.last()["message_id"] == screen["message_id"]  # the same message, edited
    assert "Came: 1 of 130" in kari.last()["text"]
    assert any(b["text"] == "✅ Kvinne 129" for b in buttons_of(kari.last()))
    assert await present_at(services.db, evening) == {2129}
    await kari.press_label("Kvinne 129")  # a second press undoes it
    assert await present_at(services.db, evening) == set()


async def test_progress_for_her_and_the_csv_for_the_coordinator(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    _, cohort = await cohort_with(services, {1001: "أمينة", 1002: "=Hodan"})
    for module in (1, 2, 3):
        evening = await add_evening(
            services.db, cohort, module, T0 - timedelta(days=10 - module), 120, None, None
        )
        if module != 2:
            await services.db.execute(
                "INSERT INTO course_attendance (evening_id, telegram_id) VALUES (?, 1001)",
                (evening,),
            )
    await add_evening(services.db, cohort, 2, T0 + timedelta(days=5), 120, None, None)  # catch-up
    amina = await started(chat(1001, "Amina"))
    await amina.send("/course")
    text = amina.last()["text"]
    assert "✅ 2 of 17 modules" in text
    assert "❌ Module 2: Children's development and upbringing — next chance:" in text
    kari = await started(chat(KARI, "Kari"))
    await kari.press(codecs.CSV_FILE.encode(cohort), kari.last()["message_id"])
    name, content = api.calls_to("sendDocument")[-1].uploads["document"]
    assert name.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    rows = content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Navn;Status;Modul 1: Introduksjon Bydelsmødre")
    assert "أمينة;deltaker;x;;x;;2;nei" in rows
    assert "'=Hodan;deltaker;;;;;0;nei" in rows  # never run as a formula


async def test_mothers_sign_up_for_catch_up_evenings_with_their_own_waiting_list(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district = await make_member(services, KARI, "coordinator")
    for who, name in ((1001, "Amina"), (1002, "Hodan")):
        await add_membership(services.db, who, district, "mother", name, T0, "en")
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/course")
    await kari.press_label("New catch-up evenings")
    await kari.send("Catch-up spring")
    catchup = await services.db.fetch_one("SELECT id, kind FROM cohorts")
    assert catchup is not None and catchup["kind"] == "catchup"
    cohort_id = int(catchup["id"])
    version = (await services.db.fetch_one("SELECT version FROM cohorts"))["version"]  # type: ignore[index]
    await kari.press(codecs.CAPACITY.encode(cohort_id, version, 10), kari.last()["message_id"])
    await services.db.execute("UPDATE cohorts SET capacity = 1")
    await add_evening(services.db, cohort_id, 9, T0 + timedelta(days=9), 120, None, None)
    amina, hodan = await started(chat(1001, "Amina")), await started(chat(1002, "Hodan"))
    await amina.send("/course")
    assert "Module 9: Mental health" in amina.last()["text"]
    await amina.press_label("Sign up")
    assert "You are signed up for the catch-up evenings" in amina.last()["text"]
    await hodan.send("/course")
    await hodan.press_label("Sign up")
    assert "You are number 1 on the waiting list" in hodan.last()["text"]
    # Hodan, a bydelsmor, stays one: catch-up evenings change no role.
    rows = await services.db.fetch_all("SELECT role FROM memberships WHERE telegram_id = 1002")
    assert [r["role"] for r in rows] == ["mother"]


async def test_a_district_renames_a_module_evening_and_it_still_counts(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    _, cohort = await cohort_with(services, {1001: "Amina"})
    evening = await add_evening(services.db, cohort, 11, T0 + timedelta(days=3), 120, None, None)
    kari = await started(chat(KARI, "Kari"))
    await kari.press(codecs.EVENING.encode(evening), kari.last()["message_id"])
    await kari.press_label("The district's own name")
    await kari.send("Norge og <b>NAV</b>")
    assert "Module 11: Norge og <b>NAV</b>" in kari.last()["text"]  # shown literally
    [renamed] = await evenings_of(services.db, cohort)
    assert renamed.module == 11 and renamed.title == "Norge og <b>NAV</b>"
