"""A bydelsmor of two districts picks the district she logs women reached for; the central
office (and a coordinator of several districts) narrows the reach report to one district."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.days import OSLO
from bot.offline.api import OfflineBotApi
from handlers.common import menu
from handlers.common.context import Services
from handlers.dropin import codecs
from handlers.help.codecs import TOPIC
from storage.dropin.reach import reach_rows
from tests.dropin.world import AMINA, FADUMO, HAWA, KARI, furuset
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import ADMIN_ID, make_member, started


def labels(driver: ChatDriver) -> list[str]:
    return [str(b["text"]) for b in buttons_of(driver.last())]


async def test_a_bydelsmor_of_two_districts_logs_for_the_one_she_picks(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await furuset(services)
    grorud = await make_member(services, FADUMO, "mother", "Grorud", phase=4)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/reached")
    assert "Which district?" in fadumo.last()["text"]
    assert labels(fadumo) == ["🏘 Alna", "🏘 Grorud"]
    await fadumo.press_label("Grorud")
    await fadumo.press_label("Mental health")
    await fadumo.press_label("👩 3")
    assert "Saved: 3 women" in fadumo.last()["text"]
    today = datetime.now(UTC).astimezone(OSLO).date()
    rows = await reach_rows(services.db, today.replace(day=1), today, None)
    assert [(r.district, r.women) for r in rows] == [("Grorud", 3)]
    # A district she is no member of is refused, and nothing is saved.
    await fadumo.press(codecs.reach_district(grorud + 100), fadumo.last()["message_id"])
    assert "Which district?" not in fadumo.last()["text"]
    # Hawa, a bydelsmor of one district, goes straight to the topics.
    hawa = await started(chat(HAWA, "Hawa"))
    await hawa.send("/reached")
    assert "How many women did you talk with" in hawa.last()["text"]


async def test_the_report_can_be_narrowed_to_one_district(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await furuset(services)
    grorud = await make_member(services, FADUMO, "mother", "Grorud", phase=4)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    for district in ("Alna", "Grorud"):
        await fadumo.send("/reached")
        await fadumo.press_label(district)
        await fadumo.press_label("Mental health")
        await fadumo.press_label("👩 6" if district == "Alna" else "👩 7")
    admin = await started(chat(ADMIN_ID, "Office"))
    await admin.send("/report")
    assert "Women reached: 13" in admin.last()["text"]
    assert "🏘 Grorud" in labels(admin) and "🌐 All districts" not in labels(admin)
    await admin.press_label("Grorud")
    text = admin.last()["text"]
    assert "District: Grorud" in text and "Women reached: 7" in text
    assert "🌐 All districts" in labels(admin) and "🏘 Grorud" not in labels(admin)
    # Earlier months and the CSV stay with Grorud.
    earlier = next(b for b in buttons_of(admin.last()) if "Earlier" in b["text"])
    assert earlier["callback_data"].startswith(f"dp:{grorud}:")
    await admin.press_label("All districts")
    assert "Women reached: 13" in admin.last()["text"]
    # Kari coordinates Alna only: no picker, and Grorud's report is refused her.
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/report")
    assert "Women reached: 6" in kari.last()["text"]
    assert not any("🏘" in label for label in labels(kari))
    count = len(kari.texts())
    period = earlier["callback_data"].split(":")[2]
    await kari.press(codecs.report(grorud, period, "t"), kari.last()["message_id"])
    assert len(kari.texts()) == count


async def test_the_furuset_card_shows_the_schedule_and_the_fixed_line_only_without_it(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    amina = await started(chat(AMINA, "Amina"))
    # No sessions yet: the file's fixed hours are the fallback.
    await amina.send("/info")
    await amina.press(TOPIC.encode("bydelsmor"))
    texts = "\n".join(amina.texts())
    assert "🕐 Bydelsmødre drop-in: Wednesdays." in texts
    assert "Every Wednesday" not in texts
    # With the schedule: the real sessions instead, moved to Thursday by the coordinator.
    sid = await furuset(services)
    await services.db.execute("UPDATE dropin_sessions SET weekday = 3 WHERE id = ?", (sid,))
    before = len(amina.texts())
    await amina.send("/info")
    await amina.press(TOPIC.encode("bydelsmor"))
    card = "\n".join(amina.texts()[before:])
    assert "Bydelsmødre drop-in: Wednesdays." not in card
    assert "🗓 Drop-in: talk to a bydelsmor · Thursday" in card and "12:00–15:00" in card
    assert "Next drop-in: Thursday" in card


async def test_with_no_session_at_all_the_list_comes_without_buttons(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    """An empty keyboard is refused by Telegram (the app fixture fails on any refused call)."""
    amina = await started(chat(1001, "Amina", "en"))
    await amina.press(menu.DROPIN.encode())
    await amina.send("/dropin")
    for shown in api.bot_messages_in(1001)[-2:]:
        assert "No sessions are planned in the coming weeks." in shown["text"]
        assert "reply_markup" not in shown
