"""The checks a suggested wording must pass before it is kept.

A reviewer knows her language; she cannot be expected to know that `{name}` must stay as it is,
that Telegram refuses a stray `<`, or that a button wraps on a phone. Each failing check is a
`Problem` that the handler explains to her in her language; she can then try again.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.review.catalogue import LIMITS, ReviewMessage

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+")
# A number as written in a text: digits, possibly grouped by spaces (a phone number "116 006",
# "+47 23 01 34 34"). Any script's digits count (Arabic-Indic ones too).
NUMBER = re.compile(r"\+?\d+(?:[  ]\d+)*")


class Problem(StrEnum):
    EMPTY = "empty"
    PLACEHOLDERS = "placeholders"
    MARKUP = "markup"
    NUMBERS = "numbers"
    TOO_LONG = "too_long"
    FORMS = "forms"


@dataclass(frozen=True)
class Finding:
    problem: Problem
    parts: tuple[str, ...] = ()  # what must be kept, or what must go
    limit: int = 0
    length: int = 0


def split_forms(text: str, plural_forms: int, message: ReviewMessage) -> tuple[str, ...]:
    """Her typed wording as forms: a plural message takes one line per form."""
    if message.msgid_plural is None:
        return (text.strip(),)
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


def check_wording(
    message: ReviewMessage, forms: tuple[str, ...], plural_forms: int
) -> list[Finding]:
    """Everything wrong with a wording of `message` (an empty list: it may be kept)."""
    expected = plural_forms if message.msgid_plural is not None else 1
    if not forms or not all(forms):
        return [Finding(Problem.EMPTY)]
    findings: list[Finding] = []
    if len(forms) != expected:
        findings.append(Finding(Problem.FORMS, limit=expected, length=len(forms)))
    source = message.msgid_plural or message.msgid
    for form in forms:
        for finding in _check_form(message, source, form):
            if finding not in findings:
                findings.append(finding)
    return findings


def _check_form(message: ReviewMessage, source: str, form: str) -> list[Finding]:
    findings = []
    wanted = sorted(set(PLACEHOLDER.findall(message.msgid) + PLACEHOLDER.findall(source)))
    if sorted(set(PLACEHOLDER.findall(form))) != wanted or not _formats(form, wanted):
        findings.append(Finding(Problem.PLACEHOLDERS, tuple(wanted)))
    stray = _markup_not_in(form, source)
    if stray:
        findings.append(Finding(Problem.MARKUP, tuple(stray)))
    if not _same_numbers(form, source) or sorted(URL.findall(form)) != sorted(URL.findall(source)):
        findings.append(Finding(Problem.NUMBERS, tuple(_kept_as_is(source))))
    limit = LIMITS[message.kind]
    if len(form) > limit:
        findings.append(Finding(Problem.TOO_LONG, limit=limit, length=len(form)))
    return findings


def _formats(form: str, placeholders: list[str]) -> bool:
    try:
        form.format(**{p[1:-1]: "X" for p in placeholders})
    except (KeyError, IndexError, ValueError):
        return False
    return True


def _markup_not_in(form: str, source: str) -> list[str]:
    """Tags and entities the original lacks, and any '<' or '&' that is neither (Telegram's
    HTML parse mode refuses the whole message for one of those)."""
    allowed_tags = set(TAG.findall(source))
    text = PLACEHOLDER.sub("", form)
    stray = [tag for tag in TAG.findall(text) if tag not in allowed_tags]
    if sorted(TAG.findall(text)) != sorted(TAG.findall(source)) and not stray:
        stray = sorted(set(TAG.findall(source)) ^ set(TAG.findall(text))) or ["<>"]
    bare = ENTITY.sub("", TAG.sub("", text))
    stray += [char for char in "<>&" if char in bare and char not in stray]
    entities = set(ENTITY.findall(source))
    stray += [f"&{e};" for e in ENTITY.findall(text) if e not in entities]
    return stray


def _numbers(text: str) -> list[str]:
    """The numbers in a text, as plain ASCII digits, in sorted order (placeholders aside)."""
    text = PLACEHOLDER.sub(" ", html.unescape(ENTITY.sub(" ", text)))
    text = URL.sub(" ", text)
    found = []
    for match in NUMBER.findall(text):
        digits = "".join(str(unicodedata.digit(c)) for c in match if c.isdigit())
        found.append(("+" if match.startswith("+") else "") + digits)
    return sorted(found)


def _same_numbers(form: str, source: str) -> bool:
    """Every number of two digits or more (a phone number, 113, 17 modules) stays exactly; a
    one-digit number may be written as a word ("8 digits"), but never as another digit."""
    ours, theirs = _numbers(form), _numbers(source)
    long_ours = [n for n in ours if len(n.lstrip("+")) > 1]
    long_theirs = [n for n in theirs if len(n.lstrip("+")) > 1]
    short_theirs = {n for n in theirs if len(n.lstrip("+")) == 1}
    return long_ours == long_theirs and all(n in short_theirs for n in ours if n not in long_ours)


def _kept_as_is(source: str) -> list[str]:
    text = PLACEHOLDER.sub(" ", source)
    return [m.strip() for m in URL.findall(text) + NUMBER.findall(URL.sub(" ", text))]
