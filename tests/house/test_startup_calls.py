"""Start-up asks Telegram only what it must: getMe once per start, and the command menus only
when they changed since the last start (a real `bydelsbot run` process, started twice)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.offline.api import OfflineBotApi
from handlers.common.commands import command_menus
from tests.fakes.bot_process import WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer


def test_a_restart_asks_getme_once_and_publishes_unchanged_menus_no_more(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "bot.sqlite3"
    counts = []
    for _ in range(2):
        before = {m: len(api.calls_to(m)) for m in ("getMe", "setMyCommands")}
        process = start_bot(server, db_path)
        try:
            assert api.wait_for(polled_since(api, len(api.calls_to("getUpdates"))), WAIT)
        finally:
            code, stderr = stop(process)
        assert code == 0, stderr
        counts.append({m: len(api.calls_to(m)) - n for m, n in before.items()})
    menus = len(command_menus())
    assert menus == 24
    assert counts == [{"getMe": 1, "setMyCommands": menus}, {"getMe": 1, "setMyCommands": 0}]


def polled_since(api: OfflineBotApi, polls: int) -> Callable[[], bool]:
    return lambda: len(api.calls_to("getUpdates")) > polls
