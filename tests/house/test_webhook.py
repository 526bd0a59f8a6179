"""`bydelsbot run --webhook URL`: python-telegram-bot's webhook server with a secret token,
against the spec-checking fake (which records setWebhook; the test posts updates as Telegram
would)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from tests.fakes.bot_process import TOKEN, WAIT, stop
from tests.fakes.http_api import BotApiHttpServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    """Wait until the bot's webhook server accepts connections (it starts after setWebhook)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.05)
        else:
            return True
    return False


def post(url: str, update: JSON, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def test_webhook_mode_takes_updates_with_the_secret_only(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    env = {**os.environ, "BOT_TOKEN": server.token, "BOT_API_URL": server.url,
           "BYDELSBOT_DB": str(tmp_path / "bot.sqlite3"), "PYTHONUNBUFFERED": "1"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook", url, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert api.wait_for(lambda: api.webhook is not None, WAIT), "setWebhook never called"
        assert api.webhook is not None
        assert api.webhook["url"] == url
        secret = str(api.webhook["secret_token"])
        assert len(secret) >= 32
        assert not api.calls_to("getUpdates"), "no polling in webhook mode"
        assert listening(port), "the webhook server never listened"

        stranger = api.user(4242, "Mallory", "en")
        assert post(url, api.send_text(stranger, "/start"), "wrong-secret") == 403
        assert post(url, api.send_text(stranger, "/start"), None) == 403
        broken = {"update_id": 77, "poll_answer": {"poll_id": "1", "phone": "+47 912 34 567"}}
        assert post(url, broken, secret) == 400  # unreadable: refused, logged without content
        hodan = api.user(31337, "Hodan", "en")
        assert post(url, api.send_text(hodan, "/start"), secret) == 200
        assert api.wait_for(lambda: bool(api.bot_messages_in(31337)), WAIT), "no answer"
        assert not api.bot_messages_in(4242), "a post without the secret is not handled"
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    assert "Traceback" not in stderr and TOKEN not in stderr and secret not in stderr
    assert "+47 912 34 567" not in stderr and "an update could not be read" in stderr


# Longer than the two waits inside (for setWebhook, then for the end), so that a hang is reported
# by the test's own kill, which also ends the stuck process, not by pytest-timeout leaving it.
@pytest.mark.timeout(3 * WAIT)
def test_sigterm_while_the_webhook_is_being_set_still_ends_the_process(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    """PTB's start can be cut off before it closed the database, whose thread would keep the
    process alive for ever: the bot closes it itself."""
    api, server = fake_telegram
    port = free_port()
    arrived, gate = threading.Event(), threading.Event()

    def hold(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "setWebhook":
            arrived.set()
            gate.wait(WAIT)
        return None

    api.fault = hold
    env = {**os.environ, "BOT_TOKEN": server.token, "BOT_API_URL": server.url,
           "BYDELSBOT_DB": str(tmp_path / "bot.sqlite3")}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook", f"http://127.0.0.1:{port}/h",
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert arrived.wait(WAIT), "setWebhook never called"
        process.send_signal(signal.SIGTERM)
    finally:
        gate.set()
    try:
        _, stderr = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError("the process hung after SIGTERM during start-up") from None
    assert process.returncode in (0, 1), stderr
    assert TOKEN not in stderr
