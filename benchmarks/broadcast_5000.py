"""Benchmark (not a test): one announcement to 5,000 women through `bydelsbot run`, against a
local Bot API over real HTTP (127.0.0.1 only) that enforces Telegram's limits.

The fake accepts at most 30 messages in any rolling second overall, one a second per chat and
20 a minute per group, and answers anything faster with 429 and retry_after, as Telegram does.
The bot runs as a real process, exactly as deployed (default settings: 29 a second).

    .venv/bin/python benchmarks/broadcast_5000.py                  # about 3 minutes
    .venv/bin/python benchmarks/broadcast_5000.py --recipients 300 # a quick run

It prints the achieved rate as a fraction of the allowed 30 a second (target >= 0.95), the 429s
provoked (target 0), lost and duplicated messages (target 0), the bot's peak memory (its maximum
resident set size) and the wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.offline_api import JSON, OfflineBotApi  # noqa: E402
from storage import Database  # noqa: E402
from storage.broadcasts import (  # noqa: E402
    DraftRecord,
    NewAnnouncement,
    Recipient,
    create_announcement,
    save_draft,
)
from storage.districts import upsert_district  # noqa: E402
from storage.people import add_membership  # noqa: E402
from tests.fakes.http_api import BotApiHttpServer  # noqa: E402

TOKEN = "987654321:Benchmark-token-not-a-real-one-abcdef"
ALLOWED_PER_SECOND = 30
COORDINATOR = 777
FIRST_WOMAN = 1_000_001
SENDS = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}


class TelegramLimits:
    """The fault hook of the fake: 429 with retry_after for anything faster than Telegram
    allows. Only accepted messages count towards the limits, as with Telegram."""

    def __init__(self, clock: object = time.monotonic) -> None:
        self.lock = threading.Lock()
        self.recent: deque[float] = deque()
        self.last_in_chat: dict[int, float] = {}
        self.in_group: dict[int, deque[float]] = {}
        self.accepted: list[tuple[float, int]] = []
        self.refused = 0

    def __call__(self, method: str, params: JSON) -> tuple[int, JSON] | None:
        if method not in SENDS:
            return None
        chat = int(str(params["chat_id"]))
        with self.lock:
            now = time.monotonic()
            while self.recent and self.recent[0] <= now - 1.0:
                self.recent.popleft()
            group = self.in_group.setdefault(chat, deque()) if chat < 0 else None
            while group and group[0] <= now - 60.0:
                group.popleft()
            last = self.last_in_chat.get(chat)
            if (
                len(self.recent) >= ALLOWED_PER_SECOND
                or (last is not None and now - last < 1.0)
                or (group is not None and len(group) >= 20)
            ):
                self.refused += 1
                return 429, {
                    "ok": False, "error_code": 429, "parameters": {"retry_after": 1},
                    "description": "Too Many Requests: retry after 1",
                }  # fmt: skip
            self.recent.append(now)
            self.last_in_chat[chat] = now
            if group is not None:
                group.append(now)
            if method != "editMessageText":
                self.accepted.append((now, chat))
        return None


async def seed(db_path: Path, recipients: int) -> None:
    db = await Database.open(db_path)
    now = datetime.now(UTC)
    district_id = await upsert_district(db, "alna", "Alna", 3)
    await add_membership(db, COORDINATOR, district_id, "coordinator", "Kari", now, "en")
    women = range(FIRST_WOMAN, FIRST_WOMAN + recipients)
    async with db.transaction() as tx:
        for woman in women:
            await tx.execute("INSERT INTO people (telegram_id, locale) VALUES (?, 'so')", (woman,))
            await tx.execute(
                "INSERT INTO memberships (telegram_id, district_id, role, display_name, "
                "joined_at) VALUES (?, ?, 'mother', 'W', ?)",
                (woman, district_id, now.isoformat()),
            )
    await save_draft(db, DraftRecord(COORDINATOR, "confirm"), now)
    new = NewAnnouncement(COORDINATOR, district_id, f"m{district_id}", "Møte fredag", None, None,
                          {"so": "Kulan jimcaha"}, now)  # fmt: skip
    await create_announcement(db, new, [Recipient(w, None, "so") for w in women], now)
    await db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=5000)
    args = parser.parse_args()

    api = OfflineBotApi()  # the spec check is the tests' job; here it would only cost time
    limits = TelegramLimits()
    api.fault = limits
    api.private_chat(api.user(COORDINATOR, "Kari"))
    women = range(FIRST_WOMAN, FIRST_WOMAN + args.recipients)
    for woman in women:
        api.private_chat(api.user(woman, "W"))

    with tempfile.TemporaryDirectory() as tmp, BotApiHttpServer(api, TOKEN) as server:
        db_path = Path(tmp) / "bench.sqlite3"
        asyncio.run(seed(db_path, args.recipients))
        env = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": server.url,
               "BYDELSBOT_DB": str(db_path)}  # fmt: skip
        started = time.monotonic()
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

        def reported() -> bool:
            texts = (m.get("text") or "" for m in api.bot_messages_in(COORDINATOR))
            return any(t.startswith("📢 Announcement delivered") for t in texts)

        done = api.wait_for(reported, timeout=args.recipients / 10 + 120)
        wall = time.monotonic() - started
        bot.send_signal(signal.SIGTERM)
        _, stderr = bot.communicate(timeout=60)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    counts = {woman: len(api.bot_messages_in(woman)) for woman in women}
    times = [t for t, chat in limits.accepted if chat >= FIRST_WOMAN]
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    rate = (len(times) - 1) / span if len(times) > 1 else 0.0
    result = {
        "recipients": args.recipients,
        "finished": done,
        "achieved_per_second": round(rate, 2),
        "fraction_of_allowed": round(rate / ALLOWED_PER_SECOND, 3),
        "429s_provoked": limits.refused,
        "lost": sum(1 for n in counts.values() if n == 0),
        "duplicated": sum(1 for n in counts.values() if n > 1),
        "bot_peak_rss_mib": round(peak_kib / 1024, 1),
        "sending_seconds": round(span, 1),
        "wall_seconds": round(wall, 1),
        "bot_exit_code": bot.returncode,
    }
    for key, value in result.items():
        print(f"{key:22} {value}")
    print(json.dumps(result))
    if bot.returncode != 0:
        print(stderr, file=sys.stderr)
    return 0 if done else 1


if __name__ == "__main__":
    raise SystemExit(main())
