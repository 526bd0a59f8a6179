"""The review buttons' data: small codecs with anchored patterns (ids only, <= 64 bytes).

rv:l:<locale>                         review this language
rv:<g|b|s>:<locale>:<index>:<key>     ✅ good / ✏️ better wording / ⏭ skip one message
rv:a:<wording id>                     ✅ approve another reviewer's wording
rv:x                                  ⏹ stop
rvg:<district>:<member>[:<locale>]    a coordinator's reviewer rights screen / toggle
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOCALE = r"[a-z]{2,3}(?:_[A-Z]{2})?"
REVIEW_PATTERN = re.compile(
    rf"^rv:(?:l:{_LOCALE}|[gbs]:{_LOCALE}:\d{{1,4}}:[0-9a-f]{{8}}|a:\d{{1,9}}|x)$"
)
RIGHTS_PATTERN = re.compile(rf"^rvg:\d{{1,9}}:\d{{1,20}}(?::{_LOCALE})?$")


@dataclass(frozen=True)
class ReviewPress:
    verb: str  # "l", "g", "b", "s", "a" or "x"
    locale: str = ""
    index: int = 0
    key: str = ""
    wording_id: int = 0


def language_data(locale: str) -> str:
    return f"rv:l:{locale}"


def message_data(verb: str, locale: str, index: int, key: str) -> str:
    return f"rv:{verb}:{locale}:{index}:{key}"


def approve_data(wording_id: int) -> str:
    return f"rv:a:{wording_id}"


STOP_DATA = "rv:x"


def decode_review(data: str) -> ReviewPress | None:
    if not REVIEW_PATTERN.fullmatch(data):
        return None
    parts = data.split(":")
    verb = parts[1]
    if verb == "l":
        return ReviewPress(verb, locale=parts[2])
    if verb == "a":
        return ReviewPress(verb, wording_id=int(parts[2]))
    if verb == "x":
        return ReviewPress(verb)
    return ReviewPress(verb, locale=parts[2], index=int(parts[3]), key=parts[4])


def rights_data(district_id: int, member_id: int, locale: str | None = None) -> str:
    return f"rvg:{district_id}:{member_id}" + (f":{locale}" if locale else "")


def decode_rights(data: str) -> tuple[int, int, str | None] | None:
    if not RIGHTS_PATTERN.fullmatch(data):
        return None
    parts = data.split(":")
    return int(parts[1]), int(parts[2]), parts[3] if len(parts) > 3 else None
