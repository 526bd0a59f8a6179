"""Moving or cancelling a module evening: asked, confirmed, and every participant told in
her own language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.course.admission import NameProblem, clean_name
from bot.course.evenings import WhenProblem, parse_when
from bot.i18n import Translator, translator
from handlers.common.awaiting import ask
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.course import codecs, typed
from handlers.course.evenings import (
    evenings_screen,
    managed_evening,
    warnings_lines,
    when_problem_text,
    when_prompt,
)
from handlers.course.interest import name_problem_text
from handlers.course.texts import evening_lines, evening_title
from handlers.jobs.course import send
from storage.course.cohorts import Cohort, places_of
from storage.course.evenings import cancel_evening, get_evening, move_evening, rename_evening


async def move_callback(update: Update, context: BotContext) -> None:
    """Ask for the new date and time."""
    query = update.callback_query
    assert query is not None
    ids = codecs.MOVE_EVENING.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None:
        return
    await query.answer()
    await ask(context, typed.MOVE_WHEN, str(found[1].id))
    await edit_in_place(query, when_prompt(context.t))


async def move_when_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """The new date and time: checked, then shown to be confirmed."""
    message = update.effective_message
    assert message is not None
    when = parse_when(message.text or "", context.services.config.tz, context.clock.now())
    if isinstance(when, WhenProblem):
        await ask(context, typed.MOVE_WHEN, *values)
        await message.reply_text(when_problem_text(context.t, when))
        return
    if values:
        await confirm_move(update, context, int(values[0]), when)


async def confirm_move(
    update: Update, context: BotContext, evening_id: int, when: datetime
) -> None:
    message = update.effective_message
    assert message is not None
    t, tz = context.t, context.services.config.tz
    evening = await get_evening(context.db, evening_id)
    if evening is None:
        await message.reply_text("⌛ " + t._("This took too long. Nothing was saved."))
        return
    minutes = int(when.timestamp() // 60)
    lines = [
        "🕒 " + evening_title(t, evening),
        t._("From {old} to {new}?").format(
            old=t.format_datetime(evening.starts_at, tz), new=t.format_datetime(when, tz)
        ),
    ]
    lines += await warnings_lines(context, evening.cohort_id, when, skip=evening.id)
    keyboard = InlineKeyboardMarkup(
        [[button("✅", t._("Yes, move it"), codecs.MOVE_EVENING_SURE.encode(evening.id, minutes))]]
    )
    await message.reply_text("\n".join(lines), parse_mode="HTML", reply_markup=keyboard)


async def move_sure_callback(update: Update, context: BotContext) -> None:
    """Move it; every participant is told."""
    query = update.callback_query
    assert query is not None
    ids = codecs.MOVE_EVENING_SURE.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None or ids is None:
        return
    cohort, evening = found
    when = datetime.fromtimestamp(ids[1] * 60, UTC)
    if when <= context.clock.now() or evening.cancelled_at is not None:
        await answer_expired(query, context.t)
        return
    await query.answer("✅")
    async with context.db.transaction() as tx:
        await move_evening(tx, evening.id, when)
    tz = context.services.config.tz

    def compose(t: Translator) -> str:
        return "🕒 " + t._("{title} is moved from {old} to {new}.").format(
            title=evening_title(t, evening),
            old=t.format_datetime(evening.starts_at, tz),
            new=t.format_datetime(when, tz),
        )

    await tell_participants(context, cohort, compose)
    await edit_in_place(query, *await evenings_screen(context, cohort))


async def cancel_callback(update: Update, context: BotContext) -> None:
    """Ask before cancelling."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CANCEL_EVENING.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None:
        return
    await query.answer()
    t = context.t
    keyboard = InlineKeyboardMarkup(
        [
            [button("🚫", t._("Yes, cancel it"), codecs.CANCEL_EVENING_SURE.encode(found[1].id))],
            [button("↩️", t._("Back"), codecs.EVENING.encode(found[1].id))],
        ]
    )
    await edit_in_place(
        query, "❓ " + t._("Cancel this evening? Every participant is told."), keyboard
    )


async def cancel_sure_callback(update: Update, context: BotContext) -> None:
    """Cancel it; every participant is told."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CANCEL_EVENING_SURE.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None:
        return
    cohort, evening = found
    await query.answer()
    async with context.db.transaction() as tx:
        cancelled = await cancel_evening(tx, evening.id, context.clock.now())
    tz = context.services.config.tz
    if cancelled:

        def compose(t: Translator) -> str:
            return "🚫 " + t._("{title} on {date} is cancelled.").format(
                title=evening_title(t, evening), date=t.format_datetime(evening.starts_at, tz)
            )

        await tell_participants(context, cohort, compose)
    await edit_in_place(query, *await evenings_screen(context, cohort))


async def tell_participants(context: BotContext, cohort: Cohort, compose: Any) -> None:
    for place in await places_of(context.db, cohort.id):
        if place.status == "admitted" and not place.unreachable:
            await send(
                context.bot,
                context.services,
                place.telegram_id,
                compose(translator(place.locale or "nb")),
            )


async def rename_callback(update: Update, context: BotContext) -> None:
    """Ask for the district's own name for this evening."""
    query = update.callback_query
    assert query is not None
    ids = codecs.RENAME_EVENING.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None:
        return
    await query.answer()
    await ask(context, typed.EVENING_NAME, str(found[1].id))
    text = "✏️ " + context.t._("Type the district's name for this evening.")
    await edit_in_place(query, text)


async def name_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """The name: the evening keeps its module (attendance counts for it) under the new name."""
    message = update.effective_message
    assert message is not None
    t = context.t
    evening = await get_evening(context.db, int(values[0])) if values else None
    if evening is None:
        await message.reply_text("⌛ " + t._("This took too long. Nothing was saved."))
        return
    try:
        name = clean_name(message.text or "")
    except NameProblem as problem:
        await ask(context, typed.EVENING_NAME, *values)
        await message.reply_text(name_problem_text(t, problem))
        return
    async with context.db.transaction() as tx:
        await rename_evening(tx, evening.id, name)
    renamed = await get_evening(context.db, evening.id)
    assert renamed is not None
    lines = evening_lines(t, renamed, context.services.config.tz)
    await message.reply_text("\n".join(lines), parse_mode="HTML")
