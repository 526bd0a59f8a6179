"""A kill in the middle of a reminder run: `bydelsbot run` is killed with SIGKILL while it sends
the start-up reminders of a meeting to 120 women (one reminder held at the fake's door), then
started again. Nobody gets a reminder twice; a woman without one has it recorded as interrupted
(the coordinator's /rsvps says so): nothing is lost without being reported."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from storage import Database
from storage.meetings.meetings import add_meeting
from storage.meetings.reminders import reminder_outcomes
from tests.fakes.bot_process import WAIT, Door, kill_when_held, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.support.people import alna_in_file

WOMEN = range(700001, 700121)
KARI = 778
FAST = {"BYDELSBOT_SEND_RATE": "150"}


def to_a_woman(method: str, params: JSON) -> bool:
    return method == "sendMessage" and int(params["chat_id"]) in WOMEN


def reminders(api: OfflineBotApi, woman: int) -> int:
    return sum(m.get("text", "").startswith("⏰") for m in api.bot_messages_in(woman))


@pytest.mark.parametrize("held", [1, 57])
async def test_sigkill_mid_reminders_then_restart_sends_nobody_two(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path, held: int
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "crash.sqlite3"
    db = await Database.open(db_path)
    now = datetime.now(UTC)
    district_id = await alna_in_file(db, KARI, WOMEN, chats=api)
    # 47 hours ahead: the 48-hour reminder is due at start-up, the 3-hour one is not.
    meeting = await add_meeting(db, district_id, now + timedelta(hours=47), KARI, now)
    await db.close()

    door = Door(to_a_woman, nth=held)
    api.fault = door
    first = start_bot(server, db_path, env=FAST, stdout=subprocess.DEVNULL)
    kill_when_held(first, door, "the bot never sent the reminders")
    api.fault = None

    second = start_bot(server, db_path, env=FAST, stdout=subprocess.DEVNULL)
    try:
        # The held reminder arrived once the gate opened; the restart sends the others.
        everyone = lambda: sum(reminders(api, w) for w in WOMEN) >= len(WOMEN)  # noqa: E731
        assert api.wait_for(everyone, WAIT), "the restart did not send the rest"
    finally:
        exit_code, stderr = stop(second)
    assert exit_code == 0, stderr

    db = await Database.open(db_path)
    try:
        outcomes = await reminder_outcomes(db, meeting)
    finally:
        await db.close()
    for woman in WOMEN:
        got = reminders(api, woman)
        assert got <= 1, f"woman {woman} got {got} reminders"
        outcome = outcomes.get((woman, 48))
        if got == 0:
            assert outcome == "interrupted", (woman, outcome)  # reported, not silently lost
        else:
            assert outcome in ("sent", "interrupted"), (woman, outcome)
    assert sum(o == "interrupted" for o in outcomes.values()) <= 1  # only the one in flight
