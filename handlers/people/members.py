"""/members: a coordinator's view of her district's members, paged, with role changes and
removal (after a confirmation).

Every button names the district and the member by id; each press checks again, with the rules
in bot.access, that the one pressing may see or change exactly that.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed, grantable_roles, may_grant, may_manage
from bot.i18n import LANGUAGE_BY_CODE, Translator, translator
from bot.identity import Role
from handlers.common.access import choose_district, refuse
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.labels import ROLE_EMOJI, ROLE_NAMES, reviewer_line
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.delivery.sender import send_to_person
from handlers.people import codecs
from handlers.review.rights import may_grant_review, rights_button
from storage.districts import get_district
from storage.members import (
    MemberRow,
    count_members,
    get_member,
    list_members,
    remove_member,
    set_role,
)

PAGE_SIZE = 8
NAME_IN_BUTTON = 28


async def members_command(update: Update, context: BotContext) -> None:
    """Show her district's members (asking which district if she has several)."""
    district_id = await choose_district(update, context, Action.LIST_MEMBERS, page_data_for)
    if district_id is not None:
        assert update.effective_chat is not None
        text, keyboard = await render_page(context, district_id, 0)
        await context.bot.send_message(
            update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
        )


def page_data_for(district_id: int, page: int = 0) -> str:
    return codecs.MEMBER_PAGE.encode(district_id, page)


async def member_page_callback(update: Update, context: BotContext) -> None:
    """Show one page of the member list, in place."""
    query = update.callback_query
    assert query is not None
    district_id, page = map(int, fields_of(context.matches))
    if not allowed(context.identity, Action.LIST_MEMBERS, district_id):
        await refuse(update, context)
        return
    text, keyboard = await render_page(context, district_id, page)
    await query.answer()
    await edit_in_place(query, text, keyboard)


async def render_page(
    context: BotContext, district_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    t, db = context.t, context.db
    district = await get_district(db, district_id)
    total = await count_members(db, district_id)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages - 1)
    members = await list_members(db, district_id, PAGE_SIZE, page * PAGE_SIZE)
    name = escape(district.name) if district else "?"
    lines = [
        "👥 <b>"
        + t.ltr(name)
        + "</b> — "
        + t.ngettext("{count} member", "{count} members", total).format(count=t.ltr(total))
        + " "
        + t._("(page {page} of {pages})").format(page=t.ltr(page + 1), pages=t.ltr(pages)),
    ]
    tz = context.services.config.tz
    lines += [f"{page * PAGE_SIZE + i + 1}. {member_line(t, m, tz)}" for i, m in enumerate(members)]
    rows = [[member_button(district_id, m)] for m in members]
    navigation = []
    if page > 0:
        navigation.append(button("⬅️", t._("Previous"), page_data_for(district_id, page - 1)))
    if page + 1 < pages:
        navigation.append(button("➡️", t._("Next"), page_data_for(district_id, page + 1)))
    rows += [navigation] if navigation else []
    # An empty keyboard is no keyboard: PTB would send one Telegram refuses.
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


def member_button(district_id: int, member: MemberRow) -> InlineKeyboardButton:
    # Button labels are not parsed as HTML: the name goes in as it is, shortened for phones.
    label = member.display_name[:NAME_IN_BUTTON]
    return button(
        ROLE_EMOJI[Role(member.role)],
        label,
        codecs.MEMBER_CARD.encode(district_id, member.telegram_id),
    )


def member_line(t: Translator, member: MemberRow, tz: ZoneInfo) -> str:
    language = LANGUAGE_BY_CODE.get(member.locale or "")
    seen = (
        t._("last seen {date}").format(date=t.ltr(t.format_day(member.last_seen, tz)))
        if member.last_seen
        else t._("not seen yet")
    )
    parts = [
        f"{ROLE_EMOJI[Role(member.role)]} <b>{t.ltr(escape(member.display_name))}</b>",
        t._(ROLE_NAMES[Role(member.role)]),
        language.native_name if language else "—",
        seen,
    ]
    if member.unreachable_since:
        parts.append("🚫 " + t._("cannot be reached (blocked the bot)"))
    if member.review_locales:
        parts.append(reviewer_line(t, member.review_locales))
    return " · ".join(parts)


async def member_action_callback(update: Update, context: BotContext) -> None:
    """Open a member's card, ask to confirm her removal, or remove her."""
    query = update.callback_query
    assert query is not None
    district_id, member_id = map(int, fields_of(context.matches))
    member = await get_member(context.db, district_id, member_id)
    if member is None:
        await answer_expired(query, context.t)
        return
    # Which of the three buttons was pressed: the pattern the press was routed by says.
    assert context.matches is not None
    kind, identity = context.matches[0].re, context.identity
    changing = kind is not codecs.MEMBER_CARD.pattern
    if not allowed(identity, Action.LIST_MEMBERS, district_id) or (
        changing and not may_manage(identity, district_id, member.telegram_id, Role(member.role))
    ):
        await refuse(update, context)
        return
    if kind is codecs.MEMBER_REMOVE_OK.pattern:
        await remove_member(context.db, district_id, member.telegram_id)
        await query.answer("🗑 " + context.t._("Removed."))
        text, keyboard = await render_page(context, district_id, 0)
    elif kind is codecs.MEMBER_REMOVE.pattern:
        await query.answer()
        text, keyboard = confirm_removal(context.t, district_id, member)
    else:
        await query.answer()
        text, keyboard = member_card(context, district_id, member)
    await edit_in_place(query, text, keyboard)


async def member_role_callback(update: Update, context: BotContext) -> None:
    """Ask to confirm another role for a member (mrole), or give it (mroleok), if the one
    pressing may give it."""
    query = update.callback_query
    assert query is not None and context.matches is not None
    district, member_id, role = fields_of(context.matches)
    district_id, new_role = int(district), Role(role)
    member = await get_member(context.db, district_id, int(member_id))
    if member is None:
        await answer_expired(query, context.t)
        return
    if not may_grant(
        context.identity, district_id, member.telegram_id, Role(member.role), new_role
    ):
        await refuse(update, context)
        return
    if context.matches[0].re is codecs.MEMBER_ROLE.pattern:
        await query.answer()
        text, keyboard = confirm_role(context.t, district_id, member, new_role)
        await edit_in_place(query, text, keyboard)
        return
    if member.role == new_role:  # pressed twice: the first press changed it
        await answer_expired(query, context.t)
        return
    await set_role(context.db, district_id, member.telegram_id, new_role)
    await query.answer("✅ " + context.t._("Role changed."))
    await tell_new_role(context, district_id, member, new_role)
    updated = await get_member(context.db, district_id, member.telegram_id)
    assert updated is not None
    text, keyboard = member_card(context, district_id, updated)
    await edit_in_place(query, text, keyboard)


async def tell_new_role(
    context: BotContext, district_id: int, member: MemberRow, role: Role
) -> None:
    """Tell the member, in her own language, what she is now."""
    district = await get_district(context.db, district_id)
    t = translator(member.locale or (district.default_locale if district else "nb"))
    text = "🔔 " + t._("Your role in Bydelsmødre {district} is now: {role}.").format(
        district=t.ltr(escape(district.name if district else "")), role=t._(ROLE_NAMES[role])
    )
    await send_to_person(context.bot, context.db, member.telegram_id, text, context.clock)


def member_card(
    context: BotContext, district_id: int, member: MemberRow
) -> tuple[str, InlineKeyboardMarkup]:
    t, identity = context.t, context.identity
    tz = context.services.config.tz
    joined = t._("joined {date}").format(date=t.ltr(t.format_day(member.joined_at, tz)))
    text = member_line(t, member, tz) + "\n" + joined
    rows: list[list[InlineKeyboardButton]] = []
    if may_manage(identity, district_id, member.telegram_id, Role(member.role)):
        rows += [
            [
                button(
                    ROLE_EMOJI[role],
                    t._("Make her: {role}").format(role=t._(ROLE_NAMES[role])),
                    codecs.MEMBER_ROLE.encode(district_id, member.telegram_id, role),
                )
            ]
            for role in grantable_roles(identity, district_id)
            if role != member.role
        ]
        rows.append(
            [
                button(
                    "🗑",
                    t._("Remove from the group"),
                    codecs.MEMBER_REMOVE.encode(district_id, member.telegram_id),
                )
            ]
        )
    if may_grant_review(context, district_id, member):
        rows.append(rights_button(t, district_id, member.telegram_id))
    rows.append([button("↩️", t._("Back to the list"), page_data_for(district_id))])
    return text, InlineKeyboardMarkup(rows)


def confirm_role(
    t: Translator, district_id: int, member: MemberRow, role: Role
) -> tuple[str, InlineKeyboardMarkup]:
    # TRANSLATORS: {name} is a member's name, {old} and {new} are roles (e.g. participant).
    text = t._("Make {name} {new} instead of {old}? She will be told.").format(
        name=t.ltr(escape(member.display_name)),
        new=t._(ROLE_NAMES[role]),
        old=t._(ROLE_NAMES[Role(member.role)]),
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(
                    ROLE_EMOJI[role],
                    t._("Yes, change the role"),
                    codecs.MEMBER_ROLE_OK.encode(district_id, member.telegram_id, role),
                ),
                button(
                    "↩️", t._("Cancel"), codecs.MEMBER_CARD.encode(district_id, member.telegram_id)
                ),
            ]
        ]
    )
    return "⚠️ " + text, keyboard


def confirm_removal(
    t: Translator, district_id: int, member: MemberRow
) -> tuple[str, InlineKeyboardMarkup]:
    text = t._("Remove {name} from the group? She can be invited again later.").format(
        name=t.ltr(escape(member.display_name))
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(
                    "🗑",
                    t._("Yes, remove"),
                    codecs.MEMBER_REMOVE_OK.encode(district_id, member.telegram_id),
                ),
                button(
                    "↩️", t._("Cancel"), codecs.MEMBER_CARD.encode(district_id, member.telegram_id)
                ),
            ]
        ]
    )
    return "⚠️ " + text, keyboard
