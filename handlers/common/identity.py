"""Load the person behind every update, once, before any other handler runs."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from telegram import ChatMemberUpdated, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot.identity import Identity, identify
from handlers.common.context import BotContext
from handlers.common.render import say_sorry
from storage.people import (
    MembershipRecord,
    load_person,
    mark_reachable,
    mark_unreachable,
    touch_last_seen,
)

LAST_SEEN_PRECISION = timedelta(hours=1)
log = logging.getLogger(__name__)


async def identity_of(user: User, context: BotContext) -> Identity:
    record = await load_person(context.db, user.id)
    return identify(user.id, record, user.language_code, context.services.config.admins)


async def load_identity_callback(update: Update, context: BotContext) -> None:
    """Put her identity (role, districts, language) on the context for the handlers after it."""
    user = update.effective_user
    if user is None:
        return
    try:
        record = await load_person(context.db, user.id)
        context.identity = identity = identify(
            user.id, record, user.language_code, context.services.config.admins
        )
    except Exception:
        # Without her identity no handler can serve her: say sorry once, in the language her
        # Telegram app suggests, and stop here instead of failing again in every handler.
        log.exception("could not load the identity for update %s", update.update_id)
        context.identity = identify(user.id, None, user.language_code, frozenset())
        await say_sorry(update, context)
        raise ApplicationHandlerStop from None
    if record is not None and record.unreachable and writes_in_private(update):
        # She writes to the bot, so she has not blocked it (any more): announcements reach her
        # again. Checked on every such update, not hourly like "last seen", so none is missed.
        await mark_reachable(context.db, user.id)
    now = context.clock.now()
    if identity.memberships and seen_long_ago(identity.memberships, now):
        # Her coordinator sees "last seen"; once an hour is precise enough and spares a write
        # per message.
        await touch_last_seen(context.db, identity.telegram_id, now)


def writes_in_private(update: Update) -> bool:
    """Does this update prove she has not blocked the bot? Only a message or a button press in
    her private chat does: a message in a group, a member change or her blocking the bot itself
    ("kicked") prove nothing. (Unblocking is my_chat_member "member": her_private_chat_changed.)"""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return False
    return update.message is not None or update.callback_query is not None


async def her_private_chat_changed(change: ChatMemberUpdated, context: BotContext) -> None:
    """She blocked the bot ("kicked"): unreachable until she writes or unblocks; she unblocked
    or restarted it ("member"): reachable again."""
    status, now = change.new_chat_member.status, context.clock.now()
    if status == ChatMemberStatus.BANNED:
        log.info("a person blocked the bot; marked unreachable")
        await mark_unreachable(context.db, change.from_user.id, now)
    elif status == ChatMemberStatus.MEMBER:
        await mark_reachable(context.db, change.from_user.id)


def seen_long_ago(memberships: Iterable[MembershipRecord], now: datetime) -> bool:
    seen = [m.last_seen for m in memberships if m.last_seen is not None]
    return not seen or now - max(seen) > LAST_SEEN_PRECISION
