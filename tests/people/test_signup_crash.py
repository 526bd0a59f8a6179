"""A kill in the middle of a sign-up: a woman opens an invite link and presses Join while
`bydelsbot run` is killed with SIGKILL (before the Join press reaches it, or right after her
membership was written, with the answer held at the fake's door). After a restart she presses
Join again: she is a member exactly once, the invite counts one use, and she is never welcomed
twice."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.invites import hash_code, new_code
from bot.offline.api import OfflineBotApi
from handlers.common.language import LANGUAGE
from handlers.people.codecs import JOIN
from storage import Database
from storage.invites import create_invite
from tests.fakes.bot_process import WAIT, Door, kill_when_held, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of
from tests.support.people import alna_in_file

KARI, HODAN = 779, 31338


def join_button(api: OfflineBotApi) -> tuple[int, str]:
    for message in reversed(api.bot_messages_in(HODAN)):
        for button in buttons_of(message):
            if JOIN.decode(str(button.get("callback_data", ""))):
                return int(message["message_id"]), str(button["callback_data"])
    raise AssertionError("no Join button")


@pytest.mark.parametrize("held", ["getUpdates", "answerCallbackQuery", "sendMessage"])
async def test_sigkill_during_a_sign_up_then_join_again_makes_one_member(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path, held: str
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "signup.sqlite3"
    db = await Database.open(db_path)
    now = datetime.now(UTC)
    district_id = await alna_in_file(db, KARI)
    code = new_code()
    await create_invite(
        db, hash_code(code), district_id, "mother", KARI, now, now + timedelta(days=30), 30
    )
    await db.close()

    hodan = api.user(HODAN, "Hodan", "en")
    first = start_bot(server, db_path, stdout=subprocess.DEVNULL)
    try:
        api.send_text(hodan, f"/start {code}")
        assert api.wait_for(lambda: bool(api.bot_messages_in(HODAN)), WAIT)
        picker = api.bot_messages_in(HODAN)[-1]
        api.press(hodan, HODAN, picker["message_id"], LANGUAGE.encode("en"))
        assert api.wait_for(lambda: any(
            "invited" in m.get("text", "") for m in api.bot_messages_in(HODAN)), WAIT)  # fmt: skip
        message_id, data = join_button(api)
        pressed_at = len(api.calls)
        door = Door(lambda method, _: method == held and len(api.calls) > pressed_at)
        api.fault = door
        api.press(hodan, HODAN, message_id, data)
        kill_when_held(first, door, f"the bot never called {held} after the press")
    finally:
        if first.poll() is None:
            first.kill()
    api.fault = None

    second = start_bot(server, db_path, stdout=subprocess.DEVNULL)
    try:
        shown = len(api.bot_messages_in(HODAN))
        answered = len(api.calls_to("answerCallbackQuery"))
        api.press(hodan, HODAN, message_id, data)  # the same Join button, after the restart
        assert api.wait_for(lambda: len(api.calls_to("answerCallbackQuery")) > answered, WAIT)
        assert api.wait_for(lambda: len(api.bot_messages_in(HODAN)) >= shown, WAIT)
    finally:
        exit_code, stderr = stop(second)
    assert exit_code == 0, stderr

    db = await Database.open(db_path)
    try:
        members = await db.fetch_all(
            "SELECT role FROM memberships WHERE telegram_id = ? AND district_id = ?",
            (HODAN, district_id),
        )
        uses = await db.fetch_one(
            "SELECT uses FROM invites WHERE code_hash = ?", (hash_code(code),)
        )
    finally:
        await db.close()
    assert [r["role"] for r in members] == ["mother"]
    assert uses is not None and uses["uses"] == 1
    welcomes = [
        m for m in api.bot_messages_in(HODAN) if "Welcome to Bydelsmødre" in m.get("text", "")
    ]
    assert len(welcomes) <= 1
