"""The bot's send-rate plan: when the next message to a chat may go, within Telegram's limits.

Telegram allows a bot about 30 messages a second overall, about one a second in one chat and 20
a minute in one group, and answers anything faster with 429 and `retry_after`. PTB's
AIORateLimiter does not keep the per-chat rate and pauses everything on a 429; this plan keeps
all three, so that a 429 stays the exception it should be.

The plan is pure: it takes `now` (seconds, any monotonic clock) and never sleeps. Whoever sends
asks it, waits, sends, and tells it:

    plan = RatePlan()                       # or RatePlan(Limits(per_second=...))
    wait = plan.delay(chat_id, now, group=is_group)   # 0.0: go now
    ...                                      # sleep `wait`, or send something else first
    plan.record(chat_id, now, group=is_group)  # just before the request goes out
    plan.pause_until(now + retry_after)     # after a 429: nothing goes until then

One plan serves every request of the bot: handlers/delivery/rate_limiter.py keeps it (`Turns`) and
gives python-telegram-bot a BaseRateLimiter that asks it before every request; `record` before the
request, so a slow answer never lets a second one past.

Overall: a token bucket refilled at `per_second` (29) tokens a second that holds at most
`burst` (3), so messages are spread over the second and a sender that woke late or waited for a
slow answer catches up by a few; and, whatever the bucket says, at most `per_second` messages in
any rolling second (a bucket alone lets burst + rate into one second).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

WINDOW = 1.0  # seconds: the overall limit is counted over any rolling second
GROUP_WINDOW = 60.0  # seconds: the per-group limit is counted over any rolling minute
# Waits shorter than a clock's resolution (a datetime has microseconds; a float timestamp of
# today has about a quarter of one) are no waits: sleeping them would never move the clock.
RESOLUTION = 1e-6


@dataclass(frozen=True)
class Limits:
    """Telegram's limits, with a margin: 29 a second overall leaves room for replies."""

    per_second: int = 29
    per_chat_interval: float = 1.0
    group_per_minute: int = 20
    burst: int = 3  # tokens the overall bucket holds: how far a late sender may catch up
    # Seconds between any two messages, even when catching up: the requests of a burst would
    # otherwise leave together, and answers a few milliseconds apart on the way (a busy network,
    # a busy machine) would put a 31st message into one of Telegram's seconds.
    min_gap: float = 0.015

    def __post_init__(self) -> None:
        if min(self.per_second, self.group_per_minute, self.burst) < 1:
            raise ValueError(f"limits must be positive: {self}")
        if self.per_chat_interval < 0 or self.min_gap < 0:
            raise ValueError(f"limits must be positive: {self}")


@dataclass
class RatePlan:
    """Remembers recent sends and says how long the next one to a chat must wait."""

    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        self._recent: deque[float] = deque(maxlen=self.limits.per_second)
        self._last_in_chat: dict[int, float] = {}
        self._in_group: dict[int, deque[float]] = {}
        self._paused_until = float("-inf")
        self._tokens = float(self.limits.burst)
        self._filled_at: float | None = None

    def delay(self, chat_id: int, now: float, *, group: bool = False) -> float:
        """Seconds to wait before a message to this chat may go (0.0: now)."""
        return max(self.overall_delay(now), self.chat_delay(chat_id, now, group=group))

    def overall_delay(self, now: float) -> float:
        """Seconds to wait before any message may go: the pause, the bucket, the second."""
        waits = [self._paused_until - now]
        if self._recent:
            waits.append(self._recent[-1] + self.limits.min_gap - now)
        tokens = self._tokens_at(now)
        if tokens < 1.0:
            waits.append((1.0 - tokens) / self.limits.per_second)
        if len(self._recent) == self._recent.maxlen:
            waits.append(self._recent[0] + WINDOW - now)
        wait = max(waits)
        return wait if wait > RESOLUTION else 0.0

    def chat_delay(self, chat_id: int, now: float, *, group: bool = False) -> float:
        """Seconds this chat's own limits (one a second, 20 a minute in a group) ask to wait."""
        waits = [0.0]
        last = self._last_in_chat.get(chat_id)
        if last is not None:
            waits.append(last + self.limits.per_chat_interval - now)
        if group:
            sent = self._in_group.get(chat_id)
            if sent is not None and len(sent) >= self.limits.group_per_minute:
                waits.append(sent[0] + GROUP_WINDOW - now)
        wait = max(waits)
        return wait if wait > RESOLUTION else 0.0

    def record(self, chat_id: int, now: float, *, group: bool = False) -> None:
        """A message to this chat goes out now."""
        self._tokens = self._tokens_at(now) - 1.0
        self._filled_at = now
        self._recent.append(now)
        self._last_in_chat[chat_id] = now
        if group:
            sent = self._in_group.setdefault(chat_id, deque(maxlen=self.limits.group_per_minute))
            sent.append(now)
        if len(self._last_in_chat) > 4096:
            self._forget_before(now)

    def pause_until(self, moment: float) -> None:
        """Telegram said 429 with retry_after: nothing goes to any chat before `moment`."""
        self._paused_until = max(self._paused_until, moment)

    def _tokens_at(self, now: float) -> float:
        if self._filled_at is None:
            return self._tokens
        refilled = self._tokens + (now - self._filled_at) * self.limits.per_second
        return min(float(self.limits.burst), refilled)

    def paused(self, now: float) -> bool:
        return now < self._paused_until

    def _forget_before(self, now: float) -> None:
        """Drop what can no longer delay anything, so a 5,000-recipient run stays small."""
        horizon = now - max(self.limits.per_chat_interval, 0.0)
        self._last_in_chat = {c: t for c, t in self._last_in_chat.items() if t > horizon}
        self._in_group = {
            c: sent for c, sent in self._in_group.items() if sent and sent[-1] > now - GROUP_WINDOW
        }
