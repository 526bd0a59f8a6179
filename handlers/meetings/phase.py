"""/phase: move a district's group to another phase (fase 1-4), after a confirmation.

The change is stored with who made it and when; the meeting rhythm follows the phase: future
meetings are planned anew by the new phase's rule and the members are told.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed
from bot.i18n import Translator
from handlers.common.access import choose_district, refuse
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.labels import PHASES, phase_line
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.jobs.meetings import schedule_wakeups
from handlers.meetings import codecs
from handlers.meetings.planning import phase_has_rule, plan_and_tell
from storage.districts import DistrictRecord, PhaseChange, change_phase, get_district, phase_history


async def phase_command(update: Update, context: BotContext) -> None:
    """Show the group's phase and the phases it can move to."""
    district_id = await choose_district(
        update, context, Action.CHANGE_PHASE, codecs.PHASE_CHOICES.encode
    )
    district = await get_district(context.db, district_id) if district_id is not None else None
    if district is not None:
        assert update.effective_chat is not None
        text, keyboard = phase_choices(context.t, district)
        text += history_text(context, await phase_history(context.db, district.id))
        await context.bot.send_message(
            update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
        )


async def phase_callback(update: Update, context: BotContext) -> None:
    """Show the choices, ask to confirm one, or make the change."""
    query = update.callback_query
    assert query is not None and context.matches is not None
    fields = fields_of(context.matches)  # the district, then the phase unless only choosing
    district = await get_district(context.db, int(fields[0]))
    if district is None:
        await answer_expired(query, context.t)
        return
    if not allowed(context.identity, Action.CHANGE_PHASE, district.id):
        await refuse(update, context)
        return
    t, target = context.t, int(fields[1]) if len(fields) > 1 else None
    if target is None:
        text, keyboard = phase_choices(t, district)
        text += history_text(context, await phase_history(context.db, district.id))
    elif context.matches[0].re is codecs.PHASE_PICK.pattern:
        tz, now = context.services.config.tz, context.clock.now()
        has_rule = await phase_has_rule(context.db, district.id, target, now, tz)
        text, keyboard = confirm_phase(t, district, target, has_rule)
    else:
        now = context.clock.now()
        old = await change_phase(context.db, district.id, target, context.identity.telegram_id, now)
        await query.answer()
        await edit_in_place(query, phase_done(t, district, target))
        # The meetings follow the phase: future ones are planned anew and members are told.
        await plan_and_tell(
            context.bot,
            context.services,
            district.id,
            now,
            announce=old != target,
            changed_by=context.identity.telegram_id,
            application=context.application,
        )
        assert context.job_queue is not None
        await schedule_wakeups(context.job_queue, context.db, now)
        return
    await query.answer()
    await edit_in_place(query, text, keyboard)


def phase_choices(t: Translator, district: DistrictRecord) -> tuple[str, InlineKeyboardMarkup]:
    text = (
        "🔄 <b>"
        + t.ltr(escape(district.name))
        + "</b>\n"
        + t._("Now: {phase}").format(phase=phase_line(t, district.phase))
    )
    rows = [
        [button(f"{n}️⃣", t._(PHASES[n]), codecs.PHASE_PICK.encode(district.id, n))]
        for n in PHASES
        if n != district.phase
    ]
    return text, InlineKeyboardMarkup(rows)


def history_text(context: BotContext, changes: list[PhaseChange]) -> str:
    """The latest changes, newest first: when, from which phase to which, and who."""
    if not changes:
        return ""
    t, tz = context.t, context.services.config.tz
    lines = ["", "", "🕓 " + t._("Phase history:")]
    for change in changes:
        if change.name is not None:
            who = t.ltr(escape(change.name))
        elif change.changed_by is not None:
            who = t._("an administrator")
        else:
            # TRANSLATORS: who changed the phase: the organisation file, or someone forgotten.
            who = t._("the organisation's file")
        # TRANSLATORS: e.g. "2 Dec 2026: phase 2 → 3, by Kari".
        line = t._("{date}: phase {old} → {new}, by {who}")
        day = t.ltr(t.format_day(change.changed_at, tz))
        old, new = t.ltr(change.from_phase), t.ltr(change.to_phase)
        lines.append("• " + line.format(date=day, old=old, new=new, who=who))
    return "\n".join(lines)


def confirm_phase(
    t: Translator, district: DistrictRecord, target: int, has_rule: bool = True
) -> tuple[str, InlineKeyboardMarkup]:
    text = t._("Move {district} from phase {old} to phase {new}?").format(
        district=t.ltr(escape(district.name)), old=t.ltr(district.phase), new=t.ltr(target)
    )
    warning = ""
    if not has_rule:
        # She must know before confirming: the calendar empties until a new time is set.
        warning = "\n\n❗ " + t._(
            "The group has no regular meeting time for phase {phase}. Its future regular "
            "meetings will be removed (single meetings you added stay), and the members will "
            "be told that the regular meetings stop until a new time is set."
        ).format(phase=t.ltr(target))
    keyboard = InlineKeyboardMarkup(
        [
            [
                button("✅", t._("Yes, move"), codecs.PHASE_OK.encode(district.id, target)),
                button("↩️", t._("Cancel"), codecs.PHASE_CHOICES.encode(district.id)),
            ]
        ]
    )
    return "⚠️ " + text + "\n" + phase_line(t, target) + warning, keyboard


def phase_done(t: Translator, district: DistrictRecord, target: int) -> str:
    return (
        "✅ "
        + t._("{district} is now in phase {phase}.").format(
            district=t.ltr(escape(district.name)), phase=t.ltr(target)
        )
        + "\n"
        + phase_line(t, target)
    )
