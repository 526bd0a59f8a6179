"""The outbox worker: the one task that delivers announcements, within Telegram's limits.

It drains the outbox under the bot's one rate plan (bot/rate_limit.py, kept by
handlers/delivery/rate_limiter.Turns, which every request of the bot goes through). When a row's
turn is near, it marks it `sending` (committed), takes the turn and sends it, in a task of its own:
up to IN_FLIGHT requests are on their way at once, so that a slow network (50-150 ms a round
trip) does not slow the rate. Each row ends `sent`, `failed` or `unreachable`; a row still `sending`
at start-up was in flight when the process died and becomes `uncertain`: reported, never
silently resent. So every recipient gets exactly one copy, except the few messages in flight at a
crash (at most IN_FLIGHT), which are reported as perhaps not delivered.

How one row's send ends: rows.py; the coordinator's progress message and report: reports.py.
The worker runs on the bot's one clock (handlers/common/clock.py), so the tests run a broadcast
through any mix of faults without waiting real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot

from bot.rate_limit import RatePlan
from handlers.common.clock import Clock
from handlers.delivery import rate_limiter
from handlers.jobs.announcements.reports import Reports
from handlers.jobs.announcements.rows import send_row
from storage import Database
from storage.announcements.outbox import (
    OutboxJob,
    anything_left,
    busy,
    claim,
    due_jobs,
    next_due_at,
    recover_in_flight,
)

log = logging.getLogger(__name__)

IDLE = 60.0  # seconds: with nothing due, look again this often even if nobody wakes us
BATCH = 50  # due rows read at a time; the first one the rate plan lets go is sent
STOP_GRACE = 10.0  # seconds a clean stop waits for the message in flight
SHORT_WAIT = 0.25  # seconds: a wait this short is slept inside the step, before sending
IN_FLIGHT = 8  # requests on their way at once: 29 a second over a 150 ms round trip needs 5


class OutboxWorker:
    """Start with `start()` (it resumes what a previous process left), stop with `stop()`,
    and `wake()` it when new work is written."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        plan: RatePlan | None = None,
        clock: Clock | None = None,
        turns: rate_limiter.Turns | None = None,
    ) -> None:
        self.bot, self.db = bot, db
        self.clock = clock or Clock()
        # The bot's turns (shared with its BaseRateLimiter), or, in tests, turns of its own on
        # the worker's clock.
        self.turns = turns or rate_limiter.Turns(plan, self.clock)
        self.plan = self.turns.plan
        self._in_flight: set[asyncio.Task[None]] = set()
        self._failed_delivery = False
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self.reports = Reports(bot, db, self.clock, self.turns)
        self._recovered = False

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-worker")

    async def stop(self) -> None:
        """Finish the message in flight (up to STOP_GRACE seconds), then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def pace(self, chat_id: int, *, group: bool = False) -> None:
        """For other senders (the preview, reminders): wait until the plan lets a message go to
        this chat, and count it, so that the whole bot keeps one set of limits."""
        await self.acquire(chat_id, group=group)

    async def acquire(self, chat_id: int, *, group: bool = False) -> None:
        """Wait for this chat's turn and take it (a woman's reply goes first); this task's next
        request to the chat then goes without waiting again."""
        await self.turns.take(chat_id, group=group)

    def pause(self, seconds: float) -> None:
        """Telegram answered 429 to some sender: nothing goes to any chat for `seconds`."""
        self.turns.pause(seconds)

    async def run(self) -> None:
        self._recovered = False
        while not self._stopping:
            if not self._recovered:
                try:
                    await self.recover()
                    self._recovered = True
                except Exception:
                    log.exception("the outbox worker could not look at the outbox; trying again")
                    await self._idle(5.0)
                    continue
            try:
                wait = await self.step()
            except Exception:
                log.exception("the outbox worker failed a step; trying again shortly")
                wait = 5.0
                await self._after_failed_step()
            if wait > 0 and not self._stopping:
                await self._idle(min(wait, IDLE))  # a new announcement wakes it sooner
        await self._settle()  # the messages on their way finish (stop() gives them the grace)

    async def _settle(self) -> None:
        """Wait for every request on its way to be answered and its row written."""
        while self._in_flight:
            await asyncio.wait(set(self._in_flight))

    async def _after_failed_step(self) -> None:
        """A step failed, perhaps writing a row's outcome: a row left `sending` would stay so for
        the life of the process (no report, busy for ever). Only this worker sends announcements:
        once the requests on their way are answered, any `sending` row left is the one that
        failed: make it uncertain."""
        try:
            await self._settle()
            await self.recover()
        except Exception:
            log.exception("the outbox worker could not look at the outbox either")
            self._recovered = False

    async def recover(self) -> int:
        """Rows found `sending` were in flight when the last process died: uncertain."""
        lost = await recover_in_flight(self.db, self.clock.now())
        if lost:
            log.warning("%d delivery was in flight at the last stop: marked uncertain", lost)
        return lost

    async def drain(self) -> None:
        """Work until nothing is pending, scheduled ones included, and every report is sent
        (the tests, with a fake clock that moves only when the worker sleeps)."""
        while True:
            try:
                wait = await self.step()
            except Exception:
                log.exception("the outbox worker failed a step; trying again")
                await self._after_failed_step()
                wait = 0.0
            if wait > 0 and not await anything_left(self.db):
                return
            if wait > 0:
                await self.clock.sleep(wait)

    async def settled(self) -> bool:
        """Nothing due is left to send or report (the demo waits for this at end of input)."""
        return not await busy(self.db, self.clock.now())

    async def _idle(self, seconds: float) -> None:
        """Wait for a wake-up, or at most `seconds` of the event loop's own time: idling waits
        for work, not for a moment (each step reads the moments from the clock), and a test's
        clock, whose sleeps return at once, would make it spin."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    # -- one step ------------------------------------------------------------------------------

    async def step(self) -> float:
        """Send one message if one may go now; return how long to wait before the next step."""
        if self._failed_delivery:
            self._failed_delivery = False
            await self._after_failed_step()
        now = self.clock.now()
        jobs = await due_jobs(self.db, now, BATCH)
        if self._in_flight and (not jobs or len(self._in_flight) >= IN_FLIGHT):
            # Nothing more may start now: wait for an answer (a finished row may end the run).
            await asyncio.wait(set(self._in_flight), return_when=asyncio.FIRST_COMPLETED)
            return 0.0
        if not jobs:
            await self.reports.report_finished()
            due = await next_due_at(self.db)
            return IDLE if due is None else max(0.01, (due - now).total_seconds())
        moment = self.turns.clock.monotonic()
        delays = [
            self.plan.delay(j.chat_id, moment, group=j.group_chat_id is not None) for j in jobs
        ]
        wait = min(delays)
        job = jobs[delays.index(wait)]  # the oldest of those that may go soonest
        if wait > SHORT_WAIT:
            return wait  # every due chat is resting (a pause, a busy group): look again then
        if wait > 0:
            # The usual case at full speed: the next message may go in a few milliseconds.
            # Waiting here, not in a new step, spares a query per message.
            await self.clock.sleep(wait)
        await self._deliver(job)
        await self.reports.progress(job.announcement_id)
        return 0.0

    async def _deliver(self, job: OutboxJob) -> None:
        """Claim the row, take its turn, and send it in a task of its own.

        The step has already waited until the row's turn is at most SHORT_WAIT away, so the
        claimed row waits only that long. The turn is taken after the claim (a database write)
        so that the request leaves right when the plan says: a write taking longer than usual
        between the two would bunch requests up and provoke a 429."""
        if not await claim(self.db, job.id):
            return  # forgotten or finished meanwhile
        await self.acquire(job.chat_id, group=job.group_chat_id is not None)
        # The task inherits this task's taken turn (a context variable) and sends at once.
        task = asyncio.create_task(self._send_claimed(job), name="outbox-delivery")
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _send_claimed(self, job: OutboxJob) -> None:
        try:
            await send_row(self.bot, self.db, self.clock, self.turns, job)
        except Exception:
            log.exception("the outbox worker failed to finish a delivery")
            self._failed_delivery = True  # the next step makes its row uncertain
