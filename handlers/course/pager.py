"""The course's one pager: long lists of women (attendance, interested women, admitting, the
places and waiting list) are shown a page at a time, with ◀️ / ▶️ to the pages beside, so that
130 women and more fit in one message that edits itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from telegram import InlineKeyboardButton

from bot.i18n import Translator
from handlers.common.render import button

T = TypeVar("T")


def page_of(items: Sequence[T], page: int, size: int) -> tuple[Sequence[T], int, int]:
    """The items on `page` (clamped to the pages there are), the page, and how many pages."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def nav_row(page: int, pages: int, encode: Callable[[int], str]) -> list[InlineKeyboardButton]:
    """◀️ and ▶️ with the page numbers they lead to (empty when there is one page)."""
    nav = []
    if page > 0:
        nav.append(button("◀️", str(page), encode(page - 1)))
    if page + 1 < pages:
        nav.append(button("▶️", str(page + 2), encode(page + 1)))
    return nav


def page_line(t: Translator, page: int, pages: int) -> list[str]:
    """ "Page 2 of 7", or nothing when there is one page."""
    if pages <= 1:
        return []
    return [t._("Page {page} of {pages}").format(page=t.ltr(page + 1), pages=t.ltr(pages))]
