"""The meeting planner, property-tested over three years of dates and cross-checked against an
independent RRULE evaluation (dateutil) of the same rule."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import holidays
from dateutil import rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.days import NEXT_WORKING_DAY, OSLO, SKIP, parse_days_off
from bot.meetings.plan import (
    REPLAN_BACK,
    ExistingMeeting,
    MeetingRule,
    PlannedMeeting,
    Replan,
    key_day,
    plan,
    replan,
)
from bot.meetings.reminders import due_reminder, parse_lead_hours

START = datetime(2026, 1, 1, tzinfo=UTC)
THREE_YEARS = START.replace(year=2029)
# Norway's public holidays, and the days off Oslo's groups keep by default (24 and 31 December).
NORWAY = frozenset(
    holidays.country_holidays("NO", years=range(2025, 2031), include_sundays=False)
) | {date(year, 12, day) for year in range(2025, 2031) for day in (24, 31)}

anchors = st.dates(min_value=date(2025, 6, 1), max_value=date(2028, 12, 31))
clocks = st.times(min_value=time(8, 0), max_value=time(21, 59)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
policies = st.sampled_from([SKIP, NEXT_WORKING_DAY])


def fortnightly(anchor: date, at: time, policy: str) -> MeetingRule:
    return MeetingRule(3, anchor.weekday(), at.strftime("%H:%M"), anchor, None, policy)


def independent_working_day_after(day: date) -> date:
    """Written apart from the planner's own: the next Monday-Friday that Norway works."""
    candidates = rrule.rrule(rrule.DAILY, dtstart=datetime.combine(day, time()) + timedelta(days=1),
                             byweekday=(rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR),
                             count=30)  # fmt: skip
    found: date = next(c.date() for c in candidates if c.date() not in NORWAY)
    return found


def expected_dates(rule_set: rrule.rrule, policy: str) -> list[date]:
    found = []
    for occurrence in rule_set:
        day = occurrence.date()
        if day in NORWAY:
            if policy == SKIP:
                continue
            day = independent_working_day_after(day)
        found.append(day)
    return found


def in_range(days: list[date]) -> list[date]:
    first, last = START.astimezone(OSLO).date(), THREE_YEARS.astimezone(OSLO).date()
    return [d for d in days if first <= d < last]


@settings(max_examples=60, deadline=None)
@given(anchors, clocks, policies)
def test_fortnightly_matches_rrule_and_stays_at_local_time(
    anchor: date, at: time, policy: str
) -> None:
    meetings = plan(fortnightly(anchor, at, policy), START, THREE_YEARS)
    reference = rrule.rrule(
        rrule.WEEKLY, interval=2, dtstart=datetime.combine(anchor, at),
        until=datetime.combine(THREE_YEARS.date() + timedelta(days=7), at),
    )  # fmt: skip
    local = [m.starts_at.astimezone(OSLO) for m in meetings]
    assert [d.date() for d in local] == in_range(expected_dates(reference, policy))
    # 18:00 stays 18:00 in Oslo, winter and summer; the instants are UTC and never naive.
    assert all(d.time() == at for d in local)
    assert all(m.starts_at.tzinfo is UTC for m in meetings)
    assert {d.utcoffset() for d in local} <= {timedelta(hours=1), timedelta(hours=2)}


@settings(max_examples=60, deadline=None)
@given(anchors, clocks, policies)
def test_fortnightly_meetings_are_14_days_apart_except_around_a_holiday(
    anchor: date, at: time, policy: str
) -> None:
    meetings = plan(fortnightly(anchor, at, policy), START, THREE_YEARS)
    for meeting in meetings:
        nominal = date.fromisoformat(meeting.key[:10])
        held = meeting.starts_at.astimezone(OSLO).date()
        assert (nominal - anchor).days % 14 == 0
        assert (held == nominal) is (meeting.moved_from is None)
        if meeting.moved_from is not None:
            assert nominal in NORWAY and held not in NORWAY and held.weekday() < 5
    for earlier, later in itertools.pairwise(meetings):
        gap = later.starts_at.astimezone(OSLO).date() - earlier.starts_at.astimezone(OSLO).date()
        if earlier.moved_from is None and later.moved_from is None:
            # Exactly 14 days, or a multiple where a holiday skipped the ones between.
            assert gap.days % 14 == 0
            skipped = [
                earlier.starts_at.astimezone(OSLO).date() + timedelta(days=14 * k)
                for k in range(1, gap.days // 14)
            ]
            assert all(day in NORWAY for day in skipped)
            if policy == NEXT_WORKING_DAY:
                assert gap.days == 14


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([1, 2, 3, 4, -1]), st.integers(0, 6), st.integers(1, 28), st.booleans(),
    clocks, policies,
)  # fmt: skip
def test_monthly_matches_rrule(
    n: int, weekday: int, day: int, by_weekday: bool, at: time, policy: str
) -> None:
    monthly = f"weekday:{n}:{weekday}" if by_weekday else f"day:{day}"
    rule = MeetingRule(4, None, at.strftime("%H:%M"), None, monthly, policy)
    meetings = plan(rule, START, THREE_YEARS)
    begin = datetime.combine(date(2025, 12, 1), at)
    if by_weekday:
        reference = rrule.rrule(rrule.MONTHLY, dtstart=begin, until=datetime(2029, 2, 1),
                                byweekday=rrule.weekday(weekday, n))  # fmt: skip
    else:
        reference = rrule.rrule(rrule.MONTHLY, dtstart=begin, until=datetime(2029, 2, 1),
                                bymonthday=day)  # fmt: skip
    local = [m.starts_at.astimezone(OSLO) for m in meetings]
    assert [d.date() for d in local] == in_range(expected_dates(reference, policy))
    assert all(d.time() == at for d in local)


def test_no_regular_meetings_in_phase_1_and_2() -> None:
    for phase in (1, 2):
        rule = MeetingRule(phase, 2, "18:00", date(2026, 1, 7), "weekday:1:2", SKIP)
        assert plan(rule, START, THREE_YEARS) == []


def test_a_holiday_is_skipped_or_moved_by_the_groups_setting() -> None:
    # Thursdays from 30 April 2026: 14 May is Ascension Day.
    since, until = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    skip = plan(MeetingRule(3, 3, "18:00", date(2026, 4, 30), None, SKIP), since, until)
    moved = plan(
        MeetingRule(3, 3, "18:00", date(2026, 4, 30), None, NEXT_WORKING_DAY), since, until
    )
    assert [m.starts_at.astimezone(OSLO).date().isoformat() for m in skip] == [
        "2026-04-30", "2026-05-28",
    ]  # fmt: skip
    assert [m.starts_at.astimezone(OSLO).date().isoformat() for m in moved] == [
        "2026-04-30", "2026-05-15", "2026-05-28",
    ]  # fmt: skip
    assert moved[1].key == "2026-05-14T18:00" and moved[1].moved_from == date(2026, 5, 14)


def test_the_utc_instant_shifts_by_an_hour_across_daylight_saving() -> None:
    rule = MeetingRule(3, 2, "18:00", date(2026, 3, 18), None, SKIP)
    first, second = plan(rule, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC))
    assert first.starts_at == datetime(2026, 3, 18, 17, 0, tzinfo=UTC)  # CET, UTC+1
    assert second.starts_at == datetime(2026, 4, 1, 16, 0, tzinfo=UTC)  # CEST, UTC+2


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


def stored_as(existing: list[ExistingMeeting], changes: Replan) -> dict[int, ExistingMeeting]:
    """The stored rule meetings after applying `changes` (new rows get negative ids)."""
    after = {m.id: m for m in existing if m.id not in changes.delete}
    for update in changes.update:
        old = after[update.id]
        after[update.id] = ExistingMeeting(
            old.id, update.key, update.starts_at, old.changed, old.moved
        )
    for n, meeting in enumerate(changes.insert, start=1):
        after[-n] = ExistingMeeting(-n, meeting.key, meeting.starts_at)
    return after


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(moments, st.booleans(), st.booleans(), st.integers(0, 10)), max_size=25),
    anchors, clocks, policies, moments, st.sampled_from([1, 3, 4]),
)  # fmt: skip
def test_a_replan_never_touches_the_past_nor_what_a_coordinator_changed(
    stored: list[tuple[datetime, bool, bool, int]], anchor: date, at: time, policy: str,
    now: datetime, new_phase: int,
) -> None:  # fmt: skip
    # Each stored meeting: its start, whether the rule made it, whether a coordinator changed
    # it, and how many days she moved it (its key stays the rule's date).
    existing = [
        ExistingMeeting(
            i,
            f"{(start - timedelta(days=moved)).astimezone(OSLO):%Y-%m-%dT%H:%M}"
            if from_rule
            else None,
            start,
            changed,
            changed and moved > 0,
        )
        for i, (start, from_rule, changed, moved) in enumerate(stored)
        if not moved or changed  # only a coordinator moves a meeting off its key
    ]
    rule = MeetingRule(new_phase, anchor.weekday(), at.strftime("%H:%M"), anchor,
                       "weekday:1:2", policy)  # fmt: skip
    planned = plan(rule, now - REPLAN_BACK, now + timedelta(days=90))
    changes = replan(existing, planned, now)
    by_id = {m.id: m for m in existing}
    touched = {*changes.delete, *(u.id for u in changes.update)}
    assert all(by_id[i].starts_at > now for i in touched)  # the past stays
    assert all(by_id[i].rule_key is not None for i in touched)  # single ones stay
    assert not any(by_id[i].changed for i in changes.delete)  # hers are never deleted
    assert all(u.starts_at == by_id[u.id].starts_at for u in changes.update if by_id[u.id].moved)
    assert all(m.starts_at > now for m in changes.insert)
    # Afterwards every planned future date has exactly one stored meeting, none twice.
    after = stored_as(existing, changes)
    future_days = [
        key_day(m.rule_key) for m in after.values()
        if m.rule_key is not None and m.starts_at > now and not m.changed
    ]  # fmt: skip
    assert len(future_days) == len(set(future_days))
    days = {key_day(m.rule_key) for m in after.values() if m.rule_key is not None}
    assert {key_day(m.key) for m in planned if m.starts_at > now} <= days
    # And planning the same rule again changes nothing.
    again = replan(list(after.values()), planned, now)
    assert again.delete == () and again.insert == () and again.update == ()


def test_a_meeting_moved_past_its_keys_time_is_kept() -> None:
    # Wednesday 9 Dec 2026 18:00, moved by the coordinator to Thursday; the hourly re-plan
    # on Wednesday at 19:00 no longer plans Wednesday, but must not delete Thursday's meeting.
    rule = MeetingRule(3, 2, "18:00", date(2026, 1, 7), None, SKIP)
    wednesday = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    moved = ExistingMeeting(1, "2026-12-09T18:00", wednesday + timedelta(days=1), True, True)
    now = wednesday + timedelta(hours=1)
    planned = plan(rule, now - REPLAN_BACK, now + timedelta(days=90))
    changes = replan([moved], planned, now)
    assert 1 not in changes.delete and changes.update == ()
    assert "2026-12-09T18:00" not in {m.key for m in changes.insert}
    # Even were the key's date gone from the rule, her change stays.
    assert replan([moved], [], now).delete == ()


def test_a_new_time_updates_the_same_dates_in_place() -> None:
    old = MeetingRule(3, 2, "18:00", date(2026, 1, 7), None, SKIP)
    new = MeetingRule(3, 2, "18:30", date(2026, 1, 7), None, SKIP)
    planned_old = plan(old, START, START + timedelta(days=90))
    existing = [ExistingMeeting(i, m.key, m.starts_at) for i, m in enumerate(planned_old)]
    changes = replan(existing, plan(new, START - REPLAN_BACK, START + timedelta(days=90)), START)
    assert changes.delete == () and changes.insert == ()
    assert [u.id for u in changes.update] == [m.id for m in existing]
    assert all(u.key.endswith("T18:30") for u in changes.update)
    assert all(
        u.starts_at - m.starts_at == timedelta(minutes=30)
        for u, m in zip(changes.update, existing, strict=True)
    )


def test_christmas_eve_and_new_years_eve_are_days_off_unless_switched_off() -> None:
    # Thursdays from 10 Dec 2026: 24 Dec is a Thursday; so is 31 Dec.
    since, until = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 20, tzinfo=UTC)
    weekly_thursday = date(2026, 12, 10)
    rule = MeetingRule(3, 3, "18:00", weekly_thursday, None, SKIP)
    days = [m.starts_at.astimezone(OSLO).date().isoformat() for m in plan(rule, since, until)]
    assert days == ["2026-12-10", "2027-01-07"]
    moved = MeetingRule(3, 3, "18:00", weekly_thursday, None, NEXT_WORKING_DAY)
    days = [m.starts_at.astimezone(OSLO).date().isoformat() for m in plan(moved, since, until)]
    assert days == ["2026-12-10", "2026-12-28", "2027-01-07"]  # 25, 26 Dec are holidays too
    none_off = MeetingRule(3, 3, "18:00", weekly_thursday, None, SKIP, ())
    days = [m.starts_at.astimezone(OSLO).date().isoformat() for m in plan(none_off, since, until)]
    assert days == ["2026-12-10", "2026-12-24", "2027-01-07"]
    assert rule.signature != none_off.signature
    assert parse_days_off("12-31, 12-24,13-01,x") == ("12-24", "12-31")


def test_replanning_the_same_rule_changes_nothing() -> None:
    rule = MeetingRule(3, 2, "18:00", date(2026, 1, 7), None, SKIP)
    planned = plan(rule, START, START + timedelta(days=90))
    existing = [ExistingMeeting(i, m.key, m.starts_at) for i, m in enumerate(planned)]
    assert replan(existing, planned, START) == replan([], [], START)


# -- which reminder is due --------------------------------------------------------------------

MEETING = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
LEADS = (48, 3)


def test_nothing_is_due_before_the_first_lead_time() -> None:
    assert due_reminder(MEETING, LEADS, MEETING - timedelta(hours=49)).send is None


def test_the_first_reminder_is_due_at_48_hours() -> None:
    assert due_reminder(MEETING, LEADS, MEETING - timedelta(hours=48)).send == 48
    assert due_reminder(MEETING, LEADS, MEETING - timedelta(hours=47), [48]).send is None


def test_the_second_reminder_follows_the_first() -> None:
    decision = due_reminder(MEETING, LEADS, MEETING - timedelta(hours=3), [48])
    assert decision.send == 3 and decision.skip == ()


def test_when_both_are_overdue_only_the_latest_is_sent() -> None:
    decision = due_reminder(MEETING, LEADS, MEETING - timedelta(hours=1))
    assert decision.send == 3 and decision.skip == (48,)


def test_nothing_once_the_meeting_has_begun() -> None:
    assert due_reminder(MEETING, LEADS, MEETING).send is None
    assert due_reminder(MEETING, LEADS, MEETING + timedelta(minutes=1)).send is None


def test_a_longer_lead_is_never_sent_after_a_shorter_one() -> None:
    decision = due_reminder(MEETING, LEADS, MEETING - timedelta(hours=1), [3])
    assert decision.send is None and decision.skip == (48,)


def test_lead_hours_are_read_strictly() -> None:
    assert parse_lead_hours("48,3") == (48, 3)
    assert parse_lead_hours("3, 48 ,x,0,9999") == (48, 3)
    assert parse_lead_hours("") == ()


def test_planning_refuses_a_naive_datetime() -> None:
    import pytest

    with pytest.raises(ValueError, match="naive"):
        plan(MeetingRule(3, 2, "18:00", date(2026, 1, 7)), datetime(2026, 1, 1), THREE_YEARS)
    assert isinstance(plan(MeetingRule(3, 2, "18:00", date(2026, 1, 7)), START, THREE_YEARS)[0],
                      PlannedMeeting)  # fmt: skip
