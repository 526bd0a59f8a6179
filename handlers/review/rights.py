"""Giving and taking away the reviewer right, from a member's card in /members.

A coordinator of the member's district (or an admin) presses 🔤 Translation review on the card
and toggles languages; the member is told, in her language, when she gets a language.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import Action, allowed
from bot.i18n import LANGUAGE_BY_CODE, Translator, translator
from bot.review.flow import REVIEWABLE
from handlers.common.access import refuse
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.delivery.sender import send_to_person
from handlers.review.codecs import decode_rights, rights_data
from storage.members import MemberRow, get_member
from storage.review import reviewer_locales, set_reviewer


def may_grant_review(context: BotContext, district_id: int, member: MemberRow) -> bool:
    """Her district's coordinator (or an admin) may, for any member but herself."""
    identity = context.identity
    return member.telegram_id != identity.telegram_id and allowed(
        identity, Action.GRANT_REVIEW, district_id
    )


def rights_button(t: Translator, district_id: int, member_id: int) -> list[InlineKeyboardButton]:
    return [button("🔤", t._("Translation review"), rights_data(district_id, member_id))]


async def rights_callback(update: Update, context: BotContext) -> None:
    """Show which languages a member may review, or give/take one."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode_rights(query.data)
    member = await get_member(context.db, decoded[0], decoded[1]) if decoded else None
    if decoded is None or member is None:
        await answer_expired(query, context.t)
        return
    district_id, _, locale = decoded
    if not may_grant_review(context, district_id, member) or (
        locale is not None and locale not in REVIEWABLE
    ):
        await refuse(update, context)
        return
    if locale is not None:
        had = locale in await reviewer_locales(context.db, member.telegram_id)
        by = context.identity.telegram_id
        now = context.clock.now()
        await set_reviewer(context.db, member.telegram_id, locale, by, now, on=not had)
        if not had:
            await tell_new_reviewer(context, member, locale)
    await query.answer()
    text, keyboard = await rights_screen(context, district_id, member)
    await edit_in_place(query, text, keyboard)


async def rights_screen(
    context: BotContext, district_id: int, member: MemberRow
) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    has = await reviewer_locales(context.db, member.telegram_id)
    text = "🔤 " + t._(
        "Which languages may {name} review? Press a language to give or take away the right."
    ).format(name=t.ltr(escape(member.display_name)))
    languages = [
        button(
            "✅" if code in has else "➕",
            LANGUAGE_BY_CODE[code].native_name,
            rights_data(district_id, member.telegram_id, code),
        )
        for code in REVIEWABLE
    ]
    rows = [languages[i : i + 2] for i in range(0, len(languages), 2)]
    rows.append([button("↩️", t._("Back"), f"mcard:{district_id}:{member.telegram_id}")])
    return text, InlineKeyboardMarkup(rows)


async def tell_new_reviewer(context: BotContext, member: MemberRow, locale: str) -> None:
    t = translator(member.locale or "nb")
    text = "🔔 " + t._("You can now check the translation into {language}: send {command}.").format(
        language=t.ltr(LANGUAGE_BY_CODE[locale].native_name), command=t.command("review")
    )
    await send_to_person(context.bot, context.db, member.telegram_id, text, context.clock)
