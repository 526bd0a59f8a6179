"""End to end: `bydelsbot run` as a real process over HTTP. A reminder that came due while the
bot was down is sent right after start-up; the member presses "coming"; her coordinator's
/rsvps shows it. Nothing sleeps for time: every wait is for a call the fake observes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.meetings.codecs import RSVP_ON_REMINDER
from storage import Database
from storage.districts import upsert_district
from storage.meetings.meetings import add_meeting
from storage.people import add_membership
from tests.fakes.bot_process import WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of

KARI, HODAN = 777, 888


async def test_a_member_answers_her_reminder_and_the_coordinator_sees_it(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "e2e.sqlite3"
    db = await Database.open(db_path)
    now = datetime.now(UTC)
    district_id = await upsert_district(db, "alna", "Alna", 3)
    await add_membership(db, KARI, district_id, "coordinator", "Kari", now, "en")
    await add_membership(db, HODAN, district_id, "mother", "Hodan", now, "so")
    # Its 48-hour reminder fell due an hour ago, while the bot was not running.
    meeting_id = await add_meeting(db, district_id, now + timedelta(hours=47), KARI, now)
    await db.close()
    hodan, kari = api.user(HODAN, "Hodan", "so"), api.user(KARI, "Kari", "en")
    api.private_chat(hodan)  # each pressed Start once, long ago
    api.private_chat(kari)

    process = start_bot(server, db_path)
    try:
        assert api.wait_for(lambda: bool(reminders(api, HODAN)), WAIT), "no reminder sent"
        reminder = reminders(api, HODAN)[0]
        so = translator("so")
        coming = next(b for b in buttons_of(reminder) if b["callback_data"].endswith(":y"))
        assert coming["text"] == "✅ " + so._("Coming")
        assert coming["callback_data"] == RSVP_ON_REMINDER.encode(meeting_id, "y")
        api.press(hodan, HODAN, reminder["message_id"], coming["callback_data"])
        assert api.wait_for(lambda: "✅" in answer_line(api), WAIT), "reminder not updated"

        assert api.wait_for(lambda: bool(reminders(api, KARI)), WAIT)  # hers came too
        api.send_text(kari, "/rsvps")
        assert api.wait_for(lambda: answers_in(api, KARI) is not None, WAIT), "no answer list"
        listing = answers_in(api, KARI) or ""
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert "✅ Coming (1): Hodan" in listing, listing
    assert "⏳ No answer yet (1): Kari" in listing, listing
    assert len(reminders(api, HODAN)) == 1 and len(reminders(api, KARI)) == 1


def reminders(api: OfflineBotApi, chat_id: int) -> list[JSON]:
    return [m for m in api.bot_messages_in(chat_id) if str(m.get("text", "")).startswith("⏰")]


def answer_line(api: OfflineBotApi) -> str:
    found = reminders(api, HODAN)
    return str(found[0]["text"]) if found and "edit_date" in found[0] else ""


def answers_in(api: OfflineBotApi, chat_id: int) -> str | None:
    found = [m for m in api.bot_messages_in(chat_id) if str(m.get("text", "")).startswith("👥")]
    return str(found[-1]["text"]) if found else None
