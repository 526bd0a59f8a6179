"""Which reminder is due for a meeting at a given moment, from the group's lead times: pure
functions of plain values and `now`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


def parse_lead_hours(value: str) -> tuple[int, ...]:
    """'48,3' -> (48, 3), largest first; nonsense is dropped, never guessed."""
    hours = {int(part) for part in value.split(",") if part.strip().isdecimal()}
    return tuple(sorted((h for h in hours if 0 < h <= 24 * 14), reverse=True))


@dataclass(frozen=True)
class ReminderDecision:
    send: int | None  # the lead time (hours) to send now, if any
    skip: tuple[int, ...] = ()  # lead times overdue together with it: recorded, never sent


def due_reminder(
    starts_at: datetime, lead_hours: Iterable[int], now: datetime, done: Iterable[int] = ()
) -> ReminderDecision:
    """Which reminder a member should get now, given the lead times already handled for her.

    Nothing once the meeting has begun. A reminder the bot missed while it was down is sent
    late if the meeting is still ahead; when several are overdue at once only the latest one
    (the shortest lead time) is sent, and the others are skipped for good.
    """
    if now >= starts_at:
        return ReminderDecision(None)
    handled = set(done)
    due = sorted(
        (h for h in lead_hours if h not in handled and starts_at - timedelta(hours=h) <= now),
        reverse=True,
    )
    if not due:
        return ReminderDecision(None)
    # A shorter lead time already handled makes the longer ones pointless too.
    if handled and min(handled) < due[-1]:
        return ReminderDecision(None, tuple(due))
    return ReminderDecision(due[-1], tuple(due[:-1]))


def reminder_moments(starts_at: datetime, lead_hours: Iterable[int]) -> list[tuple[int, datetime]]:
    """(lead time, moment it is due) for each of the group's lead times."""
    return [(h, starts_at - timedelta(hours=h)) for h in lead_hours]
