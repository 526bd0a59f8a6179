"""Coordinators' lists: the district's interested women (with their language), admitting them
into a cohort, and a cohort's participants and waiting list, where each woman can be moved up or
down, skipped or taken off. Every change carries the cohort's version, so that two coordinators
never act on a list the other has just changed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.course import waitlist
from bot.course.waitlist import Result
from bot.i18n import LANGUAGE_BY_CODE, Translator, translator
from handlers.common.access import refuse
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.course import clock, codecs
from handlers.course.codecs import PlaceAction
from handlers.course.cohorts import managed_cohort, stale_text
from handlers.course.places import change_places
from handlers.course.texts import cohort_label
from handlers.jobs.course import deliver_offers, send
from storage.course.cohorts import Cohort, Place, cohorts_in, places_of
from storage.course.interest import Interest, interested_in
from storage.districts import get_district
from storage.people import load_person

SHOWN = 60  # names in one message: well under Telegram's 4096 characters


def interest_line(t: Translator, n: int, i: Interest) -> str:
    language = LANGUAGE_BY_CODE.get(i.locale or "")
    contact = escape(i.phone) if i.phone else f'<a href="tg://user?id={i.telegram_id}">Telegram</a>'
    mark = "✅" if i.has_place else "🙋"
    spoken = language.native_name if language else "?"
    return f"{mark} {t.ltr(n)}. {escape(i.name)} — {spoken} — {t.ltr(contact)}"


async def interested_callback(update: Update, context: BotContext) -> None:
    """The district's interested women, oldest first, with their language and contact."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    ids = codecs.INTERESTED.decode(query.data)
    district = await get_district(context.db, ids[0]) if ids else None
    if district is None:
        await answer_expired(query, context.t)
        return
    if not allowed(context.identity, Action.MANAGE_COURSE, district.id):
        await refuse(update, context)
        return
    await query.answer()
    t = context.t
    women = await interested_in(context.db, district.id)
    lines = [
        "🙋 <b>"
        + t._("Interested in the basic training: {district}").format(
            district=t.ltr(escape(district.name))
        )
        + "</b>",
        "",
    ]
    lines += [interest_line(t, n, i) for n, i in enumerate(women[:SHOWN], 1)]
    if len(women) > SHOWN:
        lines.append(t._("… and {n} more.").format(n=t.ltr(len(women) - SHOWN)))
    if not women:
        lines.append(t._("Nobody yet."))
    lines += ["", t._("✅ has a place or a turn in a cohort. Admit women from a cohort's card.")]
    rows = [
        [button("📚", c.name, codecs.ADMIT_LIST.encode(c.id))]
        for c in await cohorts_in(context.db, [district.id])
        if c.completed_at is None
    ]
    await context.bot.send_message(
        update.effective_chat.id,
        "\n".join(lines),
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


async def admit_list_callback(update: Update, context: BotContext) -> None:
    """Interested women without a place, each a button that admits her into this cohort."""
    query = update.callback_query
    assert query is not None
    ids = codecs.ADMIT_LIST.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    await edit_in_place(query, *await admit_screen(context, cohort))


async def admit_screen(context: BotContext, cohort: Cohort) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    women = [i for i in await interested_in(context.db, cohort.district_id) if not i.has_place]
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
        ]
    )
    rows = [
        [button("🙋", w.name, codecs.ADMIT.encode(cohort.id, cohort.version, w.telegram_id))]
        for w in women[:SHOWN]
    ]
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    return text, InlineKeyboardMarkup(rows)


async def admit_callback(update: Update, context: BotContext) -> None:
    """Admit her: a place if there is room, otherwise the end of the waiting list; she is told."""
    query = update.callback_query
    assert query is not None
    ids = codecs.ADMIT.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    t, now, who = context.t, clock.now(), ids[2]
    interest = next(
        (i for i in await interested_in(context.db, cohort.district_id) if i.telegram_id == who),
        None,
    )
    if interest is None:
        await answer_expired(query, t)
        return
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
    await edit_in_place(query, *await admit_screen(context, changed.cohort))
    await deliver_offers(context.bot, context.db, context.services.config.tz)


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
    await send(context.bot, context.db, who, text)


def places_text(t: Translator, cohort: Cohort, places: list[Place], tz: ZoneInfo) -> str:
    lines = ["👥 <b>" + cohort_label(t, cohort) + "</b>", ""]
    admitted = [p for p in places if p.status == "admitted"]
    lines.append(
        "<b>"
        + t._("Participants: {n} of {capacity}").format(
            n=t.ltr(len(admitted)), capacity=t.ltr(cohort.capacity)
        )
        + "</b>"
    )
    lines += [f"• {escape(p.name)}" + (" 🚫" if p.unreachable else "") for p in admitted[:SHOWN]]
    offered = [p for p in places if p.status == "offered"]
    if offered:
        lines += ["", "<b>" + t._("Offered a free place") + "</b>"]
        lines += [
            f"• {escape(p.name)} — "
            + t._("until {date}").format(date=t.format_datetime(p.offer_expires_at, tz))
            for p in offered
            if p.offer_expires_at is not None
        ]
    waiting = [p for p in places if p.status == "waiting"]
    lines += ["", "<b>" + t._("Waiting list") + "</b>"]
    lines += [f"{t.ltr(n)}. {escape(p.name)}" for n, p in enumerate(waiting[:SHOWN], 1)] or [
        t._("Nobody.")
    ]
    return "\n".join(lines)


async def places_callback(update: Update, context: BotContext) -> None:
    """A cohort's participants, open offers and waiting list; a button per woman."""
    query = update.callback_query
    assert query is not None
    ids = codecs.PLACES.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    await edit_in_place(query, *await places_screen(context, cohort))


async def places_screen(context: BotContext, cohort: Cohort) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    places = await places_of(context.db, cohort.id)
    text = places_text(t, cohort, places, context.services.config.tz)
    marks = {"admitted": "👤", "offered": "🎟", "waiting": "⏳"}
    rows = (
        []
        if cohort.completed_at
        else [
            [button(marks[p.status], p.name, codecs.PLACE_CARD.encode(cohort.id, p.telegram_id))]
            for p in places[:SHOWN]
        ]
    )
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    return text, InlineKeyboardMarkup(rows)


async def place_card_callback(update: Update, context: BotContext) -> None:
    """One woman: move her up or down, skip her, or take her off."""
    query = update.callback_query
    assert query is not None
    ids = codecs.PLACE_CARD.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    place = next(
        (p for p in await places_of(context.db, cohort.id) if p.telegram_id == ids[1]), None
    )
    if place is None:
        await answer_expired(query, context.t)
        return
    await query.answer()
    t = context.t

    def act(emoji: str, label: str, action: int) -> list[InlineKeyboardButton]:
        return [
            button(
                emoji,
                label,
                codecs.PLACE_ACTION.encode(cohort.id, cohort.version, place.telegram_id, action),
            )
        ]

    rows = []
    if place.status == "waiting":
        rows += [
            act("⬆️", t._("Move up"), PlaceAction.UP),
            act("⬇️", t._("Move down"), PlaceAction.DOWN),
        ]
    if place.status in ("waiting", "offered"):
        rows.append(act("⏭", t._("Let the next woman go first"), PlaceAction.SKIP))
    rows.append(act("✖️", t._("Take her off"), PlaceAction.REMOVE))
    rows.append([button("⬅️", t._("Back"), codecs.PLACES.encode(cohort.id))])
    await edit_in_place(query, "👤 " + escape(place.name), InlineKeyboardMarkup(rows))


async def place_action_callback(update: Update, context: BotContext) -> None:
    """Do what she pressed to one woman's place; the list moves on and is shown again."""
    query = update.callback_query
    assert query is not None
    ids = codecs.PLACE_ACTION.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None or ids[3] not in PlaceAction.ALL:
        if cohort is not None:
            await answer_expired(query, context.t)
        return
    t, now, who, action = context.t, clock.now(), ids[2], ids[3]
    rules = {
        PlaceAction.UP: lambda s: waitlist.move(s, who, -1, now),
        PlaceAction.DOWN: lambda s: waitlist.move(s, who, 1, now),
        PlaceAction.SKIP: lambda s: waitlist.skip(s, who, now),
        PlaceAction.REMOVE: lambda s: waitlist.leave(s, who, now),
    }
    changed = await change_places(context.db, cohort.id, rules[action], now, seen_version=ids[1])
    if changed is None:
        await answer_expired(query, t)
        return
    if changed.stale:
        await query.answer("🔄 " + stale_text(t), show_alert=True)
    elif changed.step.result in (Result.CANNOT, Result.NOT_THERE):
        await query.answer("⚠️ " + t._("That cannot be done: nothing was changed."), show_alert=True)
    else:
        await query.answer("✅")
    if action == PlaceAction.REMOVE and changed.step.result is Result.LEFT:
        await tell_taken_off(context, changed.cohort, who)
    await edit_in_place(query, *await places_screen(context, changed.cohort))
    await deliver_offers(context.bot, context.db, context.services.config.tz)


async def tell_taken_off(context: BotContext, cohort: Cohort, who: int) -> None:
    """She hears it from the bot, in her language, rather than not at all."""
    person = await load_person(context.db, who)
    wt = translator(person.locale if person and person.locale else "nb")
    text = "ℹ️ " + wt._(
        "Your place or your turn in {cohort} has ended. If you have questions, ask your "
        "coordinator."
    ).format(cohort=cohort_label(wt, cohort))
    await send(context.bot, context.db, who, text)
