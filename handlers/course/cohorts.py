"""Coordinators' cohorts: the list, a new cohort (its name typed, capacity by buttons), a
cohort's card with everything that can be done to it, and its capacity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.course import waitlist
from bot.course.admission import NameProblem, clean_name
from bot.course.waitlist import MAX_CAPACITY, MIN_CAPACITY, Result
from bot.i18n import Translator
from handlers.common.access import permitted_districts, refuse
from handlers.common.awaiting import ask
from handlers.common.codec import Codec
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.course import codecs, typed
from handlers.course.interest import name_problem_text
from handlers.course.places import change_places
from handlers.course.texts import cohort_label
from handlers.jobs.course import deliver_offers
from storage.course.cohorts import Cohort, cohorts_in, create_cohort, get_cohort, places_of
from storage.course.evenings import evenings_of

DEFAULT_CAPACITY = 25
CAPACITY_CHOICES = (10, 15, 18, 20, 25, 30, 40)


async def show_cohorts(chat_id: int, context: BotContext) -> None:
    """Her districts' cohorts, and per district its interested women and a new cohort."""
    t = context.t
    districts = await permitted_districts(context, Action.MANAGE_COURSE)
    rows = []
    lines = ["🎓 <b>" + t._("The basic training") + "</b>"]
    cohorts = await cohorts_in(context.db, [d for d, _ in districts])
    for cohort in cohorts:
        mark = "✅" if cohort.completed_at else "🔁" if cohort.kind == "catchup" else "📚"
        rows.append(
            [
                button(
                    mark, f"{cohort.district_name}: {cohort.name}", codecs.COHORT.encode(cohort.id)
                )
            ]
        )
    for district_id, name in districts:
        rows.append(
            [
                button(
                    "🙋",
                    t._("Interested women: {district}").format(district=name),
                    codecs.INTERESTED.encode(district_id),
                )
            ]
        )
        rows.append(
            [
                button(
                    "➕",
                    t._("New cohort: {district}").format(district=name),
                    codecs.NEW_COHORT.encode(district_id),
                )
            ]
        )
        rows.append(
            [
                button(
                    "🔁",
                    t._("New catch-up evenings: {district}").format(district=name),
                    codecs.NEW_CATCHUP.encode(district_id),
                )
            ]
        )
    if not cohorts:
        lines.append(t._("No cohort yet."))
    await context.bot.send_message(
        chat_id, "\n".join(lines), parse_mode="HTML", reply_markup=InlineKeyboardMarkup(rows[:90])
    )


async def new_cohort_callback(update: Update, context: BotContext) -> None:
    """Ask for the new cohort's name (or the catch-up evenings' name)."""
    query = update.callback_query
    assert query is not None
    catchup = codecs.NEW_CATCHUP.ids(query.data)
    ids = catchup or codecs.NEW_COHORT.ids(query.data)
    if ids is None:
        await answer_expired(query, context.t)
        return
    if not allowed(context.identity, Action.MANAGE_COURSE, ids[0]):
        await refuse(update, context)
        return
    await query.answer()
    await ask(context, typed.COHORT_NAME, str(ids[0]), "catchup" if catchup else "course")
    await edit_in_place(
        query, "✍️ " + context.t._("Type the new cohort's name, for example: Autumn 2026.")
    )


async def cohort_name_answered(
    update: Update, context: BotContext, values: tuple[str, ...]
) -> None:
    """The name: the cohort is opened with the default capacity."""
    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    t = context.t
    if not values or not allowed(context.identity, Action.MANAGE_COURSE, int(values[0])):
        await refuse(update, context)
        return
    try:
        name = clean_name(message.text or "")
    except NameProblem as problem:
        await ask(context, typed.COHORT_NAME, *values)
        await message.reply_text(name_problem_text(t, problem))
        return
    cohort_id = await create_cohort(
        context.db,
        int(values[0]),
        name,
        DEFAULT_CAPACITY,
        context.identity.telegram_id,
        context.clock.now(),
        kind="catchup" if values[1:] == ("catchup",) else "course",
    )
    await send_cohort_card(update.effective_chat.id, context, cohort_id)


def cohort_text(
    t: Translator, cohort: Cohort, admitted: int, offered: int, waiting: int, evenings: int
) -> str:
    lines = [
        ("🔁 " if cohort.kind == "catchup" else "📚 ") + "<b>" + cohort_label(t, cohort) + "</b>",
        "👥 "
        + t._("Participants: {n} of {capacity}").format(
            n=t.ltr(admitted), capacity=t.ltr(cohort.capacity)
        ),
        "⏳ "
        + t._("Offered a free place: {offered}; waiting list: {waiting}").format(
            offered=t.ltr(offered), waiting=t.ltr(waiting)
        ),
        "🗓 " + t._("Evenings planned: {n}").format(n=t.ltr(evenings)),
    ]
    if cohort.completed_at is not None:
        lines.append("✅ " + t._("Completed."))
    return "\n".join(lines)


async def cohort_card(context: BotContext, cohort: Cohort) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    places = await places_of(context.db, cohort.id)
    count = {s: sum(1 for p in places if p.status == s) for s in ("admitted", "offered", "waiting")}
    evenings = [e for e in await evenings_of(context.db, cohort.id) if e.cancelled_at is None]
    text = cohort_text(
        t, cohort, count["admitted"], count["offered"], count["waiting"], len(evenings)
    )
    c = cohort.id
    rows = [
        [button("👥", t._("Participants and waiting list"), codecs.PLACES.encode(c))],
        [
            button("📊", t._("Progress"), codecs.PROGRESS.encode(c)),
            button("📄", t._("Spreadsheet"), codecs.CSV_FILE.encode(c)),
        ],
    ]
    if cohort.completed_at is not None and cohort.kind == "course":
        rows.append([button("🪪", t._("ID cards"), codecs.CARDS.encode(c))])
    if cohort.kind == "catchup":
        # Catch-up evenings: women sign up themselves from /course; nobody completes them.
        rows = [rows[0], rows[1][:1]]
        if cohort.completed_at is None:
            rows.append([button("🗓", t._("Evenings"), codecs.EVENINGS.encode(c))])
            rows.append([button("🔢", t._("Capacity"), codecs.CAPACITY_MENU.encode(c))])
    elif cohort.completed_at is None:
        rows[0:0] = [[button("➕", t._("Admit women"), codecs.ADMIT_LIST.encode(c))]]
        rows += [
            [
                button("🗓", t._("Evenings"), codecs.EVENINGS.encode(c)),
                button("🔢", t._("Capacity"), codecs.CAPACITY_MENU.encode(c)),
            ],
            [button("🎓", t._("Complete the course"), codecs.COMPLETE.encode(c, cohort.version))],
        ]
    return text, InlineKeyboardMarkup(rows)


async def send_cohort_card(chat_id: int, context: BotContext, cohort_id: int) -> None:
    cohort = await get_cohort(context.db, cohort_id)
    if cohort is not None:
        text, keyboard = await cohort_card(context, cohort)
        await context.bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=keyboard)


async def managed_cohort(
    update: Update, context: BotContext, cohort_id: int | None
) -> Cohort | None:
    """The cohort a button names, if she may manage it (else the press is answered and None)."""
    query = update.callback_query
    assert query is not None
    cohort = await get_cohort(context.db, cohort_id) if cohort_id is not None else None
    if cohort is None:
        await answer_expired(query, context.t)
        return None
    if not allowed(context.identity, Action.MANAGE_COURSE, cohort.district_id):
        await refuse(update, context)
        return None
    return cohort


Screen = Callable[[BotContext, Cohort, int], Awaitable[tuple[str, InlineKeyboardMarkup]]]


async def show_cohort_page(
    update: Update, context: BotContext, first: Codec, paged: Codec, screen: Screen
) -> None:
    """A press that opens one of a cohort's paged lists (`first`: page 1) or turns its page
    (`paged`: cohort, page): the cohort and her right to manage it are checked again, then the
    page is shown in place of the message."""
    query = update.callback_query
    assert query is not None
    page_press = paged.ids(query.data)
    ids = page_press or first.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    page = page_press[1] if page_press else 0
    await edit_in_place(query, *await screen(context, cohort, page))


async def cohort_callback(update: Update, context: BotContext) -> None:
    """A cohort's card."""
    query = update.callback_query
    assert query is not None
    ids = codecs.COHORT.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    text, keyboard = await cohort_card(context, cohort)
    await edit_in_place(query, text, keyboard)


async def capacity_menu_callback(update: Update, context: BotContext) -> None:
    """The capacities to choose from."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CAPACITY_MENU.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    t = context.t
    choices = [
        button("🔢", str(n), codecs.CAPACITY.encode(cohort.id, cohort.version, n))
        for n in CAPACITY_CHOICES
    ]
    rows = [choices[i : i + 4] for i in range(0, len(choices), 4)]
    typed_number = codecs.CAPACITY_TYPED.encode(cohort.id, cohort.version)
    rows.append([button("✏️", t._("Another number"), typed_number)])
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    text = "🔢 " + t._("How many women can take part? Now: {n}.").format(n=t.ltr(cohort.capacity))
    await edit_in_place(query, text, InlineKeyboardMarkup(rows))


async def capacity_callback(update: Update, context: BotContext) -> None:
    """Set the capacity: free places are offered at once, never below the places taken."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CAPACITY.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    t, now, capacity = context.t, context.clock.now(), ids[2]
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        text = t._("The capacity must be between {low} and {high}. Nothing was changed.")
        await query.answer("⚠️ " + text.format(low=MIN_CAPACITY, high=MAX_CAPACITY), show_alert=True)
        return
    changed = await change_places(
        context.db,
        cohort.id,
        lambda s: waitlist.set_capacity(s, capacity, now),
        now,
        seen_version=ids[1],
    )
    if changed is None:
        await answer_expired(query, t)
        return
    if changed.stale:
        await query.answer("🔄 " + stale_text(t), show_alert=True)
    elif changed.step.result is Result.CAPACITY_TOO_SMALL:
        text = t._(
            "{n} places are taken or offered already: the capacity cannot be lower. Nothing was "
            "changed."
        )
        await query.answer("⚠️ " + text.format(n=changed.step.state.taken), show_alert=True)
        return
    else:
        await query.answer("✅")
    text, keyboard = await cohort_card(context, changed.cohort)
    await edit_in_place(query, text, keyboard)
    await deliver_offers(context.bot, context.services)


def stale_text(t: Translator) -> str:
    return t._(
        "Another coordinator changed this cohort in the meantime. Nothing was changed: here it "
        "is as it is now."
    )
