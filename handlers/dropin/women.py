"""/dropin for any woman: when and where she can meet a bydelsmor, in her language.

Anonymous like the help guide: the district she picks lives only in the button she pressed,
never with her id. The one thing stored is a morning reminder she asks for (her chat id and the
session's date), which /mydata shows, /forget deletes, and which is gone the day after.
"""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.dropin.rota import WOMEN_HORIZON_DAYS, morning_moment
from bot.ics import CalendarEvent, calendar_file
from handlers.common.context import BotContext
from handlers.common.help_flow import remember, remember_hers, send
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.dropin import codecs
from handlers.dropin.common import (
    Scheduled,
    coming,
    occurrence_block,
    occurrence_of,
    short_day,
    title,
    wake_at,
    when,
)
from storage.dropin.sessions import (
    SessionRecord,
    get_session,
    list_sessions,
    subscribe,
    subscribed_days,
    unsubscribe,
)

SHOWN = 5  # occurrences in one message: enough for the coming weeks, short on a phone
REMINDABLE = 3  # "remind me" buttons for the soonest ones
CALENDAR_DAYS = 92  # the calendar file covers the next three months


async def dropin_command(update: Update, context: BotContext) -> None:
    """Show the next drop-in sessions and activities, all districts."""
    assert update.effective_chat is not None
    remember_hers(update, context)
    await show_sessions(update.effective_chat.id, context, 0)


async def dropin_menu_callback(update: Update, context: BotContext) -> None:
    """The menu's 📍 button (and the help guide's): the sessions, all districts."""
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await show_sessions(update.effective_chat.id, context, 0)


async def district_callback(update: Update, context: BotContext) -> None:
    """She picked a district (or all): its sessions, soonest first."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    district_id = codecs.decode_id(codecs.WOMEN, query.data)
    if district_id is None:
        await answer_expired(query, context.t)
        return
    await query.answer()
    text, keyboard, _ = await sessions_message(context, update.effective_chat.id, district_id)
    await edit_in_place(query, text, keyboard)


async def show_sessions(chat_id: int, context: BotContext, district_id: int) -> None:
    text, keyboard, venues = await sessions_message(context, chat_id, district_id)
    await send(context, chat_id, text, keyboard)
    for session in venues:
        assert session.latitude is not None and session.longitude is not None
        message = await context.bot.send_venue(
            chat_id,
            latitude=session.latitude,
            longitude=session.longitude,
            title=session.location_name,
            address=session.address,
        )
        remember(context, [message.message_id])


async def sessions_message(
    context: BotContext, chat_id: int, district_id: int
) -> tuple[str, InlineKeyboardMarkup | None, list[SessionRecord]]:
    t, tz = context.t, context.services.config.tz
    sessions = await list_sessions(context.db)
    chosen = [s for s in sessions if district_id in (0, s.district_id)]
    found = (await coming(context.db, chosen, context.clock.now(), WOMEN_HORIZON_DAYS, tz))[:SHOWN]
    lines = ["📍 <b>" + t._("Where you can meet a bydelsmor") + "</b>"]
    if not found:
        lines += ["", t._("No sessions are planned in the coming weeks.")]
    lines += ["\n" + occurrence_block(t, s, o, tz) for s, o in found]
    asked = await subscribed_days(context.db, chat_id)
    rows = _remind_rows(context, found, asked)
    seen: set[int] = set()
    for session, _ in found:
        if session.id not in seen:
            seen.add(session.id)
            label = t._("Calendar: {place}").format(place=t.ltr(escape(session.location_name)))
            rows.append([button("📅", label, codecs.calendar(session.id))])
    districts = {s.district_id: s.district_name for s in sessions}
    if len(districts) > 1:
        picks = [
            (i, n) for i, n in sorted(districts.items(), key=lambda d: d[1]) if i != district_id
        ]
        row = [button("🏘", escape(name), codecs.women(i)) for i, name in picks]
        if district_id:
            row.append(button("🌍", t._("All districts"), codecs.women(0)))
        rows += [row[i : i + 2] for i in range(0, len(row), 2)]
    venues = list({s.id: s for s, _ in found if s.latitude is not None}.values())
    # No session and one district: no buttons (Telegram refuses an empty keyboard).
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None, venues


def _remind_rows(
    context: BotContext, found: list[Scheduled], asked: set[tuple[int, date]]
) -> list[list[InlineKeyboardButton]]:
    t, tz = context.t, context.services.config.tz
    rows = []
    for session, occurrence in [pair for pair in found if not pair[1].cancelled][:REMINDABLE]:
        day = short_day(t, occurrence, tz)
        if (session.id, occurrence.day) in asked:
            label = t._("No reminder on {date}").format(date=day)
            rows.append([button("🔕", label, codecs.remind("u", session.id, occurrence.day))])
        else:
            label = t._("Remind me on the morning of {date}").format(date=day)
            rows.append([button("⏰", label, codecs.remind("r", session.id, occurrence.day))])
    return rows


async def remind_callback(update: Update, context: BotContext) -> None:
    """Remember her chat for that morning (or forget it), then show the list again."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    asked = codecs.decode_remind(query.data)
    tz, t = context.services.config.tz, context.t
    found = await occurrence_of(context.db, asked.session_id, asked.day, tz) if asked else None
    if asked is None or found is None or found[1].ends_at <= context.clock.now():
        await answer_expired(query, t)
        return
    session, occurrence = found
    chat_id = update.effective_chat.id
    if asked.action == "u":
        await unsubscribe(context.db, chat_id, session.id, occurrence.day)
        await query.answer(t._("No reminder for that day."))
    elif occurrence.cancelled:
        await query.answer(t._("This session is cancelled."), show_alert=True)
        return
    else:
        await subscribe(context.db, chat_id, session.id, occurrence.day)
        wake_at(context, morning_moment(occurrence.day, tz))
        text = t._("I will remind you on the morning of {date}.")
        await query.answer(text.format(date=short_day(t, occurrence, tz)))
    text, keyboard, _ = await sessions_message(context, chat_id, session.district_id)
    await edit_in_place(query, text, keyboard)


async def calendar_callback(update: Update, context: BotContext) -> None:
    """A calendar file of the next three months at the session's place."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    session_id = codecs.decode_id(codecs.CALENDAR, query.data)
    session = await get_session(context.db, session_id) if session_id is not None else None
    if session is None:
        await answer_expired(query, context.t)
        return
    await query.answer()
    # The place's calendar: every session held there.
    there = [s for s in await list_sessions(context.db) if s.location_id == session.location_id]
    found = await coming(
        context.db, there, context.clock.now(), CALENDAR_DAYS, context.services.config.tz
    )
    await send_calendar(update.effective_chat.id, context, [p for p in found if not p[1].cancelled])


async def send_calendar(chat_id: int, context: BotContext, found: list[Scheduled]) -> None:
    t, tz = context.t, context.services.config.tz
    events = [
        CalendarEvent(
            uid=f"{session.uid}-{occurrence.day:%Y%m%d}@bydelsbot",
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            summary=title(t, session),
            location=f"{session.location_name}, {session.address}",
        )
        for session, occurrence in found
    ]
    data = calendar_file(events, tz, context.clock.now())
    message = await context.bot.send_document(
        chat_id,
        InputFile(data, filename="bydelsmodre-dropin.ics"),
        caption="📅 " + t._("Open this file to add the sessions to your phone's calendar."),
    )
    remember(context, [message.message_id])


async def next_dropin_line(context: BotContext) -> str | None:
    """The help guide's line about the real next drop-in, from the schedule."""
    t, tz = context.t, context.services.config.tz
    sessions = [s for s in await list_sessions(context.db) if s.kind == "dropin"]
    found = [
        p
        for p in await coming(context.db, sessions, context.clock.now(), 14, tz)
        if not p[1].cancelled
    ]
    if not found:
        return None
    session, occurrence = found[0]
    # TRANSLATORS: {when} is a day and time, {place} the name of a place.
    return "📍 " + t._("Next drop-in: {when}, {place}.").format(
        when=t.format_datetime(occurrence.starts_at, tz),
        place=t.ltr(escape(session.location_name)),
    )


async def place_schedules(context: BotContext) -> dict[str, list[str]]:
    """Each place's coming sessions, for its help-guide card (place id -> lines): the next date
    of every session held there in the next 14 days, and whether it is cancelled."""
    t, tz = context.t, context.services.config.tz
    found = await coming(context.db, await list_sessions(context.db), context.clock.now(), 14, tz)
    lines: dict[str, list[str]] = {}
    seen: set[int] = set()
    for session, occurrence in found:
        if session.id in seen:
            continue  # its next date only: the card stays short
        seen.add(session.id)
        line = f"🗓 {title(t, session)} · {when(t, occurrence, tz)}"
        if occurrence.cancelled:
            line += " · ❌ " + t._("Cancelled this week.")
        lines.setdefault(session.location_id, []).append(line)
    return lines
