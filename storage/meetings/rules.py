"""A district's meeting rule, as its columns hold it, with what its reminders need; a
coordinator may set the rule in the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Row

from storage.db import Database
from storage.meetings.instants import iso


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
        (*(values[c] for c in RULE_COLUMNS), by, iso(now), district_id),
    )
    return changed > 0
