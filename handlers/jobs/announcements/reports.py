"""The coordinator's view of her announcement while the worker sends it: the progress message,
edited at most every PROGRESS_EVERY seconds (not at all once she deleted it), and the report,
marked sent, then sent, when the last row is finished: at most once, even across a crash. Each
request to her chat takes its turn under the one rate plan; a 429 pauses the plan for every
sender.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.broadcasts import PROGRESS_EVERY, Audience
from bot.i18n import SOURCE_LOCALE, Translator, translator
from handlers.announcements.announcement_text import audience_label, progress_text, report_text
from handlers.common.clock import Clock
from handlers.delivery.rate_limiter import Turns
from handlers.delivery.sending import retry_seconds
from storage import Database
from storage.announcements.outbox import unreported_finished
from storage.announcements.records import AnnouncementRecord, get_announcement
from storage.announcements.reports import announcement_progress, mark_reported, version_counts
from storage.people import load_person

log = logging.getLogger(__name__)

REPORT_TRIES = 3  # a progress message's last edit and the report go again after up to 2 429s


class Reports:
    def __init__(self, bot: Bot, db: Database, clock: Clock, turns: Turns) -> None:
        self.bot, self.db, self.clock, self.turns = bot, db, clock, turns
        self.plan = turns.plan
        self._progress_at: dict[int, float] = {}
        self._progress_gone: set[int] = set()  # announcements whose progress message was deleted

    async def progress(self, announcement_id: int) -> None:
        """After a row went: edit her progress message (at most every PROGRESS_EVERY seconds),
        and report whatever has finished."""
        moment = self.clock.now().timestamp()
        last = self._progress_at.get(announcement_id)
        if last is not None and moment - last < PROGRESS_EVERY:
            return
        self._progress_at[announcement_id] = moment
        announcement = await get_announcement(self.db, announcement_id)
        if announcement is not None:
            await self._edit_progress(announcement)
        await self.report_finished()

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

    async def report_finished(self) -> None:
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
            await self.turns.take(author)
            try:
                await request()
                return
            except RetryAfter as exc:
                self.turns.pause(retry_seconds(exc))
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
