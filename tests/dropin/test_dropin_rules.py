"""[[session]] tables in the organisation file (line-aware mistakes), `bydelsbot seed` loading
them, and the reach report's numbers (the "fewer than 5" rule, CSV, chart)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.dropin.chart import bar_chart
from bot.dropin.report import HeldSession, build_report, csv_bytes, parse_period, shown
from bot.seeding import SeedError, parse_seed
from storage import Database
from storage.dropin.sessions import exceptions_of, list_sessions

FILE = """\
[[location]]
id = "deichman-furuset"
name = "Deichman Furuset"
address = "Trygve Lies plass 1, Oslo"

[[district]]
slug = "alna"
name = "Alna"
phase = 4

[[session]]
id = "furuset-wednesday"
district = "alna"
location = "deichman-furuset"
kind = "drop-in"
weekday = "wednesday"
start = "12:00"
end = "15:00"
valid_from = 2026-01-07
languages = ["nb", "so", "ar", "ur"]
min_on_duty = 2
max_on_duty = 4
cancelled = [{ date = 2026-12-23, reason = "Christmas" }]
extra = [2026-12-28]
"""


def refusal(text: str) -> SeedError:
    with pytest.raises(SeedError) as caught:
        parse_seed(text, "org.toml")
    return caught.value


def test_a_session_is_read_in_the_columns_vocabulary() -> None:
    (session,) = parse_seed(FILE, "org.toml").sessions
    assert (session.slug, session.district_slug, session.kind, session.weekday) == (
        "furuset-wednesday", "alna", "dropin", 2,
    )  # fmt: skip
    assert (session.starts, session.ends, session.valid_from) == ("12:00", "15:00", "2026-01-07")
    assert session.languages == "nb,so,ar,ur"
    assert session.exceptions == (
        ("2026-12-23", "cancelled", "Christmas"), ("2026-12-28", "extra", None),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        ('weekday = "wednesday"', 'weekday = "wensday"', 16, "did you mean wednesday?"),
        ('end = "15:00"', 'end = "11:00"', 18, "end 11:00 is not after start 12:00"),
        ("max_on_duty = 4", "max_on_duty = 1", 21, "min_on_duty 2 is above max_on_duty 1"),
        ('kind = "drop-in"', 'kind = "party"', 15, "kind must be one of drop-in"),
        ('languages = ["nb", "so", "ar", "ur"]', 'languages = ["xx"]', 20, "languages must be"),
        ("valid_from = 2026-01-07", 'valid_from = "soon"', 19, "valid_from must be a date"),
        ('start = "12:00"', 'strat = "12:00"', 17, "did you mean start?"),
    ],
)
def test_each_session_mistake_is_refused_with_its_line(
    old: str, new: str, line: int, reason: str
) -> None:
    assert old in FILE
    error = refusal(FILE.replace(old, new))
    assert error.line == line
    assert reason in error.reason


def test_seed_loads_sessions_once_and_names_an_unknown_district(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, db_path = tmp_path / "org.toml", tmp_path / "bot.sqlite3"
    path.write_text(FILE, encoding="utf-8")
    assert main(["seed", str(path), "--db", str(db_path)]) == 0
    assert "1 session written" in capsys.readouterr().out
    assert main(["seed", str(path), "--db", str(db_path)]) == 0

    async def stored() -> tuple[int, list[tuple[date, str, str | None]]]:
        db = await Database.open(db_path)
        try:
            sessions = await list_sessions(db)
            return len(sessions), (await exceptions_of(db, [sessions[0].id]))[sessions[0].id]
        finally:
            await db.close()

    import asyncio

    count, exceptions = asyncio.run(stored())
    assert count == 1 and len(exceptions) == 2
    path.write_text(FILE.replace('district = "alna"', 'district = "grorud"'), encoding="utf-8")
    assert main(["seed", str(path), "--db", str(db_path)]) != 0
    err = capsys.readouterr().err
    assert "org.toml:13:" in err and "district 'grorud' is neither in this file" in err


def test_report_numbers_and_the_fewer_than_five_rule() -> None:
    period = parse_period("m202612")
    assert period is not None and period.last == date(2026, 12, 31)
    sessions = [
        HeldSession(date(2026, 12, 2), "Alna", False, 3.0, 2),
        HeldSession(date(2026, 12, 9), "Alna", False, 3.0, 3),
        HeldSession(date(2026, 12, 16), "Alna", True, 3.0, 0),
        HeldSession(date(2026, 11, 25), "Alna", False, 3.0, 2),  # another month
    ]
    reach = [
        (date(2026, 12, 2), "Alna", "pregnancy", 3),
        (date(2026, 12, 9), "Alna", "pregnancy", 4),
        (date(2026, 12, 9), "Alna", "money", 2),
        (date(2026, 12, 9), "Stovner", "money", 1),
        (date(2026, 11, 25), "Alna", "money", 40),
    ]
    report = build_report(period, sessions, reach, {"violence": 3, "money": 12})
    assert (report.held, report.cancelled, report.volunteer_hours) == (2, 1, 15.0)
    assert report.women == 10
    assert dict(report.by_topic) == {"pregnancy": 7, "money": 3}
    assert [shown(n) for _, n in report.by_topic] == [7, None]
    assert dict(report.by_district) == {"Alna": 9, "Stovner": 1}
    assert dict(report.by_month) == {"2026-12": 10}
    data = csv_bytes(report, {"money": "Money"}, ["section", "name", "district", "value"])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["women_reached", "", "", "10"] in rows
    assert ["women_by_topic", "Money", "", "<5"] in rows
    # Stovner's 1 = 10 - Alna's 9: Alna's count is hidden with it.
    assert ["women_by_district", "", "Alna", "<5"] in rows
    assert ["help_guide_views", "violence", "", "<5"] in rows
    assert ["volunteer_hours", "", "", "15.0"] in rows
    year = build_report(parse_period("y2026"), sessions, reach)  # type: ignore[arg-type]
    assert year.women == 50 and len(year.by_month) == 12


def test_the_chart_is_a_png() -> None:
    image = bar_chart([(f"2026-{m:02d}", m * 3) for m in range(1, 13)], "2026-03")
    assert image.startswith(b"\x89PNG") and len(image) > 2000
    assert bar_chart([]).startswith(b"\x89PNG")
