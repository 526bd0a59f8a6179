"""The drop-in's button data stays byte for byte what it was before its buttons moved from
bot/dropin/buttons.py to codecs on the shared Codec (handlers/dropin/codecs.py): messages already
sent carry it. The strings and what they are read as were written by the code before the move."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.common.codec import Codec
from handlers.dropin import codecs
from handlers.dropin.codecs import Dated, NewSession, Reach, ReportAsk, SessionAsk

DAY = date(2026, 12, 6)
LOG = Reach(3, 0, DAY, "health-care", 12, "n")

WRITTEN = [
    (codecs.women(0), "dw:l:0"),
    (codecs.women(123456789), "dw:l:123456789"),
    (codecs.remind("r", 7, DAY), "dw:r:7:20261206"),
    (codecs.remind("u", 7, DAY), "dw:u:7:20261206"),
    (codecs.calendar(7), "dw:c:7"),
    (codecs.rota(4), "dr:l:4"),
    (codecs.shift("t", 7, DAY), "dr:t:7:20261206"),
    (codecs.shift("w", 7, DAY), "dr:w:7:20261206"),
    (codecs.shift("s", 7, DAY), "dr:s:7:20261206"),
    (codecs.my_calendar(), "dr:c"),
    (codecs.accept(55), "dr:a:55"),
    (codecs.alert("a", 7, DAY), "da:a:7:20261206"),
    (codecs.alert("c", 7, DAY), "da:c:7:20261206"),
    (codecs.alert("k", 7, DAY), "da:k:7:20261206"),
    (codecs.reach_topic(3, 0, DAY, "health-care"), "dx:t:3:0:20261206:health-care"),
    (codecs.reach_count("n", LOG, 13), "dx:n:3:0:20261206:health-care:13"),
    (codecs.reach_count("s", LOG, 0), "dx:s:3:0:20261206:health-care:0"),
    (codecs.reach_count("c", LOG, 999), "dx:c:3:0:20261206:health-care:999"),
    (codecs.reach_district(3), "dx:d:3"),
    (codecs.report(0, "m202612", "t"), "dp:0:m202612:t"),
    (codecs.report(3, "y2026", "c"), "dp:3:y2026:c"),
    (codecs.report(3, "m202601", "p"), "dp:3:m202601:p"),
    (codecs.session("s", 9), "ds:s:9"),
    (codecs.session("o", 9), "ds:o:9"),
    (codecs.session("Z", 9), "ds:Z:9"),
    (codecs.session("W", 9, "3"), "ds:W:9:3"),
    (codecs.session("T", 9, "4b0"), "ds:T:9:4b0"),
    (codecs.session("q", 9, "a"), "ds:q:9:a"),
    (codecs.session("L", 9, "ff"), "ds:L:9:ff"),
    (codecs.new_session(2), "ds:n:2"),
    (codecs.new_session(2, 5), "ds:p:2:5"),
    (codecs.new_session(2, 5, "dropin"), "ds:k:2:5:dropin"),
    (codecs.new_session(2, 5, "dropin", 6), "ds:K:2:5:dropin:6"),
]


@pytest.mark.parametrize(("written", "before"), WRITTEN)
def test_old_data_is_written_the_same(written: str, before: str) -> None:
    assert written == before


@pytest.mark.parametrize(
    ("data", "remind", "shift", "alert"),
    [
        ("dw:r:7:20261206", Dated("r", 7, DAY), None, None),
        ("dw:u:7:20261206", Dated("u", 7, DAY), None, None),
        ("dr:t:7:20261206", None, Dated("t", 7, DAY), None),
        ("da:k:7:20261206", None, None, Dated("k", 7, DAY)),
        ("dw:r:7:20261306", None, None, None),
        ("dw:r:7:20261206\n", None, None, None),
    ],
)
def test_old_dated_data_is_read_the_same(
    data: str, remind: Dated | None, shift: Dated | None, alert: Dated | None
) -> None:
    assert codecs.decode_remind(data) == remind
    assert codecs.decode_shift(data) == shift
    assert codecs.decode_alert(data) == alert


@pytest.mark.parametrize(
    ("data", "reach", "district"),
    [
        ("dx:t:3:0:20261206:health-care", Reach(3, 0, DAY, "health-care"), None),
        ("dx:c:3:0:20261206:health-care:999", Reach(3, 0, DAY, "health-care", 999, "c"), None),
        ("dx:n:3:1:20261206:x:1", Reach(3, 1, DAY, "x", 1, "n"), None),
        ("dx:t:3:0:20261340:a", None, None),
        ("dx:d:3", None, 3),
    ],
)
def test_old_reach_data_is_read_the_same(
    data: str, reach: Reach | None, district: int | None
) -> None:
    assert codecs.decode_reach(data) == reach
    assert codecs.decode_reach_district(data) == district


@pytest.mark.parametrize(
    ("data", "read"),
    [
        ("dp:0:m202612:t", ReportAsk(0, "m202612", "t")),
        ("dp:3:y2026:p", ReportAsk(3, "y2026", "p")),
        ("dp:3:y202:p", None),
    ],
)
def test_old_report_data_is_read_the_same(data: str, read: ReportAsk | None) -> None:
    assert codecs.decode_report(data) == read


@pytest.mark.parametrize(
    ("data", "session", "new"),
    [
        ("ds:o:9", SessionAsk("o", 9), None),
        ("ds:W:9:3", SessionAsk("W", 9, "3"), None),
        ("ds:T:9:4b0", SessionAsk("T", 9, "4b0"), None),
        ("ds:s:9", None, None),
        ("ds:x:9:1", None, None),
        ("ds:n:2", None, NewSession(2)),
        ("ds:p:2:5", None, NewSession(2, 5)),
        ("ds:k:2:5:dropin", None, NewSession(2, 5, "dropin")),
        ("ds:K:2:5:dropin:6", None, NewSession(2, 5, "dropin", 6)),
        ("ds:K:2:5:dropin:7", None, None),
    ],
)
def test_old_session_data_is_read_the_same(
    data: str, session: SessionAsk | None, new: NewSession | None
) -> None:
    assert codecs.decode_session(data) == session
    assert codecs.decode_new(data) == new


@pytest.mark.parametrize(
    ("codec", "data", "read"),
    [
        (codecs.WOMEN, "dw:l:0", 0),
        (codecs.ROTA, "dr:l:4", 4),
        (codecs.ACCEPT, "dr:a:55", 55),
        (codecs.CALENDAR, "dw:c:7", 7),
        (codecs.WOMEN, "dw:l:1234567890", None),
        (codecs.SESSIONS, "ds:s:9", 9),
    ],
)
def test_old_id_data_is_read_the_same(codec: Codec, data: str, read: int | None) -> None:
    assert codecs.decode_id(codec, data) == read
