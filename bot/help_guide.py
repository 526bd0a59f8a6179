"""The help guide's rules: a topic's pages, the messages a help flow may delete, phone numbers
she types, and the view counts coordinators read with /stats.

Plain Python: no Telegram types. Handlers turn what these return into messages.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.i18n import Translator
from bot.referrals import MAX_MESSAGE_LENGTH, Audience, Catalogue, Topic, Venue, render_card

# Telegram lets a bot delete messages in a private chat while they are under 48 hours old; a
# margin keeps a press at the last minute from asking for one that just became too old.
DELETE_WINDOW = timedelta(hours=48) - timedelta(minutes=5)
# deleteMessages takes 1-100 ids per call.
DELETE_BATCH = 100
# A help flow rarely has more than a few dozen messages; the log forgets the oldest beyond this,
# so one chat can never make the bot's memory grow without end.
MAX_FLOW_MESSAGES = 300
# A contact request is deleted this long after a bydelsmor has handled it, or this long after it
# was made if nobody has handled it (the privacy promise, said in the consent text).
KEEP_HANDLED_REQUEST = timedelta(days=30)
# A help-guide message stays short enough to read on a phone without scrolling far: a topic's
# cards are put together into pages of about this many characters, which she pages through (a
# single card longer than this is one page of its own).
PAGE_LENGTH = 1200
# What she types as a phone number is read only this far: anything longer is no phone number.
MAX_PHONE_INPUT = 40
STATS_PERIODS = (7, 30)  # full days before today
# A count below this is shown as "fewer than" it: a single view could be one woman's.
STATS_SMALLEST = 5


# -- a topic's pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicPages:
    pages: tuple[str, ...]  # Telegram HTML; whole cards, about PAGE_LENGTH characters at most
    venues: tuple[Venue, ...]  # places with sourced coordinates, sent as venues after the pages


def topic_pages(
    catalogue: Catalogue,
    topic: Topic,
    t: Translator,
    *,
    audience: Audience,
    intro: str | None = None,
    schedules: Mapping[str, Sequence[str]] | None = None,
) -> TopicPages:
    """The topic's service cards in her language, joined into as few messages as fit.

    The emergency topic (violence) opens with its emergency numbers, before anything else, not
    even its title: a woman in danger reads 112 and 116 006 first.
    """
    if topic.is_contact:
        services = catalogue.drop_ins(topic, audience=audience)
    else:
        services = catalogue.services_for(topic, audience=audience)
    # A place's real sessions (the drop-in schedule, by place id) replace its fixed hours.
    cards = [
        render_card(service, t, audience=audience, schedule=(schedules or {}).get(service.id, ()))
        for service in services
    ]
    blocks = [card.html for card in cards]
    heading = f"{topic.emoji} <b>{t._(topic.label)}</b>"
    if intro:
        heading += "\n" + intro
    if topic.id == catalogue.emergency_topic:
        first = len(catalogue.emergency_first)
        blocks = [*blocks[:first], heading, *blocks[first:]]
    else:
        blocks.insert(0, heading)
    venues = tuple(card.venue for card in cards if card.venue is not None)
    return TopicPages(tuple(join_pages(blocks, limit=PAGE_LENGTH)), venues)


def join_pages(
    blocks: Sequence[str], separator: str = "\n\n", *, limit: int = MAX_MESSAGE_LENGTH
) -> list[str]:
    """Put blocks together into messages of at most `limit` characters, in order; a block is
    never cut (one longer than `limit` is a page of its own, up to Telegram's limit)."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        if len(block) > MAX_MESSAGE_LENGTH:
            raise ValueError("a card is longer than one Telegram message")
        candidate = f"{current}{separator}{block}" if current else block
        if current and len(candidate) > limit:
            pages.append(current)
            candidate = block
        current = candidate
    if current:
        pages.append(current)
    return pages


# -- "clear this conversation" ----------------------------------------------------------------


@dataclass
class FlowLog:
    """The ids of a help flow's messages (the bot's and hers), with when each was sent.

    Kept in memory only, never in the database: the ids say nothing by themselves, but a row
    holding them next to her id would tie her to the help guide.
    """

    entries: deque[tuple[int, datetime]] = field(
        default_factory=lambda: deque(maxlen=MAX_FLOW_MESSAGES)
    )

    def add(self, message_id: int, sent_at: datetime) -> None:
        if all(known != message_id for known, _ in self.entries):
            self.entries.append((message_id, sent_at))

    def deletable(self, now: datetime, also: Iterable[int] = ()) -> list[int]:
        """The ids Telegram still lets the bot delete, in order, each once (plus `also`)."""
        ids = [mid for mid, sent_at in self.entries if now - sent_at < DELETE_WINDOW]
        return sorted(set(ids) | set(also))

    def expired(self, now: datetime) -> bool:
        """Nothing in it can be deleted any more: it can be forgotten."""
        return not self.deletable(now)

    def first(self) -> int | None:
        """The flow's first message still noted: a 🧹 button carries it, so that a restart that
        forgets this log can still delete the flow from there on."""
        return min((mid for mid, _ in self.entries), default=None)

    def forget(self, message_ids: Iterable[int]) -> None:
        """Drop ids Telegram confirmed deleted; the rest stay for the next 🧹."""
        gone = set(message_ids)
        kept = [(mid, sent_at) for mid, sent_at in self.entries if mid not in gone]
        self.entries = deque(kept, maxlen=MAX_FLOW_MESSAGES)


def restart_range(first: int, pressed: int) -> list[int]:
    """What 🧹 deletes when the bot has forgotten the flow (a restart): every message of the
    private chat from the flow's first one (carried by the button) to the one pressed, at most
    MAX_FLOW_MESSAGES. Telegram skips ids that are gone; a forged `first` reaches only her own
    chat."""
    if first > pressed:
        return [pressed]
    return list(range(max(first, pressed - MAX_FLOW_MESSAGES + 1), pressed + 1))


def batches(ids: Sequence[int], size: int = DELETE_BATCH) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


# -- what she types ---------------------------------------------------------------------------


def parse_phone(text: str) -> str | None:
    """Her phone number, written so that a coordinator's phone makes it tappable; None if what
    she typed is not one (a Norwegian number of 8 digits, or an international one with +)."""
    if len(text) > MAX_PHONE_INPUT:
        return None
    compact = "".join(ch for ch in text.strip() if ch not in " -.()\u00a0")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+47"):
        compact = compact[3:]
    if len(compact) == 8 and compact.isascii() and compact.isdigit() and compact[0] in "23456789":
        if compact[0] in "49":  # mobiles are read 3-2-3, other numbers 2-2-2-2
            return f"+47 {compact[:3]} {compact[3:5]} {compact[5:]}"
        return "+47 " + " ".join(compact[i : i + 2] for i in range(0, 8, 2))
    digits = compact[1:]
    if (
        compact.startswith("+")
        and digits.isascii()
        and digits.isdigit()
        and 8 <= len(digits) <= 15
        and digits[0] != "0"
    ):
        return compact
    return None


# -- /stats -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Views:
    """A topic's or a language's views, one number per STATS_PERIODS."""

    key: str  # a topic id or a locale
    views: tuple[int, ...]


@dataclass(frozen=True)
class StatsTable:
    """Topic totals and language totals, never crossed: a topic in a rare language on one day
    could point to one woman."""

    topics: tuple[Views, ...]  # in the guide's order (a topic nobody opened is left out)
    languages: tuple[Views, ...]  # most viewed first

    def __bool__(self) -> bool:
        return bool(self.topics)


def period_starts(today: date) -> tuple[date, ...]:
    """The first day of each of STATS_PERIODS: full days only, the last one being yesterday.
    Today is never counted, so that a count that grows while she waits cannot tie a request
    she just made to the topic she just read."""
    return tuple(today - timedelta(days=days) for days in STATS_PERIODS)


def stats_table(
    counts: Sequence[Iterable[tuple[str, str, int]]], topic_order: Sequence[str]
) -> StatsTable:
    """Views per topic and per language for each period, from (topic, locale, views) per
    period. Topics in the guide's order, languages by views."""
    topics: list[dict[str, int]] = []
    languages: list[dict[str, int]] = []
    for rows in counts:
        per_topic: dict[str, int] = {}
        per_language: dict[str, int] = {}
        for topic, locale, views in rows:
            per_topic[topic] = per_topic.get(topic, 0) + views
            per_language[locale] = per_language.get(locale, 0) + views
        topics.append(per_topic)
        languages.append(per_language)
    order = {topic: index for index, topic in enumerate(topic_order)}
    topic_rows = [
        Views(topic, tuple(period.get(topic, 0) for period in topics))
        for topic in sorted(
            {key for period in topics for key in period},
            key=lambda t: (order.get(t, len(order)), t),
        )
    ]
    language_rows = [
        Views(locale, tuple(period.get(locale, 0) for period in languages))
        for locale in {key for period in languages for key in period}
    ]
    language_rows.sort(key=lambda row: (tuple(-v for v in row.views[::-1]), row.key))
    return StatsTable(tuple(topic_rows), tuple(language_rows))


def purge_before(now: datetime) -> datetime:
    """Requests handled before this instant, or unhandled and made before it, are deleted."""
    return now - KEEP_HANDLED_REQUEST
