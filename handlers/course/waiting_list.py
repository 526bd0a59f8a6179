"""A cohort's participants, open offers and waiting list (paged, so 130 women fit), and one
woman's card: move her up or down, skip her, take her off, or send an offer in doubt again.
Every change carries the cohort's version, so that two coordinators never act on a list the
other has just changed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.course import waitlist
from bot.course.waitlist import Result
from bot.i18n import Translator, translator
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.course import codecs
from handlers.course.codecs import PlaceAction
from handlers.course.cohorts import managed_cohort, show_cohort_page, stale_text
from handlers.course.pager import nav_row, page_line, page_of
from handlers.course.places import change_places
from handlers.course.texts import cohort_label
from handlers.jobs.course import deliver_offers, send
from storage.course.cohorts import Cohort, Place, offer_again, places_of
from storage.people import load_person

PAGE = 20  # women a page: one button each, within Telegram's limits and a phone's screen


def places_text(
    t: Translator, cohort: Cohort, places: list[Place], shown: list[Place], tz: ZoneInfo
) -> str:
    """The counts of the whole cohort, and the women of this page under their headings."""
    lines = ["👥 <b>" + cohort_label(t, cohort) + "</b>", ""]
    admitted = [p for p in places if p.status == "admitted"]
    lines.append(
        "<b>"
        + t._("Participants: {n} of {capacity}").format(
            n=t.ltr(len(admitted)), capacity=t.ltr(cohort.capacity)
        )
        + "</b>"
    )
    lines += [
        f"• {escape(p.name)}" + (" 🚫" if p.unreachable else "")
        for p in shown
        if p.status == "admitted"
    ]
    offered = [p for p in shown if p.status == "offered" and p.offer_expires_at is not None]
    if offered:
        lines += ["", "<b>" + t._("Offered a free place") + "</b>"]
        lines += [
            f"• {escape(p.name)} — "
            + t._("until {date}").format(date=t.format_datetime(p.offer_expires_at, tz))
            + (" — ❓ " + t._("perhaps not delivered") if p.offer_in_doubt else "")
            for p in offered
            if p.offer_expires_at is not None
        ]
    waiting = [p for p in places if p.status == "waiting"]
    on_page = {p.telegram_id for p in shown}
    if not waiting or any(p.telegram_id in on_page for p in waiting):
        lines += ["", "<b>" + t._("Waiting list") + "</b>"]
        lines += [
            f"{t.ltr(n)}. {escape(p.name)}"
            for n, p in enumerate(waiting, 1)
            if p.telegram_id in on_page
        ] or [t._("Nobody.")]
    return "\n".join(lines)


async def places_callback(update: Update, context: BotContext) -> None:
    """A cohort's participants, open offers and waiting list; a button per woman."""
    await show_cohort_page(update, context, codecs.PLACES, codecs.PLACES_PAGE, places_screen)


async def places_screen(
    context: BotContext, cohort: Cohort, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    places = await places_of(context.db, cohort.id)
    # An offer that perhaps never reached her heads every page, so that it is seen.
    doubts = [p for p in places if p.offer_in_doubt]
    shown, page, pages = page_of([p for p in places if not p.offer_in_doubt], page, PAGE)
    text = places_text(t, cohort, places, [*doubts, *shown], context.services.config.tz)
    text += "".join("\n" + line for line in page_line(t, page, pages))
    marks = {"admitted": "👤", "offered": "🎟", "waiting": "⏳"}
    rows = (
        []
        if cohort.completed_at
        else [
            [
                button(
                    "❓" if p.offer_in_doubt else marks[p.status],
                    p.name,
                    codecs.PLACE_CARD.encode(cohort.id, p.telegram_id),
                )
            ]
            for p in [*doubts, *shown]
        ]
    )
    nav = nav_row(page, pages, lambda p: codecs.PLACES_PAGE.encode(cohort.id, p))
    if nav:
        rows.append(nav)
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    return text, InlineKeyboardMarkup(rows)


async def place_card_callback(update: Update, context: BotContext) -> None:
    """One woman: move her up or down, skip her, or take her off."""
    query = update.callback_query
    assert query is not None
    ids = codecs.PLACE_CARD.ids(query.data)
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
    text = "👤 " + escape(place.name)
    if place.offer_in_doubt:
        text += "\n❓ " + t._(
            "The offer of a free place may not have reached her (Telegram did not answer, or the "
            "bot stopped while sending). Send it again, or let the next woman go first."
        )
        rows.append(
            [
                button(
                    "🔁",
                    t._("Send the offer again"),
                    codecs.OFFER_AGAIN.encode(cohort.id, place.telegram_id),
                )
            ]
        )
    if place.status == "waiting":
        rows += [
            act("⬆️", t._("Move up"), PlaceAction.UP),
            act("⬇️", t._("Move down"), PlaceAction.DOWN),
        ]
    if place.status in ("waiting", "offered"):
        rows.append(act("⏭", t._("Let the next woman go first"), PlaceAction.SKIP))
    rows.append(act("✖️", t._("Take her off"), PlaceAction.REMOVE))
    rows.append([button("⬅️", t._("Back"), codecs.PLACES.encode(cohort.id))])
    await edit_in_place(query, text, InlineKeyboardMarkup(rows))


async def offer_again_callback(update: Update, context: BotContext) -> None:
    """Send an offer in doubt again (she may get it twice: the coordinator chose so)."""
    query = update.callback_query
    assert query is not None
    ids = codecs.OFFER_AGAIN.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    if not await offer_again(context.db, cohort.id, ids[1]):
        await answer_expired(query, context.t)
        return
    await query.answer("🔁")
    await deliver_offers(context.bot, context.services)
    await edit_in_place(query, *await places_screen(context, cohort))


async def place_action_callback(update: Update, context: BotContext) -> None:
    """Do what she pressed to one woman's place; the list moves on and is shown again."""
    query = update.callback_query
    assert query is not None
    ids = codecs.PLACE_ACTION.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None or ids[3] not in PlaceAction.ALL:
        if cohort is not None:
            await answer_expired(query, context.t)
        return
    t, now, who, action = context.t, context.clock.now(), ids[2], ids[3]
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
    await deliver_offers(context.bot, context.services)


async def tell_taken_off(context: BotContext, cohort: Cohort, who: int) -> None:
    """She hears it from the bot, in her language, rather than not at all."""
    person = await load_person(context.db, who)
    wt = translator(person.locale if person and person.locale else "nb")
    text = "ℹ️ " + wt._(
        "Your place or your turn in {cohort} has ended. If you have questions, ask your "
        "coordinator."
    ).format(cohort=cohort_label(wt, cohort))
    await send(context.bot, context.services, who, text)
