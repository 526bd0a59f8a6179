"""The review's button data stays byte for byte what it was before its patterns became codecs on
the shared Codec (handlers/common/codec.py): cards already sent carry it. The strings and what
they are read as were written by the review's code before the move."""

from __future__ import annotations

import pytest

from handlers.review.codecs import (
    STOP_DATA,
    ReviewPress,
    approve_data,
    decode_review,
    decode_rights,
    language_data,
    message_data,
    rights_data,
)


def test_old_data_is_written_the_same() -> None:
    assert language_data("nb") == "rv:l:nb"
    assert language_data("pt_BR") == "rv:l:pt_BR"
    assert message_data("g", "so", 12, "0123abcd") == "rv:g:so:12:0123abcd"
    assert message_data("b", "ar", 0, "ffffffff") == "rv:b:ar:0:ffffffff"
    assert message_data("s", "ckb", 9999, "00000000") == "rv:s:ckb:9999:00000000"
    assert approve_data(123456789) == "rv:a:123456789"
    assert STOP_DATA == "rv:x"
    assert rights_data(3, 12345678901234567890) == "rvg:3:12345678901234567890"
    assert rights_data(3, 42, "ti") == "rvg:3:42:ti"
    assert rights_data(3, 42, None) == "rvg:3:42"


@pytest.mark.parametrize(
    ("data", "read"),
    [
        ("rv:l:nb", ReviewPress("l", locale="nb")),
        ("rv:l:pt_BR", ReviewPress("l", locale="pt_BR")),
        ("rv:g:so:12:0123abcd", ReviewPress("g", locale="so", index=12, key="0123abcd")),
        ("rv:b:ar:0:ffffffff", ReviewPress("b", locale="ar", index=0, key="ffffffff")),
        ("rv:s:ckb:9999:00000000", ReviewPress("s", locale="ckb", index=9999, key="00000000")),
        ("rv:a:123456789", ReviewPress("a", wording_id=123456789)),
        ("rv:x", ReviewPress("x")),
        ("rv:l:n", None),
        ("rv:l:nb:1", None),
        ("rv:g:so:12345:0123abcd", None),
        ("rv:g:so:1:0123ABCD", None),
        ("rv:t:so:1:0123abcd", None),
        ("rv:a:1234567890", None),
        ("rv:x:1", None),
        ("rv:x\n", None),
        ("rvg:1:2", None),
    ],
)
def test_old_data_is_read_the_same(data: str, read: ReviewPress | None) -> None:
    assert decode_review(data) == read


@pytest.mark.parametrize(
    ("data", "read"),
    [
        ("rvg:3:42", (3, 42, None)),
        ("rvg:3:42:ti", (3, 42, "ti")),
        ("rvg:123456789:12345678901234567890:pt_BR", (123456789, 12345678901234567890, "pt_BR")),
        ("rvg:1234567890:1", None),
        ("rvg:1:123456789012345678901", None),
        ("rvg:1:2:", None),
        ("rvg:1:2:EN", None),
        ("rvg:1:2\n", None),
        ("rv:x", None),
    ],
)
def test_old_rights_data_is_read_the_same(
    data: str, read: tuple[int, int, str | None] | None
) -> None:
    assert decode_rights(data) == read
