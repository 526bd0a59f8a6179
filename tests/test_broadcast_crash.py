"""A crash mid-broadcast: `bydelsbot run` is killed with SIGKILL while it announces to 300
women, with messages in flight (one of them held at the fake's door), then started again. Every
woman has exactly one copy, except those in flight at the kill (at most
handlers.announcements.outbox.IN_FLIGHT): they are reported as uncertain, never resent, never
dropped silently.

The bot runs as a real process over real HTTP against the spec-checking fake; a higher send rate
(BYDELSBOT_SEND_RATE) keeps the run to seconds. Every wait is for a call the fake observes.
"""

from __future__ import annotations

import signal
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path

from bot.offline_api import JSON, OfflineBotApi
from handlers.announcements.outbox import IN_FLIGHT
from storage import Database
from storage.announcements.drafts import DraftRecord, save_draft
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from storage.districts import upsert_district
from storage.people import add_membership
from tests.fakes.bot_process import TOKEN, WAIT, start_bot
from tests.fakes.http_api import BotApiHttpServer

WOMEN = range(600001, 600301)
KARI = 777
# A higher send rate keeps the run to seconds; stdout is not read, so it must not fill a pipe.
FAST = {"BYDELSBOT_SEND_RATE": "150"}


def start_fast(server: BotApiHttpServer, db_path: Path) -> subprocess.Popen[str]:
    return start_bot(server, db_path, env=FAST, stdout=subprocess.DEVNULL)


def delivered(api: OfflineBotApi) -> dict[int, int]:
    return {woman: len(api.bot_messages_in(woman)) for woman in WOMEN}


def reports(api: OfflineBotApi) -> list[str]:
    texts = [m.get("text") or "" for m in api.bot_messages_in(KARI)]
    return [t for t in texts if t.startswith("📢 Announcement delivered")]


async def test_sigkill_mid_broadcast_then_restart_delivers_each_woman_once(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
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
    await save_draft(db, DraftRecord(KARI, "confirm"), now)
    new = NewAnnouncement(KARI, district_id, f"m{district_id}", "Møte fredag", None, None, {}, now)
    await create_announcement(db, new, [Recipient(w, None, None) for w in WOMEN], now)
    await db.close()

    # The 120th delivery is held at the fake's door while the bot is killed: a message in
    # flight. Released after the kill, Telegram delivers it, and the bot never hears so.
    arrived, gate, seen = threading.Event(), threading.Event(), [0]

    def hold_one(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage" and int(params["chat_id"]) in WOMEN:
            seen[0] += 1
            if seen[0] == 120:
                arrived.set()
                gate.wait(WAIT)
        return None

    api.fault = hold_one
    first = start_fast(server, db_path)
    try:
        assert arrived.wait(WAIT), "the bot never got to the 120th woman"
        first.send_signal(signal.SIGKILL)
        first.wait(WAIT)
    finally:
        if first.poll() is None:
            first.kill()
        gate.set()
    api.fault = None
    assert api.wait_for(lambda: sum(delivered(api).values()) >= 120, WAIT)

    second = start_fast(server, db_path)
    try:
        assert api.wait_for(lambda: bool(reports(api)), WAIT), "no report after the restart"
    finally:
        second.send_signal(signal.SIGTERM)
        _, stderr = second.communicate(timeout=WAIT)
    assert second.returncode == 0, stderr
    assert TOKEN not in stderr

    db = await Database.open(db_path)
    try:
        rows = await db.fetch_all("SELECT telegram_id, status FROM outbox")
    finally:
        await db.close()
    status = {int(r["telegram_id"]): r["status"] for r in rows}
    counts = delivered(api)
    uncertain = [w for w, s in status.items() if s == "uncertain"]
    assert 1 <= len(uncertain) <= IN_FLIGHT  # those in flight, the held one among them
    for woman in WOMEN:
        if status[woman] == "uncertain":
            assert counts[woman] <= 1  # perhaps it arrived; it was not sent again
        else:
            assert status[woman] == "sent" and counts[woman] == 1, (woman, status[woman])
    assert max(counts.values()) == 1  # nobody got two
    report = reports(api)[-1]
    sent = sum(s == "sent" for s in status.values())
    assert f"✅ {sent} sent" in report
    assert f"❓ {len(uncertain)} uncertain" in report and "may or may not have arrived" in report
