"""Who she may announce to: the districts she announces in, an audience resolved to its
districts and the women in it, and the labels the composer shows for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.broadcasts import (
    Audience,
    Candidate,
    announcing_districts,
    may_announce,
)
from bot.i18n import Translator
from handlers.announcements.announcement_text import (
    audience_label,
)
from handlers.common.context import BotContext
from storage.announcements.audiences import districts_in_phase, reachable_members
from storage.announcements.drafts import DraftRecord
from storage.districts import DistrictRecord, get_district, list_districts


async def announcing(context: BotContext) -> list[DistrictRecord]:
    """The districts she may announce to: her own as a coordinator, all as an admin."""
    everything = await list_districts(context.db)
    allowed = set(announcing_districts(context.identity, [d.id for d in everything]))
    return [d for d in everything if d.id in allowed]


@dataclass(frozen=True)
class Resolved:
    """An audience as it is now: the women (reachable ones only) and the group chats."""

    women: list[Candidate] = field(default_factory=list)
    chats: list[tuple[int, str]] = field(default_factory=list)  # (chat id, district language)

    @property
    def size(self) -> int:
        return len(self.women) + len(self.chats)


async def resolve(context: BotContext, audience: Audience) -> Resolved:
    db, identity = context.db, context.identity
    role = str(audience.role) if audience.role else None
    if audience.kind == "chat":
        district = await get_district(db, audience.district_id or 0)
        if district is None or district.chat_id is None:
            return Resolved()
        return Resolved(chats=[(district.chat_id, district.default_locale)])
    if audience.kind == "everyone":
        ids: list[int] | None = None
    elif audience.kind == "phase":
        ids = announcing_districts(identity, await districts_in_phase(db, audience.phase or 0))
    else:
        ids = [audience.district_id or 0]
    members = await reachable_members(db, ids, role)
    return Resolved(women=[Candidate(m.telegram_id, m.locale, m.district_locale) for m in members])


async def permitted(context: BotContext, audience: Audience) -> bool:
    phase_ids = await districts_in_phase(context.db, audience.phase) if audience.phase else []
    return may_announce(context.identity, audience, phase_ids)


async def draft_label(context: BotContext, draft: DraftRecord) -> str:
    audience = Audience.parse(draft.audience or "")
    if audience is None:
        return "?"
    district = await get_district(context.db, audience.district_id or 0)
    return audience_label(context.t, audience, district.name if district else None)


def empty_audience(t: Translator) -> str:
    # TRANSLATORS: a pop-up (at most 200 characters).
    return "🤷 " + t._("Nobody to send to: nobody in this audience can be reached. Choose another.")
