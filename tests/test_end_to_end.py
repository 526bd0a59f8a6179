"""End to end: `bydelsbot run` as a real process, over HTTP, against a spec-checking Bot API.

A woman sends /start, picks Somali and gets the main menu in Somali; the process then stops
cleanly on SIGTERM. Nothing sleeps for time: every wait is for a call the fake observes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.i18n import translator
from bot.offline_api import OfflineBotApi
from storage.people import load_person
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of, checked_api

TOKEN = "987654321:E2E-token-which-must-never-be-logged-xyz"
WAIT = 30.0  # seconds: generous for a loaded CI machine; the test passes as soon as calls arrive


@pytest.fixture
def fake_telegram() -> Iterator[tuple[OfflineBotApi, BotApiHttpServer]]:
    api = checked_api()
    with BotApiHttpServer(api, TOKEN) as server:
        yield api, server
    assert api.violations == []


def start_bot(server: BotApiHttpServer, db_path: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": server.url,
        "BYDELSBOT_DB": str(db_path),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        pytest.fail(f"bot did not stop on SIGTERM:\n{stderr}")
    return process.returncode, stderr


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

        api.press(user, 31337, picker["message_id"], "lang:so")
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
    from storage import Database

    db = await Database.open(db_path)
    try:
        record = await load_person(db, 31337)
        assert record is not None and record.locale == "so"
    finally:
        await db.close()


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
