"""Typed answers through the real Application: one question open per chat, answered by its own
callback; the collisions seen between the meeting note, the announcement and /cancel; restarts;
a text while the bot waits for a voice message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from handlers.announcements import codecs as composer
from handlers.common.awaiting import KEY, Questions
from handlers.common.context import Services
from handlers.help.codecs import (
    ASK,
    CONSENT_YES,
    REQUEST_CHANNEL,
    REQUEST_DISTRICT,
    TOPIC,
)
from handlers.meetings.codecs import NOTE
from handlers.meetings.reminders import notices_sent
from storage.announcements.drafts import get_draft
from storage.meetings.meetings import get_meeting
from tests.fakes.telegram import ChatDriver
from tests.help.world import send_voice, waiting_for_a_voice_note
from tests.meetings.world import FADUMO, KARI, planned_alna
from tests.support.people import make_member, started
from tests.support.restart import restarted

FALLBACK = "👇 I understand the buttons best"
NOTE_GONE = "↩️ I no longer wait for the meeting's place and note."
TEXT_GONE = (
    "↩️ I no longer wait for your announcement. It is kept as a draft: /broadcast goes back to it."
)


async def kari_in_alna(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> tuple[ChatDriver, int, int]:
    district_id, meeting_id = await planned_alna(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    return kari, district_id, meeting_id


async def test_a_note_asked_first_does_not_take_the_announcement(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    kari, district_id, meeting_id = await kari_in_alna(app, services, api, chat)
    await kari.press(NOTE.encode(meeting_id), kari.last()["message_id"])
    told_before = len(api.bot_messages_in(FADUMO))
    await kari.send("/broadcast")  # she went elsewhere: the note is no longer awaited
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    await kari.send("Husk møtet på fredag!")
    assert "They read:" in kari.last()["text"]  # taken as the announcement
    draft = await get_draft(services.db, KARI)
    assert draft is not None and draft.body == "Husk møtet på fredag!"
    await notices_sent()
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and meeting.place == "Deichman Furuset" and meeting.note is None
    assert len(api.bot_messages_in(FADUMO)) == told_before, "nobody is told of a note"


async def test_a_note_asked_during_an_announcement_replaces_it_and_cancel_ends_only_the_note(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    kari, district_id, meeting_id = await kari_in_alna(app, services, api, chat)
    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    await kari.send("/meetings")  # a command ends the announcement's question, silently
    await kari.press(NOTE.encode(meeting_id), kari.last()["message_id"])
    assert TEXT_GONE not in kari.texts()
    await kari.send("/cancel")
    assert kari.last()["text"] == NOTE_GONE + " Nothing was changed."
    draft = await get_draft(services.db, KARI)
    assert draft is not None and draft.step == "message", "/cancel kept her announcement"

    # Asked again by /broadcast, then replaced by a press: she is told.
    await kari.send("/broadcast")
    assert kari.last()["text"].startswith("✏️ You were writing this announcement:")
    await kari.press(NOTE.encode(meeting_id), kari.last()["message_id"] - 1)
    assert TEXT_GONE in kari.texts()
    await kari.send("Library, room 2")
    await notices_sent()
    meeting = await get_meeting(services.db, meeting_id)
    assert meeting is not None and meeting.place == "Library, room 2"
    draft = await get_draft(services.db, KARI)
    assert draft is not None and draft.body is None, "the note did not become the announcement"
    await kari.send("Is it raining?")  # nothing is asked now
    assert kari.last()["text"].startswith(FALLBACK)


async def test_free_text_after_leaving_broadcast_is_not_an_announcement(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    kari, district_id, _meeting_id = await kari_in_alna(app, services, api, chat)
    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    await kari.send("/start")
    await kari.send("/meetings")
    await kari.send("hei, kommer du?")
    assert kari.last()["text"].startswith(FALLBACK)
    draft = await get_draft(services.db, KARI)
    assert draft is not None and draft.body is None


async def test_a_meeting_note_question_survives_a_restart_and_ends_in_time(
    app: BotApplication,
    services: Services,
    api: OfflineBotApi,
    chat: Callable[..., ChatDriver],
    db_path: Path,
) -> None:
    kari, _district_id, meeting_id = await kari_in_alna(app, services, api, chat)
    await kari.press(NOTE.encode(meeting_id), kari.last()["message_id"])
    async with restarted(db_path, api) as second:
        again = ChatDriver(second, api, kari.user)
        await again.send("After the restart")
        await notices_sent()
        meeting = await get_meeting(services.db, meeting_id)
        assert meeting is not None and meeting.place == "After the restart"

        await again.press(NOTE.encode(meeting_id), kari.last()["message_id"] - 2)
        questions = second.bot_data[KEY]
        assert isinstance(questions, Questions)
        questions.open[KARI] = replace(questions.open[KARI], until=datetime.now(UTC))
        await again.send("Too late")
        assert again.last()["text"].startswith(FALLBACK)


async def test_the_phone_question_is_never_stored(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    alna = await make_member(services, 2001, "coordinator")
    api.private_chat(api.user(2001, "Kari"))
    zahra = await started(chat(1001, "Zahra"))
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("bydelsmor"))
    await zahra.press(ASK.encode())
    await zahra.press(CONSENT_YES.encode())
    await zahra.press(REQUEST_DISTRICT.encode(alna))
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    assert await services.db.fetch_all("SELECT * FROM awaiting") == []
    questions = app.bot_data[KEY]
    assert isinstance(questions, Questions) and questions.open[1001].question.name == "help.phone"


async def test_a_text_while_waiting_for_a_voice_message_asks_for_the_voice_message(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    kari = await waiting_for_a_voice_note(chat, services)
    await kari.send("hello?")
    assert kari.last()["text"] == "🎙 Please send a voice message, or send /cancel to stop."
    await send_voice(kari, "take-1")
    assert kari.last()["text"].startswith("🎧 Listen to it above.")
