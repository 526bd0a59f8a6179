"""End to end: `bydelsbot run` as a real process, over HTTP, against a spec-checking Bot API.

A woman sends /start, picks Somali and gets the main menu in Somali; a woman in Somali asks
about pregnancy and is told that the check-ups are free, with a number and a place; the process
then stops cleanly on SIGTERM. Nothing sleeps for time: every wait is for a call the fake observes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from handlers.common import menu
from handlers.common.language import LANGUAGE
from handlers.help.codecs import TOPIC, TOPIC_PAGE
from storage import Database
from storage.people import load_person
from tests.fakes.bot_process import TOKEN, WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of
from tests.support.people import alna_in_file


async def test_start_pick_somali_get_menu_then_sigterm(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "e2e.sqlite3"
    process = start_bot(server, db_path)
    try:
        assert api.wait_for(lambda: bool(api.calls_to("getUpdates")), WAIT), "bot never polled"
        user = api.user(31337, "Hodan", language_code="en")
        api.send_text(user, "/start")
        assert api.wait_for(lambda: len(api.bot_messages_in(31337)) >= 1, WAIT)
        picker = api.bot_messages_in(31337)[0]
        assert len(buttons_of(picker)) == 12

        api.press(user, 31337, picker["message_id"], LANGUAGE.encode("so"))
        so = translator("so")
        menu_line = so._("Help")
        assert api.wait_for(
            lambda: any(
                any(menu_line in b["text"] for b in buttons_of(m))
                for m in api.bot_messages_in(31337)
            ),
            WAIT,
        ), f"no Somali menu; got {[m.get('text') for m in api.bot_messages_in(31337)]}"
    finally:
        code, stderr = stop(process)

    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert TOKEN not in stderr and TOKEN.split(":")[1] not in stderr
    welcome = so._(
        "Welcome! Bydelsmødre are women in Oslo who help other women, in their own language."
    )
    assert api.bot_messages_in(31337)[-1]["text"] == welcome

    # The choice survived in the real SQLite file.
    db = await Database.open(db_path)
    try:
        record = await load_person(db, 31337)
        assert record is not None and record.locale == "so"
    finally:
        await db.close()


async def test_a_woman_in_somali_hears_that_pregnancy_check_ups_are_free(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    """The heart of the help guide, over real HTTP: Somali, pregnancy, FREE, a number, a place.

    The pregnancy topic opens with the check-ups card, and FREE must be on that card itself.
    The check-ups have no phone number or address of their own in the facts (they happen at
    the helsestasjon or at her GP), and none is invented: so the number she can tap and the map
    link are checked on the topic's Oslo legevakt card (a page she turns to), where she goes if
    she is bleeding and it cannot wait. The card boundaries are checked, so a number or a FREE
    from another card cannot pass for the check-ups'."""
    api, server = fake_telegram
    so = translator("so")
    free = so._("FREE")
    assert free != "FREE", "the Somali catalogue must translate the FREE line"
    process = start_bot(server, tmp_path / "e2e.sqlite3")
    try:
        assert api.wait_for(lambda: bool(api.calls_to("getUpdates")), WAIT), "bot never polled"
        hodan = api.user(4242, "Hodan", language_code="en")
        api.send_text(hodan, "/start")
        assert api.wait_for(lambda: has_buttons(api, 4242), WAIT)
        api.press(hodan, 4242, api.bot_messages_in(4242)[-1]["message_id"], LANGUAGE.encode("so"))
        for data in (menu.HELP.encode(), TOPIC.encode("pregnancy")):
            assert api.wait_for(partial(shows_button, api, 4242, data), WAIT), data
            api.press(hodan, 4242, *button_with(api, 4242, data))  # type: ignore[misc]
        assert api.wait_for(lambda: any(free in t for t in texts_to(api, 4242)), WAIT), texts_to(
            api, 4242
        )
        for page in range(1, 10):  # she pages through the topic's cards
            pressed = button_with(api, 4242, TOPIC_PAGE.encode("pregnancy", page))
            if pressed is None:
                break
            sent = len(api.bot_messages_in(4242))
            api.press(hodan, 4242, *pressed)
            assert api.wait_for(partial(more_messages, api, 4242, sent), WAIT)
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    reply = next(text for text in texts_to(api, 4242) if free in text)
    assert len(reply) <= 1250, "a page short enough for a phone"
    checkups = card_in(reply, so._("Pregnancy check-ups (svangerskapskontroll)"))
    assert f"\n🆓 {free}\n" in checkups, "the check-ups card itself says FREE"
    assert "📞" not in checkups and "🗺" not in checkups, "no invented number or address"
    legevakt_name = f"<b>{so._('Emergency room (Oslo legevakt)')}</b>"
    page_with_legevakt = next(text for text in texts_to(api, 4242) if legevakt_name in text)
    legevakt = card_in(page_with_legevakt, so._("Emergency room (Oslo legevakt)"))
    assert "📞 +47 23 01 34 34 — " in legevakt, "a number she can tap, on its own card"
    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=Storgata' in legevakt


def more_messages(api: OfflineBotApi, chat_id: int, than: int) -> bool:
    return len(api.bot_messages_in(chat_id)) > than


def card_in(reply: str, name: str) -> str:
    """One service card of a topic's reply: from its bold name to the next card's."""
    start = reply.index(f"<b>{name}</b>")
    end = reply.find("\n\n<b>", start)
    return reply[start : end if end != -1 else len(reply)]


def texts_to(api: OfflineBotApi, chat_id: int) -> list[str]:
    """What the bot sent, as it wrote it (HTML with its links)."""
    return [
        str(c.params["text"])
        for c in api.calls_to("sendMessage")
        if str(c.params.get("chat_id")) == str(chat_id)
    ]


def shows_button(api: OfflineBotApi, chat_id: int, data: str) -> bool:
    return button_with(api, chat_id, data) is not None


def button_with(api: OfflineBotApi, chat_id: int, data: str) -> tuple[int, str] | None:
    for message in reversed(api.bot_messages_in(chat_id)):
        if any(b.get("callback_data") == data for b in buttons_of(message)):
            return int(message["message_id"]), data
    return None


def test_unreachable_server_gives_one_clear_line(tmp_path: Path) -> None:
    env = {
        **os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": "http://127.0.0.1:9/bot",
        "BYDELSBOT_DB": str(tmp_path / "x.sqlite3"),
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "cannot reach the Bot API at http://127.0.0.1:9/bot" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr


async def test_coordinator_invites_a_woman_who_then_appears_in_members(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "e2e.sqlite3"
    db = await Database.open(db_path)
    await alna_in_file(db, 777, coordinator_locale="nb")
    await db.close()

    process = start_bot(server, db_path)
    try:
        assert api.wait_for(lambda: bool(api.calls_to("getUpdates")), WAIT), "bot never polled"
        kari = api.user(777, "Kari", language_code="nb")
        api.send_text(kari, "/invite")
        assert api.wait_for(lambda: has_buttons(api, 777), WAIT)
        role_question = api.bot_messages_in(777)[-1]
        mother = next(
            b for b in buttons_of(role_question) if b["callback_data"].endswith(":mother")
        )
        api.press(kari, 777, role_question["message_id"], mother["callback_data"])
        assert api.wait_for(lambda: bool(api.calls_to("sendPhoto")), WAIT), "no QR code sent"
        caption = api.calls_to("sendPhoto")[-1].params["caption"]
        code = re.search(r"\?start=(j[A-Za-z0-9_-]{24})", caption)
        assert code, caption

        hodan = api.user(888, "Hodan", language_code="so")
        api.send_text(hodan, f"/start {code[1]}")
        assert api.wait_for(lambda: has_buttons(api, 888), WAIT)
        picker = api.bot_messages_in(888)[-1]
        api.press(hodan, 888, picker["message_id"], LANGUAGE.encode("so"))
        assert api.wait_for(lambda: join_button(api) is not None, WAIT), api.bot_messages_in(888)
        message_id, data = join_button(api)  # type: ignore[misc]
        api.press(hodan, 888, message_id, data)
        assert api.wait_for(lambda: "✅" in (api.bot_messages_in(888)[-2].get("text") or ""), WAIT)

        before = len(api.bot_messages_in(777))
        api.send_text(kari, "/members")
        assert api.wait_for(lambda: len(api.bot_messages_in(777)) > before, WAIT)
        listing = api.bot_messages_in(777)[-1]["text"]
    finally:
        code_, stderr = stop(process)
    assert code_ == 0, stderr
    nb = translator("nb")
    assert "🤝 <b>Hodan</b>" not in listing and "🤝 Hodan" in listing, listing
    assert nb.ngettext("{count} member", "{count} members", 2).format(count=2) in listing


def has_buttons(api: OfflineBotApi, chat_id: int) -> bool:
    messages = api.bot_messages_in(chat_id)
    return bool(messages) and bool(buttons_of(messages[-1]))


def join_button(api: OfflineBotApi) -> tuple[int, str] | None:
    for message in reversed(api.bot_messages_in(888)):
        for button in buttons_of(message):
            if button["callback_data"].startswith("join:j"):
                return int(message["message_id"]), str(button["callback_data"])
    return None


def test_a_server_that_is_not_a_bot_api_gives_one_clear_line(tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class WebPage(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b"<html><body>Welcome to nginx!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), WebPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {
            **os.environ, "BOT_TOKEN": TOKEN,
            "BOT_API_URL": f"http://127.0.0.1:{server.server_address[1]}/bot",
            "BYDELSBOT_DB": str(tmp_path / "x.sqlite3"),
        }  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr
    assert "bydelsbot: the Bot API refused to start the bot" in result.stderr
