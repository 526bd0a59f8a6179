"""The one TOML reader (bot/toml_reader.py) on its own: lines, suggestions, types, the slug rule."""

from __future__ import annotations

import pytest

from bot.toml_reader import (
    Checker,
    Table,
    TomlError,
    decode,
    is_slug,
    load,
    locate,
    tables,
    unknown_key,
)

TEXT = """\
# two things
[[thing]]
id = "first"
size = 3

[[thing]]
id = "second"
colour = "red"
sise = "big"
"""


def read(text: str) -> tuple[Checker, list[Table]]:
    check = Checker(text)
    found = [
        Table(check, "thing", index, data)
        for index, data in enumerate(tables(check, load(text, "things.toml"), "thing"))
    ]
    for table in found:
        table.refuse_unknown(("id", "size", "colour"))
        table.slug("id")
        table.integer("size", 1, 10)
    return check, found


def refusal(text: str) -> TomlError:
    check, _ = read(text)
    with pytest.raises(TomlError) as caught:
        check.raise_first("things.toml")
    return caught.value


def test_an_unknown_key_is_refused_on_its_line_with_the_key_it_looks_like() -> None:
    error = refusal(TEXT)
    assert str(error) == 'things.toml:9: unknown key "sise" in [[thing]]: did you mean size?'
    assert (error.source, error.line) == ("things.toml", 9)


def test_a_misspelt_key_explains_its_missing_key_once() -> None:
    check, _ = read(TEXT)
    assert check.errors == [(9, 'unknown key "sise" in [[thing]]: did you mean size?')]


def test_an_unknown_key_like_no_known_one_lists_the_known_keys() -> None:
    reason = unknown_key("weight", ("id", "size"), "in [[thing]]")
    assert reason == 'unknown key "weight" in [[thing]] (known keys: id, size)'
    assert unknown_key("nmae", ("name",), quote=repr) == "unknown key 'nmae': did you mean name?"


def test_a_value_of_the_wrong_type_is_refused_on_its_line() -> None:
    error = refusal(TEXT.replace("size = 3", 'size = "3"').replace('sise = "big"\n', "size = 4\n"))
    assert str(error) == 'things.toml:4: size must be 1-10, got "3"'


def test_a_required_key_that_is_absent_is_told_on_the_tables_header() -> None:
    error = refusal(TEXT.replace('sise = "big"\n', ""))
    assert str(error) == "things.toml:6: [[thing]] is missing size"


@pytest.mark.parametrize("slug", ["a", "kontaktsenter", "gamle-oslo", "district-2", "x" * 40, "0"])
def test_the_slug_rule_takes_these(slug: str) -> None:
    assert is_slug(slug)


@pytest.mark.parametrize(
    "slug",
    ["", "-oslo", "oslo-", "-", "Oslo", "gamle oslo", "gamle_oslo", "ø", "x" * 41, 7, None],
)
def test_the_slug_rule_refuses_these(slug: object) -> None:
    assert not is_slug(slug)


def test_a_bad_slug_is_refused_with_the_rule_on_its_line() -> None:
    error = refusal(TEXT.replace('"second"', '"second-"').replace('sise = "big"\n', "size = 4\n"))
    assert str(error) == (
        "things.toml:7: id must be 1-40 characters of a-z, 0-9 and '-', not starting or ending "
        "with '-', got \"second-\""
    )


def test_a_syntax_error_is_a_reader_error_on_its_line() -> None:
    with pytest.raises(TomlError) as caught:
        load('[[thing]]\nid = "first"\nsize = \n', "things.toml")
    assert caught.value.line == 3
    assert caught.value.reason.startswith("not valid TOML: ")


def test_a_file_that_is_not_utf8_is_refused_on_the_line_of_the_first_bad_byte() -> None:
    assert decode(b"\xef\xbb\xbfid = 1\n", "f.toml") == "id = 1\n"
    with pytest.raises(TomlError, match=r"^f\.toml:2: the file is not UTF-8 text"):
        decode(b'id = "a"\nname = "\xff"\n', "f.toml")


def test_locate_finds_a_key_of_the_nth_table_and_falls_back_to_its_header() -> None:
    assert locate(TEXT, "thing", 1, ("colour",)) == 8
    assert locate(TEXT, "thing", 1, ("weight",)) == 6
    assert locate(TEXT, "thing", 5, ("id",)) == 1
