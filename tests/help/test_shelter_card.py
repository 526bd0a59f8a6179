"""The shelter card never says "call them first" without a number; an admin confirms a number
from the bot (source and date) and every woman sees it, without a redeploy, also after a
restart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.confirmations import parse_source_and_date
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.help.codecs import FACT
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.help.world import whole_topic
from tests.support.people import ADMIN_ID, started
from tests.support.restart import restarted


def shelter_card(texts: list[str]) -> str:
    page = next(text for text in texts if "Shelter (Oslo Krisesenter)" in text)
    start = page.index("Shelter (Oslo Krisesenter)")
    end = page.find("\n\n", page.find("\n\n", start) + 2)
    return page[start : end if end != -1 else len(page)]


async def test_the_shelter_card_never_says_call_them_first_without_a_number(
    chat: Callable[..., ChatDriver],
) -> None:
    amina = await started(chat())
    await amina.send("/info")
    pages = await whole_topic(amina, "violence")
    card = shelter_card([page.get("text", "") for page in pages])
    assert "call them first" not in card.lower() and "22 48 03 80" not in card
    assert "VO-linjen 116 006 (day and night, free, anonymous)" in card and "112" in card


async def test_an_admin_confirms_the_shelters_number_and_every_woman_sees_it(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi, db_path: Path
) -> None:
    admin = await started(chat(ADMIN_ID, "Admin"))
    await admin.send("/confirm")
    shelter = next(b for b in buttons_of(admin.last()) if "22 48 03 80" in b["text"])
    await admin.press(shelter["callback_data"])
    assert admin.last()["text"].startswith("✍️ Where did you check 22 48 03 80")
    await admin.send("https://www.krisesenter.com/oslo 2099-01-01")  # a date in the future
    assert admin.last()["text"].startswith("🤔 Please send where you checked it")
    await admin.send("https://www.krisesenter.com/oslo 2026-12-01")
    assert admin.last()["text"].startswith("✅ Confirmed.")

    amina = await started(chat(1001, "Amina"))
    await amina.send("/info")
    pages = await whole_topic(amina, "violence")
    card = shelter_card([page.get("text", "") for page in pages])
    assert "📞 +47 22 48 03 80 — Oslo Krisesenter" in card
    assert "Call them first: they tell you where to come." in card
    assert "⚠️" not in card

    # The confirmation is in the database: a restart keeps it, and the admin is one of the
    # people /forget unlinks from it.
    async with restarted(db_path, api) as second:
        again = ChatDriver(second, api, api.user(1002, "Hawa"))
        await started(again)
        await again.send("/info")
        pages = await whole_topic(again, "violence")
        assert "22 48 03 80" in shelter_card([page.get("text", "") for page in pages])


async def test_only_admins_confirm(chat: Callable[..., ChatDriver]) -> None:
    amina = await started(chat())
    await amina.send("/confirm")
    assert amina.last()["text"].startswith("🔒")
    await amina.press(FACT.encode("oslo-krisesenter", "p0"))
    assert amina.toasts()[-1].startswith("🔒")


def test_a_source_and_a_date_are_read_strictly() -> None:
    today = date(2026, 12, 6)
    assert parse_source_and_date("krisesenter.com 6.12.2026", today) == (
        "krisesenter.com", date(2026, 12, 6),
    )  # fmt: skip
    for bad in ("2026-12-01", "krisesenter.com", "site 2026-13-01", "site 7.12.2026"):
        assert parse_source_and_date(bad, today) is None, bad
