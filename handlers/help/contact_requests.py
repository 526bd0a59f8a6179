""" "Ask a bydelsmor to contact me", the woman's side: consent first, then her district and how
to reach her.

Nothing is stored until she has agreed, on screen, to what is stored and for how long. The request
then holds who she is and how to reach her, never what she looked at; it goes to the coordinators
of the district she chose (handlers/help/contact_copies.py: each in her own language, with a
button to mark it handled, handlers/help/contact_handling.py); a request that could not reach
every coordinator is taken back from those it reached. The phone number she types is checked, and
never logged.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update, User
from telegram.error import TelegramError

from bot.help_guide import parse_phone
from bot.i18n import N_, Translator
from handlers.common.awaiting import Question, ask, end
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.help_flow import (
    CONSENT_KEY,
    clear_button,
    remember_hers,
    send,
)
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.help import codecs
from handlers.help.contact_copies import send_to_coordinators, take_back
from storage.districts import get_district, list_districts
from storage.help import (
    create_contact_request,
    delete_contact_request,
    districts_taking_requests,
    get_contact_request,
)

log = logging.getLogger(__name__)

# Her "yes" holds while she finishes the request; an old "yes" does not carry over to later.
CONSENT_LASTS = timedelta(minutes=30)
# The typed question: her phone number (the district's id is the value). In memory only: nothing
# is stored about a woman asking for help before she sends her number with her consent.
PHONE = Question("help.phone", N_("I no longer wait for your phone number."), persistent=False)
MAX_NAME = 64


def _cancel_rows(context: BotContext) -> list[list[Any]]:
    t = context.t
    return [
        [button("✖️", t._("No, thank you"), codecs.CONSENT_NO.encode())],
        [clear_button(context)],
    ]


def consent_text(t: Translator) -> str:
    lines = [
        "📞 <b>" + t._("Ask a bydelsmor to contact me") + "</b>",
        "",
        t._("A bydelsmor from your district can contact you, in your language."),
        t._(
            "For this the bot stores your district, your language and your phone number or "
            "Telegram name. Only the coordinators of the district you choose see it."
        ),
        t._(
            "It is deleted 30 days after a bydelsmor has handled it, or after 30 days if nobody "
            "has handled it by then. What you looked at in this guide is never stored."
        ),
        "",
        t._("Do you agree?"),
    ]
    return "\n".join(lines)


async def ask_callback(update: Update, context: BotContext) -> None:
    """Show what a contact request stores, and ask for her consent."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    t = context.t
    if not await districts_taking_requests(context.db):
        # Said before she is asked anything: no number is given to a request nobody can answer.
        await send(context, update.effective_chat.id, no_district_text(t), _back_keyboard(context))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [button("✅", t._("Yes, I agree"), codecs.CONSENT_YES.encode())],
            *_cancel_rows(context),
        ]
    )
    await send(context, update.effective_chat.id, consent_text(t), keyboard)


def no_district_text(t: Translator) -> str:
    return "😔 " + t._(
        "Sorry, no bydelsmor can take requests yet. Nothing was stored. You can meet us at the "
        "library drop-in."
    )


def _back_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    t = context.t
    return InlineKeyboardMarkup(
        [[button("⬅️", t._("All topics"), codecs.TOPICS.encode())], [clear_button(context)]]
    )


def _consented(context: BotContext) -> bool:
    assert context.chat_data is not None
    given = context.chat_data.get(CONSENT_KEY)
    return isinstance(given, datetime) and context.clock.now() - given < CONSENT_LASTS


async def step_callback(update: Update, context: BotContext) -> None:
    """Take her answer: consent, her district, or how to reach her."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None and context.matches is not None
    pressed, fields = context.matches[0].re, fields_of(context.matches)
    t = context.t
    if pressed is codecs.CONSENT_NO.pattern:
        context.chat_data.pop(CONSENT_KEY, None)
        await end(context, PHONE)
        await query.answer()
        keyboard = InlineKeyboardMarkup(
            [[button("⬅️", t._("All topics"), codecs.TOPICS.encode())], [clear_button(context)]]
        )
        await edit_in_place(query, "👍 " + t._("All right. Nothing was stored."), keyboard)
        return
    if pressed is codecs.CONSENT_YES.pattern:
        context.chat_data[CONSENT_KEY] = context.clock.now()
        await query.answer()
        await ask_district(update, context)
        return
    if not _consented(context):
        # A forged or old button: nothing is stored without the "yes" she just gave.
        await answer_expired(query, t)
        return
    district = await get_district(context.db, int(fields[0]))
    if district is None:
        await answer_expired(query, t)
        return
    await query.answer()
    if pressed is codecs.REQUEST_DISTRICT.pattern:
        await ask_channel(update, context, district.id, district.name)
    elif fields[1] == "ph":
        await ask(context, PHONE, str(district.id))
        text = "📞 " + t._("Type your phone number, for example 412 34 567.")
        await edit_in_place(query, text, InlineKeyboardMarkup(_cancel_rows(context)))
    else:
        assert update.effective_user is not None
        await edit_in_place(query, "💬 " + t._("On Telegram"))  # no second request by a double tap
        await finish(
            update, context, district.id, "telegram", telegram_contact(update.effective_user)
        )


async def ask_district(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    t = context.t
    # Only districts where a coordinator can receive it: she never gives her number for nothing.
    taking = await districts_taking_requests(context.db)
    districts = [d for d in await list_districts(context.db) if d.id in taking]
    if not districts:
        await edit_in_place(query, no_district_text(t), _back_keyboard(context))
        return
    # Button labels are plain text to Telegram: the names go in as they are.
    rows = [[button("🏘", d.name, codecs.REQUEST_DISTRICT.encode(d.id))] for d in districts]
    rows += _cancel_rows(context)
    await edit_in_place(
        query, "🏘 " + t._("Which district do you live in?"), InlineKeyboardMarkup(rows)
    )


async def ask_channel(update: Update, context: BotContext, district_id: int, name: str) -> None:
    query = update.callback_query
    assert query is not None
    t = context.t
    keyboard = InlineKeyboardMarkup(
        [
            [button("📞", t._("By phone"), codecs.REQUEST_CHANNEL.encode(district_id, "ph"))],
            [button("💬", t._("On Telegram"), codecs.REQUEST_CHANNEL.encode(district_id, "tg"))],
            *_cancel_rows(context),
        ]
    )
    # TRANSLATORS: {district} is the name of a district of Oslo.
    text = t._("How should a bydelsmor from {district} contact you?").format(district=escape(name))
    await edit_in_place(query, "🤝 " + text, keyboard)


def telegram_contact(user: User) -> str:
    """How a coordinator finds her on Telegram: her name, and her @username if she has one."""
    name = " ".join(user.full_name.split())[:MAX_NAME] or "?"
    return f"{name} (@{user.username})" if user.username else name


async def phone_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Take the phone number she typed (never logged); ask again if it is not one."""
    assert update.message is not None and update.effective_chat is not None
    assert context.chat_data is not None
    remember_hers(update, context)  # her number is deleted with the rest by 🧹
    t = context.t
    if not _consented(context):
        await send(
            context,
            update.effective_chat.id,
            "⌛ " + t._("This took too long. Nothing was stored."),
        )
        return
    phone = parse_phone(update.message.text or "")
    if phone is None:
        text = "🤔 " + t._(
            "That does not look like a phone number. Type it with its 8 digits, for example "
            "412 34 567."
        )
        await ask(context, PHONE, *values)
        await send(
            context, update.effective_chat.id, text, InlineKeyboardMarkup(_cancel_rows(context))
        )
        return
    await finish(update, context, int(values[0]), "phone", phone)


async def finish(
    update: Update, context: BotContext, district_id: int, channel: str, contact: str
) -> None:
    """Store the request, send it to the district's coordinators, and tell her."""
    assert update.effective_chat is not None and context.chat_data is not None
    context.chat_data.pop(CONSENT_KEY, None)
    t = context.t
    district = await get_district(context.db, district_id)
    if district is None:
        await send(
            context,
            update.effective_chat.id,
            "😔 " + t._("Sorry, no district can take requests yet. Nothing was stored."),
        )
        return
    identity = context.identity
    now = context.clock.now()
    request_id = await create_contact_request(
        context.db, identity.telegram_id, district_id, identity.locale, channel, contact, now
    )
    request = await get_contact_request(context.db, request_id)
    assert request is not None
    try:
        delivered = await send_to_coordinators(context, request, district.name)
    except TelegramError:
        # Telegram failed on our side (a 5xx, a timeout): the request is not kept half-sent,
        # not even in the chats of the coordinators it reached; the error handler asks her to
        # try again.
        await take_back(context.bot, context.db, request)
        await delete_contact_request(context.db, request_id)
        raise
    keyboard = InlineKeyboardMarkup(
        [[button("⬅️", t._("All topics"), codecs.TOPICS.encode())], [clear_button(context)]]
    )
    if not delivered:
        # Nobody would ever read it: it is not kept.
        await delete_contact_request(context.db, request_id)
        text = "😔 " + t._(
            "Sorry, no bydelsmor in this district can take requests yet. Nothing was stored. "
            "You can meet us at the library drop-in."
        )
        await send(context, update.effective_chat.id, text, keyboard)
        return
    log.info("contact request %d sent to %d coordinators", request_id, delivered)
    if channel == "phone":
        # TRANSLATORS: {district} is a district of Oslo.
        text = t._("Thank you. A bydelsmor from {district} will call you.")
    else:
        # TRANSLATORS: {district} is a district of Oslo.
        text = t._("Thank you. A bydelsmor from {district} will write to you on Telegram.")
    text = text.format(district=escape(district.name))
    await send(context, update.effective_chat.id, "✅ " + text, keyboard)
