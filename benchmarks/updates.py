"""Benchmark (not a test): what one update costs the bot, beside a bare python-telegram-bot echo
bot on the same transport, in the same run.

The real Application (bot/app.py) on a real SQLite file with 10,000 members in 15 districts, fed
a realistic mix of updates one at a time, as PTB hands them over: a woman's /menu, the help
guide's topics and cards, answers to a meeting (RSVP), a language change, and the coordinators'
screens (/members, /rsvps, /broadcast's audience counts). The Bot API is the offline fake
without its spec check (the tests do that), for both bots, holding no more than a chat's newest
messages (StandIn). The rate plan's waits are skipped (a virtual clock), so this measures the
bot's own work, not Telegram's limits.

    .venv/bin/python benchmarks/updates.py                      # about a minute
    .venv/bin/python benchmarks/updates.py --updates 2000 --members 2000

It prints updates/s, p50 and p99 per kind of update and in all, then the echo bot's figures and
the ratio; then the same ratio by CPU time (the process's, aiosqlite's thread included), which
other programs on a shared machine move far less than they move the wall clock.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.application import (  # noqa: E402
    build_application,
    close_services,
    open_services,
    settle_heap,
)
from bot.config import Config  # noqa: E402
from bot.offline.api import OfflineBotApi  # noqa: E402
from bot.offline.state import JSON  # noqa: E402
from bot.offline.transport import OfflineRequest  # noqa: E402
from handlers.common.clock import Clock  # noqa: E402
from storage import Database  # noqa: E402
from storage.districts import upsert_district  # noqa: E402
from storage.meetings.meetings import add_meeting  # noqa: E402

TOKEN = "123456789:Benchmark-token-not-a-real-one-abcdef"
DISTRICTS = 15
FIRST_WOMAN = 2_000_001
TOPICS = ("pregnancy", "children", "money", "violence", "mental")
LOCALES = ("so", "ar", "ur", "ti", "nb", "en")
ACTIVE = 400  # women writing during the run (each comes back for her next step)


class NoWait:
    """The rate plan's clock: every wait is skipped (this measures work, not limits)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.monotonic() + self.offset

    async def sleep(self, seconds: float) -> None:
        self.offset += seconds


async def seed(path: Path, members: int) -> tuple[list[int], list[int], list[int]]:
    """Districts, members (1 coordinator in 50), one meeting per district: (women, coordinators,
    meetings)."""
    db = await Database.open(path)
    now = datetime.now(UTC)
    districts = [await upsert_district(db, f"d{n}", f"District {n}", 3) for n in range(DISTRICTS)]
    women, coordinators = [], []
    async with db.transaction() as tx:
        for n in range(members):
            who, district = FIRST_WOMAN + n, districts[n % DISTRICTS]
            role = "coordinator" if n % 50 == 0 else ("mother" if n % 3 else "participant")
            await tx.execute(
                "INSERT INTO people (telegram_id, locale) VALUES (?, ?)",
                (who, LOCALES[n % len(LOCALES)]),
            )
            await tx.execute(
                "INSERT INTO memberships (telegram_id, district_id, role, display_name, "
                "joined_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (who, district, role, f"Woman {n}", now.isoformat(), now.isoformat()),
            )
            (coordinators if role == "coordinator" else women).append(who)
    meetings = [
        await add_meeting(db, d, now + timedelta(days=3), coordinators[0], now) for d in districts
    ]
    await db.close()
    return women, coordinators, meetings


class StandIn(OfflineBotApi):
    """The offline Bot API, holding what Telegram's servers would hold in the bot's process:
    nothing it no longer needs. Telegram keeps every chat's messages on its own machines; kept
    here, they pile up in the bot's heap (with the log of every request and every update
    delivered), and each full garbage collection of the bot walks them all: 21-124 ms of a
    single update's time on a busy machine, a cost the bot does not have in production. After
    each update a chat keeps its newest messages only, the log and the delivered updates are
    dropped. The same for both bots."""

    KEEP = 3  # the message pressed next is the bot's last one; edits touch the pressed one

    def settle(self, chat_id: int) -> None:
        with self._lock:
            self.calls.clear()
            self._updates.clear()
            self._open_queries.clear()
            ids = sorted(m for (c, m) in self._messages if c == chat_id)
            for message_id in ids[: -self.KEEP]:
                del self._messages[(chat_id, message_id)]


def woman_updates(api: OfflineBotApi, who: int, meeting: int, n: int) -> list[tuple[str, JSON]]:
    """What a woman does: her menu, the help guide, a card, an answer, a language change."""
    user = api.user(who, "W", "en")
    api.private_chat(user)
    kinds: list[tuple[str, Any]] = [
        ("menu", lambda: api.send_text(user, "/menu")),
        ("help topics", lambda: api.press(user, who, last_id(api, who), "hlp:topics")),
        ("help card", lambda: api.press(user, who, last_id(api, who), f"hlp:t:{TOPICS[n % 5]}")),
        ("rsvp", lambda: api.press(user, who, last_id(api, who), f"rsvp:{meeting}:y")),
        ("language", lambda: api.press(user, who, last_id(api, who), f"lang:{LOCALES[n % 6]}")),
    ]
    kind, make = kinds[n % len(kinds)] if api.bot_messages_in(who) else kinds[0]
    return [(kind, make())]


def coordinator_updates(
    api: OfflineBotApi, who: int, district_id: int, n: int
) -> list[tuple[str, JSON]]:
    user = api.user(who, "K", "en")
    api.private_chat(user)
    kinds: list[tuple[str, Any]] = [
        ("coord /members", lambda: api.send_text(user, "/members")),
        ("coord /rsvps", lambda: api.send_text(user, "/rsvps")),
        ("coord /broadcast", lambda: api.send_text(user, "/broadcast")),
    ]
    kind, make = kinds[n % len(kinds)]
    return [(kind, make())]


def last_id(api: OfflineBotApi, chat: int) -> int:
    messages = api.bot_messages_in(chat)
    return int(messages[-1]["message_id"]) if messages else 1


Times = dict[str, list[tuple[float, float]]]  # kind -> (wall-clock, CPU) seconds per update


async def measure_bot(args: argparse.Namespace, db_path: Path) -> Times:
    women, coordinators, meetings = await seed(db_path, args.members)
    api = StandIn()
    config = Config(token=TOKEN, db_path=db_path)
    clock = NoWait()
    app = build_application(
        config,
        request=OfflineRequest(api),
        with_updater=False,
        clock=Clock(monotonic=clock.now, sleep=clock.sleep),
    )
    times: Times = defaultdict(list)
    async with app:
        await open_services(app)
        settle_heap()  # as `bydelsbot run` does once started (build_application(long_running=True))
        await app.start()
        for n in range(args.updates):
            if n % 20 == 19:  # one update in 20 is a coordinator's screen
                who = coordinators[n % len(coordinators)]
                batch = coordinator_updates(api, who, 1 + who % DISTRICTS, n // 20)
            else:
                who = women[(n * 7919) % min(len(women), ACTIVE)]
                batch = woman_updates(api, who, meetings[(who - FIRST_WOMAN) % DISTRICTS], n)
            for kind, raw in batch:
                update = Update.de_json(raw, app.bot)
                started, cpu = time.perf_counter(), time.process_time()
                await app.process_update(update)
                times[kind].append((time.perf_counter() - started, time.process_time() - cpu))
                api.settle(who)
        await app.stop()
        await close_services(app)
    return times


async def measure_echo(updates: int) -> list[tuple[float, float]]:
    """A bare PTB bot: one handler that echoes text, on the same offline transport."""
    api = StandIn()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.message is not None
        await context.bot.send_message(update.effective_chat.id, update.message.text or "")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(OfflineRequest(api))
        .get_updates_request(OfflineRequest(api))
        .updater(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    times = []
    async with app:
        await app.start()
        for n in range(updates):
            user = api.user(FIRST_WOMAN + n % 1000, "W", "en")
            update = Update.de_json(api.send_text(user, f"hello {n}"), app.bot)
            started, cpu = time.perf_counter(), time.process_time()
            await app.process_update(update)
            times.append((time.perf_counter() - started, time.process_time() - cpu))
            api.settle(int(user["id"]))
        await app.stop()
    return times


def row(name: str, measured: list[tuple[float, float]]) -> str:
    times = [wall for wall, _ in measured]
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    rate = len(times) / sum(times)
    cpu = sum(cpu for _, cpu in measured) / len(measured)
    return (
        f"{name:18} {len(times):6} {rate:10.0f} {statistics.median(times) * 1000:9.2f} "
        f"{p99 * 1000:9.2f} {cpu * 1000:9.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = asyncio.run(measure_bot(args, Path(tmp) / "bench.sqlite3"))
    echo = asyncio.run(measure_echo(args.updates))
    header = f"{'update':18} {'count':>6} {'updates/s':>10} {'p50 ms':>9} {'p99 ms':>9}"
    print(header + f" {'cpu ms':>9}")
    for kind in sorted(times):
        print(row(kind, times[kind]))
    everything = [t for kind_times in times.values() for t in kind_times]
    women_only = [t for kind, ts in times.items() if not kind.startswith("coord") for t in ts]
    print(row("all (bydelsbot)", everything))
    print(row("women only", women_only))
    print(row("echo bot (PTB)", echo))
    for name, index in (("", 0), (" by CPU time", 1)):
        ours = sum(t[index] for t in everything) / len(everything)
        theirs = sum(t[index] for t in echo) / len(echo)
        print(f"ratio bydelsbot / echo{name}: {theirs / ours:.2f}x ({args.members} members)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
