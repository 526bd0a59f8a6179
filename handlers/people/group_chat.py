"""The district's group chat: /link and /unlink sent in it, and keeping the link true when the bot
is removed, the group becomes a supergroup or is renamed.

Linking takes two rights at once: she coordinates the district (our records) and she runs the
chat (Telegram's records, asked afresh each time, since a chat's admins change without telling
us). Anyone in a group can press a button there, so a press is checked for the woman who pressed,
not for the one who sent /link. A group has many languages: each answer is in the language of the
woman it answers.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberRestricted, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden

from bot.access import Action, allowed
from bot.i18n import Translator
from handlers.common.access import choose_district, permitted_districts, refuse
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.identity import her_private_chat_changed
from handlers.common.render import answer_expired, escape
from handlers.people import codecs
from storage.districts import DistrictRecord, get_district
from storage.group_chats import (
    LinkChange,
    district_for_chat,
    link_chat,
    migrate_chat,
    rename_chat,
    unlink_chat_by_chat,
)

log = logging.getLogger(__name__)

GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
RUNS_THE_CHAT = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
IN_THE_CHAT = RUNS_THE_CHAT | {ChatMemberStatus.MEMBER}


def is_in_chat(member: ChatMember) -> bool:
    """Is this member in the chat (a restricted member may be, or may have left)?"""
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in IN_THE_CHAT


async def runs_chat(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Is she the chat's creator or one of its administrators, by Telegram's word right now?"""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return False  # the chat, or she, is gone from Telegram's view: nobody vouches for her
    return member.status in RUNS_THE_CHAT


async def tell(update: Update, context: BotContext, text: str, **names: str) -> None:
    """Answer her where she asked: a pop-up for a press, a reply in the group for a command.
    `names` are user-provided strings, escaped only where Telegram reads HTML."""
    if update.callback_query is not None:
        await update.callback_query.answer(text.format(**names), show_alert=True)
        return
    assert update.effective_message is not None
    escaped = {key: escape(value) for key, value in names.items()}
    await update.effective_message.reply_text(
        text.format(**escaped), parse_mode=ParseMode.HTML, do_quote=True
    )


async def runs_chat_or_refuse(update: Update, context: BotContext) -> bool:
    """Go on only if she runs this chat; otherwise tell her that she must."""
    assert update.effective_chat is not None and update.effective_user is not None
    if await runs_chat(context, update.effective_chat.id, update.effective_user.id):
        return True
    # TRANSLATORS: a reply in the group or a pop-up (at most 200 characters).
    text = context.t._("Sorry, only an administrator of this group chat can do that.")
    await tell(update, context, "🔒 " + text)
    return False


async def may_take_chat(update: Update, context: BotContext) -> bool:
    """A chat linked to a district stays there unless she coordinates that district too."""
    assert update.effective_chat is not None
    current = await district_for_chat(context.db, update.effective_chat.id)
    if current is None or allowed(context.identity, Action.LINK_CHAT, current.id):
        return True
    # TRANSLATORS: a reply in the group or a pop-up (at most 200 characters). Bydelsmødre is
    # the organisation's name: keep it. {district} is e.g. Alna.
    text = context.t._(
        "This chat is the group chat of Bydelsmødre {district}. Only a coordinator of that "
        "district can change that."
    )
    await tell(update, context, "🔒 " + text, district=current.name)
    return False


async def link_command(update: Update, context: BotContext) -> None:
    """Link this group chat to the district she coordinates, asking which if she has several."""
    if not await permitted_districts(context, Action.LINK_CHAT):
        await refuse(update, context)
        return
    if not await runs_chat_or_refuse(update, context) or not await may_take_chat(update, context):
        return
    district_id = await choose_district(update, context, Action.LINK_CHAT, codecs.LINK.encode)
    district = await get_district(context.db, district_id) if district_id is not None else None
    if district is not None:
        await link_here(update, context, district)


async def link_district_callback(update: Update, context: BotContext) -> None:
    """Link the chat to the pressed district, if whoever pressed may do that."""
    query = update.callback_query
    assert query is not None
    (district_id,) = fields_of(context.matches)
    district = await get_district(context.db, int(district_id))
    chat = update.effective_chat
    if district is None or chat is None or chat.type not in GROUP_TYPES:
        await answer_expired(query, context.t)
        return
    if not allowed(context.identity, Action.LINK_CHAT, district.id):
        await refuse(update, context)
        return
    if not await runs_chat_or_refuse(update, context) or not await may_take_chat(update, context):
        return
    await link_here(update, context, district)


async def link_here(update: Update, context: BotContext, district: DistrictRecord) -> None:
    """Link, then say so in the group (in place of the district buttons, if she pressed one)."""
    chat = update.effective_chat
    assert chat is not None
    change = await link_chat(context.db, district.id, chat.id, chat.title)
    if change is None:  # the district was deleted a moment ago
        if update.callback_query is not None:
            await answer_expired(update.callback_query, context.t)
        return
    log.info("chat %s linked to district %s", chat.id, district.id)
    text = linked_text(context.t, district, change)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(text, parse_mode=ParseMode.HTML)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, do_quote=True)


def linked_text(t: Translator, district: DistrictRecord, change: LinkChange) -> str:
    """The confirmation, saying also what the link replaced."""
    # TRANSLATORS: Bydelsmødre is the organisation's name: keep it. {district} is e.g. Alna.
    linked = t._("This chat is now the group chat of Bydelsmødre {district}.")
    lines = ["✅ " + linked.format(district=escape(district.name))]
    if change.previous_district_name is not None:
        # TRANSLATORS: {district} is the district this chat was linked to until now.
        moved = t._("It is no longer the group chat of Bydelsmødre {district}.")
        lines.append(moved.format(district=escape(change.previous_district_name)))
    if change.previous_chat_id is not None:
        lines.append(t._("The district's earlier group chat is no longer linked."))
    return "\n".join(lines)


async def unlink_command(update: Update, context: BotContext) -> None:
    """Stop using this group chat for its district, if she coordinates it and runs the chat."""
    assert update.effective_chat is not None
    t = context.t
    district = await district_for_chat(context.db, update.effective_chat.id)
    if district is None:
        await tell(update, context, "ℹ️ " + t._("This chat is not linked to a district."))
        return
    if not allowed(context.identity, Action.LINK_CHAT, district.id):
        await refuse(update, context)
        return
    if not await runs_chat_or_refuse(update, context):
        return
    await unlink_chat_by_chat(context.db, update.effective_chat.id)
    log.info("chat %s unlinked from district %s", update.effective_chat.id, district.id)
    # TRANSLATORS: Bydelsmødre is the organisation's name: keep it. {district} is e.g. Alna.
    text = t._("This chat is no longer the group chat of Bydelsmødre {district}.")
    await tell(update, context, "✅ " + text, district=district.name)


async def link_in_private_command(update: Update, context: BotContext) -> None:
    """Explain that /link and /unlink are sent in the district's group chat, not here."""
    assert update.effective_chat is not None
    t = context.t
    # TRANSLATORS: {link} and {unlink} are the commands /link and /unlink.
    text = t._(
        "{link} and {unlink} work in your district's group chat: add me to the group, then send "
        "{link} there. You need to be a coordinator of the district and an administrator of "
        "the group."
    ).format(link=t.command("link"), unlink=t.command("unlink"))
    await context.bot.send_message(update.effective_chat.id, "ℹ️ " + text)


async def bot_membership_callback(update: Update, context: BotContext) -> None:
    """Unlink a group chat the bot was removed from; greet a group it was added to. (In her
    private chat: she blocked or unblocked the bot.)"""
    change = update.my_chat_member
    assert change is not None
    chat = change.chat
    if chat.type == ChatType.PRIVATE:
        await her_private_chat_changed(change, context)
        return
    if chat.type not in GROUP_TYPES:
        return
    was_in, is_in = is_in_chat(change.old_chat_member), is_in_chat(change.new_chat_member)
    if was_in and not is_in:
        district_id = await unlink_chat_by_chat(context.db, chat.id)
        log.info("removed from chat %s; unlinked district %s", chat.id, district_id)
    elif is_in and not was_in and await district_for_chat(context.db, chat.id) is None:
        await greet_group(chat.id, context)


async def greet_group(chat_id: int, context: BotContext) -> None:
    """One neutral line, in the language of whoever added the bot, saying how to link."""
    t = context.t
    # Spelled with the bot's username: in a group with several bots a bare /link may reach
    # another bot, or none (privacy mode).
    command = t.command(f"link@{context.bot.username}")
    # TRANSLATORS: posted in a new group chat; {command} is /link followed by the bot's name.
    text = t._(
        "Hello! To make this the group chat of a district, a coordinator of the district who is "
        "also an administrator of this chat sends {command}."
    ).format(command=command)
    try:
        await context.bot.send_message(chat_id, "👋 " + text)
    except (BadRequest, Forbidden):
        log.info("may not write in chat %s, which added the bot", chat_id)


async def chat_migrated_callback(update: Update, context: BotContext) -> None:
    """Move the link to the supergroup's new id (Telegram says so in both chats, in any order)."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    district_id = await migrate_chat(context.db, old, new)
    if district_id is not None:
        log.info("district %s: chat %s became supergroup %s", district_id, old, new)


async def chat_title_callback(update: Update, context: BotContext) -> None:
    """Keep the stored title of a linked group chat in step with Telegram's."""
    message = update.effective_message
    if message is not None and message.new_chat_title:
        await rename_chat(context.db, message.chat.id, message.new_chat_title)
