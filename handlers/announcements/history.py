"""/broadcasts: the announcements sent, page by page, for the districts she announces in."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.broadcasts import (
    Audience,
    counts_from,
)
from bot.identity import Identity, Role
from handlers.announcements import codecs
from handlers.announcements.announcement_text import (
    audience_label,
    counts_line,
    report_text,
)
from handlers.announcements.audience import announcing
from handlers.common.access import refuse
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.render import button, edit_in_place, escape
from storage.announcements.records import list_announcements
from storage.announcements.reports import status_counts, version_counts
from storage.districts import DistrictRecord

HISTORY_PAGE_SIZE = 4
SNIPPET = 80  # characters of an announcement shown in the history


async def broadcasts_command(update: Update, context: BotContext) -> None:
    """List past announcements with their reports, newest first."""
    assert update.effective_chat is not None
    if not await announcing(context):
        await refuse(update, context)
        return
    text, keyboard = await history_page(context, 0)
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def history_callback(update: Update, context: BotContext) -> None:
    """Show another page of the history, in place."""
    query = update.callback_query
    assert query is not None
    (page,) = fields_of(context.matches)
    if not await announcing(context):
        await refuse(update, context)
        return
    text, keyboard = await history_page(context, int(page))
    await query.answer()
    await edit_in_place(query, text, keyboard)


def history_scope(identity: Identity, districts: list[DistrictRecord]) -> list[int] | None:
    """Admins see every announcement; a coordinator those to her districts and her own."""
    return None if identity.role is Role.ADMIN else [d.id for d in districts]


async def history_page(context: BotContext, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    t, tz = context.t, context.services.config.tz
    scope = history_scope(context.identity, await announcing(context))
    author = context.identity.telegram_id
    total, _ = await list_announcements(context.db, scope, author, 0, 0)
    pages = max(1, -(-total // HISTORY_PAGE_SIZE))
    page = min(page, pages - 1)
    _, found = await list_announcements(
        context.db, scope, author, HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE
    )
    if not found:
        return "📭 " + t._("No announcements yet. Send one with {command}.").format(
            command=t.command("broadcast")
        ), None
    lines = [
        "📜 <b>"
        + t._("Announcements")
        + "</b> "
        + t._("(page {page} of {pages})").format(page=t.ltr(page + 1), pages=t.ltr(pages))
    ]
    statuses = await status_counts(context.db, [a.id for a in found])
    for a in found:
        audience = Audience.parse(a.audience)
        label = audience_label(t, audience, a.district_name) if audience else "?"
        snippet = a.body if len(a.body) <= SNIPPET else a.body[: SNIPPET - 1] + "…"
        counts = counts_from(statuses.get(a.id, []))
        lines += ["", "🗓 " + t.format_datetime(a.send_at, tz)]
        if a.cancelled_at is not None:
            lines.append("📢 " + label + "\n❌ " + t._("Cancelled: nobody got it."))
        elif a.waiting(context.clock.now()):
            lines.append("📢 " + label + "\n🕒 " + t._("Waiting to be sent."))
        elif counts.done:
            lines.append(report_text(t, label, await version_counts(context.db, a.id)))
        else:
            lines.append("📢 " + label + "\n" + counts_line(t, counts))
        if snippet:
            lines.append("<i>" + escape(snippet) + "</i>")
    navigation = []
    if page > 0:
        navigation.append(button("⬅️", t._("Previous"), codecs.HISTORY_PAGE.encode(page - 1)))
    if page + 1 < pages:
        navigation.append(button("➡️", t._("Next"), codecs.HISTORY_PAGE.encode(page + 1)))
    return "\n".join(lines), InlineKeyboardMarkup([navigation]) if navigation else None
