"""The reach report's "fewer than 5" rule, pure: every count of women below 5 is hidden (the
total and the months too), and no hidden count can be worked out from the counts shown (a
shown total minus its shown parts, or a hidden total as the sum of its shown parts)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dropin.report import Hidden, Report, build_report, hidden_counts, parse_period


def report_of(reach: list[tuple[date, str, str, int]], key: str = "y2026") -> Report:
    period = parse_period(key)
    assert period is not None
    return build_report(period, [], reach)


def test_a_small_total_is_hidden_and_a_lone_hidden_part_gets_company() -> None:
    few = report_of([(date(2026, 3, 4), "Alna", "health", 3)], "m202603")
    hidden = hidden_counts(few)
    assert hidden.total and hidden.topics == {"health"} and hidden.months == {"2026-03"}
    many = report_of([
        (date(2026, 3, 4), "Alna", "health", 9),
        (date(2026, 3, 4), "Alna", "violence", 2),
        (date(2026, 4, 1), "Alna", "health", 6),
    ])  # fmt: skip
    hidden = hidden_counts(many)
    assert not hidden.total  # 17
    # violence's 2 would be 17 - 15: health is hidden with it.
    assert hidden.topics == {"violence", "health"}
    # health is hidden and its one cell would show it: the cell is hidden too.
    assert ("health", "Alna") in hidden.both and ("violence", "Alna") in hidden.both
    assert hidden.months == set() and hidden.districts == set()


def leaks(report: Report, hidden: Hidden) -> list[str]:
    """Every count the shown ones give away by one subtraction or one sum."""
    found: list[str] = []
    cells: dict[object, int] = {(t, d): n for t, d, n in report.by_topic_and_district}
    groups: list[tuple[bool, dict[object, int], set[object]]] = [
        (hidden.total, dict(report.by_topic), set(hidden.topics)),
        (hidden.total, dict(report.by_district), set(hidden.districts)),
        (hidden.total, dict(report.by_month), set(hidden.months)),
    ]
    for topic, _ in report.by_topic:
        part: dict[object, int] = {
            k: n for k, n in cells.items() if isinstance(k, tuple) and k[0] == topic
        }
        groups.append((topic in hidden.topics, part, set(hidden.both)))
    for district, _ in report.by_district:
        part = {k: n for k, n in cells.items() if isinstance(k, tuple) and k[1] == district}
        groups.append((district in hidden.districts, part, set(hidden.both)))
    for total_hidden, parts, hidden_parts in groups:
        secret = [k for k, n in parts.items() if k in hidden_parts and n > 0]
        if not total_hidden and len(secret) == 1:
            found.append(f"{secret[0]} = total minus the others")
        if total_hidden and not secret and any(parts.values()):
            found.append(f"a hidden total = the sum of {sorted(map(str, parts))}")
    return found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 12),
            st.sampled_from(["Alna", "Grorud", "Stovner"]),
            st.sampled_from(["health", "money", "violence", "other"]),
            st.integers(1, 12),
        ),
        max_size=12,
    )
)
def test_no_hidden_count_can_be_worked_out(rows: list[tuple[int, str, str, int]]) -> None:
    report = report_of([(date(2026, m, 1), d, t, n) for m, d, t, n in rows])
    hidden = hidden_counts(report)
    assert leaks(report, hidden) == []
    shown = [n for k, n in report.by_topic if k not in hidden.topics]
    assert all(n >= 5 for n in shown)
    assert hidden.total == (0 < report.women < 5)
