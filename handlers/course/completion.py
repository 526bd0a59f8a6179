"""Completing a cohort: every woman who has enough modules (module 1 and 17 among them) becomes
a bydelsmor of the district, is welcomed in her language and gets her ID card; the coordinator
gets a printable diploma per woman. A coordinator can withdraw a card; its QR link then says
"withdrawn"."""

from __future__ import annotations

import secrets

from telegram import InlineKeyboardMarkup, Update

from bot.i18n import Translator
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.course import codecs
from handlers.course.cohorts import managed_cohort, stale_text
from handlers.course.progress import progress_of
from handlers.course.texts import cohort_label
from handlers.jobs.course.cards import deliver_completions, deliver_one
from storage.course.cards import cards_in, issue_card, withdraw_card
from storage.course.cohorts import Cohort, complete_cohort, make_mother, places_of
from storage.course.deliveries import (
    Delivery,
    add_delivery,
    deliveries_of,
    get_delivery,
    send_again,
)
from storage.people import ensure_person


async def eligible_women(
    context: BotContext, cohort: Cohort
) -> tuple[list[tuple[int, str]], list[str]]:
    """(id, name) of the women who get the diploma, and the names of those who do not."""
    yes, no = [], []
    for place in await places_of(context.db, cohort.id):
        if place.status != "admitted":
            continue
        if (await progress_of(context, cohort, place.telegram_id)).eligible:
            yes.append((place.telegram_id, place.name))
        else:
            no.append(place.name)
    return yes, no


async def complete_callback(update: Update, context: BotContext) -> None:
    """Who gets the diploma, and who does not: asked before anything happens."""
    query = update.callback_query
    assert query is not None
    ids = codecs.COMPLETE.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    await query.answer()
    t = context.t
    yes, no = await eligible_women(context, cohort)
    lines = [
        "🎓 <b>" + cohort_label(t, cohort) + "</b>",
        t._("Diploma and ID card for {n} women:").format(n=t.ltr(len(yes))),
    ]
    lines += [f"✅ {escape(name)}" for _, name in yes]
    if no:
        lines += ["", t._("Not enough modules (they stay participants):")]
        lines += [f"⚠️ {escape(name)}" for name in no]
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(
                    "🎓",
                    t._("Yes, complete the course"),
                    codecs.COMPLETE_SURE.encode(cohort.id, ids[1]),
                )
            ],
            [button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))],
        ]
    )
    await edit_in_place(query, "\n".join(lines)[:4000], keyboard)


async def complete_sure_callback(update: Update, context: BotContext) -> None:
    """Complete it: in one transaction the roles change and every card and diploma is written
    down to be sent; then they are sent (claimed one by one, see handlers/jobs/course/cards.py).
    Whatever a crash or Telegram cuts off is sent by the course's job, or shown to her."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    ids = codecs.COMPLETE_SURE.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    t, now, coordinator = context.t, context.clock.now(), context.identity.telegram_id
    yes, _ = await eligible_women(context, cohort)
    async with context.db.transaction() as tx:
        done = cohort.version == ids[1] and await complete_cohort(tx, cohort.id, now)
        if done:
            await ensure_person(tx, coordinator, None)  # an admin may have no row yet
            for who, name in yes:
                await make_mother(tx, who, cohort.district_id, name, now)
                token = secrets.token_urlsafe(16)
                await issue_card(tx, token, who, cohort.district_id, name, now)
                await add_delivery(tx, cohort.id, who, "card", name, who, coordinator, token)
                await add_delivery(tx, cohort.id, who, "diploma", name, coordinator, coordinator)
    if not done:
        await query.answer("🔄 " + stale_text(t), show_alert=True)
        return
    await query.answer("🎓")
    await edit_in_place(
        query, "🎓 " + t._("The course is completed. The new bydelsmødre are being told.")
    )
    await deliver_completions(context.bot, context.services)


def delivery_line(t: Translator, d: Delivery) -> str | None:
    """What the coordinator must know about one card or diploma, or None if it arrived."""
    what = (t._("ID card of {name}") if d.kind == "card" else t._("Diploma of {name}")).format(
        name=escape(d.name)
    )
    if d.uncertain:
        return "❓ " + what + ": " + t._("perhaps not delivered (no answer from Telegram)")
    if d.outcome == "failed":
        return "⚠️ " + what + ": " + t._("could not be drawn or sent")
    if d.outcome == "unreachable":
        return "🚫 " + what + ": " + t._("she has blocked the bot")
    if d.claimed_at is None:
        return "⏳ " + what + ": " + t._("waiting to be sent")
    return None


async def cards_callback(update: Update, context: BotContext) -> None:
    """The district's ID cards, each with a button to withdraw it; above them, any card or
    diploma of this cohort that did not surely arrive, with a button to send it again."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CARDS.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    await edit_in_place(query, *await cards_screen(context, cohort))


async def cards_screen(context: BotContext, cohort: Cohort) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    lines = [
        "🪪 "
        + t._("ID cards of {district}: press a name to withdraw her card.").format(
            district=t.ltr(escape(cohort.district_name))
        )
    ]
    rows = []
    for d in await deliveries_of(context.db, cohort.id):
        line = delivery_line(t, d)
        if line is None:
            continue
        lines.append(line)
        if d.uncertain or d.outcome == "failed":
            label = t._("Send again: {name}").format(name=d.name)
            rows.append([button("🔁", label, codecs.SEND_AGAIN.encode(cohort.id, d.id))])
    rows += [
        [
            button(
                "⛔" if c.withdrawn_at else "🪪",
                c.name,
                codecs.WITHDRAW_CARD.encode(cohort.id, c.telegram_id),
            )
        ]
        for c in (await cards_in(context.db, cohort.district_id))[:60]
    ]
    rows.append([button("⬅️", t._("Back"), codecs.COHORT.encode(cohort.id))])
    return "\n".join(lines)[:4000], InlineKeyboardMarkup(rows)


async def send_again_callback(update: Update, context: BotContext) -> None:
    """She has checked (or accepts a second copy): send an uncertain or failed one again."""
    query = update.callback_query
    assert query is not None
    ids = codecs.SEND_AGAIN.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    if not await send_again(context.db, ids[1], cohort.id):
        await answer_expired(query, context.t)
        return
    await query.answer("🔁")
    found = await get_delivery(context.db, ids[1])
    if found is not None:
        await deliver_one(context.bot, context.services, found)
    await edit_in_place(query, *await cards_screen(context, cohort))


async def withdraw_card_callback(update: Update, context: BotContext) -> None:
    """Ask, then withdraw: her card's link says "withdrawn" from now on."""
    query = update.callback_query
    assert query is not None
    sure = codecs.WITHDRAW_CARD_SURE.ids(query.data)
    ids = sure or codecs.WITHDRAW_CARD.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    t = context.t
    cards = [
        c
        for c in await cards_in(context.db, cohort.district_id)
        if c.telegram_id == ids[1] and c.withdrawn_at is None
    ]
    if not cards:
        await answer_expired(query, t)
        return
    await query.answer()
    if not sure:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    button(
                        "⛔",
                        t._("Yes, withdraw the card"),
                        codecs.WITHDRAW_CARD_SURE.encode(cohort.id, ids[1]),
                    )
                ],
                [button("⬅️", t._("Back"), codecs.CARDS.encode(cohort.id))],
            ]
        )
        await edit_in_place(
            query,
            "❓ " + t._("Withdraw the ID card of {name}?").format(name=escape(cards[0].name)),
            keyboard,
        )
        return
    for card in cards:
        await withdraw_card(context.db, card.token, context.clock.now())
    await edit_in_place(
        query, "⛔ " + t._("The ID card of {name} is withdrawn.").format(name=escape(cards[0].name))
    )
