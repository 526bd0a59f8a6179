"""What is due when, and what a bydelsmor may still do: pure functions of `now`.

Times are local wall-clock rules in Europe/Oslo (a morning reminder at 08:00 stays at 08:00
across the daylight-saving change), turned into UTC instants.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.days import OSLO, local_instant
from bot.dropin.plan import Occurrence

MORNING = time(8, 0)  # a woman's reminder on the day of the session
EVENING_BEFORE = time(18, 0)  # a bydelsmor's reminder the day before her shift
ALERT_AHEAD = timedelta(days=3)  # coordinators hear of a short-handed session this far ahead
ASK_AFTER = timedelta(days=2)  # after this, a shift's "how many women?" is no longer asked
LARGE_COUNT = 100  # a count of women this large in one shift is asked to be confirmed
MAX_COUNT = 999
WOMEN_HORIZON_DAYS = 28  # how far ahead women see sessions
ROTA_HORIZON_DAYS = 28  # how far ahead bydelsmødre see the rota


def morning_moment(day: date, tz: ZoneInfo = OSLO) -> datetime:
    return local_instant(day, MORNING, tz)


def morning_due(occurrence: Occurrence, now: datetime, tz: ZoneInfo = OSLO) -> bool:
    """The woman's reminder: from 08:00 on the day until the session begins."""
    return morning_moment(occurrence.day, tz) <= now < occurrence.starts_at


def shift_reminder_due(occurrence: Occurrence, now: datetime, tz: ZoneInfo = OSLO) -> bool:
    """18:00 the day before, or at once for a shift taken later than that, until it begins."""
    moment = local_instant(occurrence.day - timedelta(days=1), EVENING_BEFORE, tz)
    return moment <= now < occurrence.starts_at and not occurrence.cancelled


def alert_moment(occurrence: Occurrence) -> datetime:
    """When the coordinators hear of a short-handed session: three days before it begins."""
    return occurrence.starts_at - ALERT_AHEAD


def alert_due(occurrence: Occurrence, on_duty: int, minimum: int, now: datetime) -> bool:
    """Three days ahead (or later, until it begins), below its minimum, not cancelled."""
    return (
        not occurrence.cancelled
        and on_duty < minimum
        and alert_moment(occurrence) <= now < occurrence.starts_at
    )


def reach_question_due(occurrence: Occurrence, now: datetime) -> bool:
    """After the shift has ended, for two days."""
    return not occurrence.cancelled and occurrence.ends_at <= now < occurrence.ends_at + ASK_AFTER


def may_withdraw(occurrence: Occurrence, withdraw_hours: int, now: datetime) -> bool:
    """Up to the coordinator's cut-off before the session begins."""
    return now <= occurrence.starts_at - timedelta(hours=withdraw_hours)


def free_places(on_duty: int, maximum: int) -> int:
    return max(0, maximum - on_duty)


def count_needs_confirming(women: int) -> bool:
    return women >= LARGE_COUNT


def valid_count(women: int) -> bool:
    return 1 <= women <= MAX_COUNT
