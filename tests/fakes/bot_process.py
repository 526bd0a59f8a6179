"""`bydelsbot` as a real process: `run` against the HTTP fake of the Bot API, for end-to-end tests,
and any other command (`bydelsbot(...)`) with a clean environment.

The fake (`fake_telegram` in tests/conftest.py) checks every call against the spec; the bot is
started with `start_bot` and stopped with `stop` (SIGTERM, as an operator would), or killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.offline.state import JSON
from tests.fakes.http_api import BotApiHttpServer

TOKEN = "987654321:E2E-token-which-must-never-be-logged-xyz"
ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # seconds: generous for a loaded CI machine; the tests pass as soon as calls arrive


def start_bot(
    server: BotApiHttpServer,
    db_path: Path,
    *,
    env: dict[str, str] | None = None,
    stdout: int = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """Start `bydelsbot run` pointed at the fake, on this database (plus any settings in env)."""
    settings = {
        **os.environ,
        "BOT_TOKEN": server.token,
        "BOT_API_URL": server.url,
        "BYDELSBOT_DB": str(db_path),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=settings, stdout=stdout, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM, then the exit code and what it wrote to stderr."""
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        pytest.fail(f"bot did not stop on SIGTERM:\n{stderr}")
    return process.returncode, stderr


class Door:
    """The fake's door, set as `api.fault`: the nth call that `matches` is held there until the
    gate opens, so that the bot can be killed with that call in flight."""

    def __init__(self, matches: Callable[[str, JSON], bool], nth: int = 1) -> None:
        self.matches, self.nth, self.seen = matches, nth, 0
        self.arrived, self.gate = threading.Event(), threading.Event()

    def __call__(self, method: str, params: JSON) -> tuple[int, JSON] | None:
        if self.matches(method, params):
            self.seen += 1
            if self.seen == self.nth:
                self.arrived.set()
                self.gate.wait(WAIT)
        return None


def kill_when_held(process: subprocess.Popen[str], door: Door, never: str) -> None:
    """SIGKILL the bot as soon as the door holds its call, then let that call through (Telegram
    delivers it; the bot never hears so). `never` says what failed if the call never came."""
    try:
        assert door.arrived.wait(WAIT), never
        process.send_signal(signal.SIGKILL)
        process.wait(WAIT)
    finally:
        if process.poll() is None:
            process.kill()
        door.gate.set()


def bydelsbot(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `bydelsbot ARGS` from the repository's root, without the caller's bot settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "BYDELSBOT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
