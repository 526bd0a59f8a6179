"""/rsvps for a big group: the counts always come first and the names continue in further
messages, each within Telegram's 4096 characters, in right-to-left languages too; reminders cut
off by a restart are counted there."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.jobs.meetings import start_meetings
from storage.meetings.meetings import add_meeting
from storage.meetings.reminders import claim_reminder, reminder_outcomes
from storage.meetings.rsvps import set_rsvp
from storage.people import mark_unreachable
from tests.fakes.telegram import ChatDriver
from tests.support.people import make_member

COORDINATOR = 5000
MEMBERS = 130
TELEGRAM_LIMIT = 4096
NAMES = {
    "ar": "فاطمة الزهراء عبد الرحمن {n}",  # about 27 characters, as the reviewer measured
    "ti": "ለተብርሃን ገብረመድህን ወልደሚካኤል ሃይለ {n}",
}


def visible_length(html_text: str) -> int:
    """What Telegram counts: the text without tags, in UTF-16 code units."""
    text = html.unescape(re.sub(r"<[^>]+>", "", html_text))
    return len(text.encode("utf-16-le")) // 2


async def big_group(services: Services, api: OfflineBotApi, language: str) -> tuple[int, int]:
    district_id = await make_member(services, COORDINATOR, "coordinator", locale=language)
    api.private_chat(api.user(COORDINATOR, "Kari"))
    starts = datetime.now(UTC) + timedelta(days=3)
    meeting_id = await add_meeting(services.db, district_id, starts, COORDINATOR, datetime.now(UTC))
    for n in range(MEMBERS):
        user_id = 6000 + n
        await make_member(services, user_id, "mother", locale=language)
        await services.db.execute(
            "UPDATE memberships SET display_name = ? WHERE telegram_id = ?",
            (NAMES[language].format(n=n), user_id),
        )
        if n % 3 == 0:
            await set_rsvp(services.db, meeting_id, user_id, "yes", datetime.now(UTC))
        if n % 10 == 0:
            await mark_unreachable(services.db, user_id, datetime.now(UTC))
    return district_id, meeting_id


@pytest.mark.parametrize("language", ["ar", "ti"])
async def test_130_members_with_long_names_fit_in_several_messages(
    app: BotApplication, services: Services, api: OfflineBotApi,
    chat: Callable[..., ChatDriver], language: str,
) -> None:  # fmt: skip
    await big_group(services, api, language)
    kari = chat(COORDINATOR, "Kari")
    before = len(api.bot_messages_in(COORDINATOR))
    await kari.send("/rsvps")
    pages = [m["text"] for m in api.bot_messages_in(COORDINATOR)[before:]]
    assert len(pages) >= 2
    assert all(visible_length(page) <= TELEGRAM_LIMIT for page in pages)
    # The counts, all four, in the first message.
    first = pages[0]
    assert "(\u2068130\u2069)" not in first  # the counts are per answer, not a total
    for count in (44, 87):  # 44 said coming (every third); 87 (her too) have not answered
        assert f"({count})" in first.replace("\u2068", "").replace("\u2069", "")
    # Every name exactly once, in order of the pages.
    everything = "".join(pages)
    for n in range(MEMBERS):
        name = NAMES[language].format(n=n)
        assert re.search(re.escape(name) + r"(?!\d)", everything), name
    assert api.violations == []
    assert "reply_markup" in api.bot_messages_in(COORDINATOR)[-1]  # the buttons come last


async def test_a_small_group_stays_one_message_with_its_counts(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await make_member(services, COORDINATOR, "coordinator")
    api.private_chat(api.user(COORDINATOR, "Kari"))
    await add_meeting(services.db, district_id, datetime.now(UTC) + timedelta(days=3),
                      COORDINATOR, datetime.now(UTC))  # fmt: skip
    kari = chat(COORDINATOR, "Kari")
    before = len(api.bot_messages_in(COORDINATOR))
    await kari.send("/rsvps")
    (page,) = [m["text"] for m in api.bot_messages_in(COORDINATOR)[before:]]
    assert "✅ Coming (0): —" in page and "⏳ No answer yet (1): Member" in page


async def test_a_reminder_cut_off_by_a_stop_is_marked_at_start_up_and_shown(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    _, meeting_id = await big_group(services, api, "ar")
    await services.db.execute("UPDATE people SET locale = 'en' WHERE telegram_id = ?",
                              (COORDINATOR,))  # fmt: skip
    # Claimed by the last run, which stopped before sending it (outcome NULL).
    claimed = datetime.now(UTC) - timedelta(minutes=5)
    for user_id in (6001, 6002):
        assert await claim_reminder(services.db, meeting_id, user_id, 48, (), "x", claimed)
    with caplog.at_level("WARNING"):
        await start_meetings(app)
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(6001, 48)] == outcomes[(6002, 48)] == "interrupted"
    assert "2 reminders were cut off" in caplog.text
    assert "فاطمة" not in caplog.text  # a count, never names
    kari = chat(COORDINATOR, "Kari")
    before = len(api.bot_messages_in(COORDINATOR))
    await kari.send("/rsvps")
    first = api.bot_messages_in(COORDINATOR)[before]["text"]
    assert "⚠️ 2 reminders were cut off by a restart of the bot and may not have arrived." in first
