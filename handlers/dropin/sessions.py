"""/sessions for coordinators: create and change the district's drop-in sessions and activities
from the phone, with buttons only (weekday, start and end, how many on duty, languages, an extra
date, ending a session). Every press checks her rights again for the session's district; the
database refuses an end before the start or a minimum above the maximum.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.dates import format_date, get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.dropin.plan import KINDS, day_key, parse_day_key
from bot.i18n import LANGUAGES, Translator
from bot.identity import Role
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.dropin import codecs
from handlers.dropin.common import languages, place, title, wake_at, wake_for_alerts
from storage.districts import list_districts
from storage.dropin.sessions import (
    SessionRecord,
    add_extra_date,
    create_session,
    get_session,
    list_sessions,
    places,
    update_session,
)

STARTS = tuple(f"{h:02d}{m:02d}" for h in range(9, 20) for m in (0, 30))
LENGTHS = (60, 90, 120, 150, 180, 240)  # minutes: the end times offered after a start
EXTRA_DAYS = 21
ANY_DAY = date(2000, 1, 3)  # for clock-time sums (an end 3 hours after a start): any day does
CUT_OFF_MOST = 14 * 24  # hours before a session that a shift can no longer be left


async def managed(context: BotContext) -> dict[int, str]:
    """The districts whose sessions she may change: those she coordinates (an admin: all)."""
    identity = context.identity
    if identity.role is Role.ADMIN:
        return {d.id: d.name for d in await list_districts(context.db)}
    return {
        m.district_id: m.district_name
        for m in identity.memberships
        if allowed(identity, Action.MANAGE_DROPIN, m.district_id)
    }


def weekday_name(t: Translator, weekday: int) -> str:
    return str(get_day_names("wide", locale=t.locale)[weekday])


async def sessions_command(update: Update, context: BotContext) -> None:
    """List the sessions of the districts she coordinates, to change one or add one."""
    assert update.effective_chat is not None
    text, keyboard = await sessions_list(context)
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode="HTML", reply_markup=keyboard
    )


async def sessions_list(context: BotContext) -> tuple[str, InlineKeyboardMarkup | None]:
    t, districts = context.t, await managed(context)
    if not districts:
        return "🔒 " + t._("Only a coordinator of the district can change its sessions."), None
    rows = []
    for session in await list_sessions(context.db, districts):
        label = f"{title(t, session)} · {weekday_name(t, session.weekday)} {session.starts}"
        rows.append([button("⚙️", label, codecs.session("o", session.id))])
    for district_id, name in districts.items():
        label = t._("New session in {district}").format(district=t.ltr(escape(name)))
        rows.append([button("➕", label, codecs.new_session(district_id))])
    return "⚙️ <b>" + t._("Sessions and activities") + "</b>", InlineKeyboardMarkup(rows)


async def session_callback(update: Update, context: BotContext) -> None:
    """A session's card, one of its pickers, or a setting chosen."""
    query = update.callback_query
    assert query is not None and query.data is not None
    asked = codecs.decode_session(query.data)
    session = await get_session(context.db, asked.session_id) if asked else None
    if asked is None or session is None or session.district_id not in await managed(context):
        await answer_expired(query, context.t)
        return
    t = context.t
    if asked.action.isupper() or asked.action == "q" or asked.action == "Z":
        ok = await apply_setting(context, session, asked)
        if not ok:
            await query.answer(t._("That does not fit the other settings."), show_alert=True)
            return
        await query.answer(t._("Saved."))
        await wake_for_alerts(context, session.id)  # a new time or minimum moves its alerts
        wake_at(
            context, context.clock.now()
        )  # a date it no longer has: her shift or reminder, told at once
        if asked.action == "T":  # the end comes next
            asked = codecs.SessionAsk("e", session.id, asked.value)
        else:
            asked = codecs.SessionAsk("o", session.id)
        session = await get_session(context.db, session.id) or session
    else:
        await query.answer()
    today = context.clock.now().astimezone(context.services.config.tz).date()
    text, keyboard = screen(t, session, asked, today)
    await edit_in_place(query, text, keyboard)


async def list_callback(update: Update, context: BotContext) -> None:
    """Back to the list of sessions."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    text, keyboard = await sessions_list(context)
    await edit_in_place(query, text, keyboard)


async def apply_setting(
    context: BotContext, session: SessionRecord, asked: codecs.SessionAsk
) -> bool:
    value, db = asked.value, context.db
    # Who and when: a later seed run keeps her change unless the file's session changed since.
    by, at = context.identity.telegram_id, context.clock.now()
    if asked.action == "W" and value.isdecimal() and int(value) < 7:
        return await update_session(db, session.id, by, at, weekday=int(value))
    if asked.action in "TE" and value in {f"{h:02d}{m:02d}" for h in range(24) for m in (0, 30)}:
        clock = f"{value[:2]}:{value[2:]}"
        if asked.action == "T":
            end = (datetime.combine(ANY_DAY, time.fromisoformat(clock)) + timedelta(hours=3)).time()
            ends = session.ends if session.ends > clock else min(end.strftime("%H:%M"), "23:59")
            return await update_session(db, session.id, by, at, starts=clock, ends=ends)
        return await update_session(db, session.id, by, at, ends=clock)
    if asked.action == "q" and value in ("a", "b", "c", "d"):
        low, high = session.min_on_duty, session.max_on_duty
        low, high = {
            "a": (low - 1, high),
            "b": (low + 1, high),
            "c": (low, high - 1),
            "d": (low, high + 1),
        }[value]
        if not 0 <= low <= high or not 1 <= high <= 50:
            return False
        return await update_session(db, session.id, by, at, min_on_duty=low, max_on_duty=high)
    if asked.action == "q" and value in ("e", "f"):
        hours = session.withdraw_hours + (12 if value == "f" else -12)
        if not 0 <= hours <= CUT_OFF_MOST:
            return False
        return await update_session(db, session.id, by, at, withdraw_hours=hours)
    if asked.action == "L" and value.isdecimal() and int(value) < len(LANGUAGES):
        code = LANGUAGES[int(value)].code
        chosen = list(session.languages)
        chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
        return await update_session(db, session.id, by, at, languages=",".join(chosen))
    if asked.action == "X":
        day = parse_day_key(value)
        today = context.clock.now().astimezone(context.services.config.tz).date()
        if day is None or not today <= day <= today + timedelta(days=EXTRA_DAYS):
            return False
        await add_extra_date(db, session.id, day, context.identity.telegram_id, context.clock.now())
        return True
    if asked.action == "Z":
        today = context.clock.now().astimezone(context.services.config.tz).date()
        return await update_session(db, session.id, by, at, valid_to=today.isoformat())
    return False


def screen(
    t: Translator, session: SessionRecord, asked: codecs.SessionAsk, today: date
) -> tuple[str, InlineKeyboardMarkup]:
    """The session's card, or the picker the press asked for, under the card's text."""
    rows: list[list[InlineKeyboardButton]] = []
    sid = session.id
    if asked.action == "w":
        rows = [
            [button("🗓", weekday_name(t, d), codecs.session("W", sid, str(d)))] for d in range(7)
        ]
    elif asked.action == "t":
        cells = [button("🕒", f"{v[:2]}:{v[2:]}", codecs.session("T", sid, v)) for v in STARTS]
        rows = [cells[i : i + 4] for i in range(0, len(cells), 4)]
    elif asked.action == "e":
        start = datetime.combine(ANY_DAY, time.fromisoformat(session.starts))
        ends = [(start + timedelta(minutes=m)).strftime("%H%M") for m in LENGTHS]
        cells = [
            button("🕓", f"{v[:2]}:{v[2:]}", codecs.session("E", sid, v))
            for v in ends
            if v > session.starts.replace(":", "")
        ]
        rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    elif asked.action == "l":
        cells = [
            button(
                "✅" if lang.code in session.languages else "▫️",
                lang.native_name,
                codecs.session("L", sid, str(i)),
            )
            for i, lang in enumerate(LANGUAGES)
        ]
        rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    elif asked.action == "x":
        days = [today + timedelta(days=n) for n in range(1, EXTRA_DAYS + 1)]
        cells = [
            button(
                "➕",
                str(format_date(d, "EEE d MMM", locale=t.locale)),
                codecs.session("X", sid, day_key(d)),
            )
            for d in days
        ]
        rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    elif asked.action == "z":
        rows = [[button("⏹", t._("Yes, end it today"), codecs.session("Z", sid))]]
    else:
        rows = [
            [
                button("🗓", t._("Weekday"), codecs.session("w", sid)),
                button("🕒", t._("Time"), codecs.session("t", sid)),
            ],
            [
                button("➖", t._("Fewer needed"), codecs.session("q", sid, "a")),
                button("➕", t._("More needed"), codecs.session("q", sid, "b")),
            ],
            [
                button("➖", t._("Fewer at most"), codecs.session("q", sid, "c")),
                button("➕", t._("More at most"), codecs.session("q", sid, "d")),
            ],
            [
                button("➖", t._("Shorter cut-off"), codecs.session("q", sid, "e")),
                button("➕", t._("Longer cut-off"), codecs.session("q", sid, "f")),
            ],
            [
                button("🗣", t._("Languages"), codecs.session("l", sid)),
                button("➕", t._("Extra date"), codecs.session("x", sid)),
            ],
            [button("⏹", t._("End this session"), codecs.session("z", sid))],
            [button("⬅️", t._("All sessions"), "ds:s:0")],
        ]
    if asked.action != "o":
        rows.append([button("⬅️", t._("Back"), codecs.session("o", sid))])
    return card(t, session), InlineKeyboardMarkup(rows)


def card(t: Translator, session: SessionRecord) -> str:
    lines = [
        f"⚙️ <b>{title(t, session)}</b> · {t.ltr(escape(session.district_name))}",
        f"🗓 {weekday_name(t, session.weekday)} {t.ltr(session.starts + '–' + session.ends)}",
        place(t, session),
        languages(t, session) or "🗣 —",
        "👥 "
        + t._("On duty: at least {low}, at most {high}").format(
            low=t.ltr(session.min_on_duty), high=t.ltr(session.max_on_duty)
        ),
    ]
    # TRANSLATORS: {hours} is a number of hours before the session.
    leaving = t._("A shift can be left until {hours} hours before.")
    lines.append("↩️ " + leaving.format(hours=t.ltr(session.withdraw_hours)))
    if session.valid_to:
        ends = format_date(date.fromisoformat(session.valid_to), "medium", locale=t.locale)
        lines.append("⏹ " + t._("Ends on {date}").format(date=t.ltr(ends)))
    return "\n".join(lines)


async def new_callback(update: Update, context: BotContext) -> None:
    """A new session: its place, its kind, its weekday; then it is made and its card shown."""
    query = update.callback_query
    assert query is not None and query.data is not None
    asked = codecs.decode_new(query.data)
    t = context.t
    if asked is None or asked.district_id not in await managed(context):
        await answer_expired(query, t)
        return
    await query.answer()
    rows: list[list[InlineKeyboardButton]]
    if asked.place is None:
        found = await places(context.db)
        rows = [
            [button("📍", escape(p.name), codecs.new_session(asked.district_id, p.number))]
            for p in found
        ]
        await edit_in_place(query, "📍 " + t._("Where?"), InlineKeyboardMarkup(rows))
    elif asked.kind is None:
        rows = [
            [button("🏷", t._(label), codecs.new_session(asked.district_id, asked.place, kind))]
            for kind, label in KINDS.items()
        ]
        await edit_in_place(query, "🏷 " + t._("What kind?"), InlineKeyboardMarkup(rows))
    elif asked.weekday is None and asked.kind in KINDS:
        rows = [
            [
                button(
                    "🗓",
                    weekday_name(t, d),
                    codecs.new_session(asked.district_id, asked.place, asked.kind, d),
                )
            ]
            for d in range(7)
        ]
        await edit_in_place(query, "🗓 " + t._("Which day of the week?"), InlineKeyboardMarkup(rows))
    elif asked.kind in KINDS and asked.weekday is not None and asked.place is not None:
        today = context.clock.now().astimezone(context.services.config.tz).date()
        made = await create_session(
            context.db, asked.district_id, asked.place, asked.kind, asked.weekday, today
        )
        session = await get_session(context.db, made) if made is not None else None
        if session is None:
            await answer_expired(query, t)
            return
        await wake_for_alerts(context, session.id)
        text, keyboard = screen(t, session, codecs.SessionAsk("o", session.id), today)
        await edit_in_place(query, text, keyboard)
    else:
        await answer_expired(query, t)
