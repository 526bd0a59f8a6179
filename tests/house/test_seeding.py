"""`bydelsbot seed`: the organisation file is checked whole, written whole, and idempotent."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.seeding import Seed, SeedError, parse_seed, read_seed, summary
from bot.toml_reader import locate
from storage import Database, StorageError
from storage.organisation import (
    DistrictSeed,
    LocationSeed,
    SeedConflict,
    SeedCounts,
    Tally,
    apply_seed,
)
from storage.people import add_membership
from tests.fakes.bot_process import bydelsbot

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "oslo-districts.toml"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADDRESS = 'address = "Trygve Lies plass 1, Oslo"'

GOOD = """\
[[location]]
id = "furuset"
name = "Deichman Furuset"
address = "Trygve Lies plass 1, Oslo"

[[district]]
slug = "alna"
name = "Alna"
phase = 3
location = "furuset"

[district.meetings]
time = "18:00"
weekday = "wednesday"
anchor = 2026-01-07

[[district]]
slug = "grorud"
name = "Grorud"
phase = 4
chat_id = -1001234567890

[district.meetings]
time = "17:30"
monthly = "last thursday"
holidays = "next-working-day"
reminder_hours = [3, 48, 24]
"""


def parse(text: str) -> Seed:
    return parse_seed(text, "districts.toml")


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def marked_line(text: str) -> int:
    """The line carrying the `# HERE` marker: where the test expects the error."""
    (line,) = [n for n, row in enumerate(text.split("\n"), start=1) if "# HERE" in row]
    return line


def refusal(text: str) -> SeedError:
    with pytest.raises(SeedError) as caught:
        parse(text)
    return caught.value


# -- the shape that is accepted ------------------------------------------------------------------


def test_a_good_file_becomes_rows_in_the_columns_vocabulary() -> None:
    seed = parse(GOOD)
    assert seed.locations == (
        LocationSeed("furuset", "Deichman Furuset", "Trygve Lies plass 1, Oslo"),
    )
    alna, grorud = seed.districts
    assert alna == DistrictSeed(
        slug="alna", name="Alna", phase=3, default_locale="nb", location_id="furuset",
        meeting_weekday=2, meeting_time="18:00", meeting_anchor="2026-01-07",
        monthly_rule=None, holiday_policy="skip", reminder_hours="48,3", chat_id=None,
    )  # fmt: skip
    assert grorud.monthly_rule == "weekday:-1:3"
    assert grorud.holiday_policy == "next_working_day"
    assert grorud.reminder_hours == "48,24,3"  # longest first, whatever the file's order
    assert grorud.chat_id == -1001234567890
    assert grorud.meeting_weekday is None and grorud.meeting_anchor is None
    assert alna.days_off == grorud.days_off == "12-24,12-31"  # Oslo's default days off


def test_days_off_are_read_sorted_and_can_be_switched_off() -> None:
    policy = 'holidays = "next-working-day"'
    extra = edit(policy, policy + '\ndays_off = ["12-31", "05-16", "12-31"]')
    assert parse(extra).districts[1].days_off == "05-16,12-31"
    none = edit('holidays = "next-working-day"', 'holidays = "next-working-day"\ndays_off = []')
    assert parse(none).districts[1].days_off == ""


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("first wednesday", "weekday:1:2"),
        ("second monday", "weekday:2:0"),
        ("fourth sunday", "weekday:4:6"),
        ("last thursday", "weekday:-1:3"),
        ("  Third   Friday ", "weekday:3:4"),
        ("day 15", "day:15"),
        ("day 1", "day:1"),
        ("day 28", "day:28"),
    ],
)
def test_monthly_rules(written: str, stored: str) -> None:
    seed = parse(edit('monthly = "last thursday"', f'monthly = "{written}"'))
    assert seed.districts[1].monthly_rule == stored


def test_an_anchor_may_be_quoted_and_a_language_is_a_catalogue_locale() -> None:
    text = edit("anchor = 2026-01-07", 'anchor = "2026-01-07"')
    text = edit("phase = 3\n", 'phase = 3\ndefault_language = "fa_AF"\n', text)
    alna = parse(text).districts[0]
    assert alna.meeting_anchor == "2026-01-07" and alna.default_locale == "fa_AF"


def test_coordinates_are_taken_with_their_source() -> None:
    text = edit(
        'address = "Trygve Lies plass 1, Oslo"\n',
        'address = "Trygve Lies plass 1, Oslo"\nlatitude = 59.9\nlongitude = 10.9\n'
        'coordinates_source = "surveyed by the coordinator"\n',
    )
    (location,) = parse(text).locations
    assert (location.latitude, location.longitude) == (59.9, 10.9)
    assert location.coordinates_source == "surveyed by the coordinator"


def test_a_group_without_meetings_has_no_schedule() -> None:
    seed = parse('[[district]]\nslug = "bjerke"\nname = "Bjerke"\nphase = 1\n')
    (bjerke,) = seed.districts
    assert bjerke.meeting_time is None and bjerke.monthly_rule is None
    assert (bjerke.holiday_policy, bjerke.reminder_hours) == ("skip", "48,3")


def test_a_byte_order_mark_is_accepted_and_non_utf8_is_refused_with_its_line() -> None:
    assert read_seed(b"\xef\xbb\xbf" + GOOD.encode(), "x.toml") == parse(GOOD)
    broken = GOOD.replace('name = "Grorud"', 'name = "Gr\xf8rud"').encode("latin-1")
    with pytest.raises(SeedError) as caught:
        read_seed(broken, "x.toml")
    assert caught.value.line == 19 and "UTF-8" in caught.value.reason


# -- every mistake, with its line ----------------------------------------------------------------

MISTAKES = [
    # (what is changed, what it becomes, the reason that must be given)
    ("phase = 4\n", "phase = 7  # HERE\n", "phase must be 1-4, got 7"),
    ("phase = 4\n", 'phase = "4"  # HERE\n', 'phase must be 1-4, got "4"'),
    (
        "phase = 4\n",
        "phse = 4  # HERE\n",
        'unknown key "phse" in [[district]]: did you mean phase?',
    ),
    (
        'time = "17:30"',
        'time = "17:30"\nplace = "x"  # HERE',
        'unknown key "place" in [district.meetings]',
    ),
    (
        "[[location]]\n",
        "[[locations]]  # HERE\n",
        'unknown key "locations" at the top level: did you mean location?',
    ),
    ('[[district]]\nslug = "grorud"\n', "[[district]]  # HERE\n", "[[district]] is missing slug"),
    (
        '[[district]]\nslug = "grorud"\nname = "Grorud"\n',
        '[[district]]  # HERE\nslug = "grorud"\n',
        "[[district]] is missing name",
    ),
    (
        '[[district]]\nslug = "grorud"\nname = "Grorud"\nphase = 4\n',
        '[[district]]  # HERE\nslug = "grorud"\nname = "Grorud"\n',
        "[[district]] is missing phase",
    ),
    (
        '[[location]]\nid = "furuset"\nname = "Deichman Furuset"\n' + ADDRESS + "\n",
        '[[location]]  # HERE\nid = "furuset"\nname = "Deichman Furuset"\n',
        "[[location]] is missing address",
    ),
    (
        'slug = "grorud"',
        'slug = "Grorud"  # HERE',
        "slug must be 1-40 characters of a-z, 0-9 and '-'",
    ),
    (
        # The one slug rule (bot/toml_reader.py), shared with the referral catalogue.
        'slug = "grorud"',
        'slug = "grorud-"  # HERE',
        "slug must be 1-40 characters of a-z, 0-9 and '-', not starting or ending with '-'",
    ),
    ('slug = "grorud"', 'slug = "alna"  # HERE', 'slug "alna" is already used on line 7'),
    ('name = "Grorud"', 'name = "Alna"  # HERE', 'name "Alna" is already used on line 8'),
    ('name = "Grorud"', 'name = ""  # HERE', "name must be one line of 1-100 characters"),
    ('name = "Grorud"', "name = 42  # HERE", "name must be text in quotes, got 42"),
    (
        "phase = 4\n",
        'phase = 4\ndefault_language = "no"  # HERE\n',
        "default_language must be one of nb, en,",
    ),
    (
        'location = "furuset"',
        'location = "furuset-bibliotek"  # HERE',
        'location "furuset-bibliotek" is not the id of a [[location]]',
    ),
    (
        "chat_id = -1001234567890",
        "chat_id = 1001234567890  # HERE",
        "chat_id must be the id of a Telegram group",
    ),
    (
        'weekday = "wednesday"',
        'weekday = "onsdag"  # HERE',
        "weekday must be a day in English (monday, ",
    ),
    (
        'time = "18:00"',
        'time = "24:00"  # HERE',
        'time must be "HH:MM" between "00:00" and "23:59", got "24:00"',
    ),
    ('time = "18:00"', 'time = "9:00"  # HERE', 'got "9:00"'),
    (
        '[district.meetings]\ntime = "18:00"\n',
        "[district.meetings]  # HERE\n",
        "[district.meetings] is missing time",
    ),
    (
        "anchor = 2026-01-07",
        "anchor = 2026-01-08  # HERE",
        "anchor 2026-01-08 is a thursday, not a wednesday",
    ),
    (
        "anchor = 2026-01-07",
        'anchor = "2026-02-30"  # HERE',
        'anchor must be a date like 2026-01-07, got "2026-02-30"',
    ),
    ("anchor = 2026-01-07", "anchor = 2026-01-07T18:00:00  # HERE", "anchor must be a date"),
    (
        'monthly = "last thursday"',
        'monthly = "every thursday"  # HERE',
        'monthly must be "first|second|third|fourth|last <weekday>" or "day <1-28>"',
    ),
    ('monthly = "last thursday"', 'monthly = "day 31"  # HERE', 'got "day 31"'),
    (
        'holidays = "next-working-day"',
        'holidays = "move"  # HERE',
        'holidays must be "skip" or "next-working-day"',
    ),
    (
        "reminder_hours = [3, 48, 24]",
        "reminder_hours = []  # HERE",
        "reminder_hours must be a list of whole hours 1-336",
    ),
    (
        "reminder_hours = [3, 48, 24]",
        "reminder_hours = [3, 400]  # HERE",
        "reminder_hours must be a list",
    ),
    (
        "reminder_hours = [3, 48, 24]",
        "reminder_hours = [true]  # HERE",
        "reminder_hours must be a list",
    ),
    ("reminder_hours = [3, 48, 24]", "reminder_hours = 48  # HERE", "got 48"),
    (
        "reminder_hours = [3, 48, 24]",
        'reminder_hours = [3, 48, 24]\ndays_off = ["24-12"]  # HERE',
        'days_off must be a list of "MM-DD" days',
    ),
    (
        "reminder_hours = [3, 48, 24]",
        'reminder_hours = [3, 48, 24]\ndays_off = ["02-30"]  # HERE',
        "days_off must be a list",
    ),
    (
        "reminder_hours = [3, 48, 24]",
        'reminder_hours = [3, 48, 24]\ndays_off = "12-24"  # HERE',
        'got "12-24"',
    ),
    (
        "reminder_hours = [3, 48, 24]",
        "reminder_hours = [48, 3, 48]  # HERE",
        "reminder_hours lists 48 twice",
    ),
    (
        '[district.meetings]\ntime = "17:30"\nmonthly = "last thursday"',
        '[district.meetings]  # HERE\ntime = "17:30"\nweekday = "monday"\nanchor = 2026-01-05',
        "a phase 4 group meets monthly: set monthly",
    ),
    (
        '[district.meetings]\ntime = "18:00"\nweekday = "wednesday"\nanchor = 2026-01-07',
        '[district.meetings]  # HERE\ntime = "18:00"\nmonthly = "day 3"',
        "a phase 3 group meets every second week: set weekday and anchor",
    ),
    (
        '[district.meetings]\ntime = "17:30"\nmonthly = "last thursday"',
        '[district.meetings]  # HERE\ntime = "17:30"',
        "[district.meetings] needs weekday and anchor (every second week) or monthly",
    ),
    (
        'monthly = "last thursday"',
        'monthly = "last thursday"\nanchor = 2026-01-05  # HERE',
        "anchor needs a weekday",
    ),
    (
        'address = "Trygve Lies plass 1, Oslo"',
        'address = "Trygve Lies plass 1, Oslo"\nlatitude = 59.9  # HERE\nlongitude = 10.9',
        "need a coordinates_source",
    ),
    (
        'address = "Trygve Lies plass 1, Oslo"',
        'address = "Trygve Lies plass 1, Oslo"\nlatitude = 59.9  # HERE\ncoordinates_source = "x"',
        "latitude needs longitude too",
    ),
    (
        'address = "Trygve Lies plass 1, Oslo"',
        'address = "Trygve Lies plass 1, Oslo"\ncoordinates_source = "x"  # HERE',
        "coordinates_source without latitude and longitude",
    ),
    (
        'address = "Trygve Lies plass 1, Oslo"',
        ADDRESS + '\nlatitude = 95.0  # HERE\nlongitude = 10.9\ncoordinates_source = "x"',
        "latitude must be between -90 and 90, got 95.0",
    ),
    (
        'address = "Trygve Lies plass 1, Oslo"\n',
        ADDRESS + '\n[[location]]\nid = "furuset"  # HERE\nname = "x"\naddress = "y"\n',
        'id "furuset" is already used on line 2',
    ),
    ("phase = 4\n", "phase = 4\nphase = 3  # HERE\n", "Cannot overwrite a value"),
    ("phase = 4\n", "phase =  # HERE\n", "not valid TOML: Invalid value (column 10)"),
    ('time = "17:30"', "time = 17:30  # HERE", 'write times in quotes, e.g. "18:00"'),
    ('[district.meetings]\ntime = "17:30"', 'meetings = 3  # HERE\n[x]\ntime = "17:30"', None),
]


@pytest.mark.parametrize(("old", "new", "reason"), MISTAKES, ids=lambda value: str(value)[:30])
def test_each_mistake_is_refused_with_its_line_and_reason(
    old: str, new: str, reason: str | None
) -> None:
    text = edit(old, new)
    error = refusal(text)
    assert error.line == marked_line(text), error
    if reason is not None:
        assert reason in error.reason
    assert str(error) == f"districts.toml:{error.line}: {error.reason}"


@pytest.mark.parametrize(
    ("old", "typo"),
    [
        ('slug = "alna"', "slg"),
        ('weekday = "wednesday"', "wekday"),
        ("anchor = 2026-01-07", "ancor"),
        ('time = "18:00"', "tme"),
        ('monthly = "last thursday"', "monthy"),
        ("phase = 4", "phse"),
    ],
)
def test_a_typo_is_reported_as_itself_not_as_the_key_it_hides(old: str, typo: str) -> None:
    key = old.split(" ")[0]
    text = edit(old, old.replace(key, typo, 1) + "  # HERE")
    error = refusal(text)
    assert error.line == marked_line(text)
    assert error.reason.endswith(f'unknown key "{typo}" in {error.reason.split(" in ")[1]}')
    assert error.reason.endswith(f"did you mean {key}?")


def test_mistakes_reported_away_from_the_edited_line() -> None:
    no_anchor = refusal(edit("anchor = 2026-01-07\n", ""))
    assert no_anchor.line == 14 and "weekday needs an anchor" in no_anchor.reason
    twice = refusal(edit("phase = 3\n", "phase = 3\nchat_id = -1001234567890\n"))
    assert twice.line == 22 and "chat_id -1001234567890 is already used on line 10" in twice.reason
    single = refusal('\n[district]\nslug = "alna"\nname = "Alna"\nphase = 1\n')
    assert single.line == 2 and "[[district]] tables (two square brackets)" in single.reason


def test_a_district_is_not_blamed_for_its_locations_mistake() -> None:
    text = edit(ADDRESS, ADDRESS + "\nlatitude = 59.9  # HERE")
    text = edit("[[location]]", '[[district]]\nslug = "x"\nname = "X"\nphase = 1\n'
                'location = "furuset"\n[[location]]', text)  # fmt: skip
    error = refusal(text)
    assert error.line == marked_line(text) and error.reason.startswith("latitude needs")


def test_the_earliest_mistake_in_the_file_is_the_one_reported() -> None:
    text = edit("phase = 4\n", "phase = 9\n", edit('slug = "alna"', 'slug = "ALNA"'))
    error = refusal(text)
    assert (error.line, error.reason.split(" ")[0]) == (7, "slug")


def test_an_empty_file_is_refused() -> None:
    assert refusal("# nothing here\n").reason.startswith("no [[district]] or [[location]]")


def test_the_message_format() -> None:
    assert str(SeedError("districts.toml", 14, "phase must be 1-4, got 7")) == (
        "districts.toml:14: phase must be 1-4, got 7"
    )


# -- finding the line of a key -------------------------------------------------------------------

LOCATE = """\
title = "x"
[[district]]
slug = "a"
meetings.time = "18:00"
[[location]]
id = "p"
note = \"\"\"
[[district]]
\"\"\"
[[district]]   # the second
slug = "b"
"name" = "B"
meetings = { time = "18:00" }
[district.extra]
time = "09:00"
[[district]]
slug = "c"
  [ district . meetings ]
  time = "19:00"
"""


@pytest.mark.parametrize(
    ("table", "index", "path", "line"),
    [
        ("district", 0, (), 2),
        ("district", 0, ("slug",), 3),
        ("district", 0, ("meetings", "time"), 4),  # a dotted key
        ("district", 0, ("phase",), 2),  # absent: the block's header
        ("location", 0, ("id",), 6),
        ("district", 1, (), 10),  # the header inside the multi-line string does not count
        ("district", 1, ("name",), 12),  # a quoted key
        ("district", 1, ("meetings", "time"), 13),  # inside an inline table: its line
        ("district", 1, ("extra", "time"), 15),
        ("district", 2, ("meetings",), 18),  # a sub-table header, spaced and indented
        ("district", 2, ("meetings", "time"), 19),
        ("district", 3, ("slug",), 1),  # no such block
    ],
)
def test_locate_finds_the_key_in_the_right_block(
    table: str, index: int, path: tuple[str, ...], line: int
) -> None:
    assert locate(LOCATE, table, index, path) == line


# -- the sample file -----------------------------------------------------------------------------


def test_the_sample_file_loads_the_six_districts_without_invented_facts() -> None:
    seed = read_seed(SAMPLE.read_bytes(), str(SAMPLE))
    assert {d.name: d.slug for d in seed.districts} == {
        "Alna": "alna", "Grorud": "grorud", "Stovner": "stovner", "Østensjø": "ostensjo",
        "Søndre Nordstrand": "sondre-nordstrand", "Bjerke": "bjerke",
    }  # fmt: skip
    assert {loc.id for loc in seed.locations} == {"deichman-furuset", "bydelsmodre-sentralt"}
    furuset = next(loc for loc in seed.locations if loc.id == "deichman-furuset")
    assert furuset.address.startswith("Trygve Lies plass 1")
    assert all(loc.latitude is None and loc.coordinates_source is None for loc in seed.locations)
    # No source gives a meeting day: no group may be reminded of an invented meeting.
    assert all(d.meeting_time is None and d.monthly_rule is None for d in seed.districts)
    assert all(d.phase in (3, 4) for d in seed.districts)


def uncomment_meetings(text: str) -> str:
    """The sample's commented-out [district.meetings] tables, switched on."""
    out: list[str] = []
    inside = False
    for row in text.split("\n"):
        if row == "# [district.meetings]":
            inside = True
        elif inside and not re.match(r"# [a-z_]+ = ", row):
            inside = False
        out.append(row[2:] if inside else row)
    return "\n".join(out)


def test_the_samples_placeholder_meetings_are_valid_once_filled_in() -> None:
    text = uncomment_meetings(SAMPLE.read_text("utf-8"))
    seed = parse_seed(text, "sample")
    assert all(d.meeting_time == "18:00" for d in seed.districts)
    by_phase = {d.phase: d for d in seed.districts}
    assert by_phase[4].monthly_rule == "weekday:1:2"
    assert (by_phase[3].meeting_weekday, by_phase[3].meeting_anchor) == (2, "2026-01-07")


def test_the_readme_example_is_valid() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Organisation data (`bydelsbot seed`)")[1]
    example = section.split("```toml\n")[1].split("```")[0]
    (district,) = parse_seed(example, "README").districts
    assert district.chat_id == -1001234567890 and district.monthly_rule == "weekday:1:2"


# -- writing it: idempotent, all or nothing ------------------------------------------------------


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


async def seed_into(path: Path, text: str, now: datetime = NOW) -> SeedCounts:
    seed = parse(text)
    db = await Database.open(path)
    try:
        return await apply_seed(db, seed.locations, seed.districts, now)
    finally:
        await db.close()


async def test_seeding_twice_changes_nothing_the_second_time(db_path: Path) -> None:
    text = SAMPLE.read_text("utf-8")
    first = await seed_into(db_path, text)
    assert first == SeedCounts(Tally(created=6), Tally(created=2), districts_kept=0)
    before = dump(db_path)
    second = await seed_into(db_path, text, NOW.replace(year=2027))
    assert second == SeedCounts(Tally(unchanged=6), Tally(unchanged=2), districts_kept=0)
    assert dump(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM districts").fetchone() == (6,)


async def test_a_rerun_updates_in_place_and_records_the_phase_change(db_path: Path) -> None:
    await seed_into(db_path, GOOD)
    with sqlite3.connect(db_path) as conn:
        ids = dict(conn.execute("SELECT slug, id FROM districts"))
    changed = edit("phase = 3\n", "phase = 4\n", edit('name = "Alna"', 'name = "Alna bydel"'))
    changed = edit('weekday = "wednesday"', 'weekday = "wednesday"\nmonthly = "day 5"', changed)
    counts = await seed_into(db_path, changed)
    assert counts.districts == Tally(updated=1, unchanged=1) and counts.locations == Tally(
        unchanged=1
    )
    with sqlite3.connect(db_path) as conn:
        assert dict(conn.execute("SELECT slug, id FROM districts")) == ids
        row = conn.execute("SELECT name, phase, monthly_rule FROM districts WHERE slug = 'alna'")
        assert row.fetchone() == ("Alna bydel", 4, "day:5")
        history = conn.execute("SELECT district_id, from_phase, to_phase, changed_by, changed_at "
                               "FROM phase_changes").fetchall()  # fmt: skip
    assert history == [(ids["alna"], 3, 4, None, NOW.isoformat())]


async def test_districts_missing_from_the_file_and_their_members_are_kept(db_path: Path) -> None:
    await seed_into(db_path, GOOD)
    db = await Database.open(db_path)
    row = await db.fetch_one("SELECT id FROM districts WHERE slug = 'grorud'")
    assert row is not None
    await add_membership(db, 501, row["id"], "mother", "Hawa", NOW, "so")
    await db.close()
    only_alna = GOOD.split('[[district]]\nslug = "grorud"')[0]
    counts = await seed_into(db_path, only_alna)
    assert counts.districts_kept == 1 and counts.districts == Tally(unchanged=1)
    assert "1 other district in the database left untouched" in summary(counts)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM memberships").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM districts").fetchone() == (2,)


async def test_leaving_out_chat_id_keeps_the_linked_group(db_path: Path) -> None:
    await seed_into(db_path, GOOD)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE districts SET chat_title = 'Bydelsmødre Grorud' WHERE slug = 'grorud'")
    counts = await seed_into(db_path, edit("chat_id = -1001234567890\n", ""))
    assert counts.districts == Tally(unchanged=2)
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT chat_id, chat_title FROM districts WHERE slug = 'grorud'")
        assert row.fetchone() == (-1001234567890, "Bydelsmødre Grorud")


async def test_a_file_may_swap_two_groups_chats(db_path: Path) -> None:
    text = edit("phase = 3\n", "phase = 3\nchat_id = -100111\n")
    await seed_into(db_path, text)
    swapped = text.replace("-100111", "OLD").replace("-1001234567890", "-100111")
    swapped = swapped.replace("OLD", "-1001234567890")
    counts = await seed_into(db_path, swapped)
    assert counts.districts == Tally(updated=2)
    with sqlite3.connect(db_path) as conn:
        chats = dict(conn.execute("SELECT slug, chat_id FROM districts"))
    assert chats == {"alna": -1001234567890, "grorud": -100111}


async def test_a_chat_kept_by_a_district_outside_the_file_refuses_everything(
    db_path: Path,
) -> None:
    await seed_into(db_path, '[[district]]\nslug = "bjerke"\nname = "Bjerke"\nphase = 1\n'
                             "chat_id = -1001234567890\n")  # fmt: skip
    before = dump(db_path)
    with pytest.raises(SeedConflict) as caught:
        await seed_into(db_path, GOOD)  # Grorud, written after Alna, wants Bjerke's chat
    assert (caught.value.slug, caught.value.key) == ("grorud", "chat_id")
    assert "district 'bjerke'" in caught.value.reason
    assert dump(db_path) == before
    error = parse(GOOD).district_error("grorud", "chat_id", caught.value.reason)
    assert error.line == 21


async def test_a_failure_halfway_leaves_the_database_as_it_was(db_path: Path) -> None:
    await seed_into(db_path, GOOD)
    before = dump(db_path)
    seed = parse(edit('name = "Alna"', 'name = "Renamed"'))
    # Past the parser's checks, the schema's own: the last district breaks a CHECK constraint.
    broken = (*seed.districts, DistrictSeed(slug="z", name="Z", phase=9))
    db = await Database.open(db_path)
    try:
        with pytest.raises(StorageError, match="cannot write the seed"):
            await apply_seed(db, seed.locations, broken, NOW)
    finally:
        await db.close()
    assert dump(db_path) == before


# -- the command ---------------------------------------------------------------------------------


def test_the_command_seeds_the_sample_and_says_what_it_did(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = bydelsbot("seed", str(SAMPLE), "--db", str(path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        "6 districts (6 created, 0 updated, 0 unchanged), "
        "2 locations (2 created, 0 updated, 0 unchanged)\n"
    )
    again = bydelsbot("seed", str(SAMPLE), env={"BYDELSBOT_DB": str(path)})
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("6 districts (0 created, 0 updated, 6 unchanged)")


def test_a_broken_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    assert bydelsbot("seed", str(SAMPLE), "--db", str(path)).returncode == 0
    before = dump(path)
    # Early changes that would land if the file were applied piecemeal, then one bad district
    # near the end.
    text = SAMPLE.read_text("utf-8").replace('name = "Alna"', 'name = "Alna (renamed)"')
    lines = text.split("\n")
    bad = max(n for n, row in enumerate(lines) if row.startswith("phase = 3"))
    lines[bad] = "phase = 7"
    broken = tmp_path / "districts.toml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    result = bydelsbot("seed", str(broken), "--db", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"bydelsbot: {broken}:{bad + 1}: phase must be 1-4, got 7\n"
    assert dump(path) == before


def test_a_broken_file_does_not_even_create_the_database(tmp_path: Path) -> None:
    broken = tmp_path / "districts.toml"
    broken.write_text('[[district]]\nslug = "alna"\nname = "Alna"\nphase = 3\nphse = 3\n')
    result = bydelsbot("seed", str(broken), "--db", str(tmp_path / "new.sqlite3"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f'bydelsbot: {broken}:5: unknown key "phse" in [[district]]: did you mean phase?'
    )
    assert not (tmp_path / "new.sqlite3").exists()


def test_a_chat_conflict_is_a_file_mistake_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = tmp_path / "first.toml"
    first.write_text('[[district]]\nslug = "x"\nname = "X"\nphase = 1\nchat_id = -5\n')
    assert bydelsbot("seed", str(first), "--db", str(path)).returncode == 0
    second = tmp_path / "second.toml"
    second.write_text('[[district]]\nslug = "y"\nname = "Y"\nphase = 1\nchat_id = -5\n')
    result = bydelsbot("seed", str(second), "--db", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"bydelsbot: {second}:5: chat_id -5 is already the group")


def test_an_unreadable_database_exits_3_and_a_missing_file_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "bot.sqlite3"
    junk.write_bytes(b"not sqlite at all" * 200)
    result = bydelsbot("seed", str(SAMPLE), "--db", str(junk))
    assert result.returncode == 3
    assert "not a readable bydelsbot database" in result.stderr
    assert "Traceback" not in result.stderr
    missing = bydelsbot("seed", str(tmp_path / "nope.toml"), "--db", str(junk))
    assert missing.returncode == 2
    assert missing.stderr.startswith(f"bydelsbot: cannot read {tmp_path / 'nope.toml'}")
