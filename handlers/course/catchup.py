"""Catch-up evenings: a coordinator plans them like a cohort (their own capacity and waiting
list); a participant or a bydelsmor of the district signs herself up from /course."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from bot.course import waitlist
from bot.course.waitlist import Result
from bot.identity import Role
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.course import codecs
from handlers.course.places import change_places
from handlers.course.texts import cohort_label, evening_title
from handlers.jobs.course import deliver_offers
from storage.course.cohorts import cohorts_in, get_cohort, places_of_person
from storage.course.evenings import evenings_of

MAY_JOIN = (Role.PARTICIPANT, Role.MOTHER)


def _districts(context: BotContext) -> list[int]:
    return [m.district_id for m in context.identity.memberships if Role(m.role) in MAY_JOIN]


async def open_catchups(
    context: BotContext,
) -> tuple[list[str], list[list[InlineKeyboardButton]]]:
    """Lines and sign-up buttons for the catch-up evenings she could still join."""
    t, tz, now = context.t, context.services.config.tz, context.clock.now()
    mine = {c.id for c, _ in await places_of_person(context.db, context.identity.telegram_id)}
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    for cohort in await cohorts_in(context.db, _districts(context)):
        if cohort.kind != "catchup" or cohort.completed_at is not None or cohort.id in mine:
            continue
        coming = [
            e
            for e in await evenings_of(context.db, cohort.id)
            if e.cancelled_at is None and e.starts_at > now
        ]
        if not coming:
            continue
        lines += ["", "🔁 <b>" + cohort_label(t, cohort) + "</b>"]
        lines += [f"• {t.format_datetime(e.starts_at, tz)} — {evening_title(t, e)}" for e in coming]
        rows.append([button("📝", t._("Sign up"), codecs.JOIN_CATCHUP.encode(cohort.id))])
    return lines, rows


async def join_callback(update: Update, context: BotContext) -> None:
    """She signs up: a place if there is one, else the waiting list (she is told which)."""
    query = update.callback_query
    assert query is not None
    ids = codecs.JOIN_CATCHUP.ids(query.data)
    cohort = await get_cohort(context.db, ids[0]) if ids else None
    t, me, now = context.t, context.identity, context.clock.now()
    membership = next(
        (
            m
            for m in me.memberships
            if cohort and m.district_id == cohort.district_id and Role(m.role) in MAY_JOIN
        ),
        None,
    )
    if cohort is None or cohort.kind != "catchup" or membership is None:
        await answer_expired(query, t)
        return
    changed = await change_places(
        context.db,
        cohort.id,
        lambda s: waitlist.admit(s, me.telegram_id, now),
        now,
        names={me.telegram_id: membership.display_name},
    )
    if changed is None or changed.stale:
        await answer_expired(query, t)
        return
    await query.answer()
    label = cohort_label(t, cohort)
    if changed.step.result is Result.WAITING:
        position = changed.step.state.position(me.telegram_id) or 0
        text = "⏳ " + t._(
            "The catch-up evenings {cohort} are full. You are number {n} on the waiting list."
        ).format(cohort=label, n=t.ltr(position))
    else:
        text = "✅ " + t._(
            "You are signed up for the catch-up evenings {cohort}. You will get a reminder the "
            "day before each evening."
        ).format(cohort=label)
    await edit_in_place(query, text)
    await deliver_offers(context.bot, context.services)
