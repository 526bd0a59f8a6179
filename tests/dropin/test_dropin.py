"""The drop-in through the real Application: /dropin for women (reminders, calendar, a
cancellation), the rota (limits under concurrent presses, swaps, the cut-off), the jobs (each
message once), /reached and /report."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import icalendar

from bot.app import BotApplication
from bot.days import OSLO, local_instant
from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.dropin import codecs
from handlers.help.codecs import TOPIC
from handlers.jobs.dropin import dispatch_dropin
from storage.dropin.rota import shifts_on
from storage.dropin.sessions import subscribed_days
from storage.privacy import collect_personal_data
from tests.dropin.world import (
    AMINA,
    FADUMO,
    HAWA,
    KARI,
    PARTICIPANT,
    SAHRA,
    furuset,
    next_wednesday,
)
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import started


def button_data(driver: ChatDriver, fragment: str) -> str:
    for message in reversed(driver.api.bot_messages_in(driver.chat_id)):
        for found in buttons_of(message):
            if fragment in found["text"]:
                return str(found["callback_data"])
    raise AssertionError(f"no button {fragment!r}")


async def dispatch(app: BotApplication, services: Services, now: datetime) -> int:
    return await dispatch_dropin(app.bot, services.db, OSLO, now, None, services.clock)


# -- women ---------------------------------------------------------------------------------------


async def test_a_woman_asks_in_urdu_and_is_reminded_that_morning(
    chat: Callable[..., ChatDriver], services: Services, app: BotApplication, api: OfflineBotApi
) -> None:
    session_id = await furuset(services)
    day = await next_wednesday(services.db)
    amina = await started(chat(AMINA, "Amina"), "ur")
    ur = translator("ur")
    await amina.send("/dropin")
    text = amina.last()["text"]
    assert ur._("Where you can meet a bydelsmor") in text
    assert "Deichman Furuset" in text and "Trygve Lies plass 1" in text
    # No sourced coordinates for the place: a map-search link instead of a venue.
    sent = api.calls_to("sendMessage")[-1].params["text"]
    assert '<a href="https://www.openstreetmap.org/search?query=Deichman+Furuset' in sent
    assert api.calls_to("sendVenue") == []
    assert "اردو" in text and "Soomaali" in text  # the languages spoken, each in its script
    assert ur.format_datetime(local_instant(day, time(12), OSLO), OSLO) in text
    await amina.press(codecs.remind("r", session_id, day))
    assert await subscribed_days(services.db, AMINA) == {(session_id, day)}
    data = await collect_personal_data(services.db, AMINA)
    assert data["dropin_subscriptions"] == [
        {"session": "furuset-wednesday", "day": day.isoformat(), "outcome": None}
    ]
    # The evening before: nothing. That morning at 08:00 Oslo time: the reminder, once.
    before = len(amina.texts())
    assert await dispatch(app, services, local_instant(day, time(7, 59), OSLO)) == 0
    assert await dispatch(app, services, local_instant(day, time(8, 0), OSLO)) == 1
    assert await dispatch(app, services, local_instant(day, time(8, 5), OSLO)) == 0
    assert len(amina.texts()) == before + 1
    assert ur._("Today you can meet a bydelsmor:") in amina.last()["text"]
    # The day after, the subscription is gone by itself.
    await dispatch(app, services, local_instant(day + timedelta(days=1), time(9), OSLO))
    assert await subscribed_days(services.db, AMINA) == set()


async def test_the_calendar_file_has_three_months_of_wednesdays(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    session_id = await furuset(services)
    amina = await started(chat(AMINA, "Amina"))
    await amina.send("/dropin")
    await amina.press(codecs.calendar(session_id))
    name, content = api.calls_to("sendDocument")[-1].uploads["document"]
    assert name.endswith(".ics")
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert 11 <= len(events) <= 14
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert isinstance(start, datetime) and isinstance(end, datetime)
        assert (start.astimezone(OSLO).time(), end.astimezone(OSLO).time()) == (time(12), time(15))


async def test_a_cancelled_session_is_told_to_the_women_who_asked(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    session_id = await furuset(services)
    day = await next_wednesday(services.db)
    amina = await started(chat(AMINA, "Amina"))
    await amina.send("/dropin")
    await amina.press(codecs.remind("r", session_id, day))
    kari = await started(chat(KARI, "Kari"))
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/rota")
    await fadumo.press(codecs.shift("t", session_id, day))
    await kari.send("/rota")
    # Only a coordinator may cancel: a bydelsmor's forged press changes nothing.
    await fadumo.press(codecs.alert("k", session_id, day))
    assert "cancelled" not in amina.last()["text"]
    await kari.press(codecs.alert("c", session_id, day))
    await kari.press(codecs.alert("k", session_id, day))
    assert "A session you asked about is cancelled:" in amina.last()["text"]
    assert "Cancelled this week." in amina.last()["text"]
    assert "A session you asked about is cancelled:" in fadumo.last()["text"]
    await amina.send("/dropin")
    assert "Cancelled this week." in amina.last()["text"]
    # Pressing it again tells nobody twice.
    count = len(amina.texts())
    await kari.press(codecs.alert("k", session_id, day))
    assert len(amina.texts()) == count


# -- the rota ------------------------------------------------------------------------------------


async def test_never_above_the_maximum_under_concurrent_presses(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    session_id = await furuset(services)  # at most 2 on duty
    day = await next_wednesday(services.db)
    mothers = [await started(chat(i, n)) for i, n in ((FADUMO, "F"), (HAWA, "H"), (SAHRA, "S"))]
    for mother in mothers:
        await mother.send("/rota")
    data = codecs.shift("t", session_id, day)
    await asyncio.gather(*(m.press(data) for m in mothers), *(m.press(data) for m in mothers))
    on_duty = (await shifts_on(services.db, session_id, [day]))[day]
    assert len(on_duty) == 2
    assert len({s.telegram_id for s in on_duty}) == 2
    toasts = mothers[0].toasts()
    assert "Sorry, this session is full." in toasts or "You are on duty already." in toasts


async def test_a_swap_accepted_by_two_at_once_has_one_owner(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    session_id = await furuset(services, max_on_duty=3)
    day = await next_wednesday(services.db)
    fadumo, hawa, sahra = [
        await started(chat(i, n)) for i, n in ((FADUMO, "F"), (HAWA, "H"), (SAHRA, "S"))
    ]
    await fadumo.send("/rota")
    await fadumo.press(codecs.shift("t", session_id, day))
    await fadumo.press(codecs.shift("s", session_id, day))
    accept = button_data(hawa, "I take the shift")
    assert accept == button_data(sahra, "I take the shift")
    await asyncio.gather(hawa.press(accept), sahra.press(accept))
    on_duty = (await shifts_on(services.db, session_id, [day]))[day]
    assert len(on_duty) == 1 and on_duty[0].telegram_id in (HAWA, SAHRA)
    assert "Another bydelsmor took your shift:" in fadumo.last()["text"]
    assert "Someone has taken this shift already." in hawa.toasts() + sahra.toasts()


async def test_withdraw_until_the_cut_off_and_members_only(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    session_id = await furuset(services)
    day = await next_wednesday(services.db)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/rota")
    assert "Rota: Alna" in fadumo.last()["text"]
    await fadumo.press(codecs.shift("t", session_id, day))
    assert "Fadumo" in fadumo.last()["text"]
    await fadumo.press(codecs.shift("w", session_id, day))
    assert (await shifts_on(services.db, session_id, [day]))[day] == []
    nour = await started(chat(PARTICIPANT, "Nour"))
    await nour.send("/rota")
    assert "The rota is for bydelsmødre of a district." in nour.last()["text"]
    await nour.press(codecs.shift("t", session_id, day), fadumo.last()["message_id"])
    assert (await shifts_on(services.db, session_id, [day]))[day] == []


async def test_reminder_the_day_before_alert_once_and_the_question_after(
    chat: Callable[..., ChatDriver], services: Services, app: BotApplication
) -> None:
    session_id = await furuset(services)
    day = await next_wednesday(services.db)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    kari = await started(chat(KARI, "Kari"))
    await fadumo.send("/rota")
    await fadumo.press(codecs.shift("t", session_id, day))
    start = local_instant(day, time(12), OSLO)
    # Three days ahead, 1 of the 2 needed: the coordinators hear of it once.
    assert await dispatch(app, services, start - timedelta(days=3, minutes=1)) == 0
    await dispatch(app, services, start - timedelta(days=3))
    assert "1 more bydelsmor is needed on" in kari.last()["text"]
    count = len(kari.texts())
    await dispatch(app, services, start - timedelta(days=2))
    assert len(kari.texts()) == count
    # "Ask all": the bydelsmødre not on duty are asked, with a button to take the shift.
    hawa = await started(chat(HAWA, "Hawa"))
    await kari.press(button_data(kari, "Ask all bydelsmødre"))
    assert "1 place free on" in hawa.last()["text"]
    # The day before at 18:00 Oslo time: her reminder.
    before = local_instant(day - timedelta(days=1), time(18), OSLO)
    await dispatch(app, services, before - timedelta(minutes=1))
    assert "Reminder: you are on duty." not in fadumo.last()["text"]
    await dispatch(app, services, before)
    assert "Reminder: you are on duty." in fadumo.last()["text"]
    # After the shift: how many women, about what.
    await dispatch(app, services, local_instant(day, time(15), OSLO))
    assert "Thank you for your shift!" in fadumo.last()["text"]
    count = len(fadumo.texts())
    await dispatch(app, services, local_instant(day, time(16), OSLO))
    assert len(fadumo.texts()) == count


# -- reach and report ----------------------------------------------------------------------------


async def test_reached_then_the_report_shows_it(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await furuset(services)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/reached")
    await fadumo.press_label("Pregnancy and women's health")
    await fadumo.press_label("👩 3")
    assert (
        "Saved: 3 women, 🤰" in fadumo.last()["text"] or "Saved: 3 women" in fadumo.last()["text"]
    )
    # Or she types the number: a word is asked again, a large number is asked to be confirmed.
    await fadumo.press_label("Mental health")
    await fadumo.send("two")
    assert "Please type a number from 1 to 999, or press one." in fadumo.last()["text"]
    await fadumo.send("2")
    assert "Saved: 2 women, 💚 Mental health." in fadumo.last()["text"]
    await fadumo.send("2")  # no longer awaited: the free-text fallback, nothing saved twice
    # A count of 500 is asked to be confirmed before it is saved.
    today = datetime.now(UTC).astimezone(OSLO).date()
    log = codecs.Reach(1, 0, today, "money")
    alna = codecs.decode_reach(button_data(fadumo, "Money"))
    assert alna is not None
    log = codecs.Reach(alna.district_id, 0, today, "money")
    await fadumo.press(codecs.reach_count("n", log, 500))
    assert "500 women in one shift: is that right?" in fadumo.last()["text"]
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/report")
    text = kari.last()["text"]
    assert "Women reached: 5" in text
    assert "fewer than 5" in text  # 3 about one topic points too close to a woman
    await fadumo.press(codecs.reach_count("c", log, 500))
    await kari.send("/report")
    assert "Women reached: 505" in kari.last()["text"]
    await kari.press_label("Spreadsheet (CSV)")
    name, content = api.calls_to("sendDocument")[-1].uploads["document"]
    assert content.startswith(b"\xef\xbb\xbf") and name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert ["women_reached", "", "", "505"] in rows
    assert any(r[0] == "women_by_topic" and r[3] == "<5" for r in rows)
    await kari.press_label("Chart")
    photo = api.calls_to("sendPhoto")[-1].uploads["photo"][1]
    assert photo.startswith(b"\x89PNG") and len(photo) > 1000
    # A typed 500 is asked about too; "no" saves nothing.
    await fadumo.press_label("Money, NAV and work")
    await fadumo.send("500")
    assert "500 women in one shift: is that right?" in fadumo.last()["text"]
    await fadumo.press_label("No, choose again")
    await kari.send("/report")
    assert "Women reached: 505" in kari.last()["text"]
    # A bydelsmor gets no report.
    await fadumo.send("/report")
    assert "The reach report is for coordinators." in fadumo.last()["text"]


async def test_the_help_guide_names_the_real_next_drop_in(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await furuset(services)
    amina = await started(chat(AMINA, "Amina"))
    await amina.send("/info")
    await amina.press(TOPIC.encode("bydelsmor"))
    texts = "\n".join(amina.texts())
    assert "Next drop-in: " in texts and "Deichman Furuset." in texts
    await amina.press_label("Meet a bydelsmor")
    assert "Where you can meet a bydelsmor" in amina.last()["text"]


async def test_a_place_with_sourced_coordinates_is_sent_as_a_venue(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await furuset(services)
    await services.db.execute(
        "UPDATE locations SET latitude = 59.9398, longitude = 10.8778, "
        "coordinates_source = 'test: a made-up source for this test only'"
    )
    amina = await started(chat(AMINA, "Amina"))
    await amina.send("/dropin")
    venue = api.calls_to("sendVenue")[-1].params
    assert (venue["title"], venue["latitude"]) == ("Deichman Furuset", 59.9398)
    assert "openstreetmap" not in api.calls_to("sendMessage")[-1].params["text"]


async def test_her_shifts_calendar_and_a_member_no_more(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    session_id = await furuset(services)
    day = await next_wednesday(services.db)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/rota")
    await fadumo.press(codecs.shift("t", session_id, day))
    await fadumo.press(codecs.my_calendar())
    _, content = api.calls_to("sendDocument")[-1].uploads["document"]
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert [e.decoded("DTSTART").astimezone(OSLO).date() for e in events] == [day]
    # Hawa leaves the group with the rota still open: her press takes nothing.
    hawa = await started(chat(HAWA, "Hawa"))
    await hawa.send("/rota")
    await services.db.execute("DELETE FROM memberships WHERE telegram_id = ?", (HAWA,))
    await hawa.press(codecs.shift("t", session_id, day))
    assert [s.telegram_id for s in (await shifts_on(services.db, session_id, [day]))[day]] == [
        FADUMO
    ]
