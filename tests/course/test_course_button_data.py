"""The course's button data stays byte for byte what it was before its codecs moved onto the
shared Codec (handlers/common/codec.py): messages already sent carry it. The strings below were
written by the course's own codecs before the move."""

from __future__ import annotations

import pytest

from handlers.course import codecs

BEFORE = (
    ("CONSENT", "crsok", ()),
    ("NO_THANKS", "crsno", ()),
    ("DISTRICT", "crsd:7", (7,)),
    ("REACH_ON_TELEGRAM", "crstg:7", (7,)),
    ("WITHDRAW", "crswd", ()),
    ("WITHDRAW_SURE", "crswdok", ()),
    ("KEEP", "crskeep", ()),
    ("ACCEPT", "crsacc:7", (7,)),
    ("DECLINE", "crsdec:7", (7,)),
    ("COHORTS", "crsc:7", (7,)),
    ("COHORT", "crsk:7", (7,)),
    ("NEW_COHORT", "crsnew:7", (7,)),
    ("NEW_CATCHUP", "crsnewc:7", (7,)),
    ("JOIN_CATCHUP", "crsjoin:7", (7,)),
    ("CAPACITY", "crscap:7:8:9", (7, 8, 9)),
    ("INTERESTED", "crsi:7", (7,)),
    ("ADMIT_LIST", "crsal:7", (7,)),
    ("ADMIT", "crsadm:7:8:9", (7, 8, 9)),
    ("INTERESTED_PAGE", "crsip:7:8", (7, 8)),
    ("ADMIT_PAGE", "crsalp:7:8", (7, 8)),
    ("CAPACITY_MENU", "crscm:7", (7,)),
    ("CAPACITY_TYPED", "crsct:7:8", (7, 8)),
    ("PLACE_CARD", "crspw:7:8", (7, 8)),
    ("PLACES", "crsl:7", (7,)),
    ("PLACES_PAGE", "crslp:7:8", (7, 8)),
    ("PLACE_ACTION", "crspa:7:8:9:10", (7, 8, 9, 10)),
    ("OFFER_AGAIN", "crspo:7:8", (7, 8)),
    ("EVENINGS", "crse:7", (7,)),
    ("ADD_EVENING", "crsea:7", (7,)),
    ("EVENING_MODULE", "crsem:7:8", (7, 8)),
    ("EVENING_LENGTH", "crsel:7:8", (7, 8)),
    ("EVENING_PLACE", "crsep:7:8", (7, 8)),
    ("EVENING_SAVE", "crses:7", (7,)),
    ("EVENING", "crsv:7", (7,)),
    ("CANCEL_EVENING", "crsvx:7", (7,)),
    ("CANCEL_EVENING_SURE", "crsvxok:7", (7,)),
    ("MOVE_EVENING", "crsvm:7", (7,)),
    ("RENAME_EVENING", "crsvn:7", (7,)),
    ("MOVE_EVENING_SURE", "crsvmok:7:8", (7, 8)),
    ("ATTENDANCE", "crsat:7:8", (7, 8)),
    ("PRESENT", "crsap:7:8:9", (7, 8, 9)),
    ("COMING", "crsy:7", (7,)),
    ("NOT_COMING", "crsn:7", (7,)),
    ("PROGRESS", "crspr:7", (7,)),
    ("CSV_FILE", "crscsv:7", (7,)),
    ("COMPLETE", "crsdone:7:8", (7, 8)),
    ("COMPLETE_SURE", "crsdok:7:8", (7, 8)),
    ("CARDS", "crsid:7", (7,)),
    ("WITHDRAW_CARD", "crsidx:7:8", (7, 8)),
    ("WITHDRAW_CARD_SURE", "crsidxok:7:8", (7, 8)),
    ("SEND_AGAIN", "crsidre:7:8", (7, 8)),
)


@pytest.mark.parametrize(("name", "data", "ids"), BEFORE)
def test_old_data_is_written_and_read_the_same(name: str, data: str, ids: tuple[int, ...]) -> None:
    codec = getattr(codecs, name)
    assert codec.encode(*ids) == data
    assert codec.ids(data) == ids


def test_every_course_codec_is_in_the_table() -> None:
    assert {name for name, _data, _ids in BEFORE} == {
        name for name, value in vars(codecs).items() if value in codecs.ALL
    }


@pytest.mark.parametrize(
    "data", ["crsd:", "crsd:1:2", "crsd:x", "crsd:1\n", "crsok:1", "crsd:1234567890123"]
)
def test_other_data_is_read_as_nothing(data: str) -> None:
    assert codecs.DISTRICT.ids(data) is None
    assert codecs.CONSENT.ids(data) is None


def test_large_ids_are_read_back() -> None:
    assert codecs.PLACE_ACTION.ids("crspa:999999999999:0:12:4") == (999999999999, 0, 12, 4)
