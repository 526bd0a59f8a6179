"""Scheduled announcements (issue 12) through the real Application: /broadcasts lists what is
waiting with ▶️ send now, 🕒 change the time and ❌ cancel; a time that has passed is refused
with its reason, never silently tomorrow or next year; a waiting one never shows "Sending: 0/N"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.announcements import codecs as composer
from handlers.common.context import Services
from storage.announcements.records import get_announcement
from tests.announcements.world import KARI, composing_for_alna, drain, for_later, labels
from tests.fakes.telegram import ChatDriver, buttons_of

FAR = "24.12.2027 18:00"


def shown(api: OfflineBotApi, message_id: int) -> JSON:
    """A message of Kari's chat as it is now (edited in place)."""
    return next(m for m in api.bot_messages_in(KARI) if m["message_id"] == message_id)


async def scheduled(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> ChatDriver:
    kari, _district_id = await composing_for_alna(chat, services, api)
    await for_later(kari, "Julebord!")
    await kari.send(FAR)
    await kari.press(composer.SEND.encode())
    return kari


async def test_a_passed_time_is_refused_with_its_reason(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await for_later(kari, "Julebord!")
    await kari.send("00:00")  # midnight has passed today: not silently tomorrow
    assert kari.last()["text"].startswith("⌛ That time has passed today.")
    yesterday = (datetime.now(quiet.config.tz) - timedelta(days=1)).date()
    await kari.send(f"{yesterday:%d.%m} 10:00")  # not silently next year
    text = kari.last()["text"]
    assert text.startswith("⌛ That day has passed this year.")
    assert f"{yesterday:%d.%m}.{yesterday.year + 1} 10:00" in text
    await kari.send(FAR)
    assert "🕒 To be sent: " in kari.last()["text"]


async def test_a_waiting_announcement_is_listed_and_can_be_moved_or_sent_now(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari = await scheduled(chat, quiet, api)
    confirmation = kari.last()["text"]
    assert confirmation.startswith("🕒 Scheduled:") and "Sending" not in confirmation
    assert "5 recipients" in confirmation

    await kari.send("/broadcasts")
    waiting = api.bot_messages_in(KARI)[-2]
    assert waiting["text"] == "🕒 Waiting to be sent"
    assert "🕒 Waiting to be sent." in kari.last()["text"]  # in the history too, no "0 / 5"
    await kari.press(buttons_of(waiting)[0]["callback_data"], waiting["message_id"])
    card = shown(api, waiting["message_id"])
    assert labels(card) == ["▶️ Send now", "🕒 Change the time", "❌ Cancel it"]
    announcement_id = int(buttons_of(card)[0]["callback_data"].split(":")[1])

    await kari.press_label("Change the time")
    await kari.send("00:00")
    assert kari.last()["text"].startswith("⌛ That time has passed today.")
    await kari.send("01.03.2028 09:30")
    assert kari.last()["text"].startswith("✅ 🕒 Scheduled:")
    moved = await get_announcement(quiet.db, announcement_id)
    assert moved is not None and moved.send_at == datetime(2028, 3, 1, 8, 30, tzinfo=UTC)

    await kari.send("/broadcasts")
    waiting = api.bot_messages_in(KARI)[-2]
    await kari.press(buttons_of(waiting)[0]["callback_data"], waiting["message_id"])
    await kari.press_label("Send now")
    await drain(quiet, api)
    assert [m["text"] for m in api.bot_messages_in(3001)] == ["Julebord!"]


async def test_a_cancelled_announcement_reaches_nobody_and_says_so(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari = await scheduled(chat, quiet, api)
    await kari.send("/broadcasts")
    waiting = api.bot_messages_in(KARI)[-2]
    await kari.press(buttons_of(waiting)[0]["callback_data"], waiting["message_id"])
    await kari.press_label("Cancel it")
    text = shown(api, waiting["message_id"])["text"]
    assert text.startswith("⚠️ Cancel this announcement? Nobody will get it.")
    await kari.press_label("Yes, cancel it")
    assert shown(api, waiting["message_id"])["text"].startswith("❌ Cancelled: nobody got it.")
    await drain(quiet, api)
    for woman in (3001, 3002, 3003, 3004):
        assert api.bot_messages_in(woman) == []
    await kari.send("/broadcasts")
    assert kari.last()["text"].count("❌ Cancelled: nobody got it.") == 1
    assert kari.texts()[-2] != "🕒 Waiting to be sent"  # nothing waits any more
