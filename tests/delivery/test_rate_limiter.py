"""Every Bot API call under one rate plan (handlers/delivery/rate_limiter.py): replies are never
lost to a 429, a reply goes before the next announcement message, and the bot keeps Telegram's
limits.
The plan's clock is virtual (tests/fakes/clock.py VirtualClock): no test waits real time."""

from __future__ import annotations

import asyncio
from collections import deque

from telegram import Update

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.rate_limit import Limits, RatePlan
from handlers.common.clock import Clock
from handlers.common.language import LANGUAGE
from handlers.delivery.rate_limiter import Turns
from tests.fakes.clock import VirtualClock

TOO_MANY = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 5",
    "parameters": {"retry_after": 5},
}


class TelegramRate:
    """The fake's fault hook: at most 30 messages in any rolling second (on the virtual clock),
    as Telegram enforces; anything faster gets 429."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.accepted: deque[float] = deque()
        self.refused = 0

    def __call__(self, method: str, params: JSON) -> tuple[int, JSON] | None:
        if method not in ("sendMessage", "editMessageText"):
            return None
        now = self.clock.now()
        while self.accepted and self.accepted[0] <= now - 1.0:
            self.accepted.popleft()
        if len(self.accepted) >= 30:
            self.refused += 1
            return 429, TOO_MANY
        self.accepted.append(now)
        return None


async def process(app: BotApplication, update: JSON) -> None:
    await app.process_update(Update.de_json(update, app.bot))


async def test_forty_women_sending_ten_messages_each_get_every_answer(
    app: BotApplication, api: OfflineBotApi, turns_clock: VirtualClock
) -> None:
    women = [api.user(7000 + n, f"W{n}", "en") for n in range(40)]
    for woman in women:
        await process(app, api.send_text(woman, "/start"))
        await process(app, api.press(woman, woman["id"], 1, LANGUAGE.encode("en")))
    limits = TelegramRate(turns_clock)
    api.fault = limits
    before = {w["id"]: len(api.bot_messages_in(w["id"])) for w in women}
    for _ in range(10):  # each sends ten messages, as fast as the updates come
        for woman in women:
            await process(app, api.send_text(woman, "/menu"))
    answered = [len(api.bot_messages_in(w["id"])) - before[w["id"]] for w in women]
    assert answered == [10] * 40
    assert limits.refused == 0, "the plan kept Telegram's rate: no 429 at all"


async def test_a_429_to_a_reply_pauses_and_the_same_reply_is_sent(
    app: BotApplication, api: OfflineBotApi, turns_clock: VirtualClock
) -> None:
    amina = api.user(1001, "Amina", "en")
    await process(app, api.send_text(amina, "/start"))
    await process(app, api.press(amina, 1001, 1, LANGUAGE.encode("en")))
    refusals = deque([(429, TOO_MANY), (429, TOO_MANY)])

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        return refusals.popleft() if method == "sendMessage" and refusals else None

    api.fault = fault
    shown = len(api.bot_messages_in(1001))
    await process(app, api.send_text(amina, "/menu"))
    assert len(api.bot_messages_in(1001)) == shown + 1, "her menu came, after the pause"
    assert len([w for w in turns_clock.slept if 4.9 < w <= 5.0]) == 2  # twice, as asked
    assert not [c for c in api.calls_to("sendMessage") if "went wrong" in str(c.params)]


async def test_a_reply_takes_the_next_turn_before_the_waiting_announcement_messages() -> None:
    clock = VirtualClock()
    turns = Turns(
        RatePlan(Limits(per_second=10, burst=1)), Clock(monotonic=clock.now, sleep=clock.sleep)
    )
    order: list[str] = []
    two_sent = asyncio.Event()

    async def announcements() -> None:
        for n in range(6):
            await turns.take(100 + n)
            order.append(f"bulk{n}")
            if n == 1:
                two_sent.set()

    async def reply() -> None:
        await two_sent.wait()
        await turns.reply_turn(5)
        order.append("reply")

    await asyncio.gather(announcements(), reply())
    assert order.index("reply") == 2, order  # the very next turn after she asked


async def test_a_bulk_turn_is_taken_once_and_used_by_the_next_request_only() -> None:
    turns = Turns()
    await turns.take(42)
    assert not turns.taken(41)
    assert turns.taken(42)
    assert not turns.taken(42), "a turn is good for one request"
