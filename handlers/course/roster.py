"""Coordinators' lists: the district's interested women (with their language), admitting them
into a cohort, and a cohort's participants and waiting list, where each woman can be moved up or
down, skipped or taken off (handlers/course/waiting_list.py). Both lists are paged, so that 130
women and more fit."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.course import waitlist
from bot.course.waitlist import Result
from bot.i18n import LANGUAGE_BY_CODE, Translator, translator
from handlers.common.access import refuse
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.course import codecs
from handlers.course.cohorts import managed_cohort, show_cohort_page, stale_text
from handlers.course.pager import nav_row, page_line, page_of
from handlers.course.places import change_places
from handlers.course.texts import cohort_label
from handlers.jobs.course import deliver_offers, send
from storage.course.cohorts import Cohort, cohorts_in, places_of
from storage.course.interest import Interest, interested_in
from storage.districts import DistrictRecord, get_district

PAGE = 20  # women a page: well under Telegram's 4096 characters and 100 buttons


def interest_line(t: Translator, n: int, i: Interest) -> str:
    language = LANGUAGE_BY_CODE.get(i.locale or "")
    contact = escape(i.phone) if i.phone else f'<a href="tg://user?id={i.telegram_id}">Telegram</a>'
    mark = "✅" if i.has_place else "🙋"
    spoken = language.native_name if language else "?"
    return f"{mark} {t.ltr(n)}. {escape(i.name)} — {spoken} — {t.ltr(contact)}"


async def interested_callback(update: Update, context: BotContext) -> None:
    """The district's interested women, oldest first, with their language and contact: a new
    message (page 1); its ◀️ / ▶️ edit it."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    page_press = codecs.INTERESTED_PAGE.ids(query.data)
    ids = page_press or codecs.INTERESTED.ids(query.data)
    district = await get_district(context.db, ids[0]) if ids else None
    if district is None or ids is None:
        await answer_expired(query, context.t)
        return
    if not allowed(context.identity, Action.MANAGE_COURSE, district.id):
        await refuse(update, context)
        return
    await query.answer()
    text, keyboard = await interested_screen(context, district, page_press[1] if page_press else 0)
    if page_press:
        await edit_in_place(query, text, keyboard)
        return
    await context.bot.send_message(
        update.effective_chat.id,
        text,
        parse_mode="HTML",
        reply_markup=keyboard if keyboard.inline_keyboard else None,
    )


async def interested_screen(
    context: BotContext, district: DistrictRecord, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    women = await interested_in(context.db, district.id)
    shown, page, pages = page_of(women, page, PAGE)
    lines = [
        "🙋 <b>"
        + t._("Interested in the basic training: {district}").format(
            district=t.ltr(escape(district.name))
        )
        + "</b>",
        *page_line(t, page, pages),
        "",
    ]
    lines += [interest_line(t, n, i) for n, i in enumerate(shown, page * PAGE + 1)]
    if not women:
        lines.append(t._("Nobody yet."))
    lines += ["", t._("✅ has a place or a turn in a cohort. Admit women from a cohort's card.")]
    rows = [
        [button("📚", c.name, codecs.ADMIT_LIST.encode(c.id))]
        for c in await cohorts_in(context.db, [district.id])
        if c.completed_at is None
    ]
    nav = nav_row(page, pages, lambda p: codecs.INTERESTED_PAGE.encode(district.id, p))
    if nav:
        rows.insert(0, nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def admit_list_callback(update: Update, context: BotContext) -> None:
    """Interested women without a place, each a button that admits her into this cohort."""
    await show_cohort_page(update, context, codecs.ADMIT_LIST, codecs.ADMIT_PAGE, admit_screen)


async def waiting_to_be_admitted(context: BotContext, cohort: Cohort) -> list[Interest]:
    return [i for i in await interested_in(context.db, cohort.district_id) if not i.has_place]


async def admit_screen(
    context: BotContext, cohort: Cohort, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    women = await waiting_to_be_admitted(context, cohort)
    shown, page, pages = page_of(women, page, PAGE)
    places = await places_of(context.db, cohort.id)
    taken = sum(1 for p in places if p.status in ("admitted", "offered"))
    text = "\n".join(
        [
            "➕ <b>" + cohort_label(t, cohort) + "</b>",
            t._(
                "Places taken: {n} of {capacity}. A woman admitted when the cohort is full goes "
                "on the waiting list."
            ).format(n=t.ltr(taken), capacity=t.ltr(cohort.capacity)),
            t._("Nobody is waiting to be admitted.")
            if not women
            else t._("Press a name to admit her:"),
            *page_line(t, page, pages),
        ]
    )
    rows = [
        [button("🙋", w.name, codecs.ADMIT.encode(cohort.id, cohort.version, w.telegram_id))]
        for w in shown
    ]
    nav = nav_row(page, pages, lambda p: codecs.ADMIT_PAGE.encode(cohort.id, p))
    if nav:
        rows.append(nav)
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    return text, InlineKeyboardMarkup(rows)


async def admit_callback(update: Update, context: BotContext) -> None:
    """Admit her: a place if there is room, otherwise the end of the waiting list; she is told.
    The list stays on the page she was on."""
    query = update.callback_query
    assert query is not None
    ids = codecs.ADMIT.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    t, now, who = context.t, context.clock.now(), ids[2]
    women = await waiting_to_be_admitted(context, cohort)
    interest = next((i for i in women if i.telegram_id == who), None)
    if interest is None:
        await answer_expired(query, t)
        return
    page = women.index(interest) // PAGE
    changed = await change_places(
        context.db,
        cohort.id,
        lambda s: waitlist.admit(s, who, now),
        now,
        seen_version=ids[1],
        names={who: interest.name},
    )
    if changed is None:
        await answer_expired(query, t)
        return
    if changed.stale:
        await query.answer("🔄 " + stale_text(t), show_alert=True)
    else:
        await query.answer("✅")
        await tell_admitted(context, changed.cohort, who, interest.locale, changed.step)
    await edit_in_place(query, *await admit_screen(context, changed.cohort, page))
    await deliver_offers(context.bot, context.services)


async def tell_admitted(
    context: BotContext, cohort: Cohort, who: int, locale: str | None, step: waitlist.Step
) -> None:
    wt = translator(locale or "nb")
    label = cohort_label(wt, cohort)
    if step.result is Result.ADMITTED:
        text = "🎉 " + wt._(
            "You have a place in the basic training {cohort}! You will get a reminder the day "
            "before each evening. See your course with {command}."
        ).format(cohort=label, command=wt.command("course"))
    elif step.result is Result.WAITING:
        position = step.state.position(who) or 0
        text = "⏳ " + wt._(
            "The basic training {cohort} is full. You are number {n} on its waiting list; when a "
            "place frees, you will be offered it here."
        ).format(cohort=label, n=wt.ltr(position))
    else:
        return
    await send(context.bot, context.services, who, text)
