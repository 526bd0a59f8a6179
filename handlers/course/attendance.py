"""Who came to an evening: one message with a button per participant that edits itself as the
coordinator presses (paged, so 130 women fit); and a participant's answer to the reminder the
day before (coming or not: no reason is asked or kept)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.course import codecs
from handlers.course.evenings import managed_evening
from handlers.course.pager import nav_row, page_line, page_of
from handlers.course.texts import evening_title
from storage.course.cohorts import Cohort, places_of
from storage.course.evenings import Evening, answer_evening, present_at, set_present

PAGE = 20  # buttons per page, two a row: within Telegram's limits and a phone's screen


async def attendance_screen(
    context: BotContext, cohort: Cohort, evening: Evening, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    t, tz = context.t, context.services.config.tz
    women = [p for p in await places_of(context.db, cohort.id) if p.status == "admitted"]
    came = await present_at(context.db, evening.id)
    shown, page, pages = page_of(women, page, PAGE)
    buttons = [
        button(
            "✅" if w.telegram_id in came else "⬜",
            w.name,
            codecs.PRESENT.encode(evening.id, page, w.telegram_id),
        )
        for w in shown
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = nav_row(page, pages, lambda p: codecs.ATTENDANCE.encode(evening.id, p))
    if nav:
        rows.append(nav)
    rows.append([button("⬅️", t._("Back"), codecs.EVENING.encode(evening.id))])
    present = sum(1 for w in women if w.telegram_id in came)
    lines = [
        "✅ <b>" + evening_title(t, evening) + "</b>",
        t.format_datetime(evening.starts_at, tz),
        t._("Came: {n} of {total}. Press a name to mark her.").format(
            n=t.ltr(present), total=t.ltr(len(women))
        ),
    ]
    lines += page_line(t, page, pages)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def attendance_callback(update: Update, context: BotContext) -> None:
    """Show a page of the attendance list."""
    query = update.callback_query
    assert query is not None
    ids = codecs.ATTENDANCE.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None or ids is None:
        return
    await query.answer()
    await edit_in_place(query, *await attendance_screen(context, *found, ids[1]))


async def present_callback(update: Update, context: BotContext) -> None:
    """Mark her as come, or not (a second press undoes the first); the list edits itself."""
    query = update.callback_query
    assert query is not None
    ids = codecs.PRESENT.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None or ids is None:
        return
    cohort, evening = found
    admitted = {
        p.telegram_id for p in await places_of(context.db, cohort.id) if p.status == "admitted"
    }
    if ids[2] not in admitted:
        await answer_expired(query, context.t)
        return
    await query.answer()
    came = ids[2] in await present_at(context.db, evening.id)
    await set_present(context.db, evening.id, ids[2], not came)
    await edit_in_place(query, *await attendance_screen(context, cohort, evening, ids[1]))


async def reminder_answer_callback(update: Update, context: BotContext) -> None:
    """She is coming, or not: recorded, and shown in the reminder."""
    query = update.callback_query
    assert query is not None and query.message is not None
    coming = codecs.COMING.ids(query.data)
    ids = coming or codecs.NOT_COMING.ids(query.data)
    t = context.t
    answer = "yes" if coming else "no"
    if ids is None or not await answer_evening(
        context.db, ids[0], context.identity.telegram_id, answer
    ):
        await answer_expired(query, t)
        return
    text = (
        "✅ " + t._("Thank you: you are coming.")
        if coming
        else "👍 " + t._("Thank you for telling us. We hope to see you next time.")
    )
    await query.answer(text)
    original = getattr(query.message, "text_html", None) or ""
    await edit_in_place(query, original + "\n\n" + text)
