"""A crash mid-broadcast: `bydelsbot run` is killed with SIGKILL while it announces to 300
women, with messages in flight (one of them held at the fake's door), then started again. Every
woman has exactly one copy, except those in flight at the kill (at most
handlers.jobs.announcements.worker.IN_FLIGHT): they are reported as uncertain, never resent, never
dropped silently.

The bot runs as a real process over real HTTP against the spec-checking fake; a higher send rate
(BYDELSBOT_SEND_RATE) keeps the run to seconds. Every wait is for a call the fake observes.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.jobs.announcements.worker import IN_FLIGHT
from storage import Database
from storage.announcements.drafts import DraftRecord, save_draft
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from tests.fakes.bot_process import TOKEN, WAIT, Door, kill_when_held, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.support.people import alna_in_file

WOMEN = range(600001, 600301)
KARI = 777
# A higher send rate keeps the run to seconds; stdout is not read, so it must not fill a pipe.
FAST = {"BYDELSBOT_SEND_RATE": "150"}


def start_fast(server: BotApiHttpServer, db_path: Path) -> subprocess.Popen[str]:
    return start_bot(server, db_path, env=FAST, stdout=subprocess.DEVNULL)


def to_a_woman(method: str, params: JSON) -> bool:
    return method == "sendMessage" and int(params["chat_id"]) in WOMEN


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
    district_id = await alna_in_file(db, KARI, WOMEN, chats=api)
    await save_draft(db, DraftRecord(KARI, "confirm"), now)
    new = NewAnnouncement(KARI, district_id, f"m{district_id}", "Møte fredag", None, None, {}, now)
    await create_announcement(db, new, [Recipient(w, None, None) for w in WOMEN], now)
    await db.close()

    # The 120th delivery is held at the fake's door while the bot is killed: a message in
    # flight. Released after the kill, Telegram delivers it, and the bot never hears so.
    door = Door(to_a_woman, nth=120)
    api.fault = door
    kill_when_held(start_fast(server, db_path), door, "the bot never got to the 120th woman")
    api.fault = None
    assert api.wait_for(lambda: sum(delivered(api).values()) >= 120, WAIT)

    second = start_fast(server, db_path)
    try:
        assert api.wait_for(lambda: bool(reports(api)), WAIT), "no report after the restart"
    finally:
        exit_code, stderr = stop(second)
    assert exit_code == 0, stderr
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
