"""Benchmark (not a test): one announcement to 5,000 women through `bydelsbot run`, against a
local Bot API over real HTTP (127.0.0.1 only) that enforces Telegram's limits.

The fake accepts at most 30 messages in any rolling second overall, one a second per chat and
20 a minute per group, and answers anything faster with 429 and retry_after, as Telegram does.
Each answer takes the round trip given (0, 50 and 150 ms by default: Telegram answers from Oslo
in tens of milliseconds). The bot runs as a real process, exactly as deployed (default settings:
29 a second). Beside each row, in the same run, the same announcement is sent by a bare
python-telegram-bot sender with PTB's AIORateLimiter (all messages handed to it at once).

    .venv/bin/python benchmarks/broadcast_5000.py                  # about 20 minutes
    .venv/bin/python benchmarks/broadcast_5000.py --recipients 1500 --rtt-ms 0,50,150
    .venv/bin/python benchmarks/broadcast_5000.py --recipients 300 --rtt-ms 50 --no-aio

It prints, per round trip and sender, the achieved rate as a fraction of the allowed 30 a second
(target >= 0.95), the 429s provoked (target 0), lost and duplicated messages (target 0), the
sender's peak memory (its maximum resident set size) and the wall time.
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

from bot.offline.api import OfflineBotApi  # noqa: E402
from bot.offline.state import JSON  # noqa: E402
from storage import Database  # noqa: E402
from storage.announcements.drafts import DraftRecord, save_draft  # noqa: E402
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement  # noqa: E402
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
        self.reasons: dict[str, int] = {}

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
            reasons = [
                name
                for name, broken in (
                    ("overall", len(self.recent) >= ALLOWED_PER_SECOND),
                    (f"chat:{method}", last is not None and now - last < 1.0),
                    ("group", group is not None and len(group) >= 20),
                )
                if broken
            ]
            if reasons:
                self.refused += 1
                for reason in reasons:
                    self.reasons[reason] = self.reasons.get(reason, 0) + 1
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


AIO_SENDER = """
import asyncio, os, sys
from telegram.ext import AIORateLimiter, ApplicationBuilder

async def main():
    first, count = int(os.environ["FIRST"]), int(os.environ["COUNT"])
    app = (ApplicationBuilder().token(os.environ["BOT_TOKEN"]).base_url(os.environ["BOT_API_URL"])
           .rate_limiter(AIORateLimiter(max_retries=10)).updater(None).build())
    async with app:
        async def one(chat):
            try:
                await app.bot.send_message(chat, "Kulan jimcaha")
            except Exception as exc:
                print(type(exc).__name__, file=sys.stderr)
        await asyncio.gather(*(one(c) for c in range(first, first + count)))
        await app.bot.send_message(int(os.environ["REPORT_TO"]), "📢 Announcement delivered")

asyncio.run(main())
"""


def run_one(recipients: int, round_trip: float, sender: str) -> dict[str, object]:
    """One announcement to `recipients` women through `sender` ("bydelsbot" or "ptb-aio")."""
    api = OfflineBotApi()  # the spec check is the tests' job; here it would only cost time
    limits = TelegramLimits()
    api.fault = limits
    api.private_chat(api.user(COORDINATOR, "Kari"))
    women = range(FIRST_WOMAN, FIRST_WOMAN + recipients)
    for woman in women:
        api.private_chat(api.user(woman, "W"))

    with tempfile.TemporaryDirectory() as tmp, BotApiHttpServer(api, TOKEN, round_trip) as server:
        db_path = Path(tmp) / "bench.sqlite3"
        asyncio.run(seed(db_path, recipients))
        env = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": server.url,
               "BYDELSBOT_DB": str(db_path), "FIRST": str(FIRST_WOMAN),
               "COUNT": str(recipients), "REPORT_TO": str(COORDINATOR)}  # fmt: skip
        command = (
            [sys.executable, "-m", "bot", "run"]
            if sender == "bydelsbot"
            else [sys.executable, "-c", AIO_SENDER]
        )
        before_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.monotonic()
        bot = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip

        def reported() -> bool:
            texts = (m.get("text") or "" for m in api.bot_messages_in(COORDINATOR))
            return any(t.startswith("📢 Announcement delivered") for t in texts)

        done = api.wait_for(reported, timeout=recipients / 10 + 120)
        wall = time.monotonic() - started
        if sender != "bydelsbot":
            bot.wait(timeout=60)  # the bare sender ends by itself after its last message
        if bot.poll() is None:
            bot.send_signal(signal.SIGTERM)
        _, stderr = bot.communicate(timeout=60)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    counts = {woman: len(api.bot_messages_in(woman)) for woman in women}
    times = [t for t, chat in limits.accepted if chat >= FIRST_WOMAN]
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    rate = (len(times) - 1) / span if len(times) > 1 else 0.0
    result: dict[str, object] = {
        "sender": sender,
        "round_trip_ms": round(round_trip * 1000),
        "recipients": recipients,
        "finished": done,
        "achieved_per_second": round(rate, 2),
        "fraction_of_allowed": round(rate / ALLOWED_PER_SECOND, 3),
        "429s_provoked": limits.refused,
        "429_reasons": limits.reasons,
        "lost": sum(1 for n in counts.values() if n == 0),
        "duplicated": sum(1 for n in counts.values() if n > 1),
        # ru_maxrss of children is the largest of any child so far: a later, smaller one
        # shows the same figure, so it is given only where it grew.
        "peak_rss_mib": round(peak_kib / 1024, 1) if peak_kib > before_kib else "<=",
        "sending_seconds": round(span, 1),
        "wall_seconds": round(wall, 1),
        "exit_code": bot.returncode,
    }
    if bot.returncode != 0:
        print(stderr[-2000:], file=sys.stderr)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument(
        "--rtt-ms", default="0,50,150", help="round trips to measure, comma-separated"
    )
    parser.add_argument("--no-aio", action="store_true", help="leave out PTB's AIORateLimiter")
    args = parser.parse_args()
    senders = ["bydelsbot"] if args.no_aio else ["bydelsbot", "ptb-aio"]
    results = []
    columns = ("sender", "round_trip_ms", "fraction_of_allowed", "429s_provoked", "lost",
               "duplicated", "achieved_per_second", "peak_rss_mib", "wall_seconds")  # fmt: skip
    print(" | ".join(columns))
    for rtt in (float(ms) / 1000 for ms in args.rtt_ms.split(",")):
        for sender in senders:
            result = run_one(args.recipients, rtt, sender)
            results.append(result)
            print(" | ".join(str(result[c]) for c in columns), flush=True)
    print(json.dumps(results))
    return 0 if all(r["finished"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
