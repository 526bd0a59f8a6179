"""A coordinator marks a contact request handled: once, by a coordinator of its district; every
copy then says who handled it, without her contact details."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest

from bot.access import Action, allowed
from handlers.common.access import refuse
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired
from handlers.help.contact_copies import change_copies, handled_text
from storage.districts import get_district
from storage.help import get_contact_request, mark_handled


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
        context.db, request.id, context.identity.telegram_id, context.clock.now()
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
        context.clock.now(),
    )
