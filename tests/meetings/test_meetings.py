"""/meetings, meeting cards, answers, calendar files, and a coordinator's /rsvps, cancel, move,
add, place and note; the meetings follow a phase change, from /phase or from a seed file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

import icalendar
import pytest

from bot.access import may_answer, may_see_meetings
from bot.app import BotApplication
from bot.days import OSLO
from bot.identity import Identity, Role
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.meetings import meeting_when, reminders
from handlers.meetings.codecs import (
    ADD,
    ANSWERS,
    CALENDAR,
    CANCEL_OK,
    CARD,
    MOVE,
    NOTE,
    PHASE_PICK,
    RSVP,
)
from handlers.meetings.planning import plan_all, plan_and_tell
from handlers.meetings.reminders import notices_sent
from storage.meetings.meetings import (
    add_meeting,
    cancel_meeting,
    get_meeting,
    move_meeting,
    upcoming_meetings,
)
from storage.meetings.rsvps import get_rsvp
from storage.organisation import apply_seed
from storage.people import MembershipRecord, mark_unreachable
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.meetings.world import (
    FADUMO,
    HAWA,
    KARI,
    LOCATION,
    STRANGER,
    alna,
    alna_group,
    now,
    open_card,
    planned_alna,
)
from tests.support.people import make_member, started

# -- members -----------------------------------------------------------------------------------


async def test_meetings_lists_the_rules_dates_in_her_language(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/meetings")
    text = fadumo.last()["text"]
    assert "Next meetings" in text and "Alna" in text and "Deichman Furuset" in text
    assert text.count("Wednesday") == 4 and "18:00" in text
    labels = [b["text"] for b in buttons_of(fadumo.last())]
    assert labels[-1] == "📅 Add all to calendar" and all(label[0] in "🗓📅" for label in labels)
    meetings = await upcoming_meetings(
        services.db, [district_id], now(), now() + timedelta(days=92)
    )
    assert all(m.starts_at.astimezone(OSLO).hour == 18 for m in meetings)

    await fadumo.press_label("Add all to calendar")
    (call,) = api.calls_to("sendDocument")
    name, content = next(iter(call.uploads.values()))
    assert name == "meetings.ics"
    events = list(icalendar.Calendar.from_ical(content).walk("VEVENT"))
    assert [e.decoded("dtstart").astimezone(UTC) for e in events] == [m.starts_at for m in meetings]
    assert str(events[0]["summary"]) == "Bydelsmødre meeting: Alna"
    # The UID is the meeting's random uid, never its (once reusable) id.
    assert [str(e["uid"]) for e in events] == [f"{m.uid}@bydelsbot" for m in meetings]
    assert all(len(m.uid) == 32 for m in meetings)
    assert all(e.decoded("sequence") == 0 and "last-modified" in e for e in events)


async def test_a_card_answers_and_one_meeting_to_the_calendar(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    _district_id, meeting_id = await planned_alna(services, api, app)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await open_card(fadumo, meeting_id)
    card = fadumo.last()
    assert [b["text"] for b in buttons_of(card)] == [
        "✅ Coming", "❌ Not coming", "🤔 Maybe", "📅 Add to calendar",
    ]  # fmt: skip
    await fadumo.press(RSVP.encode(meeting_id, "n"))
    assert "Your answer: ❌ Not coming" in fadumo.last()["text"]
    assert fadumo.toasts()[-1] == "Thank you! Your answer: ❌ Not coming"
    assert await get_rsvp(services.db, meeting_id, FADUMO) == "no"
    await fadumo.press(CALENDAR.encode(meeting_id))
    (call,) = api.calls_to("sendDocument")
    _, content = next(iter(call.uploads.values()))
    assert len(list(icalendar.Calendar.from_ical(content).walk("VEVENT"))) == 1


async def test_presses_that_cannot_count_change_nothing_and_say_why(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id, meeting_id = await planned_alna(services, api, app)
    other = await make_member(services, STRANGER, "mother", district="Stovner")
    theirs = await add_meeting(services.db, other, now() + timedelta(days=2), KARI, now())
    past = await add_meeting(services.db, district_id, now() - timedelta(hours=1), KARI, now())
    cancelled = await add_meeting(services.db, district_id, now() + timedelta(days=3), KARI, now())
    await services.db.execute(
        "UPDATE meetings SET cancelled_at = ? WHERE id = ?", (now().isoformat(), cancelled)
    )
    fadumo = await started(chat(FADUMO, "Fadumo"))
    cases = {
        RSVP.encode(theirs, "y"): "🔒 You can only answer for the meetings of your own group.",
        RSVP.encode(past, "y"): "⌛ This meeting has already taken place. Nothing was changed.",
        RSVP.encode(cancelled, "y"): "🚫 This meeting is cancelled. Nothing was changed.",
        RSVP.encode(999999, "y"): (
            "🤷 This meeting no longer exists. Send /meetings to see the next ones."
        ),
        f"rsvp:{meeting_id}:x": "This button has expired. Send /menu to start again.",
        CALENDAR.encode(theirs): "🔒 This meeting is not your group's.",
    }
    for data, toast in cases.items():
        await fadumo.press(data)
        assert fadumo.toasts()[-1] == toast, data
    rows = await services.db.fetch_all("SELECT * FROM rsvps")
    assert rows == [] and api.calls_to("sendDocument") == []


async def test_meetings_is_for_members(chat: Callable[..., ChatDriver]) -> None:
    amina = await started(chat(4100, "Amina"))
    await amina.send("/meetings")
    assert amina.last()["text"] == "📅 Meetings are for the members of a district group."


# -- coordinators --------------------------------------------------------------------------------


async def test_rsvps_shows_who_is_coming_with_counts_and_who_cannot_be_reached(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    _district_id, meeting_id = await planned_alna(services, api, app)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.press(RSVP.encode(meeting_id, "y"), fadumo.last()["message_id"])
    await mark_unreachable(services.db, HAWA, now())
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/rsvps")
    text = kari.last()["text"]
    assert "✅ Coming (1): Fadumo" in text
    assert "❌ Not coming (0): —" in text and "🤔 Maybe (0): —" in text
    assert "⏳ No answer yet (2): Hawa <b> 🚫, Kari" in text  # her name, escaped, as she wrote it
    assert "🚫 = the bot cannot reach her" in text

    fadumo_view = await started(chat(FADUMO, "Fadumo"))
    await fadumo_view.press(ANSWERS.encode(meeting_id))
    assert fadumo_view.toasts()[-1].startswith("🔒")


async def test_a_coordinator_cancels_a_meeting_and_every_member_is_told(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id, meeting_id = await planned_alna(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    await open_card(kari, meeting_id)
    assert "🗑 Cancel the meeting" in [b["text"] for b in buttons_of(kari.last())]
    await kari.press_label("Cancel the meeting")
    assert kari.last()["text"].startswith("⚠️ Cancel this meeting?")
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and not meeting.cancelled  # not before confirming
    await kari.press_label("Yes, cancel it")
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and meeting.cancelled
    assert kari.last()["text"].startswith("✅ Done. The members are being told")
    await notices_sent()
    for member in (FADUMO, HAWA):
        told = api.bot_messages_in(member)[-1]["text"]
        assert (
            told.startswith("🚫 A meeting is cancelled:") and "This meeting is cancelled." in told
        )
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/meetings")
    assert "(cancelled)" in fadumo.last()["text"]
    await fadumo.press(CARD.encode(meeting_id))
    assert buttons_of(fadumo.last()) == []  # nothing to answer any more
    # A re-plan keeps her cancellation: the rule does not bring the meeting back.
    await plan_and_tell(app.bot, services, district_id, now())
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and meeting.cancelled


async def test_a_mother_cannot_cancel_move_or_add(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id, meeting_id = await planned_alna(services, api, app)
    day = (now() + timedelta(days=3)).astimezone(OSLO).date()
    fadumo = await started(chat(FADUMO, "Fadumo"))
    for data in (
        CANCEL_OK.encode(meeting_id),
        MOVE.ok.encode(meeting_id, f"{day:%Y%m%d}", "1800"),
        ADD.ok.encode(district_id, f"{day:%Y%m%d}", "1800"),
        NOTE.encode(meeting_id),
    ):
        await fadumo.press(data)
        assert fadumo.toasts()[-1].startswith("🔒"), data
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and not meeting.cancelled and meeting.note is None
    before = await upcoming_meetings(services.db, [district_id], now(), now() + timedelta(days=9))
    assert all(m.starts_at.astimezone(OSLO).weekday() == 2 for m in before)


async def test_a_coordinator_moves_a_meeting_with_buttons(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    _district_id, meeting_id = await planned_alna(services, api, app)
    old = await get_meeting(services.db, meeting_id)
    assert old is not None
    day = (now() + timedelta(days=5)).astimezone(OSLO).date()
    kari = await started(chat(KARI, "Kari"))
    await open_card(kari, meeting_id)
    await kari.press_label("Move")
    assert kari.last()["text"] == "🗓 Which day?"
    labels = [b["text"] for b in buttons_of(kari.last())]
    assert labels[-2:] == ["↩️ Back", "❌ Cancel"] and 13 <= len(labels) - 2 <= 14
    assert f"🗓 {day:%a}, {day:%b} {day.day}" in labels  # with the weekday's name
    await kari.press(MOVE.pick_time.encode(meeting_id, f"{day:%Y%m%d}"))
    assert kari.last()["text"].startswith("🕒 At what time?")
    await kari.press(MOVE.confirm.encode(meeting_id, f"{day:%Y%m%d}", "1730"))
    assert kari.last()["text"].startswith("❓ Move the meeting to")
    await kari.press_label("Yes")
    await notices_sent()
    moved = await get_meeting(services.db, meeting_id)
    assert moved is not None
    assert moved.starts_at.astimezone(OSLO).date() == day
    assert moved.starts_at.astimezone(OSLO).strftime("%H:%M") == "17:30"
    told = api.bot_messages_in(FADUMO)[-1]["text"]
    assert told.startswith("🕒 A meeting has moved. It was on ") and "17:30" in told
    for forged in (f"mmv:{meeting_id}:20261340", f"mmv:{meeting_id}:{day:%Y%m%d}:1745"):
        await kari.press(forged)
        assert kari.toasts()[-1] == "This button has expired. Send /menu to start again."


async def test_a_coordinator_adds_a_meeting_with_a_place_and_a_note(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app)
    day = (now() + timedelta(days=2)).astimezone(OSLO).date()
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/meetings")
    await kari.press_label("Add a meeting")
    await kari.press(ADD.pick_time.encode(district_id, f"{day:%Y%m%d}"))
    await kari.press(ADD.confirm.encode(district_id, f"{day:%Y%m%d}", "1000"))
    assert kari.last()["text"].startswith("❓ Add a meeting of Alna on")
    await kari.press_label("Yes")
    assert kari.last()["text"].startswith("✅ Done. The members are being told")
    await notices_sent()
    assert api.bot_messages_in(HAWA)[-1]["text"].startswith("➕ A new meeting:")
    added = [
        m
        for m in await upcoming_meetings(
            services.db, [district_id], now(), now() + timedelta(days=9)
        )
        if m.rule_key is None
    ]
    assert len(added) == 1 and added[0].starts_at.astimezone(OSLO).hour == 10

    await kari.press_label("Place and note")
    assert kari.last()["text"].startswith("📝 Send the place on the first line")
    await kari.send("Furuset library\n" + "x" * 201)
    assert kari.last()["text"].startswith("⚠️ That is too long")
    await kari.send("Furuset library, room 2\nBring <b>tea</b> & a friend")
    meeting = await get_meeting(services.db, added[0].id)
    assert meeting is not None and meeting.place == "Furuset library, room 2"
    assert meeting.note == "Bring <b>tea</b> & a friend"
    assert kari.last()["text"].startswith("✅ Done. The members are being told")
    await notices_sent()
    told = api.bot_messages_in(FADUMO)[-1]["text"]
    assert "📍 Furuset library, room 2" in told and "📝 Bring <b>tea</b> & a friend" in told
    assert api.violations == []  # the note went out escaped

    await kari.send("just chatting")  # the conversation is over: free text is free text again
    meeting = await get_meeting(services.db, added[0].id)
    assert meeting is not None and meeting.place == "Furuset library, room 2"


async def test_place_and_note_can_be_abandoned_with_cancel(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    _district_id, meeting_id = await planned_alna(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    await kari.press(NOTE.encode(meeting_id), kari.last()["message_id"])
    await kari.press(NOTE.encode(meeting_id), kari.last()["message_id"])  # pressed twice: fine
    prompts = [text for text in kari.texts() if text.startswith("📝 Send the place")]
    assert len(prompts) == 2
    await kari.send("/cancel")
    assert kari.last()["text"] == (
        "↩️ I no longer wait for the meeting's place and note. Nothing was changed."
    )
    await kari.send("Somewhere")
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and meeting.place == "Deichman Furuset" and meeting.note is None


# -- the phase -----------------------------------------------------------------------------------


async def test_a_phase_change_replans_the_future_keeps_the_past_and_tells_members(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app, planned_from=now() - timedelta(days=30))
    past_before = await services.db.fetch_all(
        "SELECT id, starts_at FROM meetings WHERE starts_at <= ? ORDER BY id", (now().isoformat(),)
    )
    assert len(past_before) >= 2
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/phase")
    await kari.press_label("an association, meeting once a month")
    await kari.press_label("Yes, move")
    await notices_sent()
    assert "✅ Alna is now in phase 4." in kari.last()["text"]  # she is not told twice
    await kari.send("/phase")  # the history: when, from which phase to which, who
    today = now().astimezone(OSLO)
    assert "🕓 Phase history:" in kari.last()["text"]
    assert f"• {today:%b} {today.day}, {today.year}: phase 3 → 4, by Kari" in kari.last()["text"]
    past_after = await services.db.fetch_all(
        "SELECT id, starts_at FROM meetings WHERE starts_at <= ? ORDER BY id", (now().isoformat(),)
    )
    assert [tuple(r) for r in past_after] == [tuple(r) for r in past_before]
    future = await upcoming_meetings(services.db, [district_id], now(), now() + timedelta(days=90))
    assert 2 <= len(future) <= 3
    for meeting in future:  # the first Wednesday of each month, at 18:00
        local = meeting.starts_at.astimezone(OSLO)
        assert local.weekday() == 2 and local.day <= 7 and local.hour == 18
    for member in (FADUMO, HAWA):
        told = api.bot_messages_in(member)[-1]["text"]
        assert told.startswith("🔄 Alna is in a new phase.")
        assert (
            "Phase 4: an association, meeting once a month" in told and "The next meeting:" in told
        )


async def test_a_phase_changed_by_the_seed_file_is_picked_up_and_told_once(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    await alna_group(services, api, app)
    await apply_seed(services.db, [LOCATION], [alna(phase=2)], now())
    before = len(api.bot_messages_in(FADUMO))
    await plan_all(app.bot, services, now())
    await plan_all(app.bot, services, now())
    told = api.bot_messages_in(FADUMO)[before:]
    assert len(told) == 1
    assert "The regular meetings stop for now, until the coordinator sets" in told[0]["text"]
    assert "will not take place" not in told[0]["text"]  # calm: no list of what stopped
    rule_meetings_left = await services.db.fetch_all(
        "SELECT id FROM meetings WHERE rule_key IS NOT NULL AND starts_at > ?",
        (now().isoformat(),),
    )
    assert rule_meetings_left == []


def test_only_a_districts_own_members_may_answer_its_meetings() -> None:
    def her(role: str) -> Identity:
        if role == "admin":
            return Identity(1, "en", True, Role.ADMIN, ())
        if role == "public":
            return Identity(1, "en", True, Role.PUBLIC, ())
        membership = MembershipRecord(1, "alna", "Alna", 3, role, "Her")
        return Identity(1, "en", True, Role(role), (membership,))

    for role in ("participant", "mother", "coordinator"):
        assert may_answer(her(role), 1) and not may_answer(her(role), 2)
        assert may_see_meetings(her(role), 1) and not may_see_meetings(her(role), 2)
    assert not may_answer(her("admin"), 1) and may_see_meetings(her("admin"), 2)
    assert not may_answer(her("public"), 1) and not may_see_meetings(her("public"), 1)


async def test_the_coordinator_is_answered_at_once_while_members_are_told_in_the_background(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver],
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    district_id, meeting_id = await planned_alna(services, api, app)
    release = asyncio.Event()
    real = reminders.tell_members

    async def slow_tell(*args: Any, **kwargs: Any) -> int:
        await release.wait()  # members' notices are slow (flood control, many members)
        return await real(*args, **kwargs)

    monkeypatch.setattr(reminders, "tell_members", slow_tell)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/meetings")
    # A bounded wait only so that a regression fails instead of hanging.
    await asyncio.wait_for(kari.press(CANCEL_OK.encode(meeting_id)), 30)
    assert kari.last()["text"].startswith("✅ Done. The members are being told")
    assert not any("cancelled" in m.get("text", "") for m in api.bot_messages_in(FADUMO))
    release.set()
    await asyncio.wait_for(notices_sent(), 30)
    assert api.bot_messages_in(FADUMO)[-1]["text"].startswith("🚫 A meeting is cancelled:")

    async def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(reminders, "tell_members", broken)
    meeting_id = (await upcoming_meetings(services.db, [district_id], now(),
                                          now() + timedelta(days=90)))[0].id  # fmt: skip
    await kari.send("/meetings")
    with caplog.at_level(logging.ERROR):
        await kari.press(CANCEL_OK.encode(meeting_id))
        await notices_sent()
    assert "telling the members of a meeting change failed" in caplog.text  # logged, not lost


async def test_phase_warns_before_a_move_to_a_phase_without_meetings(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/phase")
    await kari.press(PHASE_PICK.encode(district_id, 4))  # it has a monthly rule ready: no warning
    assert "no regular meeting time" not in kari.last()["text"]
    await kari.press(PHASE_PICK.encode(district_id, 2))
    warning = kari.last()["text"]
    assert "The group has no regular meeting time for phase 2." in warning
    assert "single meetings you added stay" in warning
    await apply_seed(services.db, [LOCATION], [alna(monthly_rule=None)], now())
    await kari.press(PHASE_PICK.encode(district_id, 4))  # phase 4 but no monthly rule set
    assert "no regular meeting time for phase 4" in kari.last()["text"]
    await kari.press_label("Yes, move")
    await notices_sent()
    told = api.bot_messages_in(FADUMO)[-1]["text"]
    assert "The regular meetings stop for now, until the coordinator sets a new" in told
    assert "No regular meetings" not in told


async def test_a_note_or_move_for_a_meeting_cancelled_meanwhile_changes_and_tells_nothing(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    district_id = await alna_group(services, api, app)
    first, second, *_ = await upcoming_meetings(
        services.db, [district_id], now(), now() + timedelta(days=90)
    )
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/meetings")
    await kari.press(NOTE.encode(first.id))
    # While she types, another coordinator cancels it.
    await cancel_meeting(services.db, first.id, HAWA, now())
    before = len(api.bot_messages_in(FADUMO))
    await kari.send("Furuset library\nBring tea")
    await notices_sent()
    assert kari.last()["text"].startswith("🤷 Nothing was changed")
    meeting = await get_meeting(services.db, first.id)
    assert meeting is not None and meeting.place == "Deichman Furuset" and meeting.note is None
    assert len(api.bot_messages_in(FADUMO)) == before  # nobody told of what did not happen

    real_move = move_meeting

    async def cancelled_first(db: Any, meeting_id: int, *args: Any) -> bool:
        await cancel_meeting(db, meeting_id, HAWA, now())  # cancelled just before the move
        return await real_move(db, meeting_id, *args)

    monkeypatch.setattr(meeting_when, "move_meeting", cancelled_first)
    day = (now() + timedelta(days=5)).astimezone(OSLO).date()
    await kari.send("/meetings")
    await kari.press(MOVE.ok.encode(second.id, f"{day:%Y%m%d}", "1730"))
    await notices_sent()
    assert kari.last()["text"] == "🤷 Nothing was changed."
    moved = await get_meeting(services.db, second.id)
    assert moved is not None and moved.starts_at == second.starts_at
    assert len(api.bot_messages_in(FADUMO)) == before
