"""Issue 12's meeting fixes through the real Application: the time on every meeting button, a
warning before a second meeting at the same time, restoring a cancelled meeting, cards that keep
their buttons and a way back, a day picker with weekdays, no time that has passed, ↩️ and ❌."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.app import BotApplication
from bot.days import OSLO, local_instant
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.meetings.codecs import ADD, CARD, MOVE
from handlers.meetings.meeting_when import times_left
from handlers.meetings.reminders import notice_task_name, notices_sent
from storage.meetings.meetings import get_meeting
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.meetings.world import (
    FADUMO,
    KARI,
    alna_group,
    next_meeting_id,
    now,
    open_card,
    planned_alna,
)
from tests.support.people import started


def labels(driver: ChatDriver) -> list[str]:
    return [b["text"] for b in buttons_of(driver.last())]


async def test_meeting_buttons_show_the_time_and_a_second_meeting_then_asks_first(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app)
    meeting = await get_meeting(services.db, await next_meeting_id(services, district_id))
    assert meeting is not None
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/meetings")
    local = meeting.starts_at.astimezone(OSLO)
    assert f"🗓 {local:%a}, {local:%b} {local.day} {local:%H:%M}" in labels(kari)

    await kari.press_label("Add a meeting")
    await kari.press(ADD.confirm.encode(district_id, f"{local:%Y%m%d}", f"{local:%H%M}"))
    assert kari.last()["text"].startswith("❓ ⚠️ There is already a meeting then.")
    assert labels(kari) == ["✅ Yes", "↩️ Back", "❌ Cancel"]
    await kari.press_label("Cancel")
    assert kari.last()["text"] == "↩️ Nothing was changed."


async def test_a_cancelled_meeting_is_restored_and_members_are_told(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    _district_id, meeting_id = await planned_alna(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    await open_card(kari, meeting_id)
    await kari.press_label("Cancel the meeting")
    await kari.press_label("Yes, cancel it")
    assert "♻️ Restore the meeting" in labels(kari)  # the card keeps its buttons
    await kari.press_label("Restore the meeting")
    assert kari.last()["text"].startswith("❓ Restore this meeting? Every member will be told.")
    await kari.press_label("Yes, restore it")
    await notices_sent()
    restored = await get_meeting(services.db, meeting_id)
    assert restored is not None and not restored.cancelled
    assert api.bot_messages_in(FADUMO)[-1]["text"].startswith("♻️ A meeting is on again:")
    assert "🗑 Cancel the meeting" in labels(kari) and "👥 Answers" in labels(kari)


async def test_answers_move_and_add_keep_the_card_and_a_way_back(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    _district_id, meeting_id = await planned_alna(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    await open_card(kari, meeting_id)
    await kari.press_label("Answers")
    assert labels(kari) == ["🔄 Refresh", "↩️ Back to the meeting"]
    await kari.press(CARD.encode(meeting_id))
    await kari.press_label("Move")
    await kari.press_label("Back")  # from the days back to the meeting's card
    assert "🕒 Move" in labels(kari)
    await kari.press_label("Move")
    day = (now() + timedelta(days=4)).astimezone(OSLO).date()
    await kari.press(MOVE.pick_time.encode(meeting_id, f"{day:%Y%m%d}"))
    assert labels(kari)[-2:] == ["↩️ Back", "❌ Cancel"]
    await kari.press(MOVE.confirm.encode(meeting_id, f"{day:%Y%m%d}", "1800"))
    await kari.press_label("Yes")
    await notices_sent()
    assert kari.last()["text"].startswith("✅ Done.")
    assert {"👥 Answers", "🕒 Move", "📝 Place and note", "🗑 Cancel the meeting"} <= set(
        labels(kari)
    )


def test_no_time_that_has_passed_is_offered() -> None:
    today = now().astimezone(OSLO).date()
    evening = local_instant(today, datetime.strptime("18:45", "%H:%M").time(), OSLO)
    assert times_left(today, evening, OSLO) == ["19:00"]
    late = local_instant(today, datetime.strptime("19:30", "%H:%M").time(), OSLO)
    assert times_left(today, late, OSLO) == []
    assert len(times_left(today + timedelta(days=1), late, OSLO)) == 9


async def test_a_districts_notices_wait_for_its_earlier_ones_only(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id, meeting_id = await planned_alna(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    # Stand-ins for notices still going out (a large district, 429 pauses): an earlier change of
    # Alna's own, and another district's.
    here_done, elsewhere_done = asyncio.Event(), asyncio.Event()
    earlier_here = asyncio.create_task(here_done.wait(), name=notice_task_name(district_id))
    elsewhere = asyncio.create_task(elsewhere_done.wait(), name=notice_task_name(district_id + 1))
    seen = len(api.bot_messages_in(FADUMO))
    await open_card(kari, meeting_id)
    await kari.press_label("Cancel the meeting")
    await kari.press_label("Yes, cancel it")
    alna = [t for t in asyncio.all_tasks() if t.get_name() == notice_task_name(district_id)]
    await asyncio.wait(alna, timeout=0.2)
    assert len(api.bot_messages_in(FADUMO)) == seen  # her notice waits for Alna's earlier one
    here_done.set()
    await asyncio.wait_for(asyncio.gather(*alna), timeout=10)
    assert earlier_here.done() and not elsewhere.done()  # the other district's did not hold it
    assert api.bot_messages_in(FADUMO)[-1]["text"].startswith("🚫")
    elsewhere_done.set()
    await notices_sent()
