"""One strict reader for the TOML files people edit by hand: the organisation file (districts,
locations, cohorts, course evenings, drop-in sessions) and the referral catalogue.

A file is edited in a text editor by a coordinator, so every mistake is told with the line it is
on (`file:line: reason`), an unknown key is a typo until proven otherwise ("did you mean ...?"),
and ids follow one slug rule everywhere. Callers describe their tables with `Table` and keep only
their own rules; nothing here knows about districts or services.
"""

from __future__ import annotations

import codecs
import difflib
import json
import math
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeGuard

# The one slug rule (ids of districts, locations, sessions, cohorts, topics, services): 1-40 of
# a-z, 0-9 and '-', neither starting nor ending with '-'. The stricter of the two rules the
# organisation file and the referral catalogue used to have; every shipped file passes it.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
SLUG_RULE = "1-40 characters of a-z, 0-9 and '-'"
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_AT_END = " (at end of document)"
_UNQUOTED_TIME = re.compile(r"=\s*\d{1,2}:\d{2}\s*(#.*)?$")


class TomlError(ValueError):
    """A file the reader refuses: where (1-based line) and why, as `file:line: reason`."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}:{line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


def is_slug(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and SLUG.fullmatch(value) is not None


def decode(data: bytes, source: str) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Notepad adds."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TomlError(source, line, "the file is not UTF-8 text: save it as UTF-8") from None


def load(text: str, source: str) -> dict[str, Any]:
    """Parse the text; a syntax error is a `TomlError` on its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(text, source, str(exc)) from None


# -- syntax --------------------------------------------------------------------------------------


def syntax_error(text: str, source: str, message: str) -> TomlError:
    """tomllib's message ends in '(at line L, column C)'; say it the way every other error is."""
    position = _TOML_POSITION.search(message)
    if position:
        line = int(position.group(1))
        reason = f"{message[: position.start()]} (column {position.group(2)})"
    elif message.endswith(_TOML_AT_END):
        line = len(text.rstrip("\n").split("\n"))
        reason = f"{message.removesuffix(_TOML_AT_END)} at the end of the file"
    else:
        line, reason = 1, message
    lines = text.split("\n")
    if 0 < line <= len(lines) and _UNQUOTED_TIME.search(lines[line - 1]):
        reason += ': write times in quotes, e.g. "18:00"'
    return TomlError(source, line, f"not valid TOML: {reason}")


# -- finding lines -------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]]+?)\s*(\]\]|\])\s*(?:#.*)?$")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    table: str  # the [[table]] it belongs to ("" before the first header)
    index: int  # which [[table]] of that name, from 0 (-1 for a plain [table])
    sub: tuple[str, ...]  # the sub-table inside it, e.g. ("meetings",)
    is_header: bool


def _lines(text: str) -> list[_Line]:
    """Every line with the table it belongs to, as tomllib would file it.

    Good enough for pointing at a mistake: lines inside multi-line strings are skipped, and dotted
    headers are split on dots (a quoted key with a dot in it would be misread).
    """
    counts: dict[str, int] = {}
    table, index, sub = "", -1, tuple[str, ...]()
    open_string: str | None = None
    result: list[_Line] = []
    # tomllib counts lines by "\n" only; str.splitlines would also split on \x0b, \u2028, ...
    for number, line in enumerate(text.split("\n"), start=1):
        if open_string is not None:
            if line.count(open_string) % 2 == 1:
                open_string = None
            result.append(_Line(number, line, table, index, sub, is_header=False))
            continue
        header = _HEADER.match(line)
        if header:
            parts = tuple(part.strip().strip("\"'") for part in header.group(2).split("."))
            if header.group(1) == "[[" and len(parts) == 1:
                counts[parts[0]] = counts.get(parts[0], -1) + 1
                table, index, sub = parts[0], counts[parts[0]], ()
            elif parts[0] == table and index >= 0:
                sub = parts[1:]
            else:
                table, index, sub = parts[0], -1, parts[1:]
            result.append(_Line(number, line, table, index, sub, is_header=True))
            continue
        for quotes in ('"""', "'''"):
            if line.count(quotes) % 2 == 1:
                open_string = quotes
                break
        result.append(_Line(number, line, table, index, sub, is_header=False))
    return result


def _key_pattern(path: tuple[str, ...]) -> re.Pattern[str]:
    dotted = r"\s*\.\s*".join(rf"([\"']?){re.escape(part)}\{i + 1}" for i, part in enumerate(path))
    return re.compile(rf"^\s*{dotted}\s*=")


def locate(text: str, table: str, index: int, path: tuple[str, ...] = ()) -> int:
    """The line of `path` (e.g. ("meetings", "time")) in the `index`-th [[table]] of `text`.

    Falls back to the nearest thing that exists: the sub-table or the inline table holding the
    key, else the block's [[table]] header, else line 1.
    """
    block = [line for line in _lines(text) if line.table == table and line.index == index]
    if not block:
        return 1
    for depth in range(len(path), 0, -1):
        wanted = path[:depth]
        for line in block:
            if line.is_header:
                if line.sub == wanted:
                    return line.number
            elif (
                wanted[: len(line.sub)] == line.sub
                and len(line.sub) < depth
                and _key_pattern(wanted[len(line.sub) :]).match(line.text)
            ):
                return line.number
    return block[0].number


def top_level_line(text: str, key: str) -> int:
    for line in _lines(text):
        if line.is_header and line.table == key and not line.sub:
            return line.number
        if line.table == "" and not line.is_header and _key_pattern((key,)).match(line.text):
            return line.number
    return 1


# -- validation ----------------------------------------------------------------------------------


class Checker:
    """Collects every mistake with its line, so the earliest one can be reported."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[tuple[int, str]] = []

    def error(self, line: int, reason: str) -> None:
        self.errors.append((line, reason))

    def raise_first(self, source: str) -> None:
        """Refuse the file with its earliest mistake (by line), if it has any."""
        if self.errors:
            line, reason = min(self.errors, key=lambda error: error[0])
            raise TomlError(source, line, reason)


class Table:
    """One [[table]] (or a sub-table of one, by `prefix`), read key by key; each mistake is
    recorded on the line of its key."""

    def __init__(
        self,
        check: Checker,
        table: str,
        index: int,
        data: dict[str, Any],
        prefix: tuple[str, ...] = (),
    ) -> None:
        self.check = check
        self.table = table
        self.index = index
        self.data = data
        self.prefix = prefix
        self.failed = False
        # Known keys an unknown key looks like a typo of: their absence needs no second error.
        self.misspelt: set[str] = set()

    @property
    def title(self) -> str:
        return f"[{self.table}.{'.'.join(self.prefix)}]" if self.prefix else f"[[{self.table}]]"

    def line(self, key: str | None = None) -> int:
        path = self.prefix if key is None else (*self.prefix, key)
        return locate(self.check.text, self.table, self.index, path)

    def fail(self, key: str | None, reason: str) -> None:
        self.failed = True
        self.check.error(self.line(key), reason)

    def refuse_unknown(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in known:
                self.fail(key, unknown_key(key, known, f"in {self.title}"))
                self.misspelt.update(difflib.get_close_matches(key, known, n=1))

    def get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.missing(key)
        return value

    def missing(self, what: str, reason: str | None = None) -> None:
        """A required key is absent; said on the table's header line, unless a misspelt key
        already explains it."""
        if what in self.misspelt:
            self.failed = True
        else:
            self.fail(None, reason or f"{self.title} is missing {what}")

    def text(self, key: str, max_length: int, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"{key} must be text in quotes, got {show(value)}")
            return None
        value = value.strip()
        if not 1 <= len(value) <= max_length or "\n" in value:
            self.fail(key, f"{key} must be one line of 1-{max_length} characters")
            return None
        return value

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not is_slug(value):
            self.fail(
                key,
                f"{key} must be {SLUG_RULE}, not starting or ending with '-', got {show(value)}",
            )
            return None
        return value

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.get(key, required=True)
        if value is None:
            return None
        if not is_int(value) or not low <= value <= high:
            self.fail(key, f"{key} must be {low}-{high}, got {show(value)}")
            return None
        return int(value)

    def number(self, key: str, low: float, high: float) -> float | None:
        value = self.get(key, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"{key} must be a number, got {show(value)}")
            return None
        if math.isnan(value) or not low <= value <= high:
            self.fail(key, f"{key} must be between {low:g} and {high:g}, got {value}")
            return None
        return float(value)

    def choice(self, key: str, parse: Callable[[str], Any], expected: str) -> Any:
        """A text value turned into a column value by `parse` (None: not one of `expected`)."""
        value = self.get(key, required=False)
        if value is None:
            return None
        parsed = parse(" ".join(value.lower().split())) if isinstance(value, str) else None
        if parsed is None:
            self.fail(key, f"{key} must be {expected}, got {show(value)}")
        return parsed


def first_use(table: Table, key: str, value: object, seen: dict[Any, int]) -> bool:
    """True the first time `value` is seen under `key`; later uses are refused with the line of
    the first (ids and names are unique in a file)."""
    if value in seen:
        table.fail(key, f"{key} {show(value)} is already used on line {seen[value]}")
        return False
    seen[value] = table.line(key)
    return True


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def show(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def unknown_key(
    key: str, known: Sequence[str], where: str = "", quote: Callable[[object], str] = show
) -> str:
    """Why `key` is refused: the known key it looks like a typo of, else every known key."""
    reason = f"unknown key {quote(key)}{f' {where}' if where else ''}"
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"{reason}: did you mean {close[0]}?"
    return f"{reason} (known keys: {', '.join(known)})"


def tables(check: Checker, document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The [[name]] tables of the document, or none (and a mistake) if written another way."""
    value = document.get(name, [])
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    check.error(
        top_level_line(check.text, name),
        f"{name} must be written as [[{name}]] tables (two square brackets), one per {name}",
    )
    return []
