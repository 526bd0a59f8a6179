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
class Codec:
    """Data "<name>:<field>:<field>..."; each field matches its regex (an id unless given)."""

    name: str
    fields: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        body = re.escape(self.name) + "".join(f":({f})" for f in self.fields)
        object.__setattr__(self, "pattern", re.compile(f"^{body}$"))

    def encode(self, *values: int | str) -> str:
        data = ":".join([self.name, *map(str, values)])
        if len(values) != len(self.fields) or not self.pattern.match(data):
            raise ValueError(f"{self.name}: {values!r} do not fit {self.pattern.pattern}")
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"{self.name}: more than {MAX_BYTES} bytes")
        return data

    def decode(self, data: str | None) -> tuple[str, ...] | None:
        match = self.pattern.match(data or "")
        return match.groups() if match else None


def fields_of(matches: list[re.Match[str]] | None) -> tuple[str, ...]:
    """The fields of the pressed button, from the pattern the press was routed by."""
    assert matches, "registered with a codec's pattern, so PTB filled context.matches"
    return matches[0].groups()
