"""A woman's answer to the offer of a freed place: accept (if her window is still open) or
decline. Either way the list moves on at once."""

from __future__ import annotations

from telegram import Update

from bot.course import waitlist
from bot.course.waitlist import Result
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, edit_in_place
from handlers.course import codecs
from handlers.course.places import change_places
from handlers.course.texts import cohort_label
from handlers.jobs.course import deliver_offers


async def offer_answer_callback(update: Update, context: BotContext) -> None:
    """Take her place, or give it to the next woman."""
    query = update.callback_query
    assert query is not None
    accepting = codecs.ACCEPT.ids(query.data)
    ids = accepting or codecs.DECLINE.ids(query.data)
    if ids is None:
        await answer_expired(query, context.t)
        return
    who, now, t = context.identity.telegram_id, context.clock.now(), context.t
    rule = waitlist.accept if accepting else waitlist.decline
    changed = await change_places(context.db, ids[0], lambda s: rule(s, who, now), now)
    if changed is None or changed.stale:
        await answer_expired(query, t)
        return
    await query.answer()
    label = cohort_label(t, changed.cohort)
    result = changed.step.result
    if result is Result.ACCEPTED or result is Result.ALREADY:
        text = "🎉 " + t._(
            "Welcome to the basic training {cohort}! You will get a reminder the day before each "
            "evening. See your course with {command}."
        ).format(cohort=label, command=t.command("course"))
    elif result is Result.DECLINED:
        text = "👍 " + t._("All right: the place goes to the next woman. Thank you for answering.")
    else:
        text = "⌛ " + t._(
            "Sorry, the time to answer this offer has passed, and the place went to the next "
            "woman. Nothing was changed."
        )
    await edit_in_place(query, text)
    await deliver_offers(context.bot, context.services)
