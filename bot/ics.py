"""Calendar files (RFC 5545 .ics) for meetings, for "📅 Add to calendar".

Times are written as Europe/Oslo wall-clock times with a TZID and the zone's VTIMEZONE in the
file, so a phone's calendar shows 18:00 on both sides of the daylight-saving change, and a
calendar in another zone still lands on the right instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Bydelsmødre Oslo//bydelsbot//EN"
MEETING_LENGTH = timedelta(hours=2)  # the rule has no end time; two hours is a usual meeting


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable per meeting, so importing the file twice updates instead of duplicating
    starts_at: datetime  # aware
    summary: str
    location: str | None = None
    description: str | None = None
    sequence: int = 0  # how often it changed: a calendar takes the higher one as newer
    last_modified: datetime | None = None  # aware
    ends_at: datetime | None = None  # aware; MEETING_LENGTH after the start when not given


def calendar_file(events: Sequence[CalendarEvent], tz: ZoneInfo, stamp: datetime) -> bytes:
    """One VCALENDAR with a VEVENT per meeting and the VTIMEZONE they refer to."""
    moments = [e.starts_at for e in events] + [e.last_modified for e in events if e.last_modified]
    moments += [e.ends_at for e in events if e.ends_at]
    if stamp.tzinfo is None or any(moment.tzinfo is None for moment in moments):
        raise ValueError("refusing to write a naive datetime")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for event in events:
        vevent = icalendar.Event()
        start = event.starts_at.astimezone(tz)
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", start)
        end = event.ends_at.astimezone(tz) if event.ends_at else start + MEETING_LENGTH
        vevent.add("dtend", end)
        vevent.add("sequence", event.sequence)
        if event.last_modified is not None:
            vevent.add("last-modified", event.last_modified.astimezone(UTC))
        vevent.add("summary", event.summary)
        if event.location:
            vevent.add("location", event.location)
        if event.description:
            vevent.add("description", event.description)
        calendar.add_component(vevent)
    if events:
        first = min(e.starts_at for e in events).astimezone(tz).date()
        last = max(e.starts_at for e in events).astimezone(tz).date()
        zone = icalendar.Timezone.from_tzinfo(
            tz,
            tzid=tz.key,
            first_date=first - timedelta(days=366),
            last_date=last + timedelta(days=1),
        )
        calendar.subcomponents.insert(0, zone)
    return bytes(calendar.to_ical())
