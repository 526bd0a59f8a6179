"""Benchmark (not a test): how long `bydelsbot run` takes to start, and its memory, with 10,000
members, against the local fake Bot API over real HTTP (127.0.0.1).

    .venv/bin/python benchmarks/startup.py
    .venv/bin/python benchmarks/startup.py --members 2000

It starts the bot twice on the same database (the first start publishes the command menus, the
second finds them unchanged) and prints, per start, the seconds from launch to the first
getUpdates, the Bot API requests made before it, and the process's peak resident set size
after a handful of updates have been answered.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from updates import seed  # noqa: E402

from bot.offline.api import OfflineBotApi  # noqa: E402
from tests.fakes.http_api import BotApiHttpServer  # noqa: E402

TOKEN = "123456789:Benchmark-token-not-a-real-one-abcdef"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    api = OfflineBotApi()
    print(f"{'start':6} {'seconds to polling':>18} {'requests before':>16} {'peak RSS MiB':>13}")
    with tempfile.TemporaryDirectory() as tmp, BotApiHttpServer(api, TOKEN) as server:
        db_path = Path(tmp) / "bench.sqlite3"
        women, _, _ = asyncio.run(seed(db_path, args.members))
        env = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": server.url,
               "BYDELSBOT_DB": str(db_path)}  # fmt: skip
        for start in (1, 2):
            calls_before, polls = len(api.calls), len(api.calls_to("getUpdates"))
            launched = time.monotonic()
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            api.wait_for(lambda n=polls: len(api.calls_to("getUpdates")) > n, 120)  # type: ignore[misc]
            seconds = time.monotonic() - launched
            requests = len(api.calls) - calls_before - 1
            for woman in women[:20]:  # a few women are answered, so the figure is a working one
                api.send_text(api.user(woman, "W", "so"), "/menu")
            api.wait_for(lambda: all(api.bot_messages_in(w) for w in women[:20]), 60)
            bot.send_signal(signal.SIGTERM)
            bot.communicate(timeout=60)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{start:6} {seconds:18.2f} {requests:16} {peak:13.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
