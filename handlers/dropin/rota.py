"""/rota for bydelsmødre: who is on duty at the coming sessions, the empty places, and taking,
withdrawing and swapping a shift. Access is checked again on every press; the limits (never
above the maximum, one owner per shift) are kept by storage/dropin/rota.py's transactions.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import Action, allowed, may_take_shifts
from bot.days import local_instant
from bot.dropin.plan import Occurrence
from bot.dropin.rota import EVENING_BEFORE, ROTA_HORIZON_DAYS, free_places, may_withdraw
from bot.i18n import translator
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.dropin import codecs
from handlers.dropin.common import (
    Scheduled,
    coming,
    occurrence_of,
    send_to,
    short_day,
    title,
    wake_at,
    wake_for_alerts,
    when,
)
from handlers.dropin.women import send_calendar
from storage.dropin.rota import (
    Accepted,
    Shift,
    Taken,
    accept_swap,
    get_swap,
    locale_of,
    locales_of,
    my_shifts,
    offer_swap,
    shifts_on,
    take_shift,
    withdraw_shift,
)
from storage.dropin.sessions import list_sessions

SHOWN = 6


def rota_districts(context: BotContext) -> dict[int, str]:
    """The districts whose rota she may see: where she is a bydelsmor or coordinator."""
    identity = context.identity
    return {
        m.district_id: m.district_name
        for m in identity.memberships
        if may_take_shifts(identity, m.district_id)
    }


async def rota_command(update: Update, context: BotContext) -> None:
    """Show the rota of her district (a picker first if she has several)."""
    assert update.effective_chat is not None
    districts = rota_districts(context)
    t = context.t
    if not districts:
        await context.bot.send_message(
            update.effective_chat.id, "🔒 " + t._("The rota is for bydelsmødre of a district.")
        )
        return
    if len(districts) > 1:
        rows = [[button("🏘", escape(name), codecs.rota(i))] for i, name in districts.items()]
        await context.bot.send_message(
            update.effective_chat.id,
            "🏘 " + t._("Which district?"),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    text, keyboard = await rota_message(context, next(iter(districts)))
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode="HTML", reply_markup=keyboard
    )


async def rota_callback(update: Update, context: BotContext) -> None:
    """A district picked from the list."""
    query = update.callback_query
    assert query is not None and query.data is not None
    district_id = codecs.decode_id(codecs.ROTA, query.data)
    if district_id is None or district_id not in rota_districts(context):
        await answer_expired(query, context.t)
        return
    await query.answer()
    text, keyboard = await rota_message(context, district_id)
    await edit_in_place(query, text, keyboard)


async def rota_message(context: BotContext, district_id: int) -> tuple[str, InlineKeyboardMarkup]:
    t, tz, me = context.t, context.services.config.tz, context.identity.telegram_id
    sessions = await list_sessions(context.db, [district_id])
    found = (await coming(context.db, sessions, context.clock.now(), ROTA_HORIZON_DAYS, tz))[:SHOWN]
    name = rota_districts(context).get(district_id, "")
    lines = ["🗓 <b>" + t._("Rota: {district}").format(district=t.ltr(escape(name))) + "</b>"]
    if not found:
        lines += ["", t._("No sessions are planned in the coming weeks.")]
    rows: list[list[InlineKeyboardButton]] = []
    manages = allowed(context.identity, Action.MANAGE_DROPIN, district_id)
    for session, occurrence in found:
        on_duty = (await shifts_on(context.db, session.id, [occurrence.day]))[occurrence.day]
        lines += ["", f"<b>{title(t, session)}</b>", "🗓 " + when(t, occurrence, tz)]
        if occurrence.cancelled:
            lines.append("❌ " + t._("Cancelled this week."))
            continue
        lines.append(duty_line(context, on_duty, session.min_on_duty, session.max_on_duty))
        day = short_day(t, occurrence, tz)
        mine = any(s.telegram_id == me for s in on_duty)
        if mine and may_withdraw(occurrence, session.withdraw_hours, context.clock.now()):
            label = t._("{date}: withdraw").format(date=day)
            rows.append([button("↩️", label, codecs.shift("w", session.id, occurrence.day))])
        elif mine:
            label = t._("{date}: offer a swap").format(date=day)
            rows.append([button("🔁", label, codecs.shift("s", session.id, occurrence.day))])
        elif len(on_duty) < session.max_on_duty:
            label = t._("{date}: take a shift").format(date=day)
            rows.append([button("🙋", label, codecs.shift("t", session.id, occurrence.day))])
        if manages:
            label = t._("{date}: cancel the session").format(date=day)
            rows.append([button("❌", label, codecs.alert("c", session.id, occurrence.day))])
    rows.append([button("📅", t._("My shifts in my calendar"), codecs.my_calendar())])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def wake_for_shift(context: BotContext, occurrence: Occurrence) -> None:
    """Her reminder the evening before, and the question once the shift is over."""
    tz = context.services.config.tz
    evening = local_instant(occurrence.day - timedelta(days=1), EVENING_BEFORE, tz)
    wake_at(context, evening, occurrence.ends_at)


def duty_line(context: BotContext, on_duty: list[Shift], low: int, high: int) -> str:
    t = context.t
    names = ", ".join(t.ltr(escape(s.name)) for s in on_duty) or "—"
    free = free_places(len(on_duty), high)
    # TRANSLATORS: {names} are the bydelsmødre on duty; {free} a number of empty places.
    text = (
        "👥 "
        + names
        + " · "
        + t.ngettext("{free} place free", "{free} places free", free).format(free=t.ltr(free))
    )
    if len(on_duty) < low:
        text += " · ⚠️ " + t.ngettext(
            "{n} more needed", "{n} more needed", low - len(on_duty)
        ).format(n=t.ltr(low - len(on_duty)))
    return text


async def shift_callback(update: Update, context: BotContext) -> None:
    """Take a shift, withdraw from one, or offer it for a swap."""
    query = update.callback_query
    assert query is not None and query.data is not None
    asked = codecs.decode_shift(query.data)
    tz, t, me = context.services.config.tz, context.t, context.identity.telegram_id
    found = await occurrence_of(context.db, asked.session_id, asked.day, tz) if asked else None
    if (
        asked is None
        or found is None
        or found[1].starts_at <= context.clock.now()
        or found[1].cancelled
    ):
        await answer_expired(query, t)
        return
    session, occurrence = found
    if not may_take_shifts(context.identity, session.district_id):
        await query.answer(t._("The rota is for bydelsmødre of a district."), show_alert=True)
        return
    if asked.action == "t":
        taken = await take_shift(context.db, session.id, occurrence.day, me, context.clock.now())
        toast = {
            Taken.TAKEN: t._("Thank you! You are on duty."),
            Taken.FULL: t._("Sorry, this session is full."),
            Taken.ALREADY: t._("You are on duty already."),
            Taken.NOT_MEMBER: t._("The rota is for bydelsmødre of a district."),
        }[taken]
        await query.answer(toast, show_alert=taken is not Taken.TAKEN)
        if taken is Taken.TAKEN:
            wake_for_shift(context, occurrence)
    elif asked.action == "w":
        if not may_withdraw(occurrence, session.withdraw_hours, context.clock.now()):
            await query.answer(
                t._("It is too late to withdraw: offer a swap instead."), show_alert=True
            )
        elif await withdraw_shift(context.db, session.id, occurrence.day, me):
            await query.answer(t._("You are no longer on duty."))
            await wake_for_alerts(context, session.id)  # below the minimum now, perhaps
        else:
            await answer_expired(query, t)
            return
    else:
        swap_id = await offer_swap(context.db, session.id, occurrence.day, me, context.clock.now())
        if swap_id is None:
            await answer_expired(query, t)
            return
        await query.answer(t._("Your shift is offered to the other bydelsmødre."))
        await offer_to_others(context, (session, occurrence), swap_id)
    text, keyboard = await rota_message(context, session.district_id)
    await edit_in_place(query, text, keyboard)


async def offer_to_others(context: BotContext, found: Scheduled, swap_id: int) -> None:
    session, occurrence = found
    tz, me = context.services.config.tz, context.identity.telegram_id
    for telegram_id, locale in await locales_of(
        context.db, session.district_id, ("mother", "coordinator")
    ):
        if telegram_id == me:
            continue
        t = translator(locale)
        text = "🔁 " + t._("A bydelsmor cannot come to her shift. Can you take it?") + "\n\n"
        text += f"<b>{title(t, session)}</b>\n🗓 {when(t, occurrence, tz)}"
        keyboard = InlineKeyboardMarkup(
            [[button("✅", t._("I take the shift"), codecs.accept(swap_id))]]
        )
        await send_to(context, telegram_id, text, keyboard)


async def accept_callback(update: Update, context: BotContext) -> None:
    """She takes over a shift offered for a swap: the first press wins."""
    query = update.callback_query
    assert query is not None and query.data is not None
    swap_id = codecs.decode_id(codecs.ACCEPT, query.data)
    t, tz = context.t, context.services.config.tz
    offer = await get_swap(context.db, swap_id) if swap_id is not None else None
    found = await occurrence_of(context.db, offer.session_id, offer.day, tz) if offer else None
    if (
        swap_id is None
        or offer is None
        or found is None
        or found[1].starts_at <= context.clock.now()
    ):
        await query.answer(t._("Someone has taken this shift already."), show_alert=True)
        return
    result = await accept_swap(
        context.db, swap_id, context.identity.telegram_id, context.clock.now()
    )
    toast = {
        Accepted.ACCEPTED: t._("Thank you! You are on duty."),
        Accepted.GONE: t._("Someone has taken this shift already."),
        Accepted.ALREADY: t._("You are on duty already."),
        Accepted.NOT_MEMBER: t._("The rota is for bydelsmødre of a district."),
    }[result]
    await query.answer(toast, show_alert=result is not Accepted.ACCEPTED)
    if result is Accepted.ACCEPTED:
        wake_for_shift(context, found[1])
        await edit_in_place(query, "✅ " + toast)
        before = translator(await locale_of(context.db, offer.offered_by))
        text = "🔁 " + before._("Another bydelsmor took your shift:") + "\n"
        text += f"<b>{title(before, found[0])}</b>\n🗓 {when(before, found[1], tz)}"
        await send_to(context, offer.offered_by, text, None)


async def my_calendar_callback(update: Update, context: BotContext) -> None:
    """Her own coming shifts as a calendar file."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    tz = context.services.config.tz
    found: list[Scheduled] = []
    today = context.clock.now().astimezone(tz).date()
    for shift in await my_shifts(context.db, context.identity.telegram_id, today):
        pair = await occurrence_of(context.db, shift.session_id, shift.day, tz)
        if pair is not None and not pair[1].cancelled and pair[1].ends_at > context.clock.now():
            found.append(pair)
    await send_calendar(update.effective_chat.id, context, found)
