"""`bydelsbot seed` loads a cohort's evenings from the TOML file, with the seed file's own
checks: the line of each mistake, "did you mean", and nothing written if anything is wrong."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.seeding import SeedError, parse_seed
from tests.fakes.bot_process import bydelsbot

FILE = """\
[[location]]
id = "deichman-furuset"
name = "Deichman Furuset"
address = "Trygve Lies plass 1, Oslo"

[[district]]
slug = "alna"
name = "Alna"
phase = 2

[[cohort]]
district = "alna"
name = "Høst 2027"
capacity = 20

[[evening]]
cohort = "Høst 2027"
module = 1
date = 2027-09-07
time = "18:00"
location = "deichman-furuset"
lecturer = "Kari Nordmann"

[[evening]]
cohort = "Høst 2027"
title = "Besøk på NAV"
date = 2027-12-14
time = "17:30"
minutes = 90
"""


def test_a_cohort_and_its_evenings_parse_with_oslo_times() -> None:
    seed = parse_seed(FILE, "course.toml")
    [cohort] = seed.cohorts
    assert (cohort.district_slug, cohort.name, cohort.capacity, cohort.threshold) == (
        "alna", "Høst 2027", 20, 15,
    )  # fmt: skip
    first, second = seed.evenings
    assert first.starts_at == datetime(2027, 9, 7, 16, 0, tzinfo=UTC)  # summer time
    assert second.starts_at == datetime(2027, 12, 14, 16, 30, tzinfo=UTC)  # winter time
    assert (first.module, first.minutes, first.location_id) == (1, 120, "deichman-furuset")
    assert (second.module, second.title, second.minutes) == (None, "Besøk på NAV", 90)


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        ("modul = 1", 18, 'unknown key "modul" in [[evening]]: did you mean module?'),
        ("module = 18", 18, "module must be 1-17, got 18"),
        ('cohort = "Vår"', 17, 'cohort "Vår" is not the name of a [[cohort]] in this file'),
        ("date = 2027-02-30", 19, "date"),
    ],
)
def test_mistakes_name_their_line(change: str, line: int, reason: str) -> None:
    lines = FILE.split("\n")
    lines[line - 1] = change
    with pytest.raises(SeedError) as raised:
        parse_seed("\n".join(lines), "course.toml")
    assert raised.value.line == line
    assert reason in raised.value.reason


def test_the_command_writes_them_once_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    path, toml = tmp_path / "bot.sqlite3", tmp_path / "course.toml"
    toml.write_text(FILE, encoding="utf-8")
    first = bydelsbot("seed", str(toml), "--db", str(path))
    assert first.returncode == 0, first.stderr
    assert first.stdout.endswith(
        "1 cohort (1 created, 0 updated, 0 unchanged), "
        "2 course evenings (2 created, 0 updated, 0 unchanged)\n"
    )
    again = bydelsbot("seed", str(toml), "--db", str(path))
    assert again.stdout.endswith(
        "1 cohort (0 created, 0 updated, 1 unchanged), "
        "2 course evenings (0 created, 0 updated, 2 unchanged)\n"
    )
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT module, title, lecturer FROM course_evenings ORDER BY starts_at"
        )
        assert list(rows) == [(1, None, "Kari Nordmann"), (None, "Besøk på NAV", None)]
    broken = tmp_path / "broken.toml"
    broken.write_text(FILE.replace("capacity = 20", "capacity = 10000"), encoding="utf-8")
    result = bydelsbot("seed", str(broken), "--db", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"bydelsbot: {broken}:14: capacity must be 1-200, got 10000"


def test_an_evening_in_the_past_is_refused_unless_it_is_already_there_unchanged(
    tmp_path: Path,
) -> None:
    """Like the bot, the seed refuses an evening whose time has passed, naming its line. A file
    re-run after its first evening was held passes: that evening is in the database exactly as
    the file says. Changing a held evening from the file is refused (attendance hangs on it)."""
    path, toml = tmp_path / "bot.sqlite3", tmp_path / "course.toml"
    held = FILE.replace("date = 2027-09-07", "date = 2020-01-07")
    toml.write_text(held, encoding="utf-8")
    refused = bydelsbot("seed", str(toml), "--db", str(path))
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"bydelsbot: {toml}:19: 2020-01-07 18:00 has passed already: type a date in the future"
    )
    with sqlite3.connect(path) as conn:  # nothing of the file was written
        assert conn.execute("SELECT count(*) FROM cohorts").fetchone() == (0,)
    # Last month's run wrote the evening (then in the future); it has been held since.
    toml.write_text(FILE, encoding="utf-8")
    assert bydelsbot("seed", str(toml), "--db", str(path)).returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE course_evenings SET starts_at = ? WHERE module = 1",
            (datetime(2020, 1, 7, 17, 0, tzinfo=UTC).isoformat(),),
        )
    toml.write_text(held, encoding="utf-8")
    again = bydelsbot("seed", str(toml), "--db", str(path))
    assert again.returncode == 0, again.stderr
    assert again.stdout.endswith("2 course evenings (0 created, 0 updated, 2 unchanged)\n")
    toml.write_text(held.replace("Kari Nordmann", "Hawa Ali"), encoding="utf-8")
    changed = bydelsbot("seed", str(toml), "--db", str(path))
    assert changed.returncode == 2 and f"{toml}:19: 2020-01-07 18:00 has passed" in changed.stderr
