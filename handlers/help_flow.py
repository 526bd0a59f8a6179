"""A help flow's messages, and "🧹 clear this conversation", which deletes them from her phone.

Every message the help guide sends her, and every message of hers it reads (/help, a typed phone
number), is noted in the chat's in-memory `chat_data`, never in the database: nothing that
outlives the process ties her to the help guide. Pressing 🧹 deletes those messages with
deleteMessages (Telegram allows it for messages under 48 hours old in a private chat) and leaves
one neutral line that says nothing about what she looked at.

After a restart the bot has forgotten the ids: the button then deletes what it still knows (at
least the message it sits on) and the neutral line still comes. The button never fails.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.help_guide import FlowLog, batches
from bot.i18n import Translator
from handlers.awaiting import stop_waiting
from handlers.context import BotContext
from handlers.render import button

log = logging.getLogger(__name__)

FLOW_KEY = "help_flow"
# Her "yes" to a contact request, while she finishes it (handlers/contact_requests.py).
CONSENT_KEY = "contact_consent"
CLEAR_DATA = "hlp:clear"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def clear_button(t: Translator) -> InlineKeyboardButton:
    # TRANSLATORS: a button in the help guide; it deletes the conversation from her phone.
    return button("🧹", t._("Clear this conversation"), CLEAR_DATA)


def flow_of(chat_data: MutableMapping[Any, Any]) -> FlowLog:
    flow = chat_data.get(FLOW_KEY)
    if not isinstance(flow, FlowLog):
        flow = chat_data[FLOW_KEY] = FlowLog()
    return flow


def remember(context: BotContext, message_ids: Iterable[int], now: datetime | None = None) -> None:
    """Note messages of this chat's help flow, so that 🧹 can delete them."""
    assert context.chat_data is not None
    flow = flow_of(context.chat_data)
    moment = now or datetime.now(UTC)
    for message_id in message_ids:
        flow.add(message_id, moment)


def remember_hers(update: Update, context: BotContext) -> None:
    """Note the message she sent (a command, what she typed) as part of the help flow."""
    if update.message is not None:
        remember(context, [update.message.message_id], update.message.date)


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message:
    """Send an HTML message of the help flow (no link previews) and note it."""
    message = await context.bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        link_preview_options=NO_PREVIEW,
    )
    remember(context, [message.message_id])
    return message


async def clear_callback(update: Update, context: BotContext) -> None:
    """Delete this help flow's messages from her chat and leave one neutral line."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    assert context.chat_data is not None
    chat_id = update.effective_chat.id
    # An old press whose answer Telegram no longer takes: the clearing matters more.
    with contextlib.suppress(TelegramError):
        await query.answer()
    pressed = [query.message.message_id] if query.message is not None else []
    # What the flow was waiting for ends with it: her next words are not taken for a number.
    context.chat_data.pop(CONSENT_KEY, None)
    stop_waiting(context.chat_data)
    flow = context.chat_data.pop(FLOW_KEY, None)
    ids = (flow if isinstance(flow, FlowLog) else FlowLog()).deletable(datetime.now(UTC), pressed)
    for batch in batches(ids):
        try:
            await context.bot.delete_messages(chat_id, batch)
        except TelegramError as exc:
            # Too old, or already gone: what could be deleted is; the neutral line still comes.
            log.warning("could not delete %d help messages (%s)", len(batch), type(exc).__name__)
    t = context.t
    # TRANSLATORS: the one line left after she cleared the help conversation. It must say nothing
    # about what she looked at; {command} is /menu.
    line = t._("Send {command} to begin.").format(command=t.command("menu"))
    await context.bot.send_message(chat_id, "👋 " + line)


def forget_expired_flows(chat_data: MutableMapping[int, MutableMapping[Any, Any]]) -> int:
    """Drop the flows of every chat whose messages are all too old to delete; how many."""
    now = datetime.now(UTC)
    dropped = 0
    for data in list(chat_data.values()):
        flow = data.get(FLOW_KEY)
        if isinstance(flow, FlowLog) and flow.expired(now):
            del data[FLOW_KEY]
            dropped += 1
    return dropped
