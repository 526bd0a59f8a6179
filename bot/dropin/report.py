"""The reach report: sessions held and cancelled, volunteer hours, women reached by topic and by
district, help-guide views by topic; per month or per year; as lines, as CSV.

Pure: plain rows in, plain values out. The "fewer than 5" rule of /stats applies to every count
of women and of views (`hidden_counts`): the total of women reached too (a month with 2 women in
one district is one bydelsmor's conversation with them), by month, by topic, by district, by
topic and district, and help-guide views by topic. A count of 0 points to nobody and is shown.
Where one hidden count could be worked out from a total that is shown (the total minus the
others), the next smallest is hidden with it, so no report gives a hidden count away.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from bot.help_guide import STATS_SMALLEST

OTHER = "other"
BOM = "\ufeff"


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    key: str  # 'm202612' or 'y2026'

    @property
    def is_year(self) -> bool:
        return self.key.startswith("y")


def parse_period(key: str) -> Period | None:
    try:
        if key.startswith("y") and len(key) == 5:
            year = int(key[1:])
            return Period(date(year, 1, 1), date(year, 12, 31), key)
        if key.startswith("m") and len(key) == 7:
            year, month = int(key[1:5]), int(key[5:])
            first = date(year, month, 1)
            following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return Period(first, following - timedelta(days=1), key)
    except ValueError:
        return None
    return None


def month_key(day: date) -> str:
    return f"m{day:%Y%m}"


def previous_month(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class HeldSession:
    """One occurrence in the period that has ended (or was cancelled)."""

    day: date
    district: str
    cancelled: bool
    hours: float
    volunteers: int  # shifts on duty


@dataclass(frozen=True)
class Report:
    period: Period
    held: int
    cancelled: int
    volunteer_hours: float
    women: int  # exact total
    by_topic: tuple[tuple[str, int], ...]  # raw counts, biggest first
    by_district: tuple[tuple[str, int], ...]
    by_topic_and_district: tuple[tuple[str, str, int], ...]
    by_month: tuple[tuple[str, int], ...]  # ('2026-12', women) for each month of the period
    views: tuple[tuple[str, int], ...] = field(default=())


def shown(count: int) -> int | None:
    """The count, or None where it must read "fewer than 5" (0 points to nobody)."""
    return count if count >= STATS_SMALLEST or count == 0 else None


K = TypeVar("K")


def small(items: Iterable[tuple[K, int]]) -> dict[K, int]:
    """The counts that read "fewer than 5" by themselves."""
    return {key: count for key, count in items if shown(count) is None}


@dataclass(frozen=True)
class Hidden:
    """The counts of a report that read "fewer than 5"."""

    total: bool
    topics: frozenset[str]
    districts: frozenset[str]
    both: frozenset[tuple[str, str]]
    months: frozenset[str]
    views: frozenset[str]


def _complement(counts: Mapping[K, int], hidden: set[K], total_shown: bool) -> bool:
    """Hide one more where a lone hidden count = the shown total minus the shown others; True
    if it hid one."""
    if not total_shown or len(hidden) != 1:
        return False
    others = [(n, str(k), k) for k, n in counts.items() if k not in hidden and n > 0]
    if not others:
        return False
    hidden.add(min(others)[2])
    return True


def hidden_counts(report: Report) -> Hidden:
    total = shown(report.women) is None
    topics, districts = dict(report.by_topic), dict(report.by_district)
    months = dict(report.by_month)
    hide_topics, hide_districts = set(small(topics.items())), set(small(districts.items()))
    hide_months = set(small(months.items()))
    _complement(months, hide_months, not total)
    both = {(t, d): n for t, d, n in report.by_topic_and_district}
    hide_both = set(small(both.items()))
    changed = True
    while changed:  # until no count can be worked out from the shown ones
        changed = _complement(topics, hide_topics, not total)
        changed |= _complement(districts, hide_districts, not total)
        # Each topic's cells sum to its total, each district's to its own.
        for side, margins, hide_margin in (
            (0, topics, hide_topics),
            (1, districts, hide_districts),
        ):
            for name in margins:
                cells = {key: n for key, n in both.items() if key[side] == name and n > 0}
                group = hide_both & set(cells)
                if name not in hide_margin and len(group) == 1:
                    if not _complement(cells, group, True):
                        hide_margin.add(name)  # its one cell is its total: hide the total
                    hide_both |= group
                    changed = True
                elif name in hide_margin and not group and cells:
                    hide_both.add(min((n, str(k), k) for k, n in cells.items())[2])
                    changed = True
    return Hidden(
        total,
        frozenset(hide_topics),
        frozenset(hide_districts),
        frozenset(hide_both),
        frozenset(hide_months),
        frozenset(small(report.views)),
    )


def build_report(
    period: Period,
    sessions: Iterable[HeldSession],
    reach: Iterable[tuple[date, str, str, int]],  # (day, district, topic, women)
    views: Mapping[str, int] = {},
) -> Report:
    held = cancelled = 0
    hours = 0.0
    for session in sessions:
        if not period.first <= session.day <= period.last:
            continue
        if session.cancelled:
            cancelled += 1
            continue
        held += 1
        hours += session.hours * session.volunteers
    topics: dict[str, int] = defaultdict(int)
    districts: dict[str, int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    months: dict[str, int] = {}
    month = period.first
    while month <= period.last:
        months[f"{month:%Y-%m}"] = 0
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    total = 0
    for day, district, topic, women in reach:
        if not period.first <= day <= period.last:
            continue
        total += women
        topics[topic] += women
        districts[district] += women
        both[topic, district] += women
        months[f"{day:%Y-%m}"] = months.get(f"{day:%Y-%m}", 0) + women
    return Report(
        period,
        held,
        cancelled,
        round(hours, 1),
        total,
        _biggest(topics.items()),
        _biggest(districts.items()),
        tuple(sorted(((t, d, n) for (t, d), n in both.items()), key=lambda r: (-r[2], r[0], r[1]))),
        tuple(months.items()),
        _biggest(views.items()),
    )


def _biggest(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(items, key=lambda item: (-item[1], item[0])))


def csv_bytes(report: Report, labels: Mapping[str, str], header: Sequence[str]) -> bytes:
    """The report as a spreadsheet: UTF-8 with a byte-order mark (so Excel reads æøå), one
    row per figure: section, name, district, value. A small count reads "<5"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)

    hidden = hidden_counts(report)

    def value(count: int, hide: bool) -> str:
        return f"<{STATS_SMALLEST}" if hide else str(count)

    p = report.period
    writer.writerow(["period", p.key[1:], "", f"{p.first.isoformat()}..{p.last.isoformat()}"])
    writer.writerow(["sessions_held", "", "", report.held])
    writer.writerow(["sessions_cancelled", "", "", report.cancelled])
    writer.writerow(["volunteer_hours", "", "", report.volunteer_hours])
    writer.writerow(["women_reached", "", "", value(report.women, hidden.total)])
    for topic, count in report.by_topic:
        shown = value(count, topic in hidden.topics)
        writer.writerow(["women_by_topic", labels.get(topic, topic), "", shown])
    for district, count in report.by_district:
        shown = value(count, district in hidden.districts)
        writer.writerow(["women_by_district", "", district, shown])
    for topic, district, count in report.by_topic_and_district:
        shown = value(count, (topic, district) in hidden.both)
        writer.writerow(["women_by_topic_and_district", labels.get(topic, topic), district, shown])
    for month, count in report.by_month:
        writer.writerow(["women_by_month", month, "", value(count, month in hidden.months)])
    for topic, count in report.views:
        shown = value(count, topic in hidden.views)
        writer.writerow(["help_guide_views", labels.get(topic, topic), "", shown])
    return (BOM + out.getvalue()).encode("utf-8")
