"""A kill in the middle of a reminder run: `bydelsbot run` is killed with SIGKILL while it sends
the start-up reminders of a meeting to 120 women (one reminder held at the fake's door), then
started again. Nobody gets a reminder twice; a woman without one has it recorded as interrupted
(the coordinator's /rsvps says so): nothing is lost without being reported."""

from __future__ import annotations

import signal
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.offline_api import JSON, OfflineBotApi
from storage import Database
from storage.districts import upsert_district
from storage.meetings.meetings import add_meeting
from storage.meetings.reminders import reminder_outcomes
from storage.people import add_membership
from tests.fakes.bot_process import WAIT, start_bot
from tests.fakes.http_api import BotApiHttpServer

WOMEN = range(700001, 700121)
KARI = 778
FAST = {"BYDELSBOT_SEND_RATE": "150"}


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
    district_id = await upsert_district(db, "alna", "Alna", 3)
    await add_membership(db, KARI, district_id, "coordinator", "Kari", now, "en")
    api.private_chat(api.user(KARI, "Kari"))
    for woman in WOMEN:
        await add_membership(db, woman, district_id, "mother", "W", now, "so")
        api.private_chat(api.user(woman, "W"))
    # 47 hours ahead: the 48-hour reminder is due at start-up, the 3-hour one is not.
    meeting = await add_meeting(db, district_id, now + timedelta(hours=47), KARI, now)
    await db.close()

    arrived, gate, seen = threading.Event(), threading.Event(), [0]

    def hold_one(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage" and int(params["chat_id"]) in WOMEN:
            seen[0] += 1
            if seen[0] == held:
                arrived.set()
                gate.wait(WAIT)
        return None

    api.fault = hold_one
    first = start_bot(server, db_path, env=FAST, stdout=subprocess.DEVNULL)
    try:
        assert arrived.wait(WAIT), "the bot never sent the reminders"
        first.send_signal(signal.SIGKILL)
        first.wait(WAIT)
    finally:
        if first.poll() is None:
            first.kill()
        gate.set()
    api.fault = None

    second = start_bot(server, db_path, env=FAST, stdout=subprocess.DEVNULL)
    try:
        # The held reminder arrived once the gate opened; the restart sends the others.
        everyone = lambda: sum(reminders(api, w) for w in WOMEN) >= len(WOMEN)  # noqa: E731
        assert api.wait_for(everyone, WAIT), "the restart did not send the rest"
    finally:
        second.send_signal(signal.SIGTERM)
        _, stderr = second.communicate(timeout=WAIT)
    assert second.returncode == 0, stderr

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
