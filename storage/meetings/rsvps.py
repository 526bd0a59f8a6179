"""The answers to a meeting, and its district's members: whom to ask and remind, and in which
language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from storage.db import Database
from storage.meetings.instants import iso

ANSWERS = ("yes", "no", "maybe")


async def set_rsvp(
    db: Database, meeting_id: int, telegram_id: int, answer: str, now: datetime
) -> None:
    if answer not in ANSWERS:
        raise ValueError(f"not an answer: {answer!r}")
    await db.execute(
        "INSERT INTO rsvps (meeting_id, telegram_id, answer, answered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (meeting_id, telegram_id) DO UPDATE SET answer = excluded.answer, "
        "answered_at = excluded.answered_at",
        (meeting_id, telegram_id, answer, iso(now)),
    )


async def get_rsvp(db: Database, meeting_id: int, telegram_id: int) -> str | None:
    row = await db.fetch_one(
        "SELECT answer FROM rsvps WHERE meeting_id = ? AND telegram_id = ?",
        (meeting_id, telegram_id),
    )
    return str(row["answer"]) if row else None


@dataclass(frozen=True)
class Attendee:
    """A member of the meeting's district, with her answer and how to reach her."""

    telegram_id: int
    display_name: str
    role: str
    locale: str  # hers, or the district's language while she has not chosen one
    answer: str | None
    unreachable: bool
    leads_done: frozenset[int]


async def attendees(db: Database, meeting_id: int) -> list[Attendee]:
    """Every member of the meeting's district, by name."""
    rows = await db.fetch_all(
        """
        SELECT ms.telegram_id, ms.display_name, ms.role,
               coalesce(p.locale, d.default_locale) AS locale, r.answer,
               p.unreachable_since IS NOT NULL AS unreachable,
               (SELECT group_concat(rd.lead_hours) FROM reminder_deliveries AS rd
                 WHERE rd.meeting_id = m.id AND rd.telegram_id = ms.telegram_id) AS leads
          FROM meetings AS m
          JOIN districts AS d ON d.id = m.district_id
          JOIN memberships AS ms ON ms.district_id = m.district_id
          JOIN people AS p ON p.telegram_id = ms.telegram_id
          LEFT JOIN rsvps AS r ON r.meeting_id = m.id AND r.telegram_id = ms.telegram_id
         WHERE m.id = ?
         ORDER BY ms.display_name COLLATE NOCASE, ms.telegram_id
        """,
        (meeting_id,),
    )
    return [
        Attendee(
            row["telegram_id"],
            row["display_name"],
            row["role"],
            row["locale"],
            row["answer"],
            bool(row["unreachable"]),
            frozenset(int(h) for h in (row["leads"] or "").split(",") if h),
        )
        for row in rows
    ]


class MemberAnswer(NamedTuple):
    """A member of the meeting's district and her answer: what /rsvps lists (a tuple, cheap to
    make by the thousand, where `attendees` also reads the reminders each one was sent)."""

    display_name: str
    answer: str | None
    unreachable: bool


async def answers(db: Database, meeting_id: int) -> list[MemberAnswer]:
    """Every member of the meeting's district with her answer, by name (as `attendees`)."""
    rows = await db.fetch_all(
        """
        SELECT ms.display_name, r.answer, p.unreachable_since IS NOT NULL
          FROM meetings AS m
          JOIN memberships AS ms ON ms.district_id = m.district_id
          JOIN people AS p ON p.telegram_id = ms.telegram_id
          LEFT JOIN rsvps AS r ON r.meeting_id = m.id AND r.telegram_id = ms.telegram_id
         WHERE m.id = ?
         ORDER BY ms.display_name COLLATE NOCASE, ms.telegram_id
        """,
        (meeting_id,),
    )
    return [MemberAnswer(row[0], row[1], bool(row[2])) for row in rows]


async def member_locales(db: Database, district_id: int) -> list[tuple[int, str]]:
    """(telegram id, language) of each member: hers, or the district's until she chooses."""
    rows = await db.fetch_all(
        "SELECT ms.telegram_id, coalesce(p.locale, d.default_locale) AS locale "
        "FROM memberships AS ms JOIN people AS p ON p.telegram_id = ms.telegram_id "
        "JOIN districts AS d ON d.id = ms.district_id "
        "WHERE ms.district_id = ? ORDER BY ms.telegram_id",
        (district_id,),
    )
    return [(int(row["telegram_id"]), str(row["locale"])) for row in rows]
