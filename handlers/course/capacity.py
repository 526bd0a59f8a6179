"""A capacity the buttons do not offer, typed: checked (a number, 1-200, never below the places
taken or offered), then set as a button would."""

from __future__ import annotations

from telegram import Update

from bot.course import waitlist
from bot.course.waitlist import MAX_CAPACITY, MIN_CAPACITY, Result
from bot.i18n import Translator
from handlers.common.awaiting import ask
from handlers.common.context import BotContext
from handlers.common.render import edit_in_place
from handlers.course import codecs, typed
from handlers.course.cohorts import cohort_card, managed_cohort, stale_text
from handlers.course.places import change_places
from handlers.jobs.course import deliver_offers
from storage.course.cohorts import get_cohort


def capacity_prompt(t: Translator) -> str:
    return "✏️ " + t._("Type the number of places, from {low} to {high}.").format(
        low=t.ltr(MIN_CAPACITY), high=t.ltr(MAX_CAPACITY)
    )


async def typed_capacity_callback(update: Update, context: BotContext) -> None:
    """Ask for the number."""
    query = update.callback_query
    assert query is not None
    ids = codecs.CAPACITY_TYPED.ids(query.data)
    cohort = await managed_cohort(update, context, ids[0] if ids else None)
    if cohort is None or ids is None:
        return
    await query.answer()
    await ask(context, typed.CAPACITY, str(cohort.id), str(ids[1]))
    await edit_in_place(query, capacity_prompt(context.t))


async def capacity_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """The number: refused with the reason (and asked again), or set."""
    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    t, now = context.t, context.clock.now()
    cohort = await get_cohort(context.db, int(values[0])) if len(values) == 2 else None
    if cohort is None:
        await message.reply_text("⌛ " + t._("This took too long. Nothing was saved."))
        return
    text = (message.text or "").strip()
    number = int(text) if text.isascii() and text.isdecimal() and len(text) <= 6 else None
    if number is None or not MIN_CAPACITY <= number <= MAX_CAPACITY:
        await ask(context, typed.CAPACITY, *values)
        if number is None:
            reply = t._("Please type a number, for example 22.")
        else:
            reply = t._("The capacity must be between {low} and {high}. Nothing was changed.")
        await message.reply_text("⚠️ " + reply.format(low=MIN_CAPACITY, high=MAX_CAPACITY))
        return
    changed = await change_places(
        context.db,
        cohort.id,
        lambda s: waitlist.set_capacity(s, number, now),
        now,
        seen_version=int(values[1]),
    )
    if changed is None or changed.stale:
        await message.reply_text("🔄 " + stale_text(t))
    elif changed.step.result is Result.CAPACITY_TOO_SMALL:
        reply = t._(
            "{n} places are taken or offered already: the capacity cannot be lower. Nothing was "
            "changed."
        )
        await ask(context, typed.CAPACITY, values[0], str(changed.cohort.version))
        await message.reply_text("⚠️ " + reply.format(n=changed.step.state.taken))
        return
    card, keyboard = await cohort_card(context, changed.cohort if changed else cohort)
    await context.bot.send_message(
        update.effective_chat.id, card, parse_mode="HTML", reply_markup=keyboard
    )
    await deliver_offers(context.bot, context.services)
