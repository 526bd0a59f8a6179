"""Meetings, answers to them, and the reminders sent for them.

The database is the source of truth: the JobQueue only holds wake-ups for the near future and
is rebuilt from here. A reminder is claimed (its row written) before it is sent and finished
after, so however often the bot restarts, nobody gets the same reminder twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from sqlite3 import Row
from typing import NamedTuple

from storage.db import Database

ANSWERS = ("yes", "no", "maybe")


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return moment.astimezone(UTC).isoformat()


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class MeetingSettings:
    """A district's rule and what its reminders need, as the columns hold them."""

    district_id: int
    name: str
    phase: int
    default_locale: str
    meeting_weekday: int | None
    meeting_time: str | None
    meeting_anchor: str | None
    monthly_rule: str | None
    holiday_policy: str
    reminder_hours: str
    location_name: str | None
    chat_id: int | None
    days_off: str  # 'MM-DD,MM-DD': days treated like public holidays


_SETTINGS = """
    SELECT d.id AS district_id, d.name, d.phase, d.default_locale, d.meeting_weekday,
           d.meeting_time, d.meeting_anchor, d.monthly_rule, d.holiday_policy, d.reminder_hours,
           l.name AS location_name, d.chat_id, d.days_off
      FROM districts AS d LEFT JOIN locations AS l ON l.id = d.location_id
"""


def _settings(row: Row) -> MeetingSettings:
    return MeetingSettings(**{key: row[key] for key in row.keys()})  # noqa: SIM118


async def all_meeting_settings(db: Database) -> list[MeetingSettings]:
    rows = await db.fetch_all(_SETTINGS + " ORDER BY d.id")
    return [_settings(row) for row in rows]


async def meeting_settings(db: Database, district_id: int) -> MeetingSettings | None:
    row = await db.fetch_one(_SETTINGS + " WHERE d.id = ?", (district_id,))
    return _settings(row) if row else None


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    district_id: int
    district_name: str
    rule_key: str | None
    starts_at: datetime
    place: str | None
    note: str | None
    cancelled_at: datetime | None
    uid: str = ""  # stable and random: the calendar's UID
    revision: int = 0  # how often it changed: the calendar's SEQUENCE
    updated_at: datetime | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


_MEETINGS = """
    SELECT m.id, m.district_id, d.name AS district_name, m.rule_key, m.starts_at,
           coalesce(m.place, l.name) AS place, m.note, m.cancelled_at, m.uid, m.revision,
           m.updated_at
      FROM meetings AS m
      JOIN districts AS d ON d.id = m.district_id
      LEFT JOIN locations AS l ON l.id = d.location_id
"""


def _meeting(row: Row) -> MeetingRecord:
    starts_at = _moment(row["starts_at"])
    assert starts_at is not None
    return MeetingRecord(
        row["id"],
        row["district_id"],
        row["district_name"],
        row["rule_key"],
        starts_at,
        row["place"],
        row["note"],
        _moment(row["cancelled_at"]),
        row["uid"],
        row["revision"],
        _moment(row["updated_at"]),
    )


async def get_meeting(db: Database, meeting_id: int) -> MeetingRecord | None:
    row = await db.fetch_one(_MEETINGS + " WHERE m.id = ?", (meeting_id,))
    return _meeting(row) if row else None


async def upcoming_meetings(
    db: Database,
    district_ids: Iterable[int],
    since: datetime,
    until: datetime,
    *,
    include_cancelled: bool = False,
) -> list[MeetingRecord]:
    """Meetings of these districts that start after `since` and no later than `until`."""
    ids = sorted(set(district_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    cancelled = "" if include_cancelled else " AND m.cancelled_at IS NULL"
    rows = await db.fetch_all(
        _MEETINGS
        + f" WHERE m.district_id IN ({marks}) AND m.starts_at > ? AND m.starts_at <= ?"
        + cancelled
        + " ORDER BY m.starts_at, m.id",
        (*ids, _iso(since), _iso(until)),
    )
    return [_meeting(row) for row in rows]


async def all_upcoming_meetings(
    db: Database, since: datetime, until: datetime
) -> list[MeetingRecord]:
    """Every district's meetings (not cancelled) in the window: for reminders."""
    rows = await db.fetch_all(
        _MEETINGS + " WHERE m.starts_at > ? AND m.starts_at <= ? AND m.cancelled_at IS NULL"
        " ORDER BY m.starts_at, m.id",
        (_iso(since), _iso(until)),
    )
    return [_meeting(row) for row in rows]


# -- planning ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredPlan:
    signature: str
    phase: int


async def stored_plan(db: Database, district_id: int) -> StoredPlan | None:
    row = await db.fetch_one(
        "SELECT signature, phase FROM meeting_plans WHERE district_id = ?", (district_id,)
    )
    return StoredPlan(row["signature"], row["phase"]) if row else None


@dataclass(frozen=True)
class RuleMeeting:
    id: int
    rule_key: str
    starts_at: datetime
    changed: bool  # a coordinator moved, cancelled or annotated it
    moved: bool  # a coordinator moved it


async def rule_meetings(db: Database, district_id: int) -> list[RuleMeeting]:
    """The district's meetings planned by its rule."""
    rows = await db.fetch_all(
        "SELECT id, rule_key, starts_at, changed_at IS NOT NULL AS changed, "
        "moved_at IS NOT NULL AS moved FROM meetings "
        "WHERE district_id = ? AND rule_key IS NOT NULL ORDER BY starts_at",
        (district_id,),
    )
    return [_rule_meeting(row) for row in rows]


def _rule_meeting(row: Row) -> RuleMeeting:
    starts_at = datetime.fromisoformat(row["starts_at"])
    return RuleMeeting(
        row["id"], row["rule_key"], starts_at, bool(row["changed"]), bool(row["moved"])
    )


async def apply_plan(
    db: Database,
    district_id: int,
    delete: Sequence[int],
    insert: Sequence[tuple[str, datetime]],
    signature: str,
    phase: int,
    now: datetime,
    update: Sequence[tuple[int, str, datetime]] = (),
) -> None:
    """Delete, update (id, new key, new start) and add rule meetings and record the rule they
    follow, in one transaction. Only future rule meetings are touched, and a coordinator's
    changed meeting is never deleted."""
    async with db.transaction() as tx:
        for meeting_id in delete:
            await tx.execute(
                "DELETE FROM meetings WHERE id = ? AND district_id = ? AND rule_key IS NOT NULL "
                "AND starts_at > ? AND changed_at IS NULL",
                (meeting_id, district_id, _iso(now)),
            )
        for meeting_id, key, starts_at in update:
            moved = await tx.execute(
                "UPDATE meetings SET rule_key = ?, starts_at = ?, revision = revision + 1, "
                "updated_at = ? WHERE id = ? AND district_id = ? AND rule_key IS NOT NULL "
                "AND starts_at > ? AND starts_at != ?",
                (
                    key,
                    _iso(starts_at),
                    _iso(now),
                    meeting_id,
                    district_id,
                    _iso(now),
                    _iso(starts_at),
                ),
            )
            if moved:  # its reminders start over for the new time (the answers stay)
                await tx.execute(
                    "DELETE FROM reminder_deliveries WHERE meeting_id = ?", (meeting_id,)
                )
                await tx.execute(
                    "DELETE FROM meeting_chat_posts WHERE meeting_id = ?", (meeting_id,)
                )
            else:
                await tx.execute(
                    "UPDATE meetings SET rule_key = ? WHERE id = ? AND district_id = ? "
                    "AND rule_key IS NOT NULL AND starts_at > ?",
                    (key, meeting_id, district_id, _iso(now)),
                )
        for key, starts_at in insert:
            await tx.execute(
                "INSERT OR IGNORE INTO meetings (district_id, rule_key, starts_at, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (district_id, key, _iso(starts_at), _iso(now)),
            )
        await tx.execute(
            "INSERT INTO meeting_plans (district_id, signature, phase, planned_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (district_id) DO UPDATE SET "
            "signature = excluded.signature, phase = excluded.phase, "
            "planned_at = excluded.planned_at",
            (district_id, signature, phase, _iso(now)),
        )


# -- single meetings and changes ----------------------------------------------------------------


async def add_meeting(
    db: Database, district_id: int, starts_at: datetime, by: int, now: datetime
) -> int:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO meetings (district_id, starts_at, changed_by, changed_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (district_id, _iso(starts_at), by, _iso(now), _iso(now)),
        )
        row = await tx.fetch_one("SELECT last_insert_rowid()")
    assert row is not None
    return int(row[0])


async def move_meeting(
    db: Database, meeting_id: int, starts_at: datetime, by: int, now: datetime
) -> bool:
    """Move a meeting; its reminders start over for the new time (the answers stay)."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE meetings SET starts_at = ?, changed_by = ?, changed_at = ?, moved_at = ?, "
            "updated_at = ?, revision = revision + 1 "
            "WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?",
            (_iso(starts_at), by, _iso(now), _iso(now), _iso(now), meeting_id, _iso(now)),
        )
        if changed:
            await tx.execute("DELETE FROM reminder_deliveries WHERE meeting_id = ?", (meeting_id,))
            await tx.execute("DELETE FROM meeting_chat_posts WHERE meeting_id = ?", (meeting_id,))
    return changed > 0


async def cancel_meeting(db: Database, meeting_id: int, by: int, now: datetime) -> bool:
    changed = await db.execute(
        "UPDATE meetings SET cancelled_at = ?, changed_by = ?, changed_at = ?, updated_at = ?, "
        "revision = revision + 1 WHERE id = ? AND cancelled_at IS NULL",
        (_iso(now), by, _iso(now), _iso(now), meeting_id),
    )
    return changed > 0


RULE_COLUMNS = (
    "meeting_weekday",
    "meeting_time",
    "meeting_anchor",
    "monthly_rule",
    "holiday_policy",
    "reminder_hours",
    "days_off",
)


async def set_meeting_rule(
    db: Database, district_id: int, values: dict[str, object], by: int, now: datetime
) -> bool:
    """Store the rule she set in the bot (RULE_COLUMNS), with who and when."""
    if set(values) != set(RULE_COLUMNS):
        raise ValueError("a rule is all of its columns")
    assignments = ", ".join(f"{column} = ?" for column in RULE_COLUMNS)
    changed = await db.execute(
        f"UPDATE districts SET {assignments}, rule_changed_by = ?, rule_changed_at = ? "  # noqa: S608
        "WHERE id = ?",
        (*(values[c] for c in RULE_COLUMNS), by, _iso(now), district_id),
    )
    return changed > 0


async def restore_meeting(db: Database, meeting_id: int, by: int, now: datetime) -> bool:
    """Undo a cancellation; False if it is not cancelled (any more) or has begun."""
    changed = await db.execute(
        "UPDATE meetings SET cancelled_at = NULL, changed_by = ?, changed_at = ?, updated_at = ?, "
        "revision = revision + 1 WHERE id = ? AND cancelled_at IS NOT NULL AND starts_at > ?",
        (by, _iso(now), _iso(now), meeting_id, _iso(now)),
    )
    return changed > 0


async def set_place_and_note(
    db: Database, meeting_id: int, place: str | None, note: str | None, by: int, now: datetime
) -> bool:
    """False if the meeting is gone, cancelled or has begun meanwhile: nothing changes then."""
    changed = await db.execute(
        "UPDATE meetings SET place = ?, note = ?, changed_by = ?, changed_at = ?, updated_at = ?, "
        "revision = revision + 1 WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?",
        (place, note, by, _iso(now), _iso(now), meeting_id, _iso(now)),
    )
    return changed > 0


# -- answers -----------------------------------------------------------------------------------


async def set_rsvp(
    db: Database, meeting_id: int, telegram_id: int, answer: str, now: datetime
) -> None:
    if answer not in ANSWERS:
        raise ValueError(f"not an answer: {answer!r}")
    await db.execute(
        "INSERT INTO rsvps (meeting_id, telegram_id, answer, answered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (meeting_id, telegram_id) DO UPDATE SET answer = excluded.answer, "
        "answered_at = excluded.answered_at",
        (meeting_id, telegram_id, answer, _iso(now)),
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


# -- reminders ---------------------------------------------------------------------------------


async def claim_reminder(
    db: Database,
    meeting_id: int,
    telegram_id: int,
    lead_hours: int | None,
    skipped: Iterable[int],
    skip_outcome: str,
    now: datetime,
    starts_at: datetime | None = None,
) -> bool:
    """Write her reminder's row before sending it; False if it was claimed before (by an
    earlier run, before a restart), or if the meeting was cancelled, has begun or (given
    `starts_at`, the start the reminder was written for) moved meanwhile: then it must not be
    sent. Lead times skipped with it are recorded as finished, with `skip_outcome`."""
    still = "SELECT 1 FROM meetings WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?"
    params: tuple[object, ...] = (meeting_id, _iso(now))
    if starts_at is not None:
        still += " AND starts_at = ?"
        params += (_iso(starts_at),)
    async with db.transaction() as tx:
        claimed = 0
        if lead_hours is not None:
            claimed = await tx.execute(
                "INSERT OR IGNORE INTO reminder_deliveries "
                "(meeting_id, lead_hours, telegram_id, claimed_at) "
                f"SELECT ?, ?, ?, ? WHERE EXISTS ({still})",
                (meeting_id, lead_hours, telegram_id, _iso(now), *params),
            )
        for hours in skipped:
            await tx.execute(
                "INSERT OR IGNORE INTO reminder_deliveries (meeting_id, lead_hours, telegram_id, "
                "claimed_at, outcome, finished_at) VALUES (?, ?, ?, ?, ?, ?)",
                (meeting_id, hours, telegram_id, _iso(now), skip_outcome, _iso(now)),
            )
    return claimed > 0


async def finish_reminder(
    db: Database, meeting_id: int, telegram_id: int, lead_hours: int, outcome: str, now: datetime
) -> None:
    await db.execute(
        "UPDATE reminder_deliveries SET outcome = ?, finished_at = ? "
        "WHERE meeting_id = ? AND telegram_id = ? AND lead_hours = ?",
        (outcome, _iso(now), meeting_id, telegram_id, lead_hours),
    )


async def reminder_outcomes(db: Database, meeting_id: int) -> dict[tuple[int, int], str | None]:
    """(telegram id, lead hours) -> outcome (None: claimed, not finished) for one meeting."""
    rows = await db.fetch_all(
        "SELECT telegram_id, lead_hours, outcome FROM reminder_deliveries WHERE meeting_id = ?",
        (meeting_id,),
    )
    return {(row["telegram_id"], row["lead_hours"]): row["outcome"] for row in rows}


async def claim_chat_post(db: Database, meeting_id: int, now: datetime) -> bool:
    """Claim the group chat's post; False if claimed before or the meeting is no longer ahead."""
    changed = await db.execute(
        "INSERT OR IGNORE INTO meeting_chat_posts (meeting_id, claimed_at) SELECT ?, ? "
        "WHERE EXISTS (SELECT 1 FROM meetings WHERE id = ? AND cancelled_at IS NULL "
        "AND starts_at > ?)",
        (meeting_id, _iso(now), meeting_id, _iso(now)),
    )
    return changed > 0


async def chat_post_claimed(db: Database, meeting_id: int) -> bool:
    """Was the group chat's post for this meeting claimed already (sent, or on its way)?"""
    row = await db.fetch_one("SELECT 1 FROM meeting_chat_posts WHERE meeting_id = ?", (meeting_id,))
    return row is not None


async def finish_chat_post(db: Database, meeting_id: int, outcome: str) -> None:
    await db.execute(
        "UPDATE meeting_chat_posts SET outcome = ? WHERE meeting_id = ?", (outcome, meeting_id)
    )


async def interrupted_reminders(db: Database, meeting_id: int) -> int:
    """How many of the meeting's reminders were cut off by a restart (see mark_interrupted)."""
    row = await db.fetch_one(
        "SELECT count(*) FROM reminder_deliveries WHERE meeting_id = ? AND outcome = 'interrupted'",
        (meeting_id,),
    )
    return int(row[0]) if row else 0


async def mark_interrupted(db: Database, claimed_before: datetime, now: datetime) -> int:
    """At start-up: reminders claimed before `claimed_before` and never finished were cut off
    by a crash between claim and send (perhaps sent, perhaps not): record them as
    'interrupted' instead of leaving them silently NULL. Returns how many."""
    return await db.execute(
        "UPDATE reminder_deliveries SET outcome = 'interrupted', finished_at = ? "
        "WHERE outcome IS NULL AND claimed_at < ?",
        (_iso(now), _iso(claimed_before)),
    )
