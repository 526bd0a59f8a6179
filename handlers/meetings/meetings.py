"""/meetings, a meeting's card, answering it (coming / not coming / maybe) and "Add to calendar".

A reminder is the same card with the answer buttons inside it. Every press names a meeting by
id and is checked again: the meeting must still exist, be ahead and not cancelled, and belong
to a district she is a member of.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed, may_answer, may_see_meetings
from bot.i18n import N_, Translator
from bot.ics import CalendarEvent, calendar_file
from bot.identity import Identity, Role
from handlers.common.codec import Codec, fields_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.meetings import codecs
from storage.districts import list_districts
from storage.meetings.meetings import MeetingRecord, get_meeting, upcoming_meetings
from storage.meetings.rsvps import get_rsvp, set_rsvp

ANSWER_CODES = {"y": "yes", "n": "no", "m": "maybe"}
ANSWERS = {
    # TRANSLATORS: three answer buttons side by side on a phone: keep each to one short word.
    "yes": ("✅", N_("Coming")),
    "no": ("❌", N_("Not coming")),
    "maybe": ("🤔", N_("Maybe")),
}
LISTED = 4  # meetings per district in /meetings
CALENDAR_SPAN = timedelta(days=92)  # "the next three months"
REMINDER_MARK = "⏰"


def answer_label(t: Translator, answer: str) -> str:
    emoji, label = ANSWERS[answer]
    return f"{emoji} {t._(label)}"


def meeting_text(
    t: Translator, meeting: MeetingRecord, tz: ZoneInfo, answer: str | None = None
) -> str:
    """The meeting as a card: district, day and time in her language, place, note, her answer."""
    lines = [
        "📅 <b>" + t.ltr(escape(meeting.district_name)) + "</b>",
        "🗓 " + t.format_datetime(meeting.starts_at, tz),
    ]
    if meeting.place:
        lines.append("📍 " + t.ltr(escape(meeting.place)))
    if meeting.note:
        lines.append("📝 " + escape(meeting.note))
    if meeting.cancelled:
        lines.append("🚫 <b>" + t._("This meeting is cancelled.") + "</b>")
    elif answer is not None:
        lines.append(t._("Your answer: {answer}").format(answer=answer_label(t, answer)))
    return "\n".join(lines)


def reminder_text(t: Translator, meeting: MeetingRecord, tz: ZoneInfo, answer: str | None) -> str:
    intro = t._("Reminder: your group meets soon. Will you come?")
    return f"{REMINDER_MARK} {intro}\n\n" + meeting_text(t, meeting, tz, answer)


def answer_row(
    t: Translator, meeting_id: int, codec: Codec = codecs.RSVP
) -> list[InlineKeyboardButton]:
    return [
        button(ANSWERS[answer][0], t._(ANSWERS[answer][1]), codec.encode(meeting_id, code))
        for code, answer in ANSWER_CODES.items()
    ]


def reminder_keyboard(t: Translator, meeting_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            answer_row(t, meeting_id, codecs.RSVP_ON_REMINDER),
            [button("📅", t._("Add to calendar"), codecs.CALENDAR.encode(meeting_id))],
        ]
    )


def card_keyboard(
    t: Translator, identity: Identity, meeting: MeetingRecord, now: datetime
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    ahead = meeting.starts_at > now and not meeting.cancelled
    if ahead and may_answer(identity, meeting.district_id):
        rows.append(answer_row(t, meeting.id))
        rows.append([button("📅", t._("Add to calendar"), codecs.CALENDAR.encode(meeting.id))])
    if allowed(identity, Action.SEE_RSVPS, meeting.district_id):
        rows.append([button("👥", t._("Answers"), codecs.ANSWERS.encode(meeting.id))])
    if ahead and allowed(identity, Action.MANAGE_MEETINGS, meeting.district_id):
        rows.append(
            [
                button("🕒", t._("Move"), codecs.MOVE.pick_day.encode(meeting.id)),
                button("📝", t._("Place and note"), codecs.NOTE.encode(meeting.id)),
            ]
        )
        rows.append([button("🗑", t._("Cancel the meeting"), codecs.CANCEL.encode(meeting.id))])
    cancelled_ahead = meeting.cancelled and meeting.starts_at > now
    if cancelled_ahead and allowed(identity, Action.MANAGE_MEETINGS, meeting.district_id):
        rows.append([button("♻️", t._("Restore the meeting"), codecs.RESTORE.encode(meeting.id))])
    return InlineKeyboardMarkup(rows) if rows else None


async def her_districts(context: BotContext) -> list[tuple[int, str]]:
    """The districts whose meetings she sees: her own; an admin sees every district."""
    if context.identity.role is Role.ADMIN:
        return [(d.id, d.name) for d in await list_districts(context.db)]
    return [(m.district_id, m.district_name) for m in context.identity.memberships]


async def meetings_command(update: Update, context: BotContext) -> None:
    """List the next meetings of her group, with a button for each and for her calendar."""
    assert update.effective_chat is not None
    t, tz, now = context.t, context.services.config.tz, context.clock.now()
    districts = await her_districts(context)
    if not districts:
        text = "📅 " + t._("Meetings are for the members of a district group.")
        await context.bot.send_message(update.effective_chat.id, text)
        return
    lines = ["📅 <b>" + t._("Next meetings") + "</b>"]
    rows: list[list[InlineKeyboardButton]] = []
    for district_id, name in districts:
        meetings = await upcoming_meetings(
            context.db, [district_id], now, now + CALENDAR_SPAN, include_cancelled=True
        )
        lines.append("\n🏘 <b>" + t.ltr(escape(name)) + "</b>")
        if not meetings:
            lines.append(t._("No meetings are planned yet."))
        for meeting in meetings[:LISTED]:
            lines.append(meeting_line(t, meeting, tz))
            label = t.format_short(meeting.starts_at, tz)  # the time too: two on one day
            emoji = "🚫" if meeting.cancelled else "🗓"
            rows.append([button(emoji, label, codecs.CARD.encode(meeting.id))])
        if meetings and may_see_meetings(context.identity, district_id):
            every = codecs.DISTRICT_CALENDAR.encode(district_id)
            rows.append([button("📅", t._("Add all to calendar"), every)])
        if allowed(context.identity, Action.MANAGE_MEETINGS, district_id):
            rows.append(
                [button("➕", t._("Add a meeting"), codecs.ADD.pick_day.encode(district_id))]
            )
            rows.append([button("🔁", t._("Regular meetings"), codecs.RULE.encode(district_id))])
    await context.bot.send_message(
        update.effective_chat.id,
        "\n".join(lines),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


def meeting_line(t: Translator, meeting: MeetingRecord, tz: ZoneInfo) -> str:
    line = "• " + t.format_datetime(meeting.starts_at, tz)
    if meeting.place:
        line += " — " + t.ltr(escape(meeting.place))
    if meeting.cancelled:
        line = "🚫 <s>" + line.removeprefix("• ") + "</s> " + t._("(cancelled)")
    return line


async def pressed_meeting(context: BotContext, query: CallbackQuery) -> MeetingRecord | None:
    """The meeting a button names (its codec's first field), or None after telling her the
    button has expired: a meeting that no longer exists."""
    meeting = await get_meeting(context.db, int(fields_of(context.matches)[0]))
    if meeting is None:
        await answer_expired(query, context.t)
    return meeting


async def meeting_card_callback(update: Update, context: BotContext) -> None:
    """Show one meeting, with her answer and what she may do with it."""
    query = update.callback_query
    assert query is not None
    meeting = await pressed_meeting(context, query)
    if meeting is None:
        return
    identity = context.identity
    if not may_see_meetings(identity, meeting.district_id):
        await query.answer("🔒 " + context.t._("This meeting is not your group's."))
        return
    await query.answer()
    await send_card(update, context, meeting)


async def send_card(update: Update, context: BotContext, meeting: MeetingRecord) -> None:
    assert update.effective_chat is not None
    t, now = context.t, context.clock.now()
    answer = await get_rsvp(context.db, meeting.id, context.identity.telegram_id)
    await context.bot.send_message(
        update.effective_chat.id,
        meeting_text(t, meeting, context.services.config.tz, answer),
        parse_mode=ParseMode.HTML,
        reply_markup=card_keyboard(t, context.identity, meeting, now),
    )


async def rsvp_callback(update: Update, context: BotContext) -> None:
    """Record her answer to a meeting, tell her with a toast, and show it in the message."""
    query = update.callback_query
    assert query is not None and query.data is not None
    t, now = context.t, context.clock.now()
    meeting_id, code = fields_of(context.matches)
    # The button says where it was pressed: a reminder stays a reminder, a card a card.
    on_reminder = context.matches is not None and (
        context.matches[0].re is codecs.RSVP_ON_REMINDER.pattern
    )
    meeting = await get_meeting(context.db, int(meeting_id))
    refusal = rsvp_refusal(t, context.identity, meeting, now)
    if refusal is not None or meeting is None:
        await query.answer(refusal, show_alert=True)
        return
    answer = ANSWER_CODES[code]
    await set_rsvp(context.db, meeting.id, context.identity.telegram_id, answer, now)
    # TRANSLATORS: a short pop-up; {answer} is the button she pressed, e.g. "✅ Coming".
    await query.answer(
        t._("Thank you! Your answer: {answer}").format(answer=answer_label(t, answer))
    )
    tz = context.services.config.tz
    if on_reminder:
        text = reminder_text(t, meeting, tz, answer)
        keyboard: InlineKeyboardMarkup | None = reminder_keyboard(t, meeting.id)
    else:
        text = meeting_text(t, meeting, tz, answer)
        keyboard = card_keyboard(t, context.identity, meeting, now)
    await edit_in_place(query, text, keyboard)


def rsvp_refusal(
    t: Translator, identity: Identity, meeting: MeetingRecord | None, now: datetime
) -> str | None:
    """Why this answer cannot be taken (in her language), or None if it can."""
    if meeting is None:
        return "🤷 " + t._(
            "This meeting no longer exists. Send {command} to see the next ones."
        ).format(command=t.command("meetings"))
    if not may_answer(identity, meeting.district_id):
        return "🔒 " + t._("You can only answer for the meetings of your own group.")
    if meeting.cancelled:
        return "🚫 " + t._("This meeting is cancelled. Nothing was changed.")
    if meeting.starts_at <= now:
        return "⌛ " + t._("This meeting has already taken place. Nothing was changed.")
    return None


async def calendar_callback(update: Update, context: BotContext) -> None:
    """Send an .ics file: one meeting, or her group's meetings in the next three months."""
    query = update.callback_query
    assert query is not None and query.data is not None
    t, now, tz = context.t, context.clock.now(), context.services.config.tz
    (pressed_id,) = fields_of(context.matches)
    assert context.matches is not None
    if context.matches[0].re is codecs.CALENDAR.pattern:
        meeting = await get_meeting(context.db, int(pressed_id))
        if meeting is None or meeting.cancelled or meeting.starts_at <= now:
            await query.answer(rsvp_refusal(t, context.identity, meeting, now) or "", True)
            return
        district_id, meetings = meeting.district_id, [meeting]
        name = f"meeting-{meeting.starts_at.astimezone(tz):%Y-%m-%d}.ics"
    else:
        district_id = int(pressed_id)
        meetings = await upcoming_meetings(context.db, [district_id], now, now + CALENDAR_SPAN)
        name = "meetings.ics"
    if not may_see_meetings(context.identity, district_id):
        await query.answer("🔒 " + t._("This meeting is not your group's."), show_alert=True)
        return
    if not meetings:
        await query.answer(t._("No meetings are planned yet."))
        return
    await query.answer()
    events = [calendar_event(t, m) for m in meetings]
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(calendar_file(events, tz, now), filename=name),
        caption="📅 " + t._("Open this file to add the meetings to your phone's calendar."),
    )


def calendar_event(t: Translator, meeting: MeetingRecord) -> CalendarEvent:
    return CalendarEvent(
        # The random uid, never the id: a calendar file never overwrites another meeting.
        uid=f"{meeting.uid}@bydelsbot",
        starts_at=meeting.starts_at,
        summary=t._("Bydelsmødre meeting: {district}").format(district=meeting.district_name),
        location=meeting.place,
        description=meeting.note,
        sequence=meeting.revision,
        last_modified=meeting.updated_at,
    )
