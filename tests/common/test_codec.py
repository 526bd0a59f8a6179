"""The button codec (handlers/common/codec.py): what encode writes, decode reads back, and what
neither accepts."""

from __future__ import annotations

import pytest

from handlers.common.codec import Codec, Word, routed_by
from handlers.meetings import codecs as meeting_codecs


def test_fixed_words_are_written_by_encode_and_are_not_values() -> None:
    setting = Codec("rr", (r"\d{1,9}", Word("f"), "wd|tm"))
    assert setting.encode(7, "tm") == "rr:7:f:tm"
    assert setting.decode("rr:7:f:tm") == ("7", "tm")
    assert setting.decode("rr:7:c:tm") is None  # another word: another button
    assert setting.decode("rr:7:f:tm:1") is None  # anchored at the end too
    assert setting.decode("rr:7:f:tm\n") is None  # `$` alone would let the newline through
    with pytest.raises(ValueError, match="do not fit"):
        setting.encode(7, "f", "tm")  # the word is not given
    with pytest.raises(ValueError, match="do not fit"):
        setting.encode(7, "xx")  # not a setting


def test_ids_reads_a_codec_of_ids_as_numbers() -> None:
    capacity = Codec("crscap", (r"\d{1,12}",) * 3)
    assert capacity.ids("crscap:7:0:999999999999") == (7, 0, 999999999999)
    assert capacity.ids("crscap:7:0") is None
    assert Codec("crsok").ids("crsok") == ()


def test_data_longer_than_telegram_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="more than 64 bytes"):
        Codec("x", ("[a-z]{1,80}",)).encode("a" * 70)


def test_the_rule_buttons_are_told_apart_by_the_pattern_that_routed_the_press() -> None:
    data = meeting_codecs.RULE_SAVE.encode(3)
    assert data == "rr:3:ok"
    matched = [c for c in meeting_codecs.RULE_BUTTONS if c.pattern.match(data)]
    assert matched == [meeting_codecs.RULE_SAVE]
    match = meeting_codecs.RULE_SAVE.pattern.match(data)
    assert match is not None
    assert routed_by([match], meeting_codecs.RULE_SAVE)
    assert not routed_by([match], meeting_codecs.RULE, meeting_codecs.RULE_CANCEL)
    assert not routed_by(None, meeting_codecs.RULE_SAVE)
