"""An update python-telegram-bot cannot read is skipped (its id and kind logged, nothing else),
and the updates around it are handled: as a real `bydelsbot run` process and in the bot alone."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from tests.fakes.bot_process import WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer

PHONE = "+47 912 34 567"
BROKEN_POLL_ANSWER = {"poll_answer": {"poll_id": "1"}}  # no option_ids, no user


def her_message(api: OfflineBotApi) -> None:
    """A woman's message with private words in it, right before the unreadable update."""
    api.send_text(api.user(5151, "Hodan", "en"), f"my husband hits me, call me on {PHONE}")


async def test_the_bot_reads_past_an_update_it_cannot_read(
    app: BotApplication, api: OfflineBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    her_message(api)
    broken = api.push_raw(BROKEN_POLL_ANSWER)
    api.send_text(api.user(5152, "Amina", "en"), "/start")
    with caplog.at_level(logging.INFO):  # PTB debug-logs raw payloads; we log INFO up
        updates = await app.bot.get_updates()
    assert [u.update_id for u in updates] == [1, broken["update_id"], 3]
    assert updates[1].to_dict() == {"update_id": broken["update_id"]}  # nothing for any handler
    assert updates[0].message is not None and updates[2].message is not None
    for update in updates:
        await app.process_update(update)
    assert api.bot_messages_in(5152), "the update after it is answered"
    assert f"skipped update {broken['update_id']} (poll_answer)" in caplog.text
    assert PHONE not in caplog.text and "hits me" not in caplog.text


def test_bydelsbot_run_answers_her_after_an_unreadable_update(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    her_message(api)
    api.push_raw(BROKEN_POLL_ANSWER)
    user = api.user(31337, "Hodan", language_code="en")
    api.send_text(user, "/start")
    process = start_bot(server, tmp_path / "bot.sqlite3")
    try:
        assert api.wait_for(lambda: bool(api.bot_messages_in(31337)), WAIT), "never answered"
        assert api.wait_for(lambda: 4 in offsets(api), WAIT), "the offset moved past it"
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    assert "skipped update 2 (poll_answer)" in stderr
    assert PHONE not in stderr and "hits me" not in stderr
    assert "CRITICAL" not in stderr and "Traceback" not in stderr
    early = [o for o in offsets(api) if o < 4]
    assert len(early) <= 2, f"the batch with it is fetched once, not again and again: {early}"


def offsets(api: OfflineBotApi) -> list[int]:
    return [int(c.params.get("offset") or 0) for c in api.calls_to("getUpdates")]
