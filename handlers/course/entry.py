"""/course (and its menu button): the entry point, different for each woman.

A coordinator sees her district's cohorts; a woman with a place sees it (her progress, her
offer, or her turn on the waiting list); a bydelsmor sees the catch-up evenings; a woman who said
she is interested sees that; anyone else is told what the training is and can say she wants it.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.access import Action
from bot.identity import Role
from handlers.common.access import permitted_districts
from handlers.common.context import BotContext
from handlers.common.render import button
from handlers.course import codecs
from handlers.course.catchup import open_catchups
from handlers.course.cohorts import show_cohorts
from handlers.course.interest import current_interest_text, show_consent
from handlers.course.progress import participant_lines
from handlers.course.texts import cohort_label, offer_keyboard, offer_text
from storage.course.cohorts import places_of_person


async def course_command(update: Update, context: BotContext) -> None:
    """Show the basic training as it concerns her."""
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    if await permitted_districts(context, Action.MANAGE_COURSE):
        await show_cohorts(chat_id, context)
        return
    t, tz = context.t, context.services.config.tz
    me = context.identity.telegram_id
    lines: list[str] = []
    for cohort, place in await places_of_person(context.db, me):
        if cohort.completed_at is not None:
            continue
        if place.status == "offered" and place.offer_expires_at is not None:
            await context.bot.send_message(
                chat_id,
                offer_text(t, cohort, place.offer_expires_at, tz),
                parse_mode="HTML",
                reply_markup=offer_keyboard(t, cohort.id),
            )
            return
        if place.status == "waiting":
            lines.append(
                "⏳ "
                + t._("You are number {n} on the waiting list of {cohort}.").format(
                    n=t.ltr(place.position), cohort=cohort_label(t, cohort)
                )
            )
        elif cohort.kind == "catchup":
            lines.append(
                "🔁 "
                + t._("You have a place at the catch-up evenings {cohort}.").format(
                    cohort=cohort_label(t, cohort)
                )
            )
        else:
            lines += await participant_lines(context, cohort)
    rows = [[button("🚪", t._("Withdraw"), codecs.WITHDRAW.encode())]] if lines else []
    catchup_lines, catchup_rows = await open_catchups(context)
    if not lines and catchup_lines:
        await context.bot.send_message(
            chat_id,
            "\n".join(catchup_lines),
            parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup(catchup_rows),
        )
        return
    lines += catchup_lines
    rows += catchup_rows
    if not lines:
        interest = await current_interest_text(context)
        if interest is None:
            if context.identity.role is Role.MOTHER:
                lines.append(
                    "🎓 "
                    + t._(
                        "You are a bydelsmor: you have completed the basic training. No catch-up "
                        "evenings are planned right now."
                    )
                )
                await context.bot.send_message(chat_id, "\n".join(lines), parse_mode="HTML")
                return
            await show_consent(chat_id, context)
            return
        lines.append(interest)
        rows = [[button("🚪", t._("Withdraw"), codecs.WITHDRAW.encode())]]
    keyboard = InlineKeyboardMarkup(rows)
    await context.bot.send_message(
        chat_id, "\n".join(lines), parse_mode="HTML", reply_markup=keyboard
    )
