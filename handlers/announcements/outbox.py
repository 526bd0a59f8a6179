"""The outbox worker: the one task that delivers announcements, within Telegram's limits.

It drains the outbox under the bot's one rate plan (bot/rate_limit.py, kept by
handlers/delivery/rate_limiter.Turns, which every request of the bot goes through). When a row's
turn is near, it marks it `sending` (committed), takes the turn and sends it, in a task of its own:
up to IN_FLIGHT requests are on their way at once, so that a slow network (50-150 ms a round
trip) does not slow the rate. Each row ends `sent`, `failed` or `unreachable`; a row still `sending`
at start-up was in flight when the process died and becomes `uncertain`: reported, never
silently resent. So every recipient gets exactly one copy, except the few messages in flight at a
crash (at most IN_FLIGHT), which are reported as perhaps not delivered.

Telegram's answers: 429 pauses everything for `retry_after` (the row is tried again, not counted
as an attempt); a server error or a connection that never reached Telegram is retried with
exponential backoff up to bot.broadcasts.MAX_ATTEMPTS tries; a timeout waiting for the answer may
have delivered the message (Telegram gives no way to ask), so that row is `uncertain`, reported
like one in flight at a crash, never resent (handlers/delivery/sending.py); 403 or "chat not
found" marks her unreachable (left out of later audiences until she writes again); a group
chat that became a supergroup is followed to its new id and tried once more; any other refusal
fails the row.

The coordinator's progress message is edited at most every PROGRESS_EVERY seconds (not at all
once she deleted it) and the report is marked sent, then sent, when the last row is finished: at
most once, even across a crash. Every 429, to any of these requests, pauses the one plan.
The worker runs on the bot's one clock (handlers/common/clock.py), so the tests run a broadcast
through any mix of faults without waiting real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.broadcasts import KEPT_AFTER_REPORT, PROGRESS_EVERY, Audience, backoff
from bot.i18n import SOURCE_LOCALE, Translator, translator
from bot.outcome import Outcome
from bot.rate_limit import RatePlan
from handlers.announcements.announcement_text import audience_label, progress_text, report_text
from handlers.common.clock import Clock
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.common.render import escape
from handlers.delivery import rate_limiter
from handlers.delivery.sending import retry_seconds, surely_not_sent, unreachable
from storage import Database
from storage.announcements.outbox import (
    OutboxJob,
    anything_left,
    busy,
    claim,
    due_jobs,
    finish,
    move_group_chat,
    next_due_at,
    recover_in_flight,
    retry_later,
    unreported_finished,
)
from storage.announcements.records import AnnouncementRecord, get_announcement
from storage.announcements.reports import (
    announcement_progress,
    mark_reported,
    purge_reported,
    version_counts,
)
from storage.group_chats import migrate_chat
from storage.people import load_person, mark_unreachable

log = logging.getLogger(__name__)

IDLE = 60.0  # seconds: with nothing due, look again this often even if nobody wakes us
BATCH = 50  # due rows read at a time; the first one the rate plan lets go is sent
STOP_GRACE = 10.0  # seconds a clean stop waits for the message in flight
REPORT_TRIES = 3  # a progress message's last edit and the report go again after up to 2 429s
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
        self._progress_at: dict[int, float] = {}
        self._progress_gone: set[int] = set()
        self._recovered = False  # announcements whose progress message was deleted

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
            await self._report_finished()
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
        await self._maybe_progress(job.announcement_id)
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
            await self._send_and_finish(job)
        except Exception:
            log.exception("the outbox worker failed to finish a delivery")
            self._failed_delivery = True  # the next step makes its row uncertain

    async def _send_and_finish(self, job: OutboxJob) -> None:
        try:
            await self._send(job)
        except RetryAfter as exc:
            self.pause(retry_seconds(exc))
            await retry_later(self.db, job.id, None, count_attempt=False)
        except ChatMigrated as exc:
            await self._follow_migration(job, exc.new_chat_id)
        except (Forbidden, BadRequest) as exc:
            if unreachable(exc):
                await self._unreachable(job)
            else:
                log.warning("Telegram refused an announcement delivery: %s", exc.message)
                await finish(self.db, job.id, Outcome.FAILED, self.clock.now())
        except NetworkError as exc:  # 5xx, refused connections, timeouts
            if surely_not_sent(exc):
                await self._retry(job, type(exc).__name__)
            else:  # the answer timed out: she may have it; twice is worse than once
                log.warning("an announcement may or may not have arrived: %s", type(exc).__name__)
                await finish(self.db, job.id, Outcome.UNCERTAIN, self.clock.now())
        except TelegramError as exc:
            log.warning("an announcement delivery failed: %s", type(exc).__name__)
            await finish(self.db, job.id, Outcome.FAILED, self.clock.now())
        except Exception:
            # A bug must not leave the row `sending`: that would be reported as uncertain.
            await finish(self.db, job.id, Outcome.FAILED, self.clock.now())
            raise
        else:
            await finish(self.db, job.id, Outcome.SENT, self.clock.now())

    async def _send(self, job: OutboxJob) -> None:
        text = escape(job.body)
        if job.media_kind == "photo":
            assert job.media_file_id is not None
            await self.bot.send_photo(
                job.chat_id, job.media_file_id, caption=text or None, parse_mode=ParseMode.HTML
            )
        elif job.media_kind == "document":
            assert job.media_file_id is not None
            await self.bot.send_document(
                job.chat_id, job.media_file_id, caption=text or None, parse_mode=ParseMode.HTML
            )
        else:
            await self.bot.send_message(job.chat_id, text, parse_mode=ParseMode.HTML)

    async def _retry(self, job: OutboxJob, reason: str) -> None:
        delay = backoff(job.attempts + 1)
        now = self.clock.now()
        if delay is None:
            log.warning(
                "an announcement delivery failed %d times (%s): given up", job.attempts + 1, reason
            )
            await finish(self.db, job.id, Outcome.FAILED, now)
        else:
            await retry_later(self.db, job.id, now + timedelta(seconds=delay))

    async def _unreachable(self, job: OutboxJob) -> None:
        now = self.clock.now()
        await finish(self.db, job.id, Outcome.UNREACHABLE, now)
        if job.telegram_id is not None:
            log.info("a member has blocked the bot; marked unreachable")
            await mark_unreachable(self.db, job.telegram_id, now)
        else:
            log.info("the bot can no longer write in a linked group chat")

    async def _follow_migration(self, job: OutboxJob, new_chat_id: int) -> None:
        """The group became a supergroup: store its new id and try once more there."""
        assert job.group_chat_id is not None
        await migrate_chat(self.db, job.group_chat_id, new_chat_id)
        await move_group_chat(self.db, job.group_chat_id, new_chat_id)
        if job.attempts == 0:
            await retry_later(self.db, job.id, None)
        else:
            await finish(self.db, job.id, Outcome.FAILED, self.clock.now())

    # -- progress and the report ---------------------------------------------------------------

    async def _maybe_progress(self, announcement_id: int) -> None:
        moment = self.clock.now().timestamp()
        last = self._progress_at.get(announcement_id)
        if last is not None and moment - last < PROGRESS_EVERY:
            return
        self._progress_at[announcement_id] = moment
        announcement = await get_announcement(self.db, announcement_id)
        if announcement is not None:
            await self._edit_progress(announcement)
        await self._report_finished()

    async def _edit_progress(self, announcement: AnnouncementRecord, *, last: bool = False) -> None:
        author, message_id = announcement.created_by, announcement.progress_message_id
        if author is None or message_id is None or announcement.id in self._progress_gone:
            return
        if not last and self.plan.chat_delay(author, self.turns.clock.monotonic()) > 0:
            return  # she just got the announcement herself: the next edit will do
        done, total = await announcement_progress(self.db, announcement.id)
        t = await self._translator_of(author)
        text = progress_text(t, await self._label(announcement), done, total)
        try:
            await self._to_author(
                author,
                lambda: self.bot.edit_message_text(
                    text, chat_id=author, message_id=message_id, parse_mode=ParseMode.HTML
                ),
                tries=REPORT_TRIES if last else 1,
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return  # nothing new to show: fine
            log.info("could not update a progress message: %s", exc.message)
            if "not found" in exc.message.lower():
                self._progress_gone.add(announcement.id)  # she deleted it: stop editing
        except TelegramError as exc:  # she blocked the bot, a timeout, 429s
            log.info("could not update a progress message: %s", type(exc).__name__)

    async def _report_finished(self) -> None:
        for announcement_id in await unreported_finished(self.db):
            announcement = await get_announcement(self.db, announcement_id)
            if announcement is None:
                continue
            # Marked first, sent after: a crash in between loses the report (she still sees it
            # in /broadcasts) rather than sending it twice.
            await mark_reported(self.db, announcement_id, self.clock.now())
            self._progress_at.pop(announcement_id, None)
            await self._edit_progress(announcement, last=True)
            self._progress_gone.discard(announcement_id)
            if announcement.created_by is not None:
                await self._send_report(announcement, announcement.created_by)

    async def _send_report(self, announcement: AnnouncementRecord, author: int) -> None:
        t = await self._translator_of(author)
        rows = await version_counts(self.db, announcement.id)
        text = report_text(t, await self._label(announcement), rows)
        try:
            await self._to_author(
                author,
                lambda: self.bot.send_message(author, text, parse_mode=ParseMode.HTML),
                tries=REPORT_TRIES,
            )
        except TelegramError as exc:
            log.info("could not send an announcement report: %s", type(exc).__name__)

    async def _to_author(
        self, author: int, request: Callable[[], Awaitable[object]], *, tries: int
    ) -> None:
        """One request to the coordinator's chat, on its turn under the plan. A 429 pauses the
        whole plan and, up to `tries`, the request waits and goes again."""
        for attempt in range(1, tries + 1):
            await self.acquire(author)
            try:
                await request()
                return
            except RetryAfter as exc:
                self.pause(retry_seconds(exc))
                if attempt == tries:
                    raise

    async def _translator_of(self, telegram_id: int) -> Translator:
        person = await load_person(self.db, telegram_id)
        return translator(person.locale if person and person.locale else SOURCE_LOCALE)

    async def _label(self, announcement: AnnouncementRecord) -> str:
        author = announcement.created_by
        t = await self._translator_of(author) if author is not None else translator(SOURCE_LOCALE)
        audience = Audience.parse(announcement.audience)
        if audience is None:
            return "?"
        return audience_label(t, audience, announcement.district_name)


async def purge_announcements(db: Database, now: datetime) -> int:
    """KEPT_AFTER_REPORT after its report, an announcement keeps only its counts: who got it
    (the outbox rows with her Telegram id), its text and its versions are deleted. Run at
    start-up and every night."""
    purged = await purge_reported(db, now - KEPT_AFTER_REPORT, now)
    if purged:
        log.info("%d announcement(s) reported long ago: only their counts are kept", purged)
    return purged


async def announcements_purge_job(context: BotContext) -> None:
    """The nightly JobQueue run of purge_announcements."""
    services = context.application.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services):
        await purge_announcements(services.db, services.clock.now())
