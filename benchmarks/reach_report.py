"""Benchmark (not a test): the reach report for a whole year, all districts, on a database
holding a busy year: six districts, each with a weekly drop-in and two activities, 3 bydelsmødre
on every shift, and a reach log for several topics after every session.

    .venv/bin/python benchmarks/reach_report.py               # 6 districts
    .venv/bin/python benchmarks/reach_report.py --districts 30

It prints how many rows were read, the time to build the year's report (database reads, the
planner and the sums) and to draw its chart, and the sizes of the chart and the CSV file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.days import OSLO  # noqa: E402
from bot.dropin.chart import bar_chart  # noqa: E402
from bot.dropin.report import csv_bytes, parse_period  # noqa: E402
from handlers.dropin.report import collect_report  # noqa: E402
from storage import Database  # noqa: E402
from storage.dropin.sessions import SessionSeed  # noqa: E402
from storage.organisation import DistrictSeed, LocationSeed, apply_seed  # noqa: E402

YEAR = 2026
TOPICS = ("pregnancy", "children", "money", "violence", "mental", "doctor", "norwegian", "other")


async def fill(db: Database, districts: int) -> tuple[int, int]:
    now = datetime(YEAR + 1, 1, 2, tzinfo=UTC)
    place = LocationSeed("library", "Library", "Street 1, Oslo")
    seeds = [DistrictSeed(f"d{i}", f"District {i}", 4) for i in range(districts)]
    sessions = [
        SessionSeed(
            f"s{i}-{k}",
            f"d{i}",
            place.id,
            kind,
            weekday,
            "12:00",
            "15:00",
            f"{YEAR}-01-01",
            max_on_duty=4,
        )
        for i in range(districts)
        for k, (kind, weekday) in enumerate((("dropin", 2), ("exercise", 0), ("home", 4)))
    ]
    await apply_seed(db, [place], seeds, now, sessions)
    shifts = logs = 0
    async with db.transaction() as tx:
        for row in await tx.fetch_all("SELECT id, district_id, weekday FROM dropin_sessions"):
            day = date(YEAR, 1, 1)
            day += timedelta(days=(row["weekday"] - day.weekday()) % 7)
            while day.year == YEAR:
                for _ in range(3):
                    await tx.execute(
                        "INSERT INTO dropin_shifts (session_id, day, telegram_id, taken_at) "
                        "VALUES (?, ?, NULL, ?)",
                        (row["id"], day.isoformat(), now.isoformat()),
                    )
                    shifts += 1
                for n, topic in enumerate(TOPICS[: 3 + day.day % 5]):
                    await tx.execute(
                        "INSERT INTO reach_logs (district_id, session_id, day, topic, women, "
                        "logged_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (row["district_id"], row["id"], day.isoformat(), topic, 1 + n,
                         now.isoformat()),
                    )  # fmt: skip
                    logs += 1
                day += timedelta(days=7)
    return shifts, logs


async def main(districts: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        shifts, logs = await fill(db, districts)
        period = parse_period(f"y{YEAR}")
        assert period is not None
        started = time.perf_counter()
        report = await collect_report(db, OSLO, None, period, datetime(YEAR + 1, 1, 2, tzinfo=UTC))
        built = time.perf_counter() - started
        started = time.perf_counter()
        png = bar_chart(report.by_month)
        drawn = time.perf_counter() - started
        data = csv_bytes(report, {}, ["section", "name", "district", "value"])
        await db.close()
    print(f"{districts} districts, {shifts} shifts, {logs} reach logs")
    print(f"year report: {built * 1000:.0f} ms ({report.held} sessions held, "
          f"{report.volunteer_hours:g} volunteer hours, {report.women} women)")  # fmt: skip
    print(f"chart: {drawn * 1000:.0f} ms, {len(png)} bytes; CSV: {len(data)} bytes")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=6)
    asyncio.run(main(parser.parse_args().districts))
