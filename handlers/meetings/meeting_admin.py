"""A coordinator's side of meetings: who is coming (/rsvps), and adding, moving or cancelling a
single meeting, or giving it a place and a note. Members are told of every change, each in
her own language.

Days and times are chosen with buttons (the next two weeks, usual meeting times), so nothing
has to be typed but the place and the note; every step names the meeting or district by id
and is checked again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed
from bot.help_guide import join_pages
from bot.i18n import N_, Translator
from handlers.common.access import choose_district, refuse
from handlers.common.awaiting import Question, ask
from handlers.common.codec import fields_of, routed_by
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.meetings import codecs
from handlers.meetings.meetings import ANSWERS, card_keyboard, meeting_text, pressed_meeting
from handlers.meetings.reminders import tell_members_soon
from storage.meetings.meetings import (
    MeetingRecord,
    cancel_meeting,
    get_meeting,
    set_place_and_note,
    upcoming_meetings,
)
from storage.meetings.reminders import interrupted_reminders
from storage.meetings.rsvps import MemberAnswer, answers

MAX_PLACE = 80
MAX_NOTE = 200
# The typed question: the place and note of one meeting (its id is the value).
NOTE = Question("meeting.note", N_("I no longer wait for the meeting's place and note."))


# -- who is coming -------------------------------------------------------------------------------


async def rsvps_command(update: Update, context: BotContext) -> None:
    """Show who is coming to the district's next meeting, with buttons for the ones after."""
    district_id = await choose_district(
        update, context, Action.SEE_RSVPS, codecs.DISTRICT_ANSWERS.encode
    )
    if district_id is not None:
        await send_next_answers(update, context, district_id)


async def district_answers_callback(update: Update, context: BotContext) -> None:
    """The district she chose: show who is coming to its next meeting."""
    query = update.callback_query
    assert query is not None
    district_id = int(fields_of(context.matches)[0])
    if not allowed(context.identity, Action.SEE_RSVPS, district_id):
        await refuse(update, context)
        return
    await query.answer()
    await send_next_answers(update, context, district_id)


async def send_next_answers(update: Update, context: BotContext, district_id: int) -> None:
    assert update.effective_chat is not None
    t, now = context.t, context.clock.now()
    meetings = await upcoming_meetings(context.db, [district_id], now, now + timedelta(days=92))
    if not meetings:
        text = "👥 " + t._("No meetings are planned yet.")
        await context.bot.send_message(update.effective_chat.id, text)
        return
    pages, keyboard = await answers_view(context, meetings[0])
    rows = [list(row) for row in keyboard.inline_keyboard]
    tz = context.services.config.tz
    rows += [
        [button("🗓", t.format_short(m.starts_at, tz), codecs.ANSWERS.encode(m.id))]
        for m in meetings[1:4]
    ]
    await send_pages(context, update.effective_chat.id, pages, InlineKeyboardMarkup(rows))


async def send_pages(
    context: BotContext, chat_id: int, pages: list[str], keyboard: InlineKeyboardMarkup
) -> None:
    """The pages as messages, in order; the buttons go under the last one."""
    for number, page in enumerate(pages, start=1):
        await context.bot.send_message(
            chat_id,
            page,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard if number == len(pages) else None,
        )


async def answers_callback(update: Update, context: BotContext) -> None:
    """Show who is coming to one meeting."""
    query = update.callback_query
    assert query is not None
    meeting = await pressed_meeting(context, query)
    if meeting is None:
        return
    if not allowed(context.identity, Action.SEE_RSVPS, meeting.district_id):
        await refuse(update, context)
        return
    await query.answer()
    pages, keyboard = await answers_view(context, meeting)
    if len(pages) == 1:
        await edit_in_place(query, pages[0], keyboard)
    else:  # one message cannot hold them all: the pages come as new messages
        assert update.effective_chat is not None
        await send_pages(context, update.effective_chat.id, pages, keyboard)


# Names are cut into pieces of at most this many characters, and pieces packed into messages
# (join_pages, at most 4096): well under the limit, with room for tags and direction marks.
NAMES_PER_PIECE = 1500


async def answers_view(
    context: BotContext, meeting: MeetingRecord
) -> tuple[list[str], InlineKeyboardMarkup]:
    """Who is coming, not coming, maybe and has not answered, with counts: one message, or
    several for a big group (the counts always in the first)."""
    t, tz = context.t, context.services.config.tz
    people = await answers(context.db, meeting.id)
    head = [
        "👥 <b>"
        + t.ltr(escape(meeting.district_name))
        + "</b> — "
        + t.format_datetime(meeting.starts_at, tz),
    ]
    if meeting.cancelled:
        head.append("🚫 " + t._("This meeting is cancelled."))
    groups: list[tuple[str, list[MemberAnswer]]] = [
        (f"{emoji} {t._(label)}", [p for p in people if p.answer == answer])
        for answer, (emoji, label) in ANSWERS.items()
    ]
    groups.append(("⏳ " + t._("No answer yet"), [p for p in people if p.answer is None]))
    lines = []
    for title, group in groups:
        lead = f"<b>{title}</b> ({t.ltr(len(group))}): "
        pieces = name_pieces([name_of(t, p) for p in group] or ["—"])
        lines.append(lead + pieces[0])
        # TRANSLATORS: starts a further message of names, e.g. "✅ Coming (continued): ...".
        more = t._("{answer} (continued):").format(answer=f"<b>{title}</b>")
        lines += [more + " " + piece for piece in pieces[1:]]
    tail = []
    interrupted = await interrupted_reminders(context.db, meeting.id)
    if interrupted:
        tail.append(
            "⚠️ "
            + t.ngettext(
                "{count} reminder was cut off by a restart of the bot and may not have arrived.",
                "{count} reminders were cut off by a restart of the bot and may not have arrived.",
                interrupted,
            ).format(count=t.ltr(interrupted))
        )
    if any(p.unreachable for p in people):
        tail.append("\n🚫 " + t._("= the bot cannot reach her (she has blocked it)"))
    keyboard = InlineKeyboardMarkup(
        [
            [
                button("🔄", t._("Refresh"), codecs.ANSWERS.encode(meeting.id)),
                button("↩️", t._("Back to the meeting"), codecs.CARD.encode(meeting.id)),
            ]
        ]
    )
    whole = "\n".join([*head, *lines, *tail])
    if len(whole) <= NAMES_PER_PIECE * 2:
        return [whole], keyboard
    counts = " · ".join(f"{title} ({t.ltr(len(group))})" for title, group in groups)
    first = "\n".join([*head, counts, *tail])
    return join_pages([first, *lines], "\n\n"), keyboard


def name_pieces(names: list[str]) -> list[str]:
    """The names, comma-separated, cut between names into pieces of NAMES_PER_PIECE at most."""
    pieces, current = [], ""
    for name in names:
        candidate = f"{current}, {name}" if current else name
        if current and len(candidate) > NAMES_PER_PIECE:
            pieces.append(current)
            candidate = name
        current = candidate
    pieces.append(current)
    return pieces


def name_of(t: Translator, person: MemberAnswer) -> str:
    return t.ltr(escape(person.display_name)) + (" 🚫" if person.unreachable else "")


# -- cancel --------------------------------------------------------------------------------------


async def cancel_callback(update: Update, context: BotContext) -> None:
    """Ask to confirm cancelling a meeting, then cancel it and tell the members."""
    t, now, tz = context.t, context.clock.now(), context.services.config.tz
    pressed = await pressed_change(update, context, now, cancelled=False)
    if pressed is None:
        return
    query, meeting = pressed
    if routed_by(context.matches, codecs.CANCEL):
        yes = button("🗑", t._("Yes, cancel it"), codecs.CANCEL_OK.encode(meeting.id))
        text = "⚠️ " + t._("Cancel this meeting? Every member will be told.")
        await ask_to_confirm(query, t, meeting, tz, text, yes, t._("Keep it"))
        return
    if not await cancel_meeting(context.db, meeting.id, context.identity.telegram_id, now):
        await answer_expired(query, t)  # cancelled meanwhile, by another press
        return
    cancelled = await get_meeting(context.db, meeting.id)
    assert cancelled is not None

    def compose(her: Translator) -> str:
        return "🚫 " + her._("A meeting is cancelled:") + "\n" + meeting_text(her, cancelled, tz)

    tell_members_soon(
        context.application,
        meeting.district_id,
        compose,
        skip=context.identity.telegram_id,
    )
    await show_done(query, context, cancelled, now)  # ♻️ restore, 👥 answers


# Cancelling and restoring a meeting are the same steps but for the state they start from
# and what they change, so the checks, the question and the card after share these helpers.


async def pressed_change(
    update: Update, context: BotContext, now: datetime, *, cancelled: bool
) -> tuple[CallbackQuery, MeetingRecord] | None:
    """The press and the meeting (its codec's field), when the meeting is still to come, is in
    the state the change starts from and she may manage it; else she is answered and it is
    None."""
    query = update.callback_query
    assert query is not None
    meeting = await get_meeting(context.db, int(fields_of(context.matches)[0]))
    if meeting is None or meeting.cancelled != cancelled or meeting.starts_at <= now:
        await answer_expired(query, context.t)
        return None
    if not allowed(context.identity, Action.MANAGE_MEETINGS, meeting.district_id):
        await refuse(update, context)
        return None
    await query.answer()
    return query, meeting


async def ask_to_confirm(
    query: CallbackQuery,
    t: Translator,
    meeting: MeetingRecord,
    tz: ZoneInfo,
    question: str,
    yes: InlineKeyboardButton,
    back: str,
) -> None:
    """Ask the question above the meeting, with a yes button and one back to its card."""
    keyboard = InlineKeyboardMarkup([[yes, button("↩️", back, codecs.CARD.encode(meeting.id))]])
    await edit_in_place(query, question + "\n\n" + meeting_text(t, meeting, tz), keyboard)


async def show_done(
    query: CallbackQuery, context: BotContext, meeting: MeetingRecord, now: datetime
) -> None:
    """Say it is done, above the changed meeting and its card's buttons."""
    t, tz = context.t, context.services.config.tz
    card = card_keyboard(t, context.identity, meeting, now)
    await edit_in_place(query, done_text(t) + "\n\n" + meeting_text(t, meeting, tz), card)


def done_text(t: Translator) -> str:
    return "✅ " + t._("Done. The members are being told, each in her language.")


# -- place and note: one typed message -------------------------------------------------------------


async def note_start_callback(update: Update, context: BotContext) -> None:
    """Ask for the place and a short note, in one message."""
    query = update.callback_query
    assert query is not None
    t, now = context.t, context.clock.now()
    meeting = await get_meeting(context.db, int(fields_of(context.matches)[0]))
    if meeting is None or meeting.cancelled or meeting.starts_at <= now:
        await answer_expired(query, t)
        return
    if not allowed(context.identity, Action.MANAGE_MEETINGS, meeting.district_id):
        await refuse(update, context)
        return
    await query.answer()
    assert update.effective_chat is not None
    await ask(context, NOTE, str(meeting.id))
    # TRANSLATORS: {place} and {note} are the limits in characters; {command} is /cancel.
    text = "📝 " + t._(
        "Send the place on the first line and, if you like, a short note on the next line "
        "(place at most {place} characters, note at most {note}). Send {command} to stop."
    ).format(place=t.ltr(MAX_PLACE), note=t.ltr(MAX_NOTE), command=t.command("cancel"))
    await context.bot.send_message(update.effective_chat.id, text)


async def note_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Save the place and note she typed (the answer to NOTE), and tell the members."""
    assert update.message is not None and update.message.text is not None
    assert update.effective_chat is not None
    t, now, tz = context.t, context.clock.now(), context.services.config.tz
    parsed = parse_place_and_note(update.message.text)
    if isinstance(parsed, str):
        await context.bot.send_message(
            update.effective_chat.id,
            "⚠️ "
            + t._(parsed).format(
                place=t.ltr(MAX_PLACE), note=t.ltr(MAX_NOTE), command=t.command("cancel")
            ),
        )
        await ask(context, NOTE, *values)  # still waiting: she may correct it
        return
    meeting = await get_meeting(context.db, int(values[0]))
    if meeting is None or not allowed(
        context.identity, Action.MANAGE_MEETINGS, meeting.district_id
    ):
        await context.bot.send_message(
            update.effective_chat.id, "🤷 " + t._("Nothing was changed.")
        )
        return
    place, note = parsed
    by = context.identity.telegram_id
    # Checked again as it is written: the meeting may have been cancelled or begun while she
    # typed; then nothing changes and nobody is told.
    if not await set_place_and_note(context.db, meeting.id, place, note, by, now):
        await context.bot.send_message(
            update.effective_chat.id,
            "🤷 " + t._("Nothing was changed: the meeting is cancelled or has already begun."),
        )
        return
    changed = await get_meeting(context.db, meeting.id)
    assert changed is not None

    def compose(her: Translator) -> str:
        return "📝 " + her._("News about a meeting:") + "\n" + meeting_text(her, changed, tz)

    tell_members_soon(context.application, meeting.district_id, compose, skip=by)
    await context.bot.send_message(
        update.effective_chat.id,
        done_text(t) + "\n\n" + meeting_text(t, changed, tz),
        parse_mode=ParseMode.HTML,
    )


# Message ids for the typing errors, filled in with the limits when shown.
PLACE_MISSING = N_("Please write the place on the first line.")
# TRANSLATORS: {place} and {note} are numbers of characters; {command} is /cancel.
TOO_LONG = N_(
    "That is too long: the place may have at most {place} characters and the note at most "
    "{note}. Try again, or send {command} to stop."
)


def parse_place_and_note(text: str) -> tuple[str, str | None] | str:
    """(place, note) from her message, or the message id of what is wrong with it."""
    first, _, rest = text.strip().partition("\n")
    place, note = first.strip(), " ".join(rest.split()) or None
    if not place:
        return PLACE_MISSING
    if len(place) > MAX_PLACE or (note is not None and len(note) > MAX_NOTE):
        return TOO_LONG
    return place, note
