"""A help flow's messages, and "🧹 clear this conversation", which deletes them from her phone.

Every message the help guide sends her, and every message of hers while a flow is open (a
command, a typed sentence, a sticker, a photo, a voice message) with the bot's answer to it, is
noted in the chat's in-memory `chat_data`, never in the database: nothing that outlives the
process ties her to the help guide. Pressing 🧹 deletes those messages with deleteMessages
(Telegram allows it for messages under 48 hours old in a private chat) and leaves one neutral
line that says nothing about what she looked at.

An id is forgotten only once Telegram has confirmed its deletion. When Telegram fails (a 5xx, a
timeout, flood control twice), the neutral "begin" line does not come, so she never believes a
chat is clean that is not: she is told, neutrally, to press 🧹 again. After a restart the bot has
forgotten the ids: the button carries the flow's first message id, and 🧹 then deletes every
message of the private chat from that one to the one pressed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from datetime import datetime
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.help_guide import FlowLog, batches, restart_range
from handlers.common.awaiting import end
from handlers.common.clock import Clock
from handlers.common.codec import Codec, fields_of
from handlers.common.context import BotContext
from handlers.common.receipts import Sent, send_unread
from handlers.common.render import button
from handlers.delivery.sending import retry_seconds

log = logging.getLogger(__name__)

FLOW_KEY = "help_flow"
# Her "yes" to a contact request, while she finishes it (handlers/help/contact_requests.py).
CONSENT_KEY = "contact_consent"
# 🧹 hlp:clear, or hlp:clear:<the flow's first message id> once the flow has one (codecs of
# handlers/common/codec.py; here, beside the flow, because every help feature shows the button).
CLEAR = Codec("hlp:clear")
CLEAR_FROM = Codec("hlp:clear", (r"\d{1,12}",))
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def clear_button(context: BotContext) -> InlineKeyboardButton:
    """🧹, carrying the flow's first message id so that it still works after a restart."""
    flow = context.chat_data.get(FLOW_KEY) if context.chat_data is not None else None
    first = flow.first() if isinstance(flow, FlowLog) else None
    data = CLEAR.encode() if first is None else CLEAR_FROM.encode(first)
    # TRANSLATORS: a button in the help guide; it deletes the conversation from her phone.
    return button("🧹", context.t._("Clear this conversation"), data)


def flow_open(chat_data: Mapping[Any, Any] | None, now: datetime) -> bool:
    """Is a help flow going on in this chat (one whose messages can still be deleted)?"""
    flow = (chat_data or {}).get(FLOW_KEY)
    return isinstance(flow, FlowLog) and not flow.expired(now)


def flow_of(chat_data: MutableMapping[Any, Any]) -> FlowLog:
    flow = chat_data.get(FLOW_KEY)
    if not isinstance(flow, FlowLog):
        flow = chat_data[FLOW_KEY] = FlowLog()
    return flow


def remember(context: BotContext, message_ids: Iterable[int], now: datetime | None = None) -> None:
    """Note messages of this chat's help flow, so that 🧹 can delete them."""
    assert context.chat_data is not None
    flow = flow_of(context.chat_data)
    moment = now or context.clock.now()
    for message_id in message_ids:
        flow.add(message_id, moment)


def remember_hers(update: Update, context: BotContext) -> None:
    """Note the message she sent (a command, what she typed) as part of the help flow."""
    if update.message is not None:
        remember(context, [update.message.message_id], update.message.date)


def remember_if_open(
    update: Update, context: BotContext, replies: Sequence[Message | Sent]
) -> None:
    """While a help flow is open, note her message and the bot's replies to it: whatever she
    sends during the guide, and what the bot answers, goes with 🧹 too."""
    if flow_open(context.chat_data, context.clock.now()):
        remember_hers(update, context)
        remember(context, [reply.message_id for reply in replies])


async def note_in_open_flow(update: Update, context: BotContext) -> None:
    """Note any message of hers sent while a help flow is open (after its handler answered)."""
    if flow_open(context.chat_data, context.clock.now()):
        remember_hers(update, context)


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Sent:
    """Send an HTML message of the help flow (no link previews) and note it."""
    message = await send_unread(
        context.bot,
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        link_preview_options=NO_PREVIEW,
    )
    remember(context, [message.message_id])
    return message


async def clear_callback(update: Update, context: BotContext) -> None:
    """Delete this help flow's messages from her chat; leave one neutral line once Telegram
    confirmed it, or ask her, neutrally, to press again."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    assert context.chat_data is not None
    first = fields_of(context.matches)  # the flow's first message id, if the button has it
    chat_id = update.effective_chat.id
    # An old press whose answer Telegram no longer takes: the clearing matters more.
    with contextlib.suppress(TelegramError):
        await query.answer()
    pressed = query.message.message_id if query.message is not None else None
    # What the flow was waiting for ends with it: her next words are not taken for a number.
    context.chat_data.pop(CONSENT_KEY, None)
    await end(context, memory_only=True)
    now = context.clock.now()
    also = [pressed] if pressed is not None else []
    if flow_open(context.chat_data, now):
        ids = flow_of(context.chat_data).deletable(now, also)
    elif pressed is not None and first:
        # A restart forgot the flow: everything from its first message to this one goes.
        ids = restart_range(int(first[0]), pressed)
    else:
        ids = also
    left = await delete_messages(context.bot, chat_id, ids, context.clock)
    t = context.t
    if left:
        flow = flow_of(context.chat_data)
        flow.forget(set(ids) - set(left))
        for message_id in left:
            flow.add(message_id, now)
        # TRANSLATORS: Telegram did not delete everything yet; it must say nothing about what
        # she looked at. The 🧹 is the picture on the "Clear this conversation" button.
        line = t._("Not everything could be deleted yet. Please press 🧹 again in a moment.")
        await send(context, chat_id, "⏳ " + line, InlineKeyboardMarkup([[clear_button(context)]]))
        return
    context.chat_data.pop(FLOW_KEY, None)
    # TRANSLATORS: the one line left after she cleared the help conversation. It must say nothing
    # about what she looked at; {command} is /menu.
    line = t._("Send {command} to begin.").format(command=t.command("menu"))
    # A press from a chat that has blocked the bot (Telegram still takes the deletions): the
    # clearing is done, and there is nobody to say it to.
    with contextlib.suppress(Forbidden):
        await context.bot.send_message(chat_id, "👋 " + line)


async def delete_messages(bot: Bot, chat_id: int, ids: Sequence[int], clock: Clock) -> list[int]:
    """Delete the messages in batches Telegram accepts; the ids it did not confirm."""
    left: list[int] = []
    for batch in batches(ids):
        if not await _delete_batch(bot, chat_id, batch, clock):
            left += batch
    return left


async def _delete_batch(bot: Bot, chat_id: int, batch: list[int], clock: Clock) -> bool:
    """One deleteMessages call, tried again once after flood control; did Telegram confirm?"""
    for attempt in range(2):
        try:
            await bot.delete_messages(chat_id, batch)
        except RetryAfter as exc:
            if attempt:
                break
            await clock.sleep(retry_seconds(exc))
            continue
        except BadRequest as exc:
            if "not found" in exc.message.lower():
                return True  # none of them is there any more: nothing of them is on her screen
            log.warning("Telegram refused to delete %d help messages", len(batch))
            return False
        except TelegramError as exc:
            log.warning("could not delete %d help messages (%s)", len(batch), type(exc).__name__)
            return False
        return True
    log.warning("could not delete %d help messages (flood control)", len(batch))
    return False


def forget_expired_flows(
    chat_data: MutableMapping[int, MutableMapping[Any, Any]], now: datetime
) -> int:
    """Drop the flows of every chat whose messages are all too old to delete; how many."""
    dropped = 0
    for data in list(chat_data.values()):
        flow = data.get(FLOW_KEY)
        if isinstance(flow, FlowLog) and flow.expired(now):
            del data[FLOW_KEY]
            dropped += 1
    return dropped
