"""The course's deep links: the poster's "I want to become a bydelsmor" (?start=course) and an
ID card's verification (?start=card-<token>), which says valid or withdrawn and nothing else."""

from __future__ import annotations

import re

from handlers.common.context import BotContext
from handlers.course.interest import DEEP_LINK, show_consent
from storage.course.cards import card_by_token

CARD_LINK = re.compile(r"card-([A-Za-z0-9_-]{22})")


async def answer_course_payload(chat_id: int, payload: str, context: BotContext) -> bool:
    """Answer a course link; False if the payload is not one."""
    if payload == DEEP_LINK:
        await show_consent(chat_id, context)
        return True
    match = CARD_LINK.fullmatch(payload)
    if match is None:
        return False
    t = context.t
    card = await card_by_token(context.db, match[1])
    if card is not None and card.withdrawn_at is None:
        text = "✅ " + t._("This Bydelsmødre ID card is valid.")
    elif card is not None:
        text = "⛔ " + t._("This Bydelsmødre ID card has been withdrawn: it is not valid.")
    else:
        text = "⛔ " + t._("This is not a valid Bydelsmødre ID card.")
    await context.bot.send_message(chat_id, text)
    return True
