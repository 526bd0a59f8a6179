"""The help guide's background work: contact requests deleted as promised (30 days after they
were handled, or after 30 days if nobody handled them), with what is left of their copies in the
coordinators' chats; at start-up and every night, when help flows too old to clear are forgotten.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot

from bot.help_guide import purge_before
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.common.help_flow import forget_expired_flows
from handlers.help.contact_copies import change_copies, deleted_text
from storage import Database
from storage.help import delete_contact_request, expired_contact_requests

log = logging.getLogger(__name__)


async def contact_requests_purge_job(context: BotContext) -> None:
    """Delete contact requests due by the privacy promise; forget help flows too old to clear."""
    services = context.application.bot_data.get(SERVICES_KEY)
    if not isinstance(services, Services):
        return
    await purge_contact_requests(context.bot, services.db, services.clock.now())
    flows = context.application.chat_data
    forget_expired_flows(flows, services.clock.now())  # type: ignore[arg-type]


async def purge_contact_requests(bot: Bot, db: Database, now: datetime) -> int:
    """Delete the requests handled more than 30 days before `now`, and those nobody handled in
    30 days, with what is left of their copies in the coordinators' chats; how many."""
    due = await expired_contact_requests(db, purge_before(now))
    for request in due:
        await change_copies(bot, db, request, deleted_text, now)
        await delete_contact_request(db, request.id)  # its deliveries go with it
    if due:
        log.info("deleted %d contact requests (30 days)", len(due))
    return len(due)
