"""The send-rate plan: never more than Telegram allows, and no slower than it must be."""

from __future__ import annotations

import itertools
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rate_limit import GROUP_WINDOW, RESOLUTION, WINDOW, Limits, RatePlan


def run(
    plan: RatePlan, chats: list[tuple[int, bool]], start: float = 1000.0
) -> list[tuple[float, int]]:
    """Send to each chat in turn, as early as the plan allows; the times they went."""
    now, sent = start, []
    for chat, group in chats:
        now += plan.delay(chat, now, group=group)
        assert plan.delay(chat, now, group=group) == 0.0
        plan.record(chat, now, group=group)
        sent.append((now, chat))
    return sent


def most_in_any_window(times: list[float], window: float) -> int:
    best, recent = 0, deque[float]()
    for t in times:
        recent.append(t)
        while recent[0] <= t - window + RESOLUTION:  # a microsecond is the clock's grain
            recent.popleft()
        best = max(best, len(recent))
    return best


def test_many_chats_go_at_29_a_second_spread_over_the_second() -> None:
    sent = run(RatePlan(), [(chat, False) for chat in range(600)])
    times = [t for t, _ in sent]
    assert most_in_any_window(times, WINDOW) == 29
    # Spread out: never more than the bucket's 3 at once.
    assert most_in_any_window(times, 1 / 29 - 2 * RESOLUTION) <= 3
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 28.9 <= rate <= 29.1  # the window above is the hard bound


def test_one_chat_gets_one_message_a_second() -> None:
    sent = run(RatePlan(), [(7, False)] * 5)
    times = [t for t, _ in sent]
    assert [round(b - a, 6) for a, b in itertools.pairwise(times)] == [1.0] * 4


def test_a_group_gets_at_most_20_a_minute() -> None:
    plan = RatePlan(Limits(per_chat_interval=0.0))
    times = [t for t, _ in run(plan, [(-100, True)] * 45)]
    assert most_in_any_window(times, GROUP_WINDOW) == 20
    assert times[20] - times[0] >= GROUP_WINDOW


def test_retry_after_pauses_every_chat() -> None:
    plan = RatePlan()
    plan.record(1, 10.0)
    plan.pause_until(10.0 + 5)
    assert plan.delay(2, 10.5) == 4.5
    assert plan.delay(3, 15.0) == 0.0
    plan.pause_until(12.0)  # an earlier pause never shortens a later one
    assert plan.delay(3, 14.0) == 1.0


def test_late_wake_ups_are_caught_up_without_exceeding_the_second() -> None:
    """A sender that wakes late loses nothing the window can give back, and still never puts
    more than 29 into any second."""
    plan, now, times = RatePlan(), 0.0, []
    for chat in range(300):
        now += plan.delay(chat, now) + (0.004 if chat % 3 else 0.0)  # late two times in three
        plan.record(chat, now)
        times.append(now)
    assert most_in_any_window(times, WINDOW) <= 29
    assert (len(times) - 1) / (times[-1] - times[0]) >= 0.95 * 29


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-3, 6), st.booleans()), min_size=1, max_size=120),
    st.integers(1, 60),
)
def test_no_mix_of_chats_ever_breaks_a_limit(chats: list[tuple[int, bool]], rate: int) -> None:
    plan = RatePlan(Limits(per_second=rate))
    # A chat is a group or not, whatever the draw says the first time.
    kinds: dict[int, bool] = {}
    chats = [(c, kinds.setdefault(c, g)) for c, g in chats]
    sent = run(plan, chats)
    assert most_in_any_window([t for t, _ in sent], WINDOW) <= rate
    for chat, group in set(chats):
        times = [t for t, c in sent if c == chat]
        assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(times))
        if group:
            assert most_in_any_window(times, GROUP_WINDOW) <= 20


def test_memory_stays_small_over_many_chats() -> None:
    plan = RatePlan()
    run(plan, [(chat, False) for chat in range(10_000)])
    assert len(plan._last_in_chat) <= 4096 + 30


async def test_other_senders_wait_their_turn_through_the_worker() -> None:
    """`OutboxWorker.pace` is the plan's door for other senders (reminders): same limits."""
    from datetime import UTC, datetime, timedelta

    from handlers.common.clock import Clock
    from handlers.jobs.announcements.worker import OutboxWorker

    moments = [datetime(2026, 12, 1, tzinfo=UTC)]

    async def sleep(seconds: float) -> None:
        moments[0] += timedelta(seconds=seconds)

    clock = Clock(now=lambda: moments[0], monotonic=lambda: moments[0].timestamp(), sleep=sleep)
    worker = OutboxWorker(None, None, clock=clock)  # type: ignore[arg-type]
    await worker.pace(5)
    await worker.pace(5)
    assert moments[0] == datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC)  # one a second in a chat
