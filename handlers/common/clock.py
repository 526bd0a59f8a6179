"""The bot's one clock: wall time (`now`, aware, UTC), monotonic seconds (the rate plan's) and
`sleep`.

The Application holds one (bot/application.py makes it, or takes the one it is given): handlers
and jobs read `context.clock` (or `services.clock`), the rate limiter and the announcement worker
are given the same object. Nothing else in handlers/ reads the time of day or sleeps
(tests/house/test_one_clock.py keeps it so), so a test moves or freezes time for the whole bot in
one place: the `clock` fixture, which hands the Application a clock whose sleeps are noted and
skipped (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

CLOCK_KEY = "clock"  # where the Application keeps it in bot_data


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Clock:
    now: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
