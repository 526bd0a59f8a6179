"""A coordinator's answers to a short-handed session: ask every bydelsmor of the district to
come, or cancel the session (asked once more, then the women who asked for a reminder and the
bydelsmødre on duty are told)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.dropin.plan import Occurrence
from bot.dropin.rota import free_places
from bot.i18n import Translator, translator
from handlers.common.context import BotContext, Services
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.delivery.sender import send_one, send_to_member
from handlers.dropin import codecs
from handlers.dropin.common import occurrence_block, occurrence_of, send_to, short_day, title, when
from storage.dropin.rota import locale_of, locales_of, shifts_on
from storage.dropin.sessions import SessionRecord, cancel_occurrence, subscribers


async def alert_callback(update: Update, context: BotContext) -> None:
    """Ask all bydelsmødre (a), ask to confirm a cancellation (c), or cancel (k)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    asked = codecs.decode_alert(query.data)
    t, tz = context.t, context.services.config.tz
    found = await occurrence_of(context.db, asked.session_id, asked.day, tz) if asked else None
    if asked is None or found is None or found[1].starts_at <= context.clock.now():
        await answer_expired(query, t)
        return
    session, occurrence = found
    if not allowed(context.identity, Action.MANAGE_DROPIN, session.district_id):
        await answer_expired(query, t)
        return
    if occurrence.cancelled:
        await query.answer(t._("This session is cancelled."), show_alert=True)
        return
    if asked.action == "a":
        sent = await ask_all(context, session, occurrence)
        await query.answer(
            t.ngettext("Asked {n} bydelsmor.", "Asked {n} bydelsmødre.", sent).format(n=sent)
        )
    elif asked.action == "c":
        await query.answer()
        text = "❓ " + t._("Cancel this session? The women who asked for a reminder are told.")
        text += "\n\n" + occurrence_block(t, session, occurrence, tz)
        sure = codecs.alert("k", session.id, occurrence.day)
        keyboard = InlineKeyboardMarkup([[button("❌", t._("Yes, cancel it"), sure)]])
        chat_id = query.message.chat.id if query.message else context.identity.telegram_id
        await context.bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=keyboard)
    else:
        changed = await cancel_occurrence(
            context.db,
            session.id,
            occurrence.day,
            None,
            context.identity.telegram_id,
            context.clock.now(),
        )
        await query.answer(t._("The session is cancelled."))
        block = occurrence_block(t, session, occurrence, tz)
        await edit_in_place(query, "❌ " + t._("The session is cancelled.") + "\n\n" + block)
        if changed:
            await tell_cancelled(context, session, occurrence)


async def ask_all(context: BotContext, session: SessionRecord, occurrence: Occurrence) -> int:
    """'2 places free on Wednesday: can you come?' to every bydelsmor not on duty."""
    tz = context.services.config.tz
    on_duty = (await shifts_on(context.db, session.id, [occurrence.day]))[occurrence.day]
    taken = {s.telegram_id for s in on_duty}
    free = free_places(len(on_duty), session.max_on_duty)
    sent = 0
    for telegram_id, locale in await locales_of(
        context.db, session.district_id, ("mother", "coordinator")
    ):
        if telegram_id in taken:
            continue
        t = translator(locale)
        # TRANSLATORS: {n} empty places; {date} a day.
        text = "🙋 " + t.ngettext(
            "{n} place free on {date}: can you come?",
            "{n} places free on {date}: can you come?",
            free,
        ).format(n=t.ltr(free), date=short_day(t, occurrence, tz))
        text += f"\n\n<b>{title(t, session)}</b>\n🗓 {when(t, occurrence, tz)}"
        take = t._("{date}: take a shift").format(date=short_day(t, occurrence, tz))
        shift = codecs.shift("t", session.id, occurrence.day)
        keyboard = InlineKeyboardMarkup([[button("🙋", take, shift)]])
        delivery = await send_to(context, telegram_id, text, keyboard)
        sent += delivery.outcome == "sent"
    return sent


def cancelled_text(
    t: Translator, session: SessionRecord, occurrence: Occurrence, tz: ZoneInfo
) -> str:
    block = occurrence_block(t, session, occurrence, tz)
    return "❌ " + t._("A session you asked about is cancelled:") + "\n\n" + block


async def tell_cancelled(
    context: BotContext, session: SessionRecord, occurrence: Occurrence
) -> None:
    await tell_cancelled_to(context.bot, context.services, session, occurrence)


async def tell_cancelled_to(
    bot: Bot, services: Services, session: SessionRecord, occurrence: Occurrence
) -> None:
    """The women who asked for a reminder (in the language they chose in the bot, else the
    working language) and the bydelsmødre on duty."""
    db, tz, clock = services.db, services.config.tz, services.clock
    marked = Occurrence(occurrence.day, occurrence.starts_at, occurrence.ends_at, True)
    for chat_id in await subscribers(db, session.id, occurrence.day):
        t = translator(await locale_of(db, chat_id))
        await send_one(bot, chat_id, cancelled_text(t, session, marked, tz), clock=clock)
    for shift in (await shifts_on(db, session.id, [occurrence.day]))[occurrence.day]:
        t = translator(await locale_of(db, shift.telegram_id))
        text = cancelled_text(t, session, marked, tz)
        await send_to_member(bot, db, shift.telegram_id, text, None, clock)
