"""The coordinators' copies of a contact request: what they say, sending them (each coordinator
of the district, in her language), and changing them as the request changes: handled, taken
back when it could not reach every coordinator, deleted by the privacy promise
(handlers/jobs/help.py) or by /forget. Each copy is recorded (her chat and the message), so that
every copy follows the request.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.i18n import LANGUAGE_BY_CODE, Translator, translator
from handlers.common.context import BotContext
from handlers.common.render import button, escape
from handlers.delivery.sending import unreachable
from handlers.help import codecs
from storage import Database
from storage.help import (
    ContactRequest,
    deliveries,
    district_coordinators,
    record_delivery,
    requests_of,
)
from storage.people import mark_unreachable

log = logging.getLogger(__name__)


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
            await mark_unreachable(context.db, coordinator.telegram_id, context.clock.now())
            continue
        await record_delivery(context.db, request.id, coordinator.telegram_id, sent.message_id)
        delivered += 1
    return delivered


async def change_copies(
    bot: Bot,
    db: Database,
    request: ContactRequest,
    text_for: Callable[[Translator], str],
    now: datetime,
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
            await mark_unreachable(db, copy.coordinator, now)
        except BadRequest as exc:
            # She deleted it already, or it says this already: nothing left to change.
            log.info("a contact request's copy was not changed: %s", exc.message)
        except TelegramError as exc:
            log.warning("could not change a contact request's copy (%s)", type(exc).__name__)


async def forget_request_copies(bot: Bot, db: Database, telegram_id: int, now: datetime) -> None:
    """/forget: what is left of her requests' copies in coordinators' chats goes too."""
    for request in await requests_of(db, telegram_id):
        await change_copies(bot, db, request, deleted_text, now)


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
