"""The Telegram group chat linked to each district (`districts.chat_id` and `chat_title`).

A district has at most one group chat and a chat belongs to at most one district (a unique index
says so). Linking is therefore a move: linking a chat that belonged to another district takes it
from that district, and linking a district that had another chat lets go of the old one. Who may
do that is decided above storage (the handler asks for the right in both districts); here the
move is only made atomic, so the unique index never sees a chat in two districts at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.districts import DistrictRecord, get_district


@dataclass(frozen=True)
class LinkChange:
    """What a link replaced, so that the coordinator can be told."""

    previous_district_id: int | None  # another district this chat was linked to
    previous_district_name: str | None
    previous_chat_id: int | None  # another chat this district was linked to
    previous_chat_title: str | None


async def link_chat(
    db: Database, district_id: int, chat_id: int, title: str | None
) -> LinkChange | None:
    """Make this chat the district's group chat (None: no such district). Linking it again
    only refreshes the title."""
    async with db.transaction() as tx:
        district = await tx.fetch_one(
            "SELECT chat_id, chat_title FROM districts WHERE id = ?", (district_id,)
        )
        if district is None:
            return None
        owner = await tx.fetch_one(
            "SELECT id, name FROM districts WHERE chat_id = ? AND id != ?", (chat_id, district_id)
        )
        await tx.execute(
            "UPDATE districts SET chat_id = NULL, chat_title = NULL WHERE chat_id = ? AND id != ?",
            (chat_id, district_id),
        )
        await tx.execute(
            "UPDATE districts SET chat_id = ?, chat_title = ? WHERE id = ?",
            (chat_id, title, district_id),
        )
    replaced = district["chat_id"] is not None and district["chat_id"] != chat_id
    return LinkChange(
        previous_district_id=int(owner["id"]) if owner else None,
        previous_district_name=owner["name"] if owner else None,
        previous_chat_id=int(district["chat_id"]) if replaced else None,
        previous_chat_title=district["chat_title"] if replaced else None,
    )


async def unlink_chat_by_chat(db: Database, chat_id: int) -> int | None:
    """Forget the chat as a group chat; returns the district it was linked to, if any."""
    async with db.transaction() as tx:
        row = await tx.fetch_one("SELECT id FROM districts WHERE chat_id = ?", (chat_id,))
        if row is None:
            return None
        await tx.execute(
            "UPDATE districts SET chat_id = NULL, chat_title = NULL WHERE id = ?", (row["id"],)
        )
    return int(row["id"])


async def migrate_chat(db: Database, old_chat_id: int, new_chat_id: int) -> int | None:
    """The group became a supergroup with a new id: the link follows it. Telegram announces this
    in both chats, in either order, so a second call finds nothing left to move. Returns the
    district whose link moved, if any."""
    async with db.transaction() as tx:
        row = await tx.fetch_one("SELECT id FROM districts WHERE chat_id = ?", (old_chat_id,))
        if row is None:
            return None
        taken = await tx.fetch_one("SELECT id FROM districts WHERE chat_id = ?", (new_chat_id,))
        if taken is not None:
            # The new supergroup was linked already (by hand, in between): that link stands,
            # and the old id, which Telegram no longer accepts, is let go.
            await tx.execute(
                "UPDATE districts SET chat_id = NULL, chat_title = NULL WHERE id = ?",
                (row["id"],),
            )
            return None
        await tx.execute("UPDATE districts SET chat_id = ? WHERE id = ?", (new_chat_id, row["id"]))
    return int(row["id"])


async def district_for_chat(db: Database, chat_id: int) -> DistrictRecord | None:
    """The district whose group chat this is, if any."""
    row = await db.fetch_one("SELECT id FROM districts WHERE chat_id = ?", (chat_id,))
    return await get_district(db, int(row["id"])) if row else None


async def rename_chat(db: Database, chat_id: int, title: str) -> bool:
    """Keep the stored title of a linked chat in step with Telegram's; False if not linked."""
    changed = await db.execute(
        "UPDATE districts SET chat_title = ? WHERE chat_id = ?", (title, chat_id)
    )
    return changed > 0
