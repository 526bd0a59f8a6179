"""A cohort's module evenings from the coordinator's phone: the list, a new evening in steps
(module, then the date and time typed, length and place by buttons, the lecturer typed or
left out), clashes flagged before it is saved, and moving or cancelling one, with every
participant told in her own language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.course.admission import NameProblem, clean_name
from bot.course.evenings import LENGTHS, Clash, WhenProblem, clashes, parse_when
from bot.course.modules import MODULES
from bot.i18n import Translator
from handlers.common.access import refuse
from handlers.common.awaiting import ask, end
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.course import codecs, typed
from handlers.course.cohorts import managed_cohort
from handlers.course.interest import name_problem_text
from handlers.course.texts import cohort_label, evening_lines
from storage.course.cohorts import Cohort, get_cohort
from storage.course.evenings import (
    Evening,
    add_evening,
    evenings_of,
    get_evening,
    locations,
)

DRAFT_KEY = "course_evening"  # {"cohort", "module", "starts_at", "minutes", "place", "lecturer"}


async def evenings_callback(update: Update, context: BotContext) -> None:
    """The cohort's evenings, each a button to its card, and "add an evening"."""
    query = update.callback_query
    assert query is not None
    ids = codecs.EVENINGS.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    await edit_in_place(query, *await evenings_screen(context, cohort))


async def evenings_screen(context: BotContext, cohort: Cohort) -> tuple[str, InlineKeyboardMarkup]:
    t, tz = context.t, context.services.config.tz
    rows = []
    for evening in await evenings_of(context.db, cohort.id):
        mark = "🚫" if evening.cancelled_at else "📚"
        label = f"{evening.starts_at.astimezone(tz):%d.%m %H:%M} " + (
            str(evening.module) if evening.module else (evening.title or "+")
        )
        rows.append([button(mark, label, codecs.EVENING.encode(evening.id))])
    rows = rows[-40:]  # the latest 40: a cohort has 17 evenings and a few extra
    rows.append([button("➕", t._("Add an evening"), codecs.ADD_EVENING.encode(cohort.id))])
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    return "🗓 <b>" + cohort_label(t, cohort) + "</b>", InlineKeyboardMarkup(rows)


async def add_evening_callback(update: Update, context: BotContext) -> None:
    """Which module? Those not planned yet come first."""
    query = update.callback_query
    assert query is not None
    ids = codecs.ADD_EVENING.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    t = context.t
    planned = {e.module for e in await evenings_of(context.db, cohort.id) if not e.cancelled_at}
    buttons = [
        button(
            "✅" if m.number in planned else "📚",
            str(m.number),
            codecs.EVENING_MODULE.encode(cohort.id, m.number),
        )
        for m in MODULES
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([button("➕", t._("Extra evening"), codecs.EVENING_MODULE.encode(cohort.id, 0))])
    rows.append([button("⬅️", t._("Back"), codecs.EVENINGS.encode(cohort.id))])
    lines = ["📚 " + t._("Which module? (✅ is planned already)"), ""]
    lines += [f"{t.ltr(m.number)}. {t._(m.name)}" for m in MODULES]
    await edit_in_place(query, "\n".join(lines), InlineKeyboardMarkup(rows))


def when_prompt(t: Translator) -> str:
    return "🕒 " + t._("Type the date and start time, for example 24.09.2026 18:00.")


async def module_callback(update: Update, context: BotContext) -> None:
    """The module: now the date and time, typed."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None
    ids = codecs.EVENING_MODULE.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None or ids[1] > len(MODULES):
        if cohort is not None:
            await answer_expired(query, context.t)
        return
    await query.answer()
    context.chat_data[DRAFT_KEY] = {"cohort": cohort.id, "module": ids[1] or None}
    await ask(context, typed.EVENING_WHEN, str(cohort.id))
    await edit_in_place(query, when_prompt(context.t))


def when_problem_text(t: Translator, problem: WhenProblem) -> str:
    if problem is WhenProblem.NO_SUCH_DATE:
        return "⚠️ " + t._("There is no such date or time. Please type it again.")
    if problem is WhenProblem.PAST:
        return "⚠️ " + t._("That time has passed already. Please type a time in the future.")
    return "⚠️ " + t._("Please type the date and time like this: 24.09.2026 18:00.")


async def when_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """The date and time: checked, then the length."""
    message = update.effective_message
    assert message is not None and context.chat_data is not None
    t, tz = context.t, context.services.config.tz
    when = parse_when(message.text or "", tz, context.clock.now())
    if isinstance(when, WhenProblem):
        await ask(context, typed.EVENING_WHEN, *values)
        await message.reply_text(when_problem_text(t, when))
        return
    draft = context.chat_data.get(DRAFT_KEY)
    if not isinstance(draft, dict) or len(values) != 1 or str(draft.get("cohort")) != values[0]:
        await message.reply_text("⌛ " + t._("This took too long. Nothing was saved."))
        return
    draft["starts_at"] = when.isoformat()
    rows = [
        [
            button(
                "⏱",
                t.ngettext("{n} minute", "{n} minutes", n).format(n=n),
                codecs.EVENING_LENGTH.encode(draft["cohort"], n),
            )
            for n in LENGTHS
        ]
    ]
    await message.reply_text(
        "⏱ " + t._("How long is the evening?"), reply_markup=InlineKeyboardMarkup(rows)
    )


def _draft(context: BotContext, cohort_id: int) -> dict[str, Any] | None:
    draft = (context.chat_data or {}).get(DRAFT_KEY)
    return draft if isinstance(draft, dict) and draft.get("cohort") == cohort_id else None


async def length_callback(update: Update, context: BotContext) -> None:
    """The length: now the place, from the places list."""
    query = update.callback_query
    assert query is not None
    ids = codecs.EVENING_LENGTH.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    draft = _draft(context, cohort.id) if cohort else None
    if cohort is None or ids is None or draft is None or ids[1] not in LENGTHS:
        if cohort is not None:
            await answer_expired(query, context.t)
        return
    await query.answer()
    draft["minutes"] = ids[1]
    t = context.t
    places = await locations(context.db)
    rows = [
        [button("📍", name, codecs.EVENING_PLACE.encode(cohort.id, i))]
        for i, (_, name) in enumerate(places[:30], 1)
    ]
    rows.append([button("❔", t._("No place yet"), codecs.EVENING_PLACE.encode(cohort.id, 0))])
    await edit_in_place(query, "📍 " + t._("Where?"), InlineKeyboardMarkup(rows))


async def place_callback(update: Update, context: BotContext) -> None:
    """The place: now the lecturer, typed, or save without one."""
    query = update.callback_query
    assert query is not None
    ids = codecs.EVENING_PLACE.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    draft = _draft(context, cohort.id) if cohort else None
    places = await locations(context.db)
    if cohort is None or ids is None or draft is None or ids[1] > len(places):
        if cohort is not None:
            await answer_expired(query, context.t)
        return
    await query.answer()
    draft["place"] = places[ids[1] - 1][0] if ids[1] else None
    await ask(context, typed.LECTURER, str(cohort.id))
    await edit_in_place(query, *await confirm_screen(context, cohort, draft, ask_lecturer=True))


async def lecturer_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """The lecturer's name: the evening is shown once more, to be saved."""
    message = update.effective_message
    assert message is not None
    cohort = await get_cohort(context.db, int(values[0])) if values else None
    draft = _draft(context, cohort.id) if cohort else None
    if cohort is None or draft is None:
        await message.reply_text("⌛ " + context.t._("This took too long. Nothing was saved."))
        return
    try:
        draft["lecturer"] = clean_name(message.text or "")
    except NameProblem as problem:
        await ask(context, typed.LECTURER, *values)
        await message.reply_text(name_problem_text(context.t, problem))
        return
    text, keyboard = await confirm_screen(context, cohort, draft, ask_lecturer=False)
    await message.reply_text(text, parse_mode="HTML", reply_markup=keyboard)


def draft_evening(
    cohort: Cohort, draft: dict[str, Any], place: tuple[str | None, str | None]
) -> Evening:
    return Evening(
        0,
        cohort.id,
        draft.get("module"),
        None,
        datetime.fromisoformat(draft["starts_at"]),
        int(draft.get("minutes", 120)),
        draft.get("place"),
        place[0],
        place[1],
        None,
        None,
        draft.get("lecturer"),
        None,
    )


async def warnings_lines(
    context: BotContext, cohort_id: int, starts_at: datetime, skip: int = 0
) -> list[str]:
    t, tz = context.t, context.services.config.tz
    others = [
        e.starts_at
        for e in await evenings_of(context.db, cohort_id)
        if e.id != skip and not e.cancelled_at
    ]
    lines = []
    for warning in clashes(starts_at, others, tz):
        if warning.clash is Clash.SAME_DAY and warning.other is not None:
            lines.append(
                "⚠️ "
                + t._("The cohort has another evening that day: {date}.").format(
                    date=t.format_datetime(warning.other, tz)
                )
            )
        elif warning.clash is Clash.HOLIDAY:
            lines.append("⚠️ " + t._("That day is a public holiday."))
    return lines


async def confirm_screen(
    context: BotContext, cohort: Cohort, draft: dict[str, Any], *, ask_lecturer: bool
) -> tuple[str, InlineKeyboardMarkup]:
    t, tz = context.t, context.services.config.tz
    named = dict(await locations(context.db))
    evening = draft_evening(cohort, draft, (named.get(draft.get("place") or ""), None))
    lines = evening_lines(t, evening, tz) + await warnings_lines(
        context, cohort.id, evening.starts_at
    )
    if ask_lecturer:
        lines += ["", "🎓 " + t._("Type the lecturer's name, or save the evening without one.")]
    keyboard = InlineKeyboardMarkup(
        [[button("💾", t._("Save the evening"), codecs.EVENING_SAVE.encode(cohort.id))]]
    )
    return "\n".join(lines), keyboard


async def save_callback(update: Update, context: BotContext) -> None:
    """Save the evening as shown."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None
    ids = codecs.EVENING_SAVE.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    draft = _draft(context, cohort.id) if cohort else None
    if cohort is None or draft is None or "starts_at" not in draft:
        if cohort is not None:
            await answer_expired(query, context.t)
        return
    starts_at = datetime.fromisoformat(draft["starts_at"])
    if starts_at <= context.clock.now():
        await query.answer(
            "⚠️ " + context.t._("That time has passed already. Please type a time in the future."),
            show_alert=True,
        )
        return
    await query.answer("✅")
    context.chat_data.pop(DRAFT_KEY, None)
    await end(context, typed.LECTURER)
    await add_evening(
        context.db,
        cohort.id,
        draft.get("module"),
        starts_at,
        int(draft.get("minutes", 120)),
        draft.get("place"),
        draft.get("lecturer"),
    )
    await edit_in_place(query, *await evenings_screen(context, cohort))


async def managed_evening(
    update: Update, context: BotContext, evening_id: int | None
) -> tuple[Cohort, Evening] | None:
    query = update.callback_query
    assert query is not None
    evening = await get_evening(context.db, evening_id) if evening_id is not None else None
    cohort = await get_cohort(context.db, evening.cohort_id) if evening else None
    if evening is None or cohort is None:
        await answer_expired(query, context.t)
        return None
    if not allowed(context.identity, Action.MANAGE_COURSE, cohort.district_id):
        await refuse(update, context)
        return None
    return cohort, evening


async def evening_callback(update: Update, context: BotContext) -> None:
    """An evening's card: attendance, move, cancel."""
    query = update.callback_query
    assert query is not None
    ids = codecs.EVENING.ids(query.data)
    found = await managed_evening(update, context, ids[0] if ids else None)
    if found is None:
        return
    await query.answer()
    cohort, evening = found
    t = context.t
    rows = [[button("✅", t._("Who came"), codecs.ATTENDANCE.encode(evening.id, 0))]]
    if evening.cancelled_at is None:
        rows += [
            [
                button("🕒", t._("Move"), codecs.MOVE_EVENING.encode(evening.id)),
                button("🚫", t._("Cancel"), codecs.CANCEL_EVENING.encode(evening.id)),
            ],
            [button("✏️", t._("The district's own name"), codecs.RENAME_EVENING.encode(evening.id))],
        ]
    rows.append([button("⬅️", t._("Back"), codecs.EVENINGS.encode(cohort.id))])
    await edit_in_place(
        query,
        "\n".join(evening_lines(t, evening, context.services.config.tz)),
        InlineKeyboardMarkup(rows),
    )
