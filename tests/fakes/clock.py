"""Clocks for tests: time that passes only when the code under test sleeps."""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime, timedelta

from handlers.common.clock import Clock

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    """Time that passes only when the worker sleeps."""

    def __init__(self) -> None:
        self.now = START

    async def sleep(self, seconds: float) -> None:
        # Whole microseconds, rounded up, as a datetime can hold them.
        self.now += timedelta(microseconds=math.ceil(max(0.0, seconds) * 1e6))
        await asyncio.sleep(0)

    @property
    def clock(self) -> Clock:
        return Clock(now=lambda: self.now, monotonic=lambda: self.now.timestamp(), sleep=self.sleep)


class VirtualClock:
    """The rate plan's clock in tests: a wait for a turn (or a 429's pause) is noted and skipped,
    so the plan is kept and no test waits real time."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return time.monotonic() + self.offset

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds
        await asyncio.sleep(0)
