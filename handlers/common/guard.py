"""One guard in front of every button: presses that do not belong where they were made.

Almost every button of the bot belongs in a woman's private chat: the help guide, her answers,
a coordinator's screens. A press crafted on one of the bot's messages in a group chat must not
delete that group's messages, post a violence card into it or count a view. So, by default, a
press from a group chat is refused here, before any feature's handler sees it; only the
patterns in GROUP_BUTTONS (today: which district a group chat is linked to) pass. A feature
added later is covered without doing anything.

A press on a message the bot cannot see (an inline message, or one too old for Telegram to show
it) is answered "this button has expired", since none of our buttons lives there.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from handlers.common.context import BotContext
from handlers.common.render import answer_expired

# The only buttons the bot puts in group chats: the district to link the group to (/link; its
# handler parses the rest strictly and answers a forged one "expired").
GROUP_BUTTONS: tuple[re.Pattern[str], ...] = (re.compile(r"^link:"),)


def allowed_in_group(data: str | None) -> bool:
    return data is not None and any(pattern.match(data) for pattern in GROUP_BUTTONS)


async def button_guard_callback(update: Update, context: BotContext) -> None:
    """Refuse a press from a group chat (unless its pattern belongs there) or on a message the
    bot cannot see; let every other press through to the feature's handler."""
    query = update.callback_query
    if query is None:
        return
    message = query.message
    if message is None or not message.is_accessible:
        # Inline messages and inaccessible (old or deleted) messages: nothing of ours is there.
        await answer_expired(query, context.t)
        raise ApplicationHandlerStop
    if message.chat.type == ChatType.PRIVATE or allowed_in_group(query.data):
        return
    t = context.t
    # TRANSLATORS: a short pop-up (at most 200 characters) after a button was pressed in a group.
    await query.answer("🔒 " + t._("This button works only in your private chat with me."))
    raise ApplicationHandlerStop
