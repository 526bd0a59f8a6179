"""One clock: handlers and jobs read the time of day, monotonic seconds and their sleeps only
from the bot's clock (handlers/common/clock.py), which the Application holds and the tests'
`clock` fixture replaces. A direct call would slip past the fixture, and a test could no longer
move time for the whole bot in one place."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.house.source import parsed

ROOT = Path(__file__).resolve().parents[2]
CLOCK = ROOT / "handlers" / "common" / "clock.py"
DIRECT = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "monotonic"),
    ("asyncio", "sleep"),
}


def direct_time(path: Path) -> list[str]:
    found = []
    for node in ast.walk(parsed(path)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in DIRECT
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_handlers_and_jobs_read_the_time_only_from_the_one_clock() -> None:
    paths = [p for p in sorted((ROOT / "handlers").rglob("*.py")) if p != CLOCK]
    found = [hit for path in paths for hit in direct_time(path)]
    assert paths and not found, "use context.clock (or services.clock):\n" + "\n".join(found)


def test_the_check_sees_a_planted_direct_call() -> None:
    """Guard against a rule that can never fail."""
    planted = ROOT / "handlers" / "jobs" / "_planted_clock.py"
    planted.write_text(
        "import asyncio\nfrom datetime import UTC, datetime\n\n\n"
        "async def f() -> None:\n    datetime.now(UTC)\n    await asyncio.sleep(1)\n",
        encoding="utf-8",
    )
    try:
        assert len(direct_time(planted)) == 2
    finally:
        planted.unlink()
