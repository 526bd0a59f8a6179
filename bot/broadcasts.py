"""The rules of announcements: who may announce to whom, which version each woman gets, limits,
retries and the progress bar. Plain values in, plain values out; the SQL is in
storage/announcements/ and the Telegram side in handlers/announcements/ (broadcasts.py and
outbox.py).

Composing is a small state machine whose state is the draft row in the database (keyed by the
author's id), not memory: each step is stored as she takes it, so a restart loses nothing she
typed, and every button press or message is checked against the step the draft is at.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.access import Action, allowed
from bot.identity import Identity, Role
from bot.outcome import Outcome

TEXT_LIMIT = 4096  # characters of a text message, after entity parsing
CAPTION_LIMIT = 1024  # characters of a photo's or a document's caption

MAX_ATTEMPTS = 5  # a timeout or a server error is tried this many times in all
BACKOFF_FIRST = 2.0  # seconds before the second attempt; doubled for each one after
BACKOFF_CAP = 300.0
PROGRESS_EVERY = 3.0  # seconds between two edits of the progress message
KEPT_AFTER_REPORT = timedelta(days=30)  # then only the report's counts are kept (privacy)
DRAFT_KEPT = timedelta(hours=24)  # a draft untouched this long no longer takes what she types


class Step(StrEnum):
    """Where a draft is: what the bot waits for next."""

    AUDIENCE = "audience"  # a press: to whom
    MESSAGE = "message"  # her text, or one photo or document with a caption
    VERSIONS = "versions"  # a press: add a version, preview
    VERSION = "version"  # the text of the version in `editing_locale`
    SCHEDULE = "schedule"  # a date and time
    CONFIRM = "confirm"  # a press: send, send later, cancel


TYPED_STEPS = (Step.MESSAGE, Step.VERSION, Step.SCHEDULE)  # the steps that take what she types


def draft_expired(updated_at: datetime | None, now: datetime) -> bool:
    """A draft she has not touched for DRAFT_KEPT is forgotten: what she types a day later is
    meant for something else, and /broadcast starts afresh."""
    if now.tzinfo is None:
        raise ValueError("refusing a naive datetime")
    return updated_at is not None and now - updated_at > DRAFT_KEPT


_AUDIENCE = re.compile(
    r"(?P<kind>m|g)(?P<district>\d{1,9})"
    r"|r(?P<rdistrict>\d{1,9})\.(?P<role>participant|mother|coordinator)"
    r"|p(?P<phase>[1-4])"
    r"|(?P<all>all)"
)


@dataclass(frozen=True)
class Audience:
    """To whom: a district's members (all, or one role), its group chat, every district in a
    phase, or everyone. `code` is how it travels in a button and is stored in the draft."""

    kind: str  # "members", "role", "chat", "phase", "everyone"
    district_id: int | None = None
    role: Role | None = None
    phase: int | None = None

    @property
    def code(self) -> str:
        if self.kind == "members":
            return f"m{self.district_id}"
        if self.kind == "role":
            return f"r{self.district_id}.{self.role}"
        if self.kind == "chat":
            return f"g{self.district_id}"
        if self.kind == "phase":
            return f"p{self.phase}"
        return "all"

    @classmethod
    def parse(cls, code: str) -> Audience | None:
        """The audience a code names, or None for anything else (forged, old, mistyped)."""
        match = _AUDIENCE.fullmatch(code)
        if match is None:
            return None
        if match["kind"] == "m":
            return cls("members", district_id=int(match["district"]))
        if match["kind"] == "g":
            return cls("chat", district_id=int(match["district"]))
        if match["rdistrict"]:
            return cls("role", district_id=int(match["rdistrict"]), role=Role(match["role"]))
        if match["phase"]:
            return cls("phase", phase=int(match["phase"]))
        return cls("everyone")


def may_announce(identity: Identity, audience: Audience, phase_districts: Iterable[int]) -> bool:
    """May she announce to this audience? A coordinator to her own districts only (a phase
    means her districts in that phase); everyone only for the central office's admins."""
    if audience.kind == "everyone":
        return identity.role is Role.ADMIN
    if audience.kind == "phase":
        return bool(announcing_districts(identity, phase_districts))
    assert audience.district_id is not None
    return allowed(identity, Action.ANNOUNCE, audience.district_id)


def announcing_districts(identity: Identity, district_ids: Iterable[int]) -> list[int]:
    """The districts, among these, whose members she may announce to."""
    return [d for d in district_ids if allowed(identity, Action.ANNOUNCE, d)]


@dataclass(frozen=True)
class Candidate:
    """A woman in the audience: the language she reads (None: never chosen) and her
    district's default language."""

    telegram_id: int
    reads: str | None
    district_locale: str


@dataclass(frozen=True)
class Delivery:
    """What one woman will get: a version (None: the original) and whether it is a fallback."""

    telegram_id: int
    locale: str | None
    fallback: bool


def version_for(reads: str | None, district_locale: str, versions: Iterable[str]) -> str | None:
    """Her language if there is a version in it, else the district's language if there is one,
    else None: the original text."""
    available = set(versions)
    language = reads or district_locale
    if language in available:
        return language
    if district_locale in available:
        return district_locale
    return None


def deliveries(candidates: Iterable[Candidate], versions: Iterable[str]) -> list[Delivery]:
    available = set(versions)
    found = []
    for c in candidates:
        locale = version_for(c.reads, c.district_locale, available)
        found.append(Delivery(c.telegram_id, locale, locale != (c.reads or c.district_locale)))
    return found


def languages_read(candidates: Iterable[Candidate]) -> list[tuple[str, int]]:
    """How many women in the audience read each language, most first."""
    counts = Counter(c.reads or c.district_locale for c in candidates)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Fallback:
    """Women who read `reads`, for which there is no version: they get `gets` (None: original)."""

    reads: str
    gets: str | None
    count: int


def fallbacks(candidates: Iterable[Candidate], versions: Iterable[str]) -> list[Fallback]:
    """Who will get a language other than her own, grouped, most first."""
    available = set(versions)
    counts: Counter[tuple[str, str | None]] = Counter()
    for c in candidates:
        reads = c.reads or c.district_locale
        gets = version_for(c.reads, c.district_locale, available)
        if gets != reads:
            counts[(reads, gets)] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [Fallback(reads, gets, n) for (reads, gets), n in ordered]


def limit_for(has_media: bool) -> int:
    return CAPTION_LIMIT if has_media else TEXT_LIMIT


def telegram_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units, so "🎉" (outside the Basic Multilingual
    Plane) is two. Measured on her plain text, which is what Telegram sees once it has parsed
    the HTML her escaped text is sent as."""
    return len(text.encode("utf-16-le")) // 2


def too_long(text: str, has_media: bool) -> int | None:
    """The limit she went over (None: within it), in Telegram's count (`telegram_length`)."""
    limit = limit_for(has_media)
    return limit if telegram_length(text) > limit else None


def backoff(attempts: int) -> float | None:
    """Seconds to wait before trying again after `attempts` tries; None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return float(min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_CAP))


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """ "▓▓▓░░░░░░░" for done out of total (a full bar when there is nothing to send)."""
    filled = width if total <= 0 else min(width, done * width // total)
    return "▓" * filled + "░" * (width - filled)


_DAY_TIME = re.compile(
    r"\s*(?:(?P<day>\d{1,2})\.(?P<month>\d{1,2})(?:\.(?P<year>\d{2}|\d{4}))?\s+)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*"
)


class TimeProblem(StrEnum):
    """Why a typed send time is refused."""

    UNREADABLE = "unreadable"  # not a time at all, or a day that does not exist
    PASSED_TODAY = "passed_today"  # "10:00" typed at 16:00: never silently tomorrow
    PASSED_DAY = "passed_day"  # "05.12" typed on 6 December: never silently next year
    PAST = "past"  # a date with its year, in the past


# A day and month without a year that passed less than this long ago is taken for a mistake
# (refused, with the year to add); one further back is in the coming year ("15.01" in December).
RECENTLY_PASSED = timedelta(days=62)


@dataclass(frozen=True)
class SendTime:
    """What she typed, read: the instant, or why it is refused (with what she may have meant)."""

    moment: datetime | None
    problem: TimeProblem | None = None
    meant: datetime | None = None  # for PASSED_DAY: the same day and time next year (local)


def read_send_time(text: str, now: datetime, tz: ZoneInfo) -> SendTime:
    """ "24.12 18:00", "24.12.2026 18:00" or "18:00" (today), Oslo wall-clock time, as a UTC
    instant in the future; or why not."""
    if now.tzinfo is None:
        raise ValueError("refusing a naive datetime")
    match = _DAY_TIME.fullmatch(text)
    if match is None:
        return SendTime(None, TimeProblem.UNREADABLE)
    local_now = now.astimezone(tz)
    try:
        at = time(int(match["hour"]), int(match["minute"]))
        if match["day"]:
            year = int(match["year"]) if match["year"] else local_now.year
            year = year + 2000 if year < 100 else year
            day = date(year, int(match["month"]), int(match["day"]))
        else:
            day = local_now.date()
    except ValueError:
        return SendTime(None, TimeProblem.UNREADABLE)  # 31.02, 25:00
    local = datetime.combine(day, at, tz)
    if local > local_now:
        return SendTime(local.astimezone(now.tzinfo))
    if not match["day"]:
        return SendTime(None, TimeProblem.PASSED_TODAY)
    if match["year"]:
        return SendTime(None, TimeProblem.PAST)
    try:
        next_year = datetime.combine(day.replace(year=day.year + 1), at, tz)
    except ValueError:  # 29.02
        return SendTime(None, TimeProblem.UNREADABLE)
    if local_now - local < RECENTLY_PASSED:
        return SendTime(None, TimeProblem.PASSED_DAY, next_year)
    return SendTime(next_year.astimezone(now.tzinfo))


def parse_send_time(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The instant she means, or None if it is refused (see read_send_time)."""
    return read_send_time(text, now, tz).moment


@dataclass(frozen=True)
class Counts:
    """How many deliveries of one version (or of all) ended how (bot/outcome.py), of `total`."""

    total: int = 0
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    uncertain: int = 0

    @property
    def finished(self) -> int:
        return self.sent + self.failed + self.unreachable + self.uncertain

    @property
    def done(self) -> bool:
        return self.finished >= self.total

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.total + other.total,
            self.sent + other.sent,
            self.failed + other.failed,
            self.unreachable + other.unreachable,
            self.uncertain + other.uncertain,
        )


def counts_from(statuses: Iterable[tuple[str, int]]) -> Counts:
    """Counts from (status, number) pairs, as storage groups them."""
    by_status = Counter[str]()
    for status, n in statuses:
        by_status[status] += n
    return Counts(
        total=sum(by_status.values()),
        sent=by_status[Outcome.SENT],
        failed=by_status[Outcome.FAILED],
        unreachable=by_status[Outcome.UNREACHABLE],
        uncertain=by_status[Outcome.UNCERTAIN],
    )
