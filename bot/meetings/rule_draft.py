"""A coordinator sets her group's regular meetings from her phone (/meetings → 🔁): a draft of
the rule, changed one button at a time, with the next dates it gives, then confirmed.

Plain values: the draft is the district's rule columns (0002_organisation.sql); a press is a
short code parsed strictly here; `preview` gives the dates the draft would plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.days import NEXT_WORKING_DAY, SKIP, parse_days_off
from bot.meetings.plan import MeetingRule, plan
from storage.meetings.rules import MeetingSettings

# The reminder lead times she can choose (hours before the meeting).
REMINDER_CHOICES = ("48,3", "24,3", "48", "24", "72,24,3")
TIMES = (
    "10:00",
    "11:00",
    "12:00",
    "13:00",
    "14:00",
    "16:00",
    "17:00",
    "17:30",
    "18:00",
    "18:30",
    "19:00",
)
PREVIEW = 5
_DAY_MONTH = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.?\s*")
# A press: which field and its value. wd: weekday 0-6; tm: HHMM; an: the first date YYYYMMDD;
# mo: monthly, w<n><weekday> (n 1-4, or 5 for the last) or d<day 1-28>; ho: s(kip) or n(ext
# working day); rh: a REMINDER_CHOICES index.
CHANGE = re.compile(
    r"(wd)([0-6])|(tm)(\d{4})|(an)(\d{8})|(mo)(w[1-5][0-6]|d\d{1,2})|(ho)([sn])"
    r"|(rh)([0-4])|(dt)(\d{4})"
)
# The days off she can switch on and off with a button (MM-DD): Christmas Eve, the days between
# Christmas and New Year, New Year's Eve. Others are typed.
DAY_OFF_CHOICES = ("12-24", "12-27", "12-28", "12-29", "12-30", "12-31")


@dataclass(frozen=True)
class RuleDraft:
    """The rule columns of one district, as she is changing them."""

    phase: int
    weekday: int | None
    time: str | None
    anchor: str | None  # ISO date: the first meeting of the fortnightly rhythm
    monthly: str | None
    holiday_policy: str
    reminder_hours: str
    days_off: str

    @classmethod
    def of(cls, settings: MeetingSettings) -> RuleDraft:
        """The district's stored rule, as a draft a coordinator may change."""
        return cls(
            settings.phase,
            settings.meeting_weekday,
            settings.meeting_time,
            settings.meeting_anchor,
            settings.monthly_rule,
            settings.holiday_policy,
            settings.reminder_hours,
            settings.days_off,
        )

    def rule(self) -> MeetingRule:
        return MeetingRule(
            phase=self.phase,
            weekday=self.weekday,
            time=self.time,
            anchor=date.fromisoformat(self.anchor) if self.anchor else None,
            monthly=self.monthly,
            holiday_policy=self.holiday_policy,
            days_off=parse_days_off(self.days_off),
        )


def apply_change(draft: RuleDraft, code: str) -> RuleDraft | None:
    """The draft with one pressed change; None if the code is forged or out of range."""
    match = CHANGE.fullmatch(code)
    if match is None:
        return None
    groups = [g for g in match.groups() if g is not None]
    field, value = groups[0], groups[1]
    if field == "wd":
        weekday = int(value)
        anchor = date.fromisoformat(draft.anchor) if draft.anchor else None
        if anchor is not None and anchor.weekday() != weekday:
            # The first date moves to that weekday in the same week, so the rhythm stays clear.
            anchor += timedelta(days=weekday - anchor.weekday())
        return replace(draft, weekday=weekday, anchor=anchor.isoformat() if anchor else None)
    if field == "tm":
        clock = f"{value[:2]}:{value[2:]}"
        return replace(draft, time=clock) if clock in TIMES else None
    if field == "an":
        try:
            day = date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            return None
        return replace(draft, anchor=day.isoformat(), weekday=day.weekday())
    if field == "mo":
        if value[0] == "w":
            n = int(value[1])
            return replace(draft, monthly=f"weekday:{-1 if n == 5 else n}:{value[2]}")
        day_of_month = int(value[1:])
        return replace(draft, monthly=f"day:{day_of_month}") if 1 <= day_of_month <= 28 else None
    if field == "ho":
        return replace(draft, holiday_policy=SKIP if value == "s" else NEXT_WORKING_DAY)
    if field == "dt":
        off = f"{value[:2]}-{value[2:]}"
        if off not in DAY_OFF_CHOICES:
            return None
        days = set(parse_days_off(draft.days_off)) ^ {off}  # on, or off again
        return replace(draft, days_off=",".join(sorted(days)))
    return replace(draft, reminder_hours=REMINDER_CHOICES[int(value)])


def parse_days_off_typed(text: str) -> str | None:
    """ "24.12, 31.12" -> "12-24,12-31"; "none" or "-" -> ""; None if a day is not a date."""
    if text.strip().lower() in ("-", "0", "none", "ingen", "nei"):
        return ""
    days = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        match = _DAY_MONTH.fullmatch(part)
        if match is None:
            return None
        try:
            day = date(2024, int(match[2]), int(match[1]))  # a leap year: 29.02 exists
        except ValueError:
            return None
        days.append(f"{day:%m-%d}")
    return ",".join(sorted(set(days))) if days else None


def preview(draft: RuleDraft, now: datetime, tz: ZoneInfo) -> list[datetime]:
    """The next PREVIEW meetings the draft gives (holidays applied), from now."""
    return [m.starts_at for m in plan(draft.rule(), now, now + timedelta(days=370), tz)][:PREVIEW]


def complete(draft: RuleDraft) -> bool:
    """Does the draft give regular meetings at all?"""
    if draft.time is None:
        return False
    if draft.phase == 3:
        return draft.weekday is not None and draft.anchor is not None
    if draft.phase == 4:
        return draft.monthly is not None
    return False
