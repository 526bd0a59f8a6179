"""The drafters' doubts (locales/REVIEW.md), shown beside the message they concern.

Each language has a section `## <name> (<code>)` of bullets; a bullet quotes the drafted words it
doubts ("fulgt opp" for handled). A bullet concerns a message when the message's text in that
language contains one of its quoted words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import locales

REVIEW_NOTES = Path(locales.__file__).resolve().parent / "REVIEW.md"
_SECTION = re.compile(r"^## .*\(([A-Za-z_]+)\)\s*$")
_QUOTED = re.compile(r"\"([^\"]+)\"")
MIN_WORDS = 4  # a quoted piece shorter than this ("ر") would match too much


@dataclass(frozen=True)
class Doubt:
    note: str  # the drafter's bullet, in English with the doubted words
    words: tuple[str, ...]


def parse_doubts(text: str) -> dict[str, tuple[Doubt, ...]]:
    """locale -> its drafters' doubts."""
    found: dict[str, list[Doubt]] = {}
    locale: str | None = None
    bullets: list[str] = []

    def close() -> None:
        if locale is not None:
            found.setdefault(locale, []).extend(_doubt(b) for b in bullets if _doubt(b).words)

    for line in text.splitlines():
        section = _SECTION.match(line)
        if section or line.startswith("#"):
            close()
            locale, bullets = (section[1] if section else None), []
        elif line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
    close()
    return {code: tuple(doubts) for code, doubts in found.items()}


def _doubt(bullet: str) -> Doubt:
    words: list[str] = []
    for quoted in _QUOTED.findall(bullet):
        words += [w.strip() for w in quoted.split(" / ") if len(w.strip()) >= MIN_WORDS]
    return Doubt(bullet, tuple(words))


@cache
def doubts() -> dict[str, tuple[Doubt, ...]]:
    try:
        return parse_doubts(REVIEW_NOTES.read_text("utf-8"))
    except OSError:
        return {}


def doubts_about(locale: str, texts: tuple[str, ...]) -> list[str]:
    """The drafters' notes that concern a message, given its text(s) in that language."""
    joined = "\n".join(texts).casefold()
    return [
        d.note for d in doubts().get(locale, ()) if any(w.casefold() in joined for w in d.words)
    ]
