"""/meetings → 🔁 Regular meetings: a coordinator sets her group's rule from her phone.

Fase 3: the weekday, the time and the first date of the every-second-week rhythm; fase 4: the
monthly rule (first/second/third/fourth/last weekday, or a day of the month) and the time; for
both, public holidays (skipped or moved to the next working day), days off (typed) and the
reminder times. Every press changes a draft kept in memory and shows the next five dates it
gives; only ✅ saves it (with who and when), plans the future anew and tells the members of
every meeting that moved, as a phase change does. The TOML file stays for operators: a seed run
keeps this rule unless the file's rule changed since (storage/organisation.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed
from bot.days import NEXT_WORKING_DAY, parse_days_off
from bot.i18n import N_, Translator
from bot.meetings.reminders import parse_lead_hours
from bot.meetings.rule_draft import (
    DAY_OFF_CHOICES,
    REMINDER_CHOICES,
    TIMES,
    RuleDraft,
    apply_change,
    complete,
    parse_days_off_typed,
    preview,
)
from handlers.common.access import refuse
from handlers.common.awaiting import Question, ask
from handlers.common.codec import fields_of, routed_by
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.jobs.meetings import schedule_wakeups
from handlers.meetings import codecs
from handlers.meetings.meetings import meeting_text
from handlers.meetings.planning import plan_and_tell
from storage.meetings.meetings import MeetingRecord
from storage.meetings.rules import RULE_COLUMNS, meeting_settings, set_meeting_rule

DRAFT_KEY = "meeting_rule_draft"
# The typed question: the days off, "24.12, 31.12" (the district's id is the value).
DAYS_OFF = Question("meeting.days_off", N_("I no longer wait for the days off."))
EXAMPLE_DAYS = "24.12, 31.12"
MONTHLY = {
    1: N_("the first {weekday} of the month"),
    2: N_("the second {weekday} of the month"),
    3: N_("the third {weekday} of the month"),
    4: N_("the fourth {weekday} of the month"),
    5: N_("the last {weekday} of the month"),
}


def weekday_name(t: Translator, weekday: int) -> str:
    return t.format_weekday_name(date(2024, 1, 1) + timedelta(days=weekday))  # 1 Jan 2024: Monday


async def load_draft(context: BotContext, district_id: int, fresh: bool) -> RuleDraft | None:
    """Her draft for the district (kept in memory while she edits), or the stored rule."""
    assert context.chat_data is not None
    kept = context.chat_data.get(DRAFT_KEY)
    if not fresh and isinstance(kept, tuple) and kept[0] == district_id:
        draft = kept[1]
        assert isinstance(draft, RuleDraft)
        return draft
    settings = await meeting_settings(context.db, district_id)
    if settings is None:
        return None
    draft = RuleDraft.of(settings)
    context.chat_data[DRAFT_KEY] = (district_id, draft)
    return draft


def keep(context: BotContext, district_id: int, draft: RuleDraft) -> None:
    assert context.chat_data is not None
    context.chat_data[DRAFT_KEY] = (district_id, draft)


async def rule_callback(update: Update, context: BotContext) -> None:
    """Open the rule, show a choice, take a press, save or cancel."""
    query = update.callback_query
    assert query is not None
    t, matches = context.t, context.matches
    district, *value = fields_of(matches)
    district_id = int(district)
    if not allowed(context.identity, Action.MANAGE_MEETINGS, district_id):
        await refuse(update, context)
        return
    draft = await load_draft(context, district_id, fresh=routed_by(matches, codecs.RULE))
    if draft is None:
        await answer_expired(query, t)
        return
    field = value[0] if routed_by(matches, codecs.RULE_SETTING) else None
    code = value[0] if routed_by(matches, codecs.RULE_CHOSEN) else None
    if routed_by(matches, codecs.RULE_CANCEL):
        assert context.chat_data is not None
        context.chat_data.pop(DRAFT_KEY, None)
        await query.answer()
        await edit_in_place(query, "↩️ " + t._("Nothing was changed."))
        return
    if routed_by(matches, codecs.RULE_SAVE):
        await save(update, context, district_id, draft)
        return
    if field == "dd":  # ✍️ other days: typed
        await query.answer()
        await ask(context, DAYS_OFF, str(district_id))
        text = "🚫 " + t._(
            "Send the days off as day.month, separated by commas, for example {example}, or "
            "{none} for none. Send {command} to stop."
        ).format(example=t.ltr(EXAMPLE_DAYS), none=t.ltr("-"), command=t.command("cancel"))
        await edit_in_place(query, text)
        return
    if field is not None:
        await query.answer()
        text, keyboard = choices(t, district_id, field, draft, context.clock.now().date())
        await edit_in_place(query, text, keyboard)
        return
    if code is not None:
        changed = apply_change(draft, code)
        if changed is None:
            await answer_expired(query, t)
            return
        draft = changed
        keep(context, district_id, draft)
        if code.startswith("dt"):  # a day off switched: the days stay in view for the next
            await query.answer()
            text, keyboard = choices(t, district_id, "do", draft, context.clock.now().date())
            await edit_in_place(query, text, keyboard)
            return
    await query.answer()
    text, keyboard = await screen(context, district_id, draft)
    await edit_in_place(query, text, keyboard)


async def screen(
    context: BotContext, district_id: int, draft: RuleDraft
) -> tuple[str, InlineKeyboardMarkup]:
    """The rule as the draft has it, its next five dates, and a button per setting."""
    t, tz, now = context.t, context.services.config.tz, context.clock.now()
    settings = await meeting_settings(context.db, district_id)
    name = settings.name if settings else "?"
    lines = [
        "🔁 <b>" + t._("Regular meetings of {district}").format(district=escape(name)) + "</b>"
    ]
    rows: list[list[InlineKeyboardButton]] = []
    show, pick = rule_buttons(district_id)
    if draft.phase not in (3, 4):
        lines.append(
            t._("In phase {phase} the group has no regular meetings.").format(phase=draft.phase)
        )
        return "\n".join(lines), InlineKeyboardMarkup(
            [[button("↩️", t._("Back"), codecs.RULE_CANCEL.encode(district_id))]]
        )
    if draft.phase == 3:
        weekday = weekday_name(t, draft.weekday) if draft.weekday is not None else "—"
        first = t.format_weekday(date.fromisoformat(draft.anchor)) if draft.anchor else "—"
        lines.append("📅 " + t._("Every second week on: {weekday}").format(weekday=weekday))
        lines.append("🗓 " + t._("First meeting: {date}").format(date=first))
        rows.append(
            [
                button("📅", t._("Weekday"), show("wd")),
                button("🗓", t._("First meeting"), show("an")),
            ]
        )
    else:
        lines.append("📅 " + t._("Every month: {day}").format(day=monthly_text(t, draft.monthly)))
        rows.append([button("📅", t._("Day of the month"), show("mo"))])
    lines.append("🕒 " + t._("Time: {time}").format(time=draft.time or "—"))
    holidays = (
        t._("moved to the next working day")
        if draft.holiday_policy == NEXT_WORKING_DAY
        else t._("skipped")
    )
    lines.append("🎌 " + t._("On a public holiday the meeting is {what}.").format(what=holidays))
    days_off = ", ".join(f"{d[3:]}.{d[:2]}" for d in parse_days_off(draft.days_off)) or "—"
    lines.append("🚫 " + t._("Days off: {days}").format(days=days_off))
    hours = ", ".join(str(h) for h in parse_lead_hours(draft.reminder_hours))
    lines.append("⏰ " + t._("Reminders: {hours} hours before").format(hours=hours))
    lines.append("")
    dates = preview(draft, now, tz) if complete(draft) else []
    if dates:
        lines.append("<b>" + t._("The next dates:") + "</b>")
        lines += ["• " + t.format_datetime(moment, tz) for moment in dates]
    else:
        lines.append("⚠️ " + t._("No dates yet: choose the missing settings."))
    other = "s" if draft.holiday_policy == NEXT_WORKING_DAY else "n"
    rows += [
        [
            button("🕒", t._("Time"), show("tm")),
            button("🎌", t._("Holidays"), pick(f"ho{other}")),
        ],
        [
            button("🚫", t._("Days off"), show("do")),
            button("⏰", t._("Reminders"), show("rh")),
        ],
        [button("✅", t._("Save and tell the members"), codecs.RULE_SAVE.encode(district_id))],
        [button("❌", t._("Cancel"), codecs.RULE_CANCEL.encode(district_id))],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def rule_buttons(district_id: int) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """The district's data for a setting's choices (show) and for a choice made (pick)."""
    show = partial(codecs.RULE_SETTING.encode, district_id)
    pick = partial(codecs.RULE_CHOSEN.encode, district_id)
    return show, pick


def monthly_text(t: Translator, monthly: str | None) -> str:
    if not monthly:
        return "—"
    parts = monthly.split(":")
    if parts[0] == "day":
        return t._("day {day} of the month").format(day=parts[1])
    n = 5 if parts[1] == "-1" else int(parts[1])
    return t._(MONTHLY[n]).format(weekday=weekday_name(t, int(parts[2])))


def choices(
    t: Translator, district_id: int, field: str, draft: RuleDraft, today: date
) -> tuple[str, InlineKeyboardMarkup]:
    """The buttons for one setting; each press comes back to the rule's screen."""
    show, pick = rule_buttons(district_id)
    back = [button("↩️", t._("Back"), codecs.RULE_VIEW.encode(district_id))]  # to the rule
    cells: list[InlineKeyboardButton]
    if field in ("wd",) or field.startswith("mow"):
        code = "wd" if field == "wd" else f"mow{field[3]}"
        cells = [button("📅", weekday_name(t, n), pick(f"{code}{n}")) for n in range(7)]
        text = "📅 " + t._("Which weekday?")
    elif field == "tm":
        cells = [button("🕒", c, pick(f"tm{c.replace(':', '')}")) for c in TIMES]
        text = "🕒 " + t._("At what time?")
    elif field == "an":
        weekday = draft.weekday if draft.weekday is not None else today.weekday()
        first = today + timedelta(days=(weekday - today.weekday()) % 7)
        days = [first + timedelta(days=7 * n) for n in range(8)]
        cells = [button("🗓", t.format_weekday(d), pick(f"an{d:%Y%m%d}")) for d in days]
        text = "🗓 " + t._("Which date is the first meeting?")
    elif field == "mo":
        cells = [
            button("📅", t._(MONTHLY[n]).format(weekday="…"), show(f"mow{n}")) for n in MONTHLY
        ]
        cells.append(button("📅", t._("A day of the month"), show("mod")))
        text = "📅 " + t._("Which day of the month?")
    elif field == "mod":
        cells = [button("📅", str(d), pick(f"mod{d}")) for d in range(1, 29)]
        text = "📅 " + t._("Which day of the month?")
    elif field == "do":
        chosen = set(parse_days_off(draft.days_off))
        cells = [
            button(
                "✅" if day in chosen else "▫️",
                f"{day[3:]}.{day[:2]}",
                pick(f"dt{day.replace('-', '')}"),
            )
            for day in DAY_OFF_CHOICES
        ]
        cells.append(button("✍️", t._("Other days"), show("dd")))
        text = "🚫 " + t._("Which days are days off? Press a day to switch it on or off.")
    else:  # rh
        cells = [
            button("⏰", ", ".join(choice.split(",")) + " h", pick(f"rh{i}"))
            for i, choice in enumerate(REMINDER_CHOICES)
        ]
        text = "⏰ " + t._("How many hours before the meeting should the reminders come?")
    width = 4 if field == "mod" else 3 if field == "do" else 2
    rows = [cells[i : i + width] for i in range(0, len(cells), width)]
    rows.append(back)
    return text, InlineKeyboardMarkup(rows)


async def save(update: Update, context: BotContext, district_id: int, draft: RuleDraft) -> None:
    """Store the rule with who and when, plan the future anew and tell the members."""
    query = update.callback_query
    assert query is not None
    t, tz, now = context.t, context.services.config.tz, context.clock.now()
    values: dict[str, object] = {
        "meeting_weekday": draft.weekday,
        "meeting_time": draft.time,
        "meeting_anchor": draft.anchor,
        "monthly_rule": draft.monthly,
        "holiday_policy": draft.holiday_policy,
        "reminder_hours": draft.reminder_hours,
        "days_off": draft.days_off,
    }
    assert set(values) == set(RULE_COLUMNS)
    by = context.identity.telegram_id
    if not await set_meeting_rule(context.db, district_id, values, by, now):
        await answer_expired(query, t)
        return
    assert context.chat_data is not None
    context.chat_data.pop(DRAFT_KEY, None)
    await query.answer()

    def headline(her: Translator, following: MeetingRecord | None) -> str:
        text = "🔁 " + her._("Your group's regular meetings have a new rule.")
        if following is not None:
            text += "\n" + her._("The next meeting:") + "\n" + meeting_text(her, following, tz)
        return text

    await plan_and_tell(
        context.bot,
        context.services,
        district_id,
        now,
        changed_by=by,
        application=context.application,
        headline=headline,
    )
    assert context.job_queue is not None
    await schedule_wakeups(context.job_queue, context.db, now)
    text, _keyboard = await screen(context, district_id, draft)
    done = "✅ " + t._(
        "Saved. The future meetings follow the new rule, and the members are being told of every "
        "meeting that moved."
    )
    await edit_in_place(query, done + "\n\n" + text.split("\n\n", 1)[-1])


async def days_off_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Take the days off she typed into the draft, and show the rule again."""
    assert update.message is not None and update.effective_chat is not None
    t = context.t
    district_id = int(values[0])
    if not allowed(context.identity, Action.MANAGE_MEETINGS, district_id):
        await refuse(update, context)
        return
    days = parse_days_off_typed(update.message.text or "")
    if days is None:
        await ask(context, DAYS_OFF, *values)  # still waiting: she may correct it
        await context.bot.send_message(
            update.effective_chat.id,
            "🤔 "
            + t._("That is not a list of days like {example}.").format(example=t.ltr(EXAMPLE_DAYS)),
        )
        return
    draft = await load_draft(context, district_id, fresh=False)
    if draft is None:
        return
    draft = RuleDraft(**{**asdict(draft), "days_off": days})
    keep(context, district_id, draft)
    text, keyboard = await screen(context, district_id, draft)
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
