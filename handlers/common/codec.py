"""One codec per button: encode, an anchored compiled pattern (what bot/app.py registers), decode.

A button's data is its codec's name and its fields, joined by ":" ("rsvp:12:y"); every field is a
small regex (an id by default). The pattern is anchored at both ends, so a press whose data is
longer, shorter or forged matches no handler and meets the stale-button answer; the handler reads
the fields from `context.matches` (PTB fills it from the registered pattern) and checks access
again. tests/house/test_button_overlap.py keeps any two registered patterns from matching the same
data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ID = r"\d{1,12}"
MAX_BYTES = 64  # Telegram's limit for callback data


@dataclass(frozen=True)
class Word:
    """A fixed word among a codec's fields ("rr:<district>:ok"): encode writes it, not a value."""

    text: str


@dataclass(frozen=True)
class Codec:
    """Data "<name>:<field>:<field>..."; each field matches its regex (an id unless given), or
    is a fixed Word."""

    name: str
    fields: tuple[str | Word, ...] = ()
    # Values of a real press, where data written from the regex would not reach what the button
    # does (a help topic that exists): the tests press encode(*example) too.
    example: tuple[int | str, ...] | None = field(default=None, compare=False)
    pattern: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        body = re.escape(self.name) + "".join(
            ":" + (re.escape(f.text) if isinstance(f, Word) else f"({f})") for f in self.fields
        )
        object.__setattr__(self, "pattern", re.compile(f"^{body}$"))

    def encode(self, *values: int | str) -> str:
        given = iter(values)
        parts = [f.text if isinstance(f, Word) else str(next(given, "")) for f in self.fields]
        data = ":".join([self.name, *parts])
        if len(values) != len(self.values()) or not self.pattern.match(data):
            raise ValueError(f"{self.name}: {values!r} do not fit {self.pattern.pattern}")
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"{self.name}: more than {MAX_BYTES} bytes")
        return data

    def decode(self, data: str | None) -> tuple[str, ...] | None:
        # fullmatch: the pattern ends in `$`, which would let a trailing newline through.
        match = self.pattern.fullmatch(data or "")
        return match.groups() if match else None

    def ids(self, data: str | None) -> tuple[int, ...] | None:
        """The fields as numbers, for a codec of ids only (the course's)."""
        fields = self.decode(data)
        return tuple(int(value) for value in fields) if fields is not None else None

    def values(self) -> tuple[str, ...]:
        """The regexes of the fields that carry a value (the Words are fixed)."""
        return tuple(f for f in self.fields if not isinstance(f, Word))


def fields_of(matches: list[re.Match[str]] | None) -> tuple[str, ...]:
    """The fields of the pressed button, from the pattern the press was routed by."""
    assert matches, "registered with a codec's pattern, so PTB filled context.matches"
    return matches[0].groups()


def routed_by(matches: list[re.Match[str]] | None, *codecs: Codec) -> bool:
    """Was the press routed by one of these codecs' patterns? (A handler may take several.)"""
    pressed = matches[0].re if matches else None
    return any(pressed is c.pattern for c in codecs)
