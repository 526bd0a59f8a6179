"""A coordinator moves or adds a meeting with buttons (a day with its weekday, a time that has
not passed, a confirmation that warns of another meeting at that time; ↩️ back and ❌ cancel at
every step), or restores a cancelled one. Members are told of every change, each in her own
language, in the background.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.days import local_instant
from bot.i18n import Translator
from handlers.common.access import refuse
from handlers.common.codec import fields_of, routed_by
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.jobs.meetings import schedule_wakeups
from handlers.meetings import codecs
from handlers.meetings.meeting_admin import ask_to_confirm, pressed_change, show_done
from handlers.meetings.meetings import card_keyboard, meeting_text
from handlers.meetings.reminders import tell_members_soon
from storage.districts import get_district
from storage.meetings.meetings import (
    MeetingRecord,
    add_meeting,
    get_meeting,
    move_meeting,
    restore_meeting,
    upcoming_meetings,
)
from storage.meetings.rsvps import get_rsvp

DAYS_OFFERED = 14
TIMES_OFFERED = ("10:00", "12:00", "14:00", "16:00", "17:00", "17:30", "18:00", "18:30", "19:00")


# -- move or add: a day, a time, a confirmation ----------------------------------------------------


async def when_callback(update: Update, context: BotContext) -> None:
    """Choose a day, then a time, then confirm: for moving a meeting or adding one."""
    query = update.callback_query
    assert query is not None
    t, now, tz = context.t, context.clock.now(), context.services.config.tz
    moving = routed_by(context.matches, *codecs.MOVE.codecs())
    steps = codecs.MOVE if moving else codecs.ADD
    pressed_id, *chosen = fields_of(context.matches)
    target = int(pressed_id)
    day = parse_day(chosen[0]) if chosen else None
    at = parse_clock(chosen[1]) if len(chosen) > 1 else None
    if (chosen and day is None) or (len(chosen) > 1 and at is None):
        await answer_expired(query, t)
        return
    meeting = await get_meeting(context.db, target) if moving else None
    if moving and (meeting is None or meeting.cancelled or meeting.starts_at <= now):
        await answer_expired(query, t)
        return
    district_id = meeting.district_id if meeting is not None else target
    district = await get_district(context.db, district_id)
    if district is None:
        await answer_expired(query, t)
        return
    if not allowed(context.identity, Action.MANAGE_MEETINGS, district_id):
        await refuse(update, context)
        return
    if routed_by(context.matches, steps.cancel):
        # ❌ while choosing: nothing changes; a meeting's card comes back
        await query.answer()
        text = "↩️ " + t._("Nothing was changed.")
        if meeting is not None:
            answer = await get_rsvp(context.db, meeting.id, context.identity.telegram_id)
            text = meeting_text(t, meeting, tz, answer)
            keyboard = card_keyboard(t, context.identity, meeting, now)
            await edit_in_place(query, text, keyboard)
        else:
            await edit_in_place(query, text)
        return
    if day is None:
        await query.answer()
        await edit_in_place(
            query, "🗓 " + t._("Which day?"), day_keyboard(t, steps, target, now, tz)
        )
        return
    if at is None:
        await query.answer()
        text = "🕒 " + t._("At what time?") + " " + t.format_weekday(day)
        await edit_in_place(query, text, time_keyboard(t, steps, target, day, now, tz))
        return
    starts_at = local_instant(day, at, tz)
    if starts_at <= now:
        await query.answer("⌛ " + t._("That time has passed. Choose another."), show_alert=True)
        return
    await query.answer()
    when = t.format_datetime(starts_at, tz)
    if routed_by(context.matches, steps.confirm):
        question = (
            t._("Move the meeting to {when}? Every member will be told.")
            if moving
            else t._("Add a meeting of {district} on {when}? Every member will be told.")
        ).format(when=t.ltr(when), district=t.ltr(escape(district.name)))
        if await meeting_at(context, district_id, starts_at, meeting):
            # TRANSLATORS: before adding or moving a meeting to a time that has one already.
            question = "⚠️ " + t._("There is already a meeting then.") + "\n" + question
        keyboard = InlineKeyboardMarkup(
            [
                [
                    button(
                        "✅", t._("Yes"), steps.ok.encode(target, f"{day:%Y%m%d}", f"{at:%H%M}")
                    ),
                    button("↩️", t._("Back"), steps.pick_time.encode(target, f"{day:%Y%m%d}")),
                    button("❌", t._("Cancel"), steps.cancel.encode(target)),
                ]
            ]
        )
        await edit_in_place(query, "❓ " + question, keyboard)
        return
    by = context.identity.telegram_id
    if meeting is not None:
        if not await move_meeting(context.db, meeting.id, starts_at, by, now):
            # Cancelled or begun since the checks above: nothing moved, nobody is told.
            await edit_in_place(query, "🤷 " + t._("Nothing was changed."))
            return
        meeting_id = meeting.id
        old_when = meeting.starts_at
    else:
        meeting_id = await add_meeting(context.db, district_id, starts_at, by, now)
        old_when = None
    changed = await get_meeting(context.db, meeting_id)
    assert changed is not None

    def compose(her: Translator) -> str:
        if old_when is not None:
            head = "🕒 " + her._("A meeting has moved. It was on {when}. Now:").format(
                when=her.ltr(her.format_datetime(old_when, tz))
            )
        else:
            head = "➕ " + her._("A new meeting:")
        return head + "\n" + meeting_text(her, changed, tz)

    tell_members_soon(context.application, district_id, compose, skip=by)
    assert context.job_queue is not None
    await schedule_wakeups(context.job_queue, context.db, now)
    # The whole card again (answers, move, place and note, cancel), not a dead end.
    await show_done(query, context, changed, now)


async def meeting_at(
    context: BotContext, district_id: int, starts_at: datetime, moving: MeetingRecord | None
) -> bool:
    """Does the district have another meeting (not cancelled) at exactly that time?"""
    found = await upcoming_meetings(
        context.db,
        [district_id],
        starts_at - timedelta(seconds=1),
        starts_at + timedelta(seconds=1),
    )
    return any(m.starts_at == starts_at and (moving is None or m.id != moving.id) for m in found)


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def parse_clock(value: str | None) -> time | None:
    if not value or f"{value[:2]}:{value[2:]}" not in TIMES_OFFERED:
        return None
    return time(int(value[:2]), int(value[2:]))


def times_left(day: date, now: datetime, tz: ZoneInfo) -> list[str]:
    """The offered times of that day that are still ahead."""
    return [c for c in TIMES_OFFERED if local_instant(day, time.fromisoformat(c), tz) > now]


def day_keyboard(
    t: Translator, steps: codecs.When, target: int, now: datetime, tz: ZoneInfo
) -> InlineKeyboardMarkup:
    """The next two weeks, with weekday names; today only while a time is left on it."""
    today = now.astimezone(tz).date()
    days = [today + timedelta(days=n) for n in range(DAYS_OFFERED)]
    cells = [
        button("🗓", t.format_weekday(d), steps.pick_time.encode(target, f"{d:%Y%m%d}"))
        for d in days
        if times_left(d, now, tz)
    ]
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    rows.append(back_and_cancel(t, steps, target))
    return InlineKeyboardMarkup(rows)


def back_and_cancel(
    t: Translator, steps: codecs.When, target: int, day: date | None = None
) -> list[InlineKeyboardButton]:
    """↩️ Back (to the days, or from the days to the meeting's card) and ❌ Cancel."""
    cancel = steps.cancel.encode(target)
    if day is not None:
        back = steps.pick_day.encode(target)
    else:
        back = codecs.CARD.encode(target) if steps is codecs.MOVE else cancel
    return [button("↩️", t._("Back"), back), button("❌", t._("Cancel"), cancel)]


def time_keyboard(
    t: Translator, steps: codecs.When, target: int, day: date, now: datetime, tz: ZoneInfo
) -> InlineKeyboardMarkup:
    """The usual meeting times of the day that have not passed."""
    cells = [
        button("🕒", clock, steps.confirm.encode(target, f"{day:%Y%m%d}", clock.replace(":", "")))
        for clock in times_left(day, now, tz)
    ]
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    rows.append(back_and_cancel(t, steps, target, day))
    return InlineKeyboardMarkup(rows)


# -- restore a cancelled meeting -------------------------------------------------------------------


async def restore_callback(update: Update, context: BotContext) -> None:
    """Ask to confirm restoring a cancelled meeting, then restore it and tell the members."""
    t, now, tz = context.t, context.clock.now(), context.services.config.tz
    pressed = await pressed_change(update, context, now, cancelled=True)
    if pressed is None:
        return
    query, meeting = pressed
    if routed_by(context.matches, codecs.RESTORE):
        yes = button("♻️", t._("Yes, restore it"), codecs.RESTORE_OK.encode(meeting.id))
        text = "❓ " + t._("Restore this meeting? Every member will be told.")
        await ask_to_confirm(query, t, meeting, tz, text, yes, t._("Back"))
        return
    by = context.identity.telegram_id
    if not await restore_meeting(context.db, meeting.id, by, now):
        await answer_expired(query, t)  # restored meanwhile, or it has begun
        return
    restored = await get_meeting(context.db, meeting.id)
    assert restored is not None

    def compose(her: Translator) -> str:
        return "♻️ " + her._("A meeting is on again:") + "\n" + meeting_text(her, restored, tz)

    tell_members_soon(context.application, meeting.district_id, compose, skip=by)
    assert context.job_queue is not None
    await schedule_wakeups(context.job_queue, context.db, now)
    await show_done(query, context, restored, now)
