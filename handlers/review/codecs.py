"""The review buttons' data: codecs on the shared Codec (handlers/common/codec.py), ids and
locales only, <= 64 bytes.

rv:l:<locale>                         review this language
rv:<g|b|s>:<locale>:<index>:<key>     ✅ good / ✏️ better wording / ⏭ skip one message
rv:a:<wording id>                     ✅ approve another reviewer's wording
rv:x                                  ⏹ stop
rvg:<district>:<member>[:<locale>]    a coordinator's reviewer rights screen / toggle
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.common.codec import Codec, Word

_LOCALE = r"[a-z]{2,3}(?:_[A-Z]{2})?"
_INDEX = r"\d{1,4}"
_KEY = r"[0-9a-f]{8}"
_WORDING = r"\d{1,9}"
_DISTRICT = r"\d{1,9}"
_MEMBER = r"\d{1,20}"

LANGUAGE = Codec("rv", (Word("l"), _LOCALE))
MESSAGE = Codec("rv", ("[gbs]", _LOCALE, _INDEX, _KEY))
APPROVE = Codec("rv", (Word("a"), _WORDING))
STOP = Codec("rv", (Word("x"),))
REVIEW = (LANGUAGE, MESSAGE, APPROVE, STOP)  # one handler reads them all
RIGHTS = Codec("rvg", (_DISTRICT, _MEMBER))
RIGHTS_TOGGLE = Codec("rvg", (_DISTRICT, _MEMBER, _LOCALE))


@dataclass(frozen=True)
class ReviewPress:
    verb: str  # "l", "g", "b", "s", "a" or "x"
    locale: str = ""
    index: int = 0
    key: str = ""
    wording_id: int = 0


def language_data(locale: str) -> str:
    return LANGUAGE.encode(locale)


def message_data(verb: str, locale: str, index: int, key: str) -> str:
    return MESSAGE.encode(verb, locale, index, key)


def approve_data(wording_id: int) -> str:
    return APPROVE.encode(wording_id)


STOP_DATA = STOP.encode()


def decode_review(data: str) -> ReviewPress | None:
    if (fields := LANGUAGE.decode(data)) is not None:
        return ReviewPress("l", locale=fields[0])
    if (fields := MESSAGE.decode(data)) is not None:
        verb, locale, index, key = fields
        return ReviewPress(verb, locale=locale, index=int(index), key=key)
    if (fields := APPROVE.decode(data)) is not None:
        return ReviewPress("a", wording_id=int(fields[0]))
    return ReviewPress("x") if STOP.decode(data) is not None else None


def rights_data(district_id: int, member_id: int, locale: str | None = None) -> str:
    if locale:
        return RIGHTS_TOGGLE.encode(district_id, member_id, locale)
    return RIGHTS.encode(district_id, member_id)


def decode_rights(data: str) -> tuple[int, int, str | None] | None:
    if (fields := RIGHTS_TOGGLE.decode(data)) is not None:
        return int(fields[0]), int(fields[1]), fields[2]
    if (fields := RIGHTS.decode(data)) is not None:
        return int(fields[0]), int(fields[1]), None
    return None
