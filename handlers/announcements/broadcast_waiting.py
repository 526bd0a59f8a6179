"""Scheduled announcements that are still waiting: /broadcasts lists them first, each with
▶️ send now, 🕒 change the time (typed, as when it was scheduled) and ❌ cancel (nobody gets it;
the history says "cancelled"). Only one none of whose deliveries has started can be changed, and
who may change it is checked on every press: its author, a coordinator of its district, an admin.
"""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.broadcasts import Audience, read_send_time
from bot.i18n import N_
from bot.identity import Role
from handlers.announcements import codecs
from handlers.announcements.announcement_text import audience_label, scheduled_text, time_refusal
from handlers.announcements.audience import announcing
from handlers.announcements.history import broadcasts_command, history_scope
from handlers.common.access import refuse
from handlers.common.awaiting import Question, ask
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from storage.announcements.records import AnnouncementRecord, get_announcement
from storage.announcements.reports import announcement_progress
from storage.announcements.scheduled import (
    cancel_announcement,
    reschedule_announcement,
    waiting_announcements,
)

SNIPPET = 24
# The typed question: the announcement's new time (its id is the value).
NEW_TIME = Question("broadcast.new_time", N_("I no longer wait for the announcement's new time."))


async def waiting_first_command(update: Update, context: BotContext) -> None:
    """/broadcasts: what is waiting to be sent (with its buttons), then the history."""
    assert update.effective_chat is not None
    districts = await announcing(context)
    if districts:
        scope = history_scope(context.identity, districts)
        now = context.clock.now()
        waiting = await waiting_announcements(context.db, scope, context.identity.telegram_id, now)
        if waiting:
            t, tz = context.t, context.services.config.tz
            rows = []
            for a in waiting[:10]:
                snippet = a.body if len(a.body) <= SNIPPET else a.body[: SNIPPET - 1] + "…"
                label = f"{t.format_short(a.send_at, tz)}: {snippet}".strip(": ")
                rows.append([button("🕒", label, codecs.WAITING.encode(a.id))])
            text = "🕒 <b>" + t._("Waiting to be sent") + "</b>"
            await context.bot.send_message(
                update.effective_chat.id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup(rows),
            )
    await broadcasts_command(update, context)


async def may_change(context: BotContext, announcement: AnnouncementRecord) -> bool:
    if context.identity.role is Role.ADMIN:
        return True
    if announcement.created_by == context.identity.telegram_id:
        return True
    return announcement.district_id in {d.id for d in await announcing(context)}


async def waiting_callback(update: Update, context: BotContext) -> None:
    """A waiting announcement's card, or what she pressed on it."""
    query = update.callback_query
    assert query is not None
    t, now = context.t, context.clock.now()
    fields = fields_of(context.matches)  # the announcement, then what she pressed on its card
    announcement = await get_announcement(context.db, int(fields[0]))
    if announcement is None or not announcement.waiting(now):
        await answer_expired(query, t)  # sent, cancelled or gone meanwhile
        return
    if not await may_change(context, announcement):
        await refuse(update, context)
        return
    action = fields[1] if len(fields) > 1 else None
    if action == "now":
        if not await reschedule_announcement(context.db, announcement.id, now):
            await answer_expired(query, t)
            return
        await query.answer("▶️ " + t._("Sending now."))
        wake(context)
        await edit_in_place(
            query, "▶️ " + t._("Sending now. The progress is shown where you scheduled it.")
        )
        return
    if action == "time":
        await query.answer()
        await ask(context, NEW_TIME, str(announcement.id))
        text = "🕒 " + t._(
            "When should it be sent? Send a date and time (Oslo time), for example {example}, "
            "or only a time, for example {time}."
        ).format(example=t.ltr("24.12 18:00"), time=t.ltr("18:00"))
        await edit_in_place(query, text)
        return
    if action == "x":
        await query.answer()
        keyboard = InlineKeyboardMarkup(
            [
                [
                    button(
                        "🗑",
                        t._("Yes, cancel it"),
                        codecs.WAITING_ACTION.encode(announcement.id, "xok"),
                    ),
                    button("↩️", t._("Keep it"), codecs.WAITING.encode(announcement.id)),
                ]
            ]
        )
        text = "⚠️ " + t._("Cancel this announcement? Nobody will get it.")
        await edit_in_place(query, text + "\n\n" + await card_text(context, announcement), keyboard)
        return
    if action == "xok":
        if not await cancel_announcement(context.db, announcement.id, now):
            await answer_expired(query, t)
            return
        await query.answer()
        cancelled = "❌ " + t._("Cancelled: nobody got it.")
        await edit_in_place(query, cancelled + "\n\n" + await card_text(context, announcement))
        await edit_progress(context, announcement, cancelled)
        return
    await query.answer()
    await edit_in_place(
        query, await card_text(context, announcement), card_keyboard(context, announcement)
    )


async def card_text(context: BotContext, announcement: AnnouncementRecord) -> str:
    t, tz = context.t, context.services.config.tz
    audience = Audience.parse(announcement.audience)
    label = audience_label(t, audience, announcement.district_name) if audience else "?"
    _done, total = await announcement_progress(context.db, announcement.id)
    lines = [
        "📢 " + label,
        "🕒 " + t._("To be sent: {when}").format(when=t.format_datetime(announcement.send_at, tz)),
        t.ngettext("{n} recipient", "{n} recipients", total).format(n=t.ltr(total)),
    ]
    if announcement.body:
        lines.append("<i>" + escape(announcement.body[:200]) + "</i>")
    return "\n".join(lines)


def card_keyboard(context: BotContext, announcement: AnnouncementRecord) -> InlineKeyboardMarkup:
    t, a = context.t, announcement.id
    rows: list[list[InlineKeyboardButton]] = [
        [button("▶️", t._("Send now"), codecs.WAITING_ACTION.encode(a, "now"))],
        [button("🕒", t._("Change the time"), codecs.WAITING_ACTION.encode(a, "time"))],
        [button("❌", t._("Cancel it"), codecs.WAITING_ACTION.encode(a, "x"))],
    ]
    return InlineKeyboardMarkup(rows)


def wake(context: BotContext) -> None:
    if context.services.outbox is not None:
        context.services.outbox.wake()


async def edit_progress(context: BotContext, announcement: AnnouncementRecord, text: str) -> None:
    """Say it in the message that confirmed the schedule too (she may have deleted it)."""
    if announcement.created_by is None or announcement.progress_message_id is None:
        return
    with contextlib.suppress(TelegramError):
        await context.bot.edit_message_text(
            text,
            chat_id=announcement.created_by,
            message_id=announcement.progress_message_id,
            parse_mode=ParseMode.HTML,
        )


async def new_time_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Move the waiting announcement to the time she typed (or say why not, and ask again)."""
    assert update.message is not None and update.effective_chat is not None
    t, now, tz = context.t, context.clock.now(), context.services.config.tz
    chat_id = update.effective_chat.id
    announcement = await get_announcement(context.db, int(values[0]))
    if announcement is None or not announcement.waiting(now):
        await context.bot.send_message(chat_id, "🤷 " + t._("Nothing was changed."))
        return
    if not await may_change(context, announcement):
        await refuse(update, context)
        return
    typed = read_send_time(update.message.text or "", now, tz)
    if typed.moment is None:
        await ask(context, NEW_TIME, *values)  # still waiting: she may correct it
        await context.bot.send_message(chat_id, time_refusal(t, typed))
        return
    if not await reschedule_announcement(context.db, announcement.id, typed.moment):
        await context.bot.send_message(chat_id, "🤷 " + t._("Nothing was changed."))
        return
    wake(context)
    _done, total = await announcement_progress(context.db, announcement.id)
    text = scheduled_text(t, t.format_datetime(typed.moment, tz), total)
    await edit_progress(context, announcement, text)
    await context.bot.send_message(chat_id, "✅ " + text)
