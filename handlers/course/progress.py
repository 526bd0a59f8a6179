"""Progress: a participant's "✅ 12 of 17" with what she missed and the next chance to catch up;
a coordinator's view of who is on track for the diploma; the cohort as a spreadsheet file."""

from __future__ import annotations

import io
from datetime import datetime

from telegram import InputFile, Update

from bot.access import Action, allowed
from bot.course.export import cohort_csv
from bot.course.modules import MODULE_COUNT, module_name
from bot.course.progress import Progress, progress
from handlers.common.access import refuse
from handlers.common.codec import Codec
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, escape
from handlers.course import codecs
from handlers.course.texts import cohort_label
from storage.course.cohorts import Cohort, cohorts_in, get_cohort, places_of
from storage.course.evenings import attendance_of, evenings_of, modules_attended


async def progress_of(context: BotContext, cohort: Cohort, who: int) -> Progress:
    now = context.clock.now()
    held = [
        e.module
        for e in await evenings_of(context.db, cohort.id)
        if e.module is not None and e.cancelled_at is None and e.starts_at <= now
    ]
    return progress(await modules_attended(context.db, who), held, cohort.threshold)


async def participant_lines(context: BotContext, cohort: Cohort) -> list[str]:
    """Her course: "✅ 12 of 17", what she missed and when she can catch up, the next evening."""
    t, tz, now = context.t, context.services.config.tz, context.clock.now()
    mine = await progress_of(context, cohort, context.identity.telegram_id)
    lines = [
        "📚 <b>" + cohort_label(t, cohort) + "</b>",
        "✅ "
        + t._("{done} of {total} modules").format(done=t.ltr(mine.done), total=t.ltr(MODULE_COUNT)),
    ]
    upcoming: dict[int, datetime] = {}
    for other in await cohorts_in(context.db, [cohort.district_id]):
        for evening in await evenings_of(context.db, other.id):
            if evening.cancelled_at is None and evening.starts_at > now and evening.module:
                upcoming.setdefault(evening.module, evening.starts_at)
    for module in mine.missed:
        line = "❌ " + module_name(module, t)
        if module in upcoming:
            line += " — " + t._("next chance: {date}").format(
                date=t.format_datetime(upcoming[module], tz)
            )
        lines.append(line)
    ours = [
        e
        for e in await evenings_of(context.db, cohort.id)
        if e.cancelled_at is None and e.starts_at > now
    ]
    if ours:
        title = module_name(ours[0].module, t) if ours[0].module else escape(ours[0].title or "")
        lines.append(
            "🗓 "
            + t._("Next evening: {date}").format(date=t.format_datetime(ours[0].starts_at, tz))
            + f" — {title}"
        )
    return lines


async def pressed_cohort(update: Update, context: BotContext, codec: Codec) -> Cohort | None:
    """The cohort a coordinator's press names, answered; None (and she is told) when it is gone
    or not hers to manage. The progress view and the spreadsheet check a press the same way."""
    query = update.callback_query
    assert query is not None
    ids = codec.ids(query.data)
    cohort = await get_cohort(context.db, ids[0]) if ids else None
    if cohort is None:
        await answer_expired(query, context.t)
        return None
    if not allowed(context.identity, Action.MANAGE_COURSE, cohort.district_id):
        await refuse(update, context)
        return None
    await query.answer()
    return cohort


async def cohort_progress_callback(update: Update, context: BotContext) -> None:
    """Who is on track for the diploma."""
    assert update.effective_chat is not None
    cohort = await pressed_cohort(update, context, codecs.PROGRESS)
    if cohort is None:
        return
    t = context.t
    lines = [
        "📊 <b>" + cohort_label(t, cohort) + "</b>",
        t._("Diploma: at least {n} of {total} modules, module 1 and 17 included.").format(
            n=t.ltr(cohort.threshold), total=t.ltr(MODULE_COUNT)
        ),
        "",
    ]
    for place in await places_of(context.db, cohort.id):
        if place.status != "admitted":
            continue
        mine = await progress_of(context, cohort, place.telegram_id)
        mark = "🎓" if mine.eligible else "✅" if mine.on_track else "⚠️"
        lines.append(f"{mark} {escape(place.name)}: {t.ltr(f'{mine.done}/{MODULE_COUNT}')}")
    lines += [
        "",
        t._(
            "🎓 has enough for the diploma, ✅ on track, ⚠️ cannot reach it without catch-up "
            "evenings."
        ),
    ]
    await context.bot.send_message(
        update.effective_chat.id, "\n".join(lines)[:4096], parse_mode="HTML"
    )


async def csv_callback(update: Update, context: BotContext) -> None:
    """The cohort as a spreadsheet file (CSV, UTF-8 with BOM: opens in Excel and LibreOffice)."""
    assert update.effective_chat is not None
    cohort = await pressed_cohort(update, context, codecs.CSV_FILE)
    if cohort is None:
        return
    evenings = await evenings_of(context.db, cohort.id)
    places = await places_of(context.db, cohort.id)
    came = await attendance_of(context.db, cohort.id)
    data = cohort_csv(evenings, places, came, cohort.threshold, context.services.config.tz)
    name = f"cohort-{cohort.id}.csv"
    await context.bot.send_document(
        update.effective_chat.id, InputFile(io.BytesIO(data), filename=name)
    )
