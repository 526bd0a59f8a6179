""" "Ask a bydelsmor to contact me": consent first, then her district and how to reach her.

Nothing is stored until she has agreed, on screen, to what is stored and for how long. The request
then holds who she is and how to reach her, never what she looked at; it goes to the coordinators
of the district she chose (each in her own language) with a button to mark it handled. Each
coordinator's copy is recorded (her chat and the message), so that the copies follow the request:
when one coordinator marks it handled, every copy loses the contact line; a request that could
not reach every coordinator is taken back from those it reached; and when the request is deleted
(30 days after it was handled, or 30 days after it was made if nobody handled it; a daily job
and every start-up purge it) what is left of the copies goes too. The phone number she types is
checked, and never logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.access import Action, allowed
from bot.help_guide import parse_phone, purge_before
from bot.i18n import LANGUAGE_BY_CODE, N_, Translator, translator
from handlers.common.access import refuse
from handlers.common.awaiting import Question, ask, end
from handlers.common.codec import fields_of
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.common.help_flow import (
    CONSENT_KEY,
    clear_button,
    forget_expired_flows,
    remember_hers,
    send,
)
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.delivery.sending import unreachable
from handlers.help import codecs
from storage import Database
from storage.districts import get_district, list_districts
from storage.help import (
    ContactRequest,
    create_contact_request,
    delete_contact_request,
    deliveries,
    district_coordinators,
    districts_taking_requests,
    expired_contact_requests,
    get_contact_request,
    mark_handled,
    record_delivery,
    requests_of,
)
from storage.people import mark_unreachable

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
    return isinstance(given, datetime) and datetime.now(UTC) - given < CONSENT_LASTS


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
        context.chat_data[CONSENT_KEY] = datetime.now(UTC)
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
    now = datetime.now(UTC)
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


def coordinator_text(request: ContactRequest, district: str, t: Translator) -> str:
    """The copy a coordinator receives: who asks (district, language) and how to reach her."""
    lines = [*_request_lines(request, district, t), _reach_line(request, t)]
    lines += [
        "",
        t._(
            "Please contact her, then press the button. The request is deleted 30 days after "
            "it is handled."
        ),
    ]
    return "\n".join(lines)


def handled_text(request: ContactRequest, district: str, by: str, t: Translator) -> str:
    """Every copy once it is handled: her contact details are gone from all of them."""
    # TRANSLATORS: {name} is the coordinator who handled the contact request.
    done = "✅ " + t._("Handled by {name}.").format(name=escape(by))
    return "\n".join([*_request_lines(request, district, t), "", done])


def deleted_text(t: Translator) -> str:
    """What is left of a copy when the request is deleted (or taken back)."""
    return "🗑 " + t._("A contact request was here. It has been deleted, as promised.")


def _request_lines(request: ContactRequest, district: str, t: Translator) -> list[str]:
    language = LANGUAGE_BY_CODE.get(request.locale)
    return [
        "📞 <b>" + t._("A woman asks a bydelsmor to contact her") + "</b>",
        "🏘 " + t._("District: {district}").format(district=escape(district)),
        "🗣 "
        + t._("Her language: {language}").format(
            language=language.native_name if language else request.locale
        ),
    ]


def _reach_line(request: ContactRequest, t: Translator) -> str:
    if request.channel == "phone":
        reach = "📞 " + t._("By phone: {phone}").format(phone=t.ltr(escape(request.contact)))
    else:
        # A text mention: her name opens her profile even without a @username.
        link = f'<a href="tg://user?id={request.telegram_id}">{escape(request.contact)}</a>'
        reach = "💬 " + t._("On Telegram: {name}").format(name=link)
    return reach


async def send_to_coordinators(context: BotContext, request: ContactRequest, district: str) -> int:
    """Send the request to each coordinator of its district, in her language; how many got it."""
    delivered = 0
    for coordinator in await district_coordinators(context.db, request.district_id):
        t = translator(coordinator.locale or "nb")
        keyboard = InlineKeyboardMarkup(
            [[button("✅", t._("Mark as handled"), codecs.REQUEST_DONE.encode(request.id))]]
        )
        try:
            sent = await context.bot.send_message(
                coordinator.telegram_id,
                coordinator_text(request, district, t),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )
        except (Forbidden, BadRequest) as exc:
            if not unreachable(exc):
                raise
            await mark_unreachable(context.db, coordinator.telegram_id, datetime.now(UTC))
            continue
        await record_delivery(context.db, request.id, coordinator.telegram_id, sent.message_id)
        delivered += 1
    return delivered


async def done_callback(update: Update, context: BotContext) -> None:
    """Mark a contact request handled, if she is a coordinator of its district."""
    query = update.callback_query
    assert query is not None
    t = context.t
    (request_id,) = fields_of(context.matches)
    request = await get_contact_request(context.db, int(request_id))
    if request is None:
        await answer_expired(query, t)
        return
    if not allowed(context.identity, Action.HANDLE_CONTACT_REQUEST, request.district_id):
        await refuse(update, context)
        return
    if not await mark_handled(
        context.db, request.id, context.identity.telegram_id, datetime.now(UTC)
    ):
        await query.answer("✅ " + t._("Another coordinator has handled it already."))
        with contextlib.suppress(BadRequest):  # the button may be gone already
            await query.edit_message_reply_markup(None)
        return
    await query.answer("✅ " + t._("Marked as handled."))
    district = await get_district(context.db, request.district_id)
    name = next(
        (
            m.display_name
            for m in context.identity.memberships
            if m.district_id == request.district_id
        ),
        query.from_user.first_name,
    )
    # Every copy, hers and the other coordinators', now says handled, without the contact line.
    await change_copies(
        context.bot,
        context.db,
        request,
        lambda tr: handled_text(request, district.name if district else "", name, tr),
    )


async def purge_job(context: BotContext) -> None:
    """Delete contact requests due by the privacy promise; forget help flows too old to clear."""
    services = context.application.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services):
        await purge(context.bot, services.db, datetime.now(UTC))
    forget_expired_flows(context.application.chat_data)  # type: ignore[arg-type]


async def purge(bot: Bot, db: Database, now: datetime) -> int:
    """Delete the requests handled more than 30 days before `now`, and those nobody handled in
    30 days, with what is left of their copies in the coordinators' chats; how many."""
    due = await expired_contact_requests(db, purge_before(now))
    for request in due:
        await change_copies(bot, db, request, deleted_text)
        await delete_contact_request(db, request.id)  # its deliveries go with it
    if due:
        log.info("deleted %d contact requests (30 days)", len(due))
    return len(due)


async def change_copies(
    bot: Bot, db: Database, request: ContactRequest, text_for: Callable[[Translator], str]
) -> None:
    """Replace every coordinator's copy of the request (in her language), buttons gone."""
    for copy in await deliveries(db, request.id):
        try:
            await bot.edit_message_text(
                text_for(translator(copy.locale or "nb")),
                chat_id=copy.coordinator,
                message_id=copy.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=None,
            )
        except Forbidden:
            await mark_unreachable(db, copy.coordinator, datetime.now(UTC))
        except BadRequest as exc:
            # She deleted it already, or it says this already: nothing left to change.
            log.info("a contact request's copy was not changed: %s", exc.message)
        except TelegramError as exc:
            log.warning("could not change a contact request's copy (%s)", type(exc).__name__)


async def forget_request_copies(bot: Bot, db: Database, telegram_id: int) -> None:
    """/forget: what is left of her requests' copies in coordinators' chats goes too."""
    for request in await requests_of(db, telegram_id):
        await change_copies(bot, db, request, deleted_text)


async def take_back(bot: Bot, db: Database, request: ContactRequest) -> None:
    """Delete the copies a half-sent request left in the chats it reached (fresh: Telegram
    allows it); a copy that cannot be deleted loses its details instead."""
    for copy in await deliveries(db, request.id):
        try:
            await bot.delete_message(copy.coordinator, copy.message_id)
            continue
        except TelegramError as exc:
            log.warning("could not take back a contact request (%s)", type(exc).__name__)
        with contextlib.suppress(TelegramError):
            await bot.edit_message_text(
                deleted_text(translator(copy.locale or "nb")),
                chat_id=copy.coordinator,
                message_id=copy.message_id,
                reply_markup=None,
            )
