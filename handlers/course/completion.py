"""Completing a cohort: every woman who has enough modules (module 1 and 17 among them) becomes
a bydelsmor of the district, is welcomed in her language and gets her ID card; the coordinator
gets a printable diploma per woman. A coordinator can withdraw a card; its QR link then says
"withdrawn"."""

from __future__ import annotations

import io
import secrets

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Forbidden

from bot.course.cards import render_card, render_diploma
from bot.i18n import translator
from bot.identity import Role
from handlers.common.commands import set_chat_commands
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.course import clock, codecs
from handlers.course.cohorts import managed_cohort, stale_text
from handlers.course.progress import progress_of
from handlers.course.texts import cohort_label
from storage.course.cards import cards_in, issue_card, withdraw_card
from storage.course.cohorts import Cohort, complete_cohort, make_mother, places_of
from storage.people import mark_unreachable


def card_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start=card-{token}"


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
    ids = codecs.COMPLETE.decode(query.data)
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
    """Complete it: roles change in one transaction, then the welcomes, cards and diplomas."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    ids = codecs.COMPLETE_SURE.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    t, now = context.t, clock.now()
    yes, _ = await eligible_women(context, cohort)
    async with context.db.transaction() as tx:
        done = cohort.version == ids[1] and await complete_cohort(tx, cohort.id, now)
        if done:
            for who, name in yes:
                await make_mother(tx, who, cohort.district_id, name, now)
    if not done:
        await query.answer("🔄 " + stale_text(t), show_alert=True)
        return
    await query.answer("🎓")
    await edit_in_place(
        query, "🎓 " + t._("The course is completed. The new bydelsmødre are being told.")
    )
    tz = context.services.config.tz
    places = {p.telegram_id: p for p in await places_of(context.db, cohort.id)}
    for who, name in yes:
        token = secrets.token_urlsafe(16)
        await issue_card(context.db, token, who, cohort.district_id, name, now)
        wt = translator(places[who].locale or "nb")
        welcome = "🎉 " + wt._(
            "Congratulations, {name}! You have completed the basic training and are now a "
            "bydelsmor in {district}. Here is your ID card."
        ).format(name=escape(name), district=wt.ltr(escape(cohort.district_name)))
        card = render_card(
            name,
            cohort.district_name,
            now.astimezone(tz).date(),
            card_link(context.bot.username, token),
        )
        try:
            await context.bot.send_photo(
                who,
                InputFile(io.BytesIO(card), filename="id-card.png"),
                caption=welcome,
                parse_mode="HTML",
            )
            await set_chat_commands(context.bot, who, Role.MOTHER, wt)
        except (Forbidden, BadRequest) as exc:
            if isinstance(exc, BadRequest) and "chat not found" not in exc.message.lower():
                raise
            # She blocked the bot: she is a bydelsmor all the same; her coordinator has the
            # diploma, and the card can be sent again when she writes.
            await mark_unreachable(context.db, who, now)
        diploma = render_diploma(name, cohort.district_name, now.astimezone(tz).date())
        await context.bot.send_document(
            update.effective_chat.id,
            InputFile(io.BytesIO(diploma), filename=f"diplom-{who}.png"),
            caption=escape(name),
            parse_mode="HTML",
        )


async def cards_callback(update: Update, context: BotContext) -> None:
    """The district's ID cards, each with a button to withdraw it."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CARDS.decode(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None:
        return
    await query.answer()
    t = context.t
    rows = [
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
    text = "🪪 " + t._("ID cards of {district}: press a name to withdraw her card.").format(
        district=t.ltr(escape(cohort.district_name))
    )
    await edit_in_place(query, text, InlineKeyboardMarkup(rows))


async def withdraw_card_callback(update: Update, context: BotContext) -> None:
    """Ask, then withdraw: her card's link says "withdrawn" from now on."""
    query = update.callback_query
    assert query is not None
    sure = codecs.WITHDRAW_CARD_SURE.decode(query.data)
    ids = sure or codecs.WITHDRAW_CARD.decode(query.data)
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
        await withdraw_card(context.db, card.token, clock.now())
    await edit_in_place(
        query, "⛔ " + t._("The ID card of {name} is withdrawn.").format(name=escape(cards[0].name))
    )
