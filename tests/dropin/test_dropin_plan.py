"""The drop-in planner (weekly sessions, holidays, exceptions, summer time), property-tested
against an independent RRULE evaluation (dateutil); and the rota's timing rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
from dateutil import rrule
from dateutil.tz import gettz
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.days import NEXT_WORKING_DAY, OSLO, SKIP
from bot.dropin import rota
from bot.dropin.plan import (
    CANCELLED,
    EXTRA,
    Occurrence,
    SessionException,
    SessionRule,
    occurrences,
    upcoming,
)

NORWAY = frozenset(
    holidays.country_holidays("NO", years=range(2025, 2031), include_sundays=False)
) | {date(year, 12, day) for year in range(2025, 2031) for day in (24, 31)}
OSLO_DATEUTIL = gettz("Europe/Oslo")

starts = st.dates(min_value=date(2025, 6, 1), max_value=date(2028, 6, 30))
clocks = st.times(min_value=time(7, 0), max_value=time(20, 0)).map(
    lambda t: t.replace(second=0, microsecond=0)
)


def next_working_day(day: date) -> date:
    """Written apart from the planner's: the next Monday-Friday that Norway works."""
    candidates = rrule.rrule(rrule.DAILY, dtstart=datetime.combine(day, time()) + timedelta(days=1),
                             byweekday=(rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR),
                             count=30)  # fmt: skip
    found: date = next(c.date() for c in candidates if c.date() not in NORWAY)
    return found


@settings(max_examples=60, deadline=None)
@given(
    valid_from=starts,
    weeks=st.integers(min_value=1, max_value=80),
    weekday=st.integers(min_value=0, max_value=6),
    at=clocks,
    length=st.integers(min_value=30, max_value=240),
    policy=st.sampled_from([SKIP, NEXT_WORKING_DAY]),
)
def test_weekly_sessions_match_rrule_at_local_time(
    valid_from: date, weeks: int, weekday: int, at: time, length: int, policy: str
) -> None:
    valid_to = valid_from + timedelta(weeks=weeks)
    ends = (datetime.combine(valid_from, at) + timedelta(minutes=length)).time()
    if ends <= at:
        ends = time(23, 59)
    rule = SessionRule(weekday, at, ends, valid_from, valid_to, policy)
    reference = rrule.rrule(
        rrule.WEEKLY, byweekday=weekday, dtstart=datetime.combine(valid_from, at),
        until=datetime.combine(valid_to, at),
    )  # fmt: skip
    expected = []
    for moment in reference:
        day = moment.date()
        if day in NORWAY:
            if policy == SKIP:
                continue
            day = next_working_day(day)
        expected.append(day)
    expected = sorted(set(expected))
    found = occurrences(rule, [], valid_from, valid_to + timedelta(days=14))
    assert [o.day for o in found] == expected
    for o in found:
        # The same wall-clock time on both sides of the summer-time change, computed apart.
        local = datetime.combine(o.day, at, tzinfo=OSLO_DATEUTIL)
        assert o.starts_at == local.astimezone(UTC)
        assert o.starts_at.astimezone(OSLO).time() == at
        assert o.ends_at.astimezone(OSLO).time() == ends
        assert o.starts_at.tzinfo is not None


def test_across_the_summer_time_change_the_session_stays_at_noon() -> None:
    # Sunday 29 March 2026 and Sunday 25 October 2026 are the changes in Oslo.
    rule = SessionRule(2, time(12), time(15), date(2026, 3, 1), date(2026, 11, 30))
    found = {o.day: o for o in occurrences(rule, [], date(2026, 3, 1), date(2026, 11, 30))}
    assert found[date(2026, 3, 25)].starts_at == datetime(2026, 3, 25, 11, tzinfo=UTC)
    assert found[date(2026, 4, 1)].starts_at == datetime(2026, 4, 1, 10, tzinfo=UTC)
    assert found[date(2026, 10, 21)].starts_at == datetime(2026, 10, 21, 10, tzinfo=UTC)
    assert found[date(2026, 10, 28)].starts_at == datetime(2026, 10, 28, 11, tzinfo=UTC)


def test_holidays_cancelled_and_extra_dates() -> None:
    # Wednesdays of May 2026: 13 May is no holiday, but Ascension is Thursday 14 May; 17 May is
    # a Sunday. Christmas Eve 2025 is a Wednesday (a day off in Oslo).
    rule = SessionRule(3, time(12), time(15), date(2026, 5, 1), None)  # Thursdays
    found = occurrences(rule, [], date(2026, 5, 1), date(2026, 5, 31))
    assert date(2026, 5, 14) not in [o.day for o in found]  # Ascension Day skipped
    moved = SessionRule(3, time(12), time(15), date(2026, 5, 1), None, NEXT_WORKING_DAY)
    found = occurrences(moved, [], date(2026, 5, 1), date(2026, 5, 31))
    assert next(o for o in found if o.moved_from == date(2026, 5, 14)).day == date(2026, 5, 15)
    wednesday = SessionRule(2, time(12), time(15), date(2026, 1, 1))
    exceptions = [
        SessionException(date(2026, 1, 14), CANCELLED, "Staff day"),
        SessionException(date(2026, 1, 16), EXTRA),
    ]
    found = occurrences(wednesday, exceptions, date(2026, 1, 1), date(2026, 1, 31))
    by_day = {o.day: o for o in found}
    assert by_day[date(2026, 1, 14)].cancelled
    assert by_day[date(2026, 1, 14)].reason == "Staff day"
    assert by_day[date(2026, 1, 16)].extra
    assert [d.weekday() for d in by_day if d != date(2026, 1, 16)] == [2, 2, 2, 2]


def test_upcoming_leaves_out_what_has_ended_and_refuses_naive_time() -> None:
    rule = SessionRule(2, time(12), time(15), date(2026, 1, 1))
    during = datetime(2026, 1, 7, 13, tzinfo=UTC)  # 14:00 in Oslo: still on
    assert upcoming(rule, [], during, 7)[0].day == date(2026, 1, 7)
    after = datetime(2026, 1, 7, 15, tzinfo=UTC)
    assert upcoming(rule, [], after, 7)[0].day == date(2026, 1, 14)
    try:
        upcoming(rule, [], datetime(2026, 1, 7), 7)
    except ValueError:
        pass
    else:
        raise AssertionError("a naive datetime was accepted")


def _wednesday(cancelled: bool = False) -> Occurrence:
    rule = SessionRule(2, time(12), time(15), date(2026, 1, 1))
    found = occurrences(
        rule, [SessionException(date(2026, 12, 9), CANCELLED)] if cancelled else [],
        date(2026, 12, 9), date(2026, 12, 9),
    )  # fmt: skip
    return found[0]


def test_what_is_due_when() -> None:
    session = _wednesday()  # Wednesday 9 December 2026, 12:00-15:00 in Oslo (UTC+1)
    assert not rota.morning_due(session, datetime(2026, 12, 9, 6, 59, tzinfo=UTC))
    assert rota.morning_due(session, datetime(2026, 12, 9, 7, 0, tzinfo=UTC))
    assert not rota.morning_due(session, datetime(2026, 12, 9, 11, 0, tzinfo=UTC))
    assert not rota.shift_reminder_due(session, datetime(2026, 12, 8, 16, 59, tzinfo=UTC))
    assert rota.shift_reminder_due(session, datetime(2026, 12, 8, 17, 0, tzinfo=UTC))
    assert not rota.shift_reminder_due(
        _wednesday(cancelled=True), datetime(2026, 12, 8, 17, tzinfo=UTC)
    )
    three_days = datetime(2026, 12, 6, 11, 0, tzinfo=UTC)
    assert rota.alert_due(session, 1, 2, three_days)
    assert not rota.alert_due(session, 2, 2, three_days)
    assert not rota.alert_due(session, 1, 2, three_days - timedelta(minutes=1))
    assert not rota.alert_due(_wednesday(cancelled=True), 0, 2, three_days)
    assert rota.reach_question_due(session, datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    assert not rota.reach_question_due(session, datetime(2026, 12, 9, 13, 59, tzinfo=UTC))
    assert rota.may_withdraw(session, 24, datetime(2026, 12, 8, 11, 0, tzinfo=UTC))
    assert not rota.may_withdraw(session, 24, datetime(2026, 12, 8, 11, 1, tzinfo=UTC))
    assert rota.count_needs_confirming(500) and not rota.count_needs_confirming(12)
