"""The messages a reviewer goes through: from the template (messages.pot), with where each one
appears, what kind of text it is (a button is short), and the order women meet them in.

Where a message appears is derived from the catalogue's source locations: the file names an area
of the bot, and the source line tells whether the text is a button label (`button(...)` on the
line), a pop-up (`.answer(...)`), or a message. The help guide's topic names are buttons too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import locales
from bot.i18n import DOMAIN, N_, catalogue_path
from bot.referrals import load_catalogue

ROOT = Path(locales.__file__).resolve().parent.parent
TEMPLATE = Path(locales.__file__).resolve().parent / f"{DOMAIN}.pot"


class Kind(StrEnum):
    BUTTON = "button"
    POPUP = "popup"
    COMMAND = "command"
    MESSAGE = "message"


KIND_NOTES = {
    Kind.BUTTON: N_("a button"),
    Kind.POPUP: N_("a short pop-up"),
    Kind.COMMAND: N_("a line in the command list"),
    Kind.MESSAGE: N_("a message"),
}

# Areas in the order women meet them most: the first messages and the menu, the help guide,
# meeting reminders; then what members and coordinators see. Each file belongs to one area.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        N_("the first messages and the menu, seen by everyone"),
        (
            "onboarding",
            "menu",
            "commands",
            "help",
            "profile",
            "labels",
            "fallback",
            "render",
            "access",
            "awaiting",
            "errors",
            "context",
        ),
    ),
    (
        N_("the help guide, for women who ask for help"),
        (
            "help_guide",
            "help_flow",
            "contact_requests",
            "contact_copies",
            "contact_handling",
            "referrals",
        ),
    ),
    (N_("meeting reminders"), ("reminders",)),
    (N_("meetings and who is coming"), ("meetings", "meeting_admin")),
    (N_("what the bot stores about her (/mydata, /forget)"), ("privacy",)),
    (N_("announcements"), ("broadcasts", "announcement_text", "outbox")),
    (
        N_("coordinators' tools"),
        ("members", "invites", "phase", "stats", "group_chat", "voice_notes"),
    ),
)
OTHER_AREA = N_("tools for a few people (reviewers, coordinators)")

# Telegram's limits for where a text is shown (shared/facts/telegram-and-languages.md): a message
# 4096 characters, a pop-up 200, a command's description 256. Buttons have no documented limit,
# but a phone shows about 30-40 characters on a full-width button: 64 is already two lines.
LIMITS = {Kind.BUTTON: 64, Kind.POPUP: 200, Kind.COMMAND: 256, Kind.MESSAGE: 4096}

_BUTTON_CALL = re.compile(r"[bB]utton\(.*\b_\(")
_BUTTON_OPEN = re.compile(r"[bB]utton\(\s*$")


@dataclass(frozen=True)
class ReviewMessage:
    msgid: str
    msgid_plural: str | None
    source_hash: str
    kind: Kind
    area: str  # an N_ marked English note; translate with t._
    area_rank: int
    comments: tuple[str, ...]  # the "TRANSLATORS:" comments, in English
    order: int  # position in the template, for a stable order within an area

    @property
    def source_forms(self) -> tuple[str, ...]:
        return (self.msgid, self.msgid_plural) if self.msgid_plural else (self.msgid,)

    @property
    def key(self) -> str:
        """A short check for button data: the message a button names is still this one."""
        return self.source_hash[:8]


def source_hash(msgid: str, msgid_plural: str | None) -> str:
    return hashlib.sha256(f"{msgid}\x00{msgid_plural or ''}".encode()).hexdigest()[:16]


@cache
def _source_lines(relative: str) -> tuple[str, ...]:
    path = ROOT / relative
    try:
        return tuple(path.read_text("utf-8").splitlines())
    except OSError:
        return ()


def kind_at(
    locations: Sequence[tuple[str, int | None]], topic_labels: frozenset[str], msgid: str
) -> Kind:
    """What the text is where it is used: a button if any use is one (the shortest limit)."""
    if msgid in topic_labels:
        return Kind.BUTTON
    kinds = set()
    for filename, line in locations:
        lines = _source_lines(filename) if filename.endswith(".py") and line else ()
        if not lines or line is None:
            continue
        line = _line_of(lines, line, msgid)
        here, before = lines[line - 1], lines[line - 2] if line >= 2 else ""
        if _BUTTON_CALL.search(here) or _BUTTON_OPEN.search(before) or "MenuItem(" in here:
            kinds.add(Kind.BUTTON)
        elif ".answer(" in here or ".answer(" in before:
            kinds.add(Kind.POPUP)
        elif "Command(" in here:
            kinds.add(Kind.COMMAND)  # setMyCommands: a description of 1-256 characters
    for kind in (Kind.BUTTON, Kind.POPUP, Kind.COMMAND):
        if kind in kinds:
            return kind
    return Kind.MESSAGE


def _line_of(lines: tuple[str, ...], hint: int, msgid: str) -> int:
    """The source line (1-based) where the message is written, nearest the catalogue's line
    number: a catalogue extracted before the code last moved still finds its lines."""
    fragment = re.split(r"[\"\\\n{]", msgid)[0][:24]
    if len(fragment) < 3:
        return min(max(hint, 1), len(lines))
    found = [i + 1 for i, text in enumerate(lines) if f'"{fragment}' in text]
    return min(found, key=lambda i: abs(i - hint)) if found else min(max(hint, 1), len(lines))


def area_of(locations: Sequence[tuple[str, int | None]]) -> tuple[int, str]:
    best = (len(AREAS), OTHER_AREA)
    for filename, _ in locations:
        stem = Path(filename).stem
        for rank, (area, stems) in enumerate(AREAS):
            if stem in stems and rank < best[0]:
                best = (rank, area)
    return best


@cache
def review_messages() -> tuple[ReviewMessage, ...]:
    """Every message of the template, in template order."""
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    labels = frozenset(topic.label for topic in load_catalogue().topics)
    found = []
    for order, message in enumerate(m for m in template if m.id):
        msgid, plural = (message.id, None) if isinstance(message.id, str) else message.id[:2]
        rank, area = area_of(message.locations)
        found.append(
            ReviewMessage(
                msgid,
                plural,
                source_hash(msgid, plural),
                kind_at(message.locations, labels, msgid),
                area,
                rank,
                tuple(message.auto_comments),
                order,
            )
        )
    return tuple(found)


@cache
def message_by_id() -> dict[str, ReviewMessage]:
    return {m.msgid: m for m in review_messages()}


@cache
def load_catalogue_of(locale: str) -> Catalog:
    with catalogue_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def catalogue_forms(locale: str, message: ReviewMessage) -> tuple[str, ...]:
    """The shipped translation of a message (before any wording approved in the bot)."""
    entry = load_catalogue_of(locale).get(message.msgid)
    if entry is None:
        return message.source_forms
    strings = entry.string if isinstance(entry.string, list | tuple) else (entry.string,)
    forms = tuple(str(s or "") for s in strings)
    return forms if all(forms) else message.source_forms


def plural_count(locale: str) -> int:
    return int(load_catalogue_of(locale).num_plurals)
