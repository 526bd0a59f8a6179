"""End to end: `bydelsbot run` over HTTP against the spec-checking Bot API. An Arabic reviewer
rewrites the "Mark as handled" button, a second one approves it, and a coordinator reading Arabic
gets the new button on the next contact request, without a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common import menu
from handlers.common.language import LANGUAGE
from handlers.help.codecs import ASK, CONSENT_YES, REQUEST_CHANNEL, REQUEST_DISTRICT, TOPIC
from storage import Database
from storage.districts import upsert_district
from storage.people import add_membership
from storage.review import set_reviewer
from tests.fakes.bot_process import WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of

KARI, HAWA, AMAL, ZAHRA = 777, 801, 802, 900
NEW_BUTTON = "تمّت متابعتها"


def data_with(api: OfflineBotApi, chat_id: int, prefix: str) -> tuple[int, str] | None:
    for message in reversed(api.bot_messages_in(chat_id)):
        for button in buttons_of(message):
            if str(button.get("callback_data", "")).startswith(prefix):
                return int(message["message_id"]), str(button["callback_data"])
    return None


def last_text(api: OfflineBotApi, chat_id: int) -> str:
    messages = api.bot_messages_in(chat_id)
    return str(messages[-1].get("text", "")) if messages else ""


async def test_arabic_reviewers_change_the_mark_as_handled_button(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    ar = translator("ar")
    old_button = ar._("Mark as handled")
    assert old_button != NEW_BUTTON
    db_path = tmp_path / "e2e.sqlite3"
    db = await Database.open(db_path)
    alna = await upsert_district(db, "alna", "Alna", 3)
    now = datetime.now(UTC)
    await add_membership(db, KARI, alna, "coordinator", "Kari", now, "ar")
    for reviewer, name in ((HAWA, "Hawa"), (AMAL, "Amal")):
        await add_membership(db, reviewer, alna, "mother", name, now, "ar")
        await set_reviewer(db, reviewer, "ar", KARI, now, on=True)
    await db.close()
    kari, hawa, amal = (api.user(i, n) for i, n in ((KARI, "Kari"), (HAWA, "Hawa"), (AMAL, "Amal")))
    api.private_chat(kari)  # she has started the bot: requests can reach her
    zahra = api.user(ZAHRA, "Zahra", language_code="ar")

    process = start_bot(server, db_path)
    try:
        assert api.wait_for(lambda: bool(api.calls_to("getUpdates")), WAIT), "bot never polled"
        # Hawa looks for the button's text and types a better wording.
        api.send_text(hawa, "/review Mark as handled")
        assert api.wait_for(lambda: data_with(api, HAWA, "rv:b:") is not None, WAIT)
        assert old_button in last_text(api, HAWA) and "Mark as handled" in last_text(api, HAWA)
        assert ar._("a button") in last_text(api, HAWA)
        api.press(hawa, HAWA, *data_with(api, HAWA, "rv:b:"))  # type: ignore[misc]
        ask = ar._("Type your better wording in one message. To stop, send {command}.")
        assert api.wait_for(lambda: said(api, HAWA, ask.split("{")[0]), WAIT)
        api.send_text(hawa, NEW_BUTTON)
        kept = ar._(
            "Thank you! Your wording is kept. It goes live when a second reviewer approves it."
        )
        assert api.wait_for(lambda: said(api, HAWA, kept), WAIT)
        # Amal is shown it first, and approves it.
        api.send_text(amal, "/review")
        assert api.wait_for(lambda: data_with(api, AMAL, "rv:a:") is not None, WAIT)
        assert NEW_BUTTON in last_text(api, AMAL)
        api.press(amal, AMAL, *data_with(api, AMAL, "rv:a:"))  # type: ignore[misc]
        assert api.wait_for(lambda: bool(approved(api)), WAIT), "no approval answered"

        # A woman asks to be contacted; Kari, reading Arabic, gets the request with the button.
        api.send_text(zahra, "/start")
        press_when_shown(api, zahra, LANGUAGE.encode("ar"))
        assert api.wait_for(lambda: data_with(api, ZAHRA, menu.HELP.encode()) is not None, WAIT)
        api.send_text(zahra, "/info")
        for step in (
            TOPIC.encode("bydelsmor"),
            ASK.encode(),
            CONSENT_YES.encode(),
            REQUEST_DISTRICT.encode(alna),
            REQUEST_CHANNEL.encode(alna, "tg"),
        ):
            press_when_shown(api, zahra, step)
        assert api.wait_for(lambda: data_with(api, KARI, "req:done:") is not None, WAIT)
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    labels = [b["text"] for m in api.bot_messages_in(KARI) for b in buttons_of(m)]
    assert f"✅ {NEW_BUTTON}" in labels and f"✅ {old_button}" not in labels


def press_when_shown(api: OfflineBotApi, user: JSON, prefix: str) -> None:
    """Wait for a button with this data in her chat, then press it."""
    chat_id = int(user["id"])
    assert api.wait_for(lambda: data_with(api, chat_id, prefix) is not None, WAIT), prefix
    found = data_with(api, chat_id, prefix)
    assert found is not None
    api.press(user, chat_id, *found)


def said(api: OfflineBotApi, chat_id: int, fragment: str) -> bool:
    return any(fragment in str(m.get("text", "")) for m in api.bot_messages_in(chat_id))


def approved(api: OfflineBotApi) -> list[JSON]:
    return [
        c.params
        for c in api.calls_to("answerCallbackQuery")
        if str(c.params.get("text", "")).startswith("✅")
    ]
