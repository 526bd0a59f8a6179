"""The meetings' messages to many: the post in a district's group chat (followed if the group
became a supergroup) and the members' notices of a change, in the background so that the
coordinator is answered at once. The reminders themselves are sent by handlers/jobs/meetings.py,
the planning is handlers/meetings/planning.py, the careful sender handlers/delivery/sender.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import (
    ChatMigrated,
)
from telegram.ext import Application

from bot.i18n import Translator, translator
from bot.outcome import Outcome
from handlers.common.clock import Clock
from handlers.common.context import SERVICES_KEY, Outbox, Services
from handlers.delivery.sender import Delivery, send_one, send_to_member
from handlers.meetings.meetings import meeting_text
from storage import Database
from storage.group_chats import migrate_chat
from storage.meetings.meetings import MeetingRecord
from storage.meetings.rsvps import member_locales

log = logging.getLogger(__name__)


async def post_to_group(
    bot: Bot,
    db: Database,
    chat_id: int,
    text: str,
    clock: Clock,
    pacer: Outbox | None = None,
    *,
    paced: bool = False,
) -> Delivery:
    """Post in a district's group chat, following it once if it became a supergroup."""
    try:
        return await send_one(bot, chat_id, text, clock=clock, pacer=pacer, group=True, paced=paced)
    except ChatMigrated as exc:
        await migrate_chat(db, chat_id, exc.new_chat_id)
        try:
            return await send_one(bot, exc.new_chat_id, text, clock=clock, pacer=pacer, group=True)
        except ChatMigrated:
            return Delivery(Outcome.FAILED)


async def tell_members(
    bot: Bot,
    db: Database,
    district_id: int,
    compose: Callable[[Translator], str],
    clock: Clock,
    *,
    skip: int | None = None,
    pacer: Outbox | None = None,
) -> int:
    """Send every member of the district a message in her own language; returns how many got
    it. `skip` is the one who made the change (she has seen it already)."""
    members = await member_locales(db, district_id)
    sent = 0
    for telegram_id, locale in members:
        if telegram_id == skip:
            continue
        delivery = await send_to_member(
            bot, db, telegram_id, compose(translator(locale)), None, clock, pacer
        )
        sent += delivery.outcome is Outcome.SENT
    return sent


NOTICE_TASK = "meetings:tell-members"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def tell_members_soon(
    application: AnyApplication,
    district_id: int,
    compose: Callable[[Translator], str],
    *,
    skip: int | None = None,
) -> None:
    """`tell_members` in the background: the coordinator's handler answers at once instead of
    making everyone wait while the notices go out one by one (with 429 pauses). A failure is
    logged, never lost. A district's notices go out in the order of its changes: a meeting
    cancelled and restored at once (the first notices still going out to a large district) must
    not leave anyone with "cancelled" as the last word. Another district's do not wait for
    them."""
    services: Services = application.bot_data[SERVICES_KEY]
    name = notice_task_name(district_id)
    earlier = [t for t in asyncio.all_tasks() if t.get_name() == name and not t.done()]

    async def run() -> None:
        if earlier:  # waited for, not cancelled with this one; each logs its own failure
            await asyncio.wait(earlier)
        try:
            await tell_members(
                application.bot,
                services.db,
                district_id,
                compose,
                services.clock,
                skip=skip,
                pacer=services.outbox,
            )
        except Exception:
            log.exception("telling the members of a meeting change failed")

    application.create_task(run(), name=name)


def notice_task_name(district_id: int) -> str:
    return f"{NOTICE_TASK}:{district_id}"


async def notices_sent() -> None:
    """Wait for the notices still going out in the background (for tests and the demo)."""
    current = asyncio.current_task()
    tasks = [
        t
        for t in asyncio.all_tasks()
        if t.get_name().startswith(NOTICE_TASK + ":") and t is not current
    ]
    await asyncio.gather(*tasks)


def group_post(t: Translator, meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """The short post in the group chat: when and where, and where to answer."""
    return (
        "⏰ "
        + t._("Our next meeting:")
        + "\n"
        + meeting_text(t, meeting, tz)
        + "\n\n"
        + t._("Each of you gets a reminder from the bot in a private chat: answer there.")
    )
