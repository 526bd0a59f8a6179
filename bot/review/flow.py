"""The rules of reviewing: who may review which language, which message comes next, progress,
and making an approved wording live for everyone at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from bot.i18n import LOCALE_CODES, SOURCE_LOCALE, live_wording, set_live_wordings
from bot.review.catalogue import (
    ReviewMessage,
    catalogue_forms,
    message_by_id,
    plural_count,
    review_messages,
)
from bot.review.checks import Finding, check_wording, split_forms
from bot.review.doubts import doubts_about
from storage import Database
from storage.review import (
    Wording,
    approve,
    checked_messages,
    live_wordings,
    pending_wordings,
    suggest,
)

# Every shipped language but the English source can be reviewed.
REVIEWABLE = tuple(code for code in LOCALE_CODES if code != SOURCE_LOCALE)


@dataclass(frozen=True)
class ReviewItem:
    index: int  # position in this language's review order (names the message in buttons)
    message: ReviewMessage
    current: tuple[str, ...]  # how it reads today in her language (an approved wording wins)
    doubts: tuple[str, ...]
    pending: Wording | None  # another reviewer's wording, waiting for a second person


@cache
def review_order(locale: str) -> tuple[ReviewMessage, ...]:
    """Messages women see most first (by area); within an area, those a drafter doubted."""
    return tuple(
        sorted(
            review_messages(),
            key=lambda m: (
                m.area_rank,
                not doubts_about(locale, catalogue_forms(locale, m)),
                m.order,
            ),
        )
    )


def may_review(
    reviewer_locales: tuple[str, ...], is_admin: bool, admins_approve: bool
) -> tuple[str, ...]:
    """The languages she may review: her reviewer rights; every language for an admin when the
    organisation lets admins approve (BYDELSBOT_REVIEW_ADMINS_APPROVE)."""
    if is_admin and admins_approve:
        return REVIEWABLE
    return tuple(code for code in REVIEWABLE if code in reviewer_locales)


def current_forms(locale: str, message: ReviewMessage) -> tuple[str, ...]:
    return live_wording(locale, message.msgid) or catalogue_forms(locale, message)


def item_at(locale: str, index: int, pending: Wording | None = None) -> ReviewItem | None:
    order = review_order(locale)
    if not 0 <= index < len(order):
        return None
    message = order[index]
    current = current_forms(locale, message)
    return ReviewItem(index, message, current, tuple(doubts_about(locale, current)), pending)


async def next_item(
    db: Database, locale: str, reviewer_id: int, skipped: set[str], search: str | None = None
) -> ReviewItem | None:
    """The next message for her: first another reviewer's wording waiting for approval, then
    the first unchecked message in order. Skipped ones (this session) and her own waiting
    wordings are passed over. With `search`, only messages whose text contains it."""
    checked = await checked_messages(db, locale)
    pending = {
        w.msgid: w
        for w in await pending_wordings(db, locale)
        if w.suggested_by != reviewer_id and _current(w)
    }
    own_pending = {
        w.msgid for w in await pending_wordings(db, locale) if w.suggested_by == reviewer_id
    }
    needle = search.casefold() if search else None
    first: ReviewItem | None = None
    for index, message in enumerate(review_order(locale)):
        if message.msgid in skipped or message.msgid in own_pending:
            continue
        waiting = pending.get(message.msgid)
        if waiting is None and (
            first is not None or checked.get(message.msgid) == message.source_hash
        ):
            continue  # once one unchecked message is found, only waiting wordings can come first
        item = item_at(locale, index, waiting)
        assert item is not None
        if needle is not None and not any(
            needle in text.casefold() for text in (*message.source_forms, *item.current)
        ):
            continue
        if waiting is not None:
            return item  # waiting wordings first: a second pair of eyes makes them live
        first = item
    return first


def _current(wording: Wording) -> bool:
    message = message_by_id().get(wording.msgid)
    return message is not None and message.source_hash == wording.source_hash


async def progress(db: Database, locale: str) -> tuple[int, int]:
    """(checked, total): messages a native speaker has checked in this language, of all."""
    checked = await checked_messages(db, locale)
    messages = review_messages()
    done = sum(1 for m in messages if checked.get(m.msgid) == m.source_hash)
    return done, len(messages)


def checked_wording(
    locale: str, message: ReviewMessage, typed: str
) -> tuple[tuple[str, ...], list[Finding]]:
    """Her typed wording as forms, and what is wrong with it (nothing: it may be kept)."""
    forms = split_forms(typed, plural_count(locale), message)
    return forms, check_wording(message, forms, plural_count(locale))


async def keep_suggestion(
    db: Database,
    locale: str,
    message: ReviewMessage,
    forms: tuple[str, ...],
    reviewer_id: int,
    now: datetime,
) -> int:
    return await suggest(db, locale, message.msgid, message.source_hash, forms, reviewer_id, now)


async def approve_wording(db: Database, wording: Wording, approver_id: int, now: datetime) -> bool:
    """A second person agrees: the wording goes live for everyone at once (and after restarts:
    it is in the database). She cannot approve her own."""
    if wording.suggested_by == approver_id or not _current(wording):
        return False
    if not await approve(db, wording.id, approver_id, now):
        return False
    await refresh_live(db)
    return True


async def refresh_live(db: Database) -> int:
    """Load every approved wording into the translators (at start-up, after an approval).
    A wording whose source changed since is left out: the catalogue's text is used."""
    mapping: dict[str, dict[str, tuple[str, ...]]] = {}
    for wording in await live_wordings(db):
        if _current(wording):
            mapping.setdefault(wording.locale, {})[wording.msgid] = wording.forms
    set_live_wordings(mapping)
    return sum(len(m) for m in mapping.values())
