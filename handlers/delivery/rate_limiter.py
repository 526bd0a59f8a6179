"""Every Bot API call of the bot under the one rate plan (bot/rate_limit.py), through
python-telegram-bot's own hook for it: a `BaseRateLimiter` given to the bot.

`Turns` keeps the plan and hands out turns; `PlanLimiter` is the hook, which sees every request
the bot makes. A handler's reply needs nothing: its request waits for its turn here. A sender of
many messages (the announcement worker, reminders, notices) takes the turn itself with
`Turns.take`, *then* writes down that the message is claimed, then sends: the limiter lets that
one request through without a second wait (the turn travels with the task in a context
variable). So nothing is claimed while it still waits for its turn, and a kill while waiting
loses nothing.

Priorities: a woman's reply goes before the next bulk message: a bulk sender does not take a
turn while a reply waits for one. A reply waits for the overall limits (and a 429's pause) but
not for its own chat's one-a-second: updates are handled one at a time, so a reply held for a
second would hold up every woman, and Telegram allows a private chat short bursts. It is
recorded like any message, so the next bulk message to that chat keeps its distance.

Telegram's answers: a 429 pauses every sender for `retry_after`; a request that got one is sent
again on its next turn (up to RETRY_429 times), since 429 means it was not delivered. A bulk
sender's request is not retried here: the sender decides (the outbox puts the row back).

Only requests that post or change something in a chat count towards the limits; the others
(getUpdates, answering a button press, looking up a member) wait only for a 429's pause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.rate_limit import RatePlan
from handlers.common.clock import Clock
from handlers.delivery.sending import retry_seconds

log = logging.getLogger(__name__)

RETRY_429 = 3  # a reply that got a 429 goes again up to this many times
BULK_WAIT = 0.005  # seconds a bulk sender waits before looking again while a reply goes first
NOT_COUNTED = frozenset(
    {
        "getUpdates",
        "getMe",
        "getChat",
        "getChatMember",
        "getChatAdministrators",
        "getFile",
        "answerCallbackQuery",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "deleteWebhook",
        "setWebhook",
        "getWebhookInfo",
        "sendChatAction",
        "close",
        "logOut",
    }
)
NEVER_WAITS = frozenset({"getUpdates", "getMe", "deleteWebhook", "setWebhook", "close", "logOut"})

# The chat whose turn this task took already (Turns.take), so its next request goes at once.
_TAKEN: ContextVar[int | None] = ContextVar("bydelsbot_turn_taken", default=None)


class Turns:
    """The bot's one rate plan, and who waits for a turn under it."""

    def __init__(self, plan: RatePlan | None = None, clock: Clock | None = None) -> None:
        # The bot's one clock: its monotonic seconds and its sleep (tests skip the waits).
        self.plan = plan or RatePlan()
        self.clock = clock or Clock()
        self._replies_waiting = 0

    async def take(self, chat_id: int, *, group: bool = False) -> None:
        """Wait for a bulk message's turn in this chat and take it: the next request of this
        task to this chat goes without waiting again."""
        await self._wait(chat_id, group=group, urgent=False)
        _TAKEN.set(chat_id)

    def taken(self, chat_id: int) -> bool:
        """Was this chat's turn taken by this task (once: the turn is used up by asking)?"""
        if _TAKEN.get() != chat_id:
            return False
        _TAKEN.set(None)
        return True

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: nothing goes to any chat for `seconds`."""
        log.warning("Telegram asked to wait %.0f s (429): every send pauses", seconds)
        self.plan.pause_until(self.clock.monotonic() + seconds)

    async def reply_turn(self, chat_id: int) -> None:
        """Wait for a reply's turn (the overall limits only) and take it."""
        self._replies_waiting += 1
        try:
            await self._wait(chat_id, group=chat_id < 0, urgent=True)
        finally:
            self._replies_waiting -= 1

    async def wait_pause(self) -> None:
        """For requests that are not messages: only a 429's pause holds them."""
        while self.plan.paused(now := self.clock.monotonic()):
            await self.clock.sleep(max(self.plan.overall_delay(now), 0.01))

    async def _wait(self, chat_id: int, *, group: bool, urgent: bool) -> None:
        """The delay is asked again after every sleep and the turn recorded with no await in
        between, so that two senders woken together never both go on one turn."""
        while True:
            now = self.clock.monotonic()
            if urgent:
                wait = self.plan.overall_delay(now)
            else:
                wait = self.plan.delay(chat_id, now, group=group)
                if wait <= 0 and self._replies_waiting:
                    wait = BULK_WAIT  # a reply goes first
            if wait <= 0:
                self.plan.record(chat_id, now, group=group)
                return
            await self.clock.sleep(wait)


class PlanLimiter(BaseRateLimiter[None]):
    """python-telegram-bot's hook: every request of the bot waits for its turn under `Turns`."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = _chat_of(data)
        if endpoint in NEVER_WAITS:
            return await callback(*args, **kwargs)
        if endpoint in NOT_COUNTED or chat_id is None:
            await self.turns.wait_pause()
            return await callback(*args, **kwargs)
        if self.turns.taken(chat_id):
            try:  # a bulk sender's turn: it handles a 429 itself
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.turns.pause(retry_seconds(exc))
                raise
        for attempt in range(1, RETRY_429 + 2):
            await self.turns.reply_turn(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.turns.pause(retry_seconds(exc))
                if attempt > RETRY_429:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover


def _chat_of(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
