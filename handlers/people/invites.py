"""Invites: a coordinator makes a link and QR code; a woman opens it, sees where she is joining,
and confirms.

The callback data of a join button carries the code she opened (she holds it anyway); every
press looks the invite up again, so an expired, used-up or revoked one never lets her in.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed, grantable_roles
from bot.i18n import N_, Translator
from bot.identity import Role
from bot.invites import (
    MAX_USES,
    VALID_FOR,
    InviteState,
    Verdict,
    deep_link,
    hash_code,
    is_invite_code,
    new_code,
    qr_png,
    verdict,
)
from handlers.common.access import choose_district, refuse
from handlers.common.codec import fields_of, routed_by
from handlers.common.commands import set_chat_commands
from handlers.common.context import BotContext
from handlers.common.identity import identity_of
from handlers.common.labels import ROLE_EMOJI, ROLE_NAMES
from handlers.common.menu import send_menu
from handlers.common.render import answer_expired, button, escape
from handlers.people.codecs import INVITE_DISTRICT, INVITE_ROLE, JOIN, JOIN_NO
from storage.districts import get_district
from storage.invites import InviteRecord, create_invite, find_invite, redeem_invite

DISPLAY_NAME_MAX = 64

_REFUSALS = {
    Verdict.UNKNOWN: N_(
        "This link is not valid or has expired. Ask your coordinator for a new one."
    ),
    Verdict.REVOKED: N_(
        "This link is not valid or has expired. Ask your coordinator for a new one."
    ),
    Verdict.EXPIRED: N_("This invite has expired. Ask your coordinator for a new one."),
    Verdict.USED_UP: N_(
        "This invite has already been used by as many women as it allows. "
        "Ask your coordinator for a new one."
    ),
    Verdict.ALREADY_USED: N_(
        "You have already used this invite. Ask your coordinator for a new one."
    ),
}


async def invite_command(update: Update, context: BotContext) -> None:
    """Start an invite: pick the district if she has several, then the role."""
    district_id = await choose_district(update, context, Action.INVITE, INVITE_DISTRICT.encode)
    if district_id is not None:
        assert update.effective_chat is not None
        await ask_role(update.effective_chat.id, district_id, context)


async def invite_district_callback(update: Update, context: BotContext) -> None:
    """Ask which role the invite gives, in the district she pressed."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    (pressed,) = fields_of(context.matches)
    district_id = int(pressed)
    if not allowed(context.identity, Action.INVITE, district_id):
        await refuse(update, context)
        return
    await query.answer()
    await ask_role(update.effective_chat.id, district_id, context)


async def ask_role(chat_id: int, district_id: int, context: BotContext) -> None:
    t = context.t
    rows = [
        [button(ROLE_EMOJI[role], t._(ROLE_NAMES[role]), INVITE_ROLE.encode(district_id, role))]
        for role in grantable_roles(context.identity, district_id)
    ]
    text = "📨 " + t._("Who is the invite for?")
    await context.bot.send_message(chat_id, text, reply_markup=InlineKeyboardMarkup(rows))


async def invite_role_callback(update: Update, context: BotContext) -> None:
    """Create the invite and send its link with a QR code to print."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    district_id, role_name = fields_of(context.matches)
    district = await get_district(context.db, int(district_id))
    if district is None:
        await answer_expired(query, context.t)
        return
    role = Role(role_name)
    if role not in grantable_roles(context.identity, district.id):
        await refuse(update, context)
        return
    now = context.clock.now()
    code = new_code()
    await create_invite(
        context.db,
        hash_code(code),
        district.id,
        role,
        context.identity.telegram_id,
        now,
        now + VALID_FOR,
        MAX_USES,
    )
    await query.answer()
    link = deep_link(context.bot.username, code)
    caption = invite_caption(context.t, district.name, role, link, now + VALID_FOR, context)
    await context.bot.send_photo(
        update.effective_chat.id, qr_png(link), caption=caption, parse_mode=ParseMode.HTML
    )


def invite_caption(
    t: Translator, district: str, role: Role, link: str, until: datetime, context: BotContext
) -> str:
    lines = [
        "📨 <b>"
        + t._("Invite to Bydelsmødre {district}").format(district=t.ltr(escape(district)))
        + "</b>",
        t._("Role: {role}").format(role=t._(ROLE_NAMES[role])),
        t.ltr(link),
        t._("Valid until {date}, for up to {count} women.").format(
            date=t.format_datetime(until, context.services.config.tz), count=t.ltr(MAX_USES)
        ),
        t._("Print the picture for the library table, or forward this message."),
    ]
    return "\n".join(lines)


async def answer_invite_payload(chat_id: int, payload: str, context: BotContext) -> bool:
    """Show the invite she opened and ask her to confirm; False if the payload is no invite."""
    if not is_invite_code(payload):
        return False
    t = context.t
    record = await find_invite(context.db, hash_code(payload), context.identity.telegram_id)
    outcome = judge(record, context.clock.now())
    if outcome is not Verdict.OK or record is None:
        await send_menu(chat_id, context, intro="⚠️ " + refusal_text(t, outcome, record))
        return True
    text = t._("You are invited to join Bydelsmødre {district} as: {role}.").format(
        district=t.ltr(escape(record.district_name)), role=t._(ROLE_NAMES[Role(record.role)])
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                button("✅", t._("Join"), JOIN.encode(payload)),
                button("✖️", t._("No, thank you"), JOIN_NO.encode()),
            ]
        ]
    )
    await context.bot.send_message(chat_id, "📨 " + text, reply_markup=keyboard)
    return True


def judge(record: InviteRecord | None, now: datetime) -> Verdict:
    state = None
    if record is not None:
        state = InviteState(
            record.district_id,
            record.role,
            record.expires_at,
            record.max_uses,
            record.uses,
            record.revoked,
            record.used_by_her,
        )
    her_role = record.her_role_there if record else None
    return verdict(state, now, her_role)


def refusal_text(t: Translator, outcome: Verdict, record: InviteRecord | None) -> str:
    if outcome is Verdict.ALREADY_MEMBER and record is not None:
        return t._("You are already a member of Bydelsmødre {district}.").format(
            district=t.ltr(escape(record.district_name))
        )
    return t._(_REFUSALS.get(outcome, _REFUSALS[Verdict.UNKNOWN]))


async def join_callback(update: Update, context: BotContext) -> None:
    """Make her a member with the invite she confirmed, or leave things as they were."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    t = context.t
    if routed_by(context.matches, JOIN_NO):
        await query.answer()
        await query.edit_message_text(t._("All right. You can open the link again later."))
        await send_menu(update.effective_user.id, context)
        return
    (code,) = fields_of(context.matches)
    code_hash, user = hash_code(code), update.effective_user
    name = user.full_name[:DISPLAY_NAME_MAX]
    record = await find_invite(context.db, code_hash, user.id)
    joined = await redeem_invite(
        context.db, code_hash, user.id, name, t.locale, context.clock.now()
    )
    await query.answer()
    if not joined or record is None:
        await query.edit_message_text(
            "⚠️ " + refusal_text(t, judge(record, context.clock.now()), record)
        )
        return
    await welcome_member(update, context, record)


async def welcome_member(update: Update, context: BotContext, record: InviteRecord) -> None:
    assert update.callback_query is not None and update.effective_user is not None
    t = context.t
    context.identity = await identity_of(update.effective_user, context)
    text = t._("Welcome to Bydelsmødre {district}!").format(
        district=t.ltr(escape(record.district_name))
    )
    await update.callback_query.edit_message_text("✅ " + text)
    chat_id = update.effective_user.id
    await set_chat_commands(context.bot, chat_id, context.identity.role, t)
    await send_menu(chat_id, context)
