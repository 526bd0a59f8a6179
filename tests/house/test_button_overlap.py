"""No two registered button patterns can match the same data.

PTB hands a press to the first handler (of a group) whose pattern matches, so two patterns that
both match some data would make the outcome depend on the order of registration in bot/app.py.
Every registered pattern is pressed with strings written from its own regex (its alternatives,
with ids and words after it), and each string must match exactly one pattern of its group. The
patterns are read from the Application itself, so a feature's new buttons are covered too.
"""

from __future__ import annotations

import re
from collections import defaultdict

from telegram.ext import CallbackQueryHandler

from bot.app import BotApplication
from handlers.common.button_router import ButtonRouter
from handlers.people.codecs import INVITE_DISTRICT
from tests.fakes.callback_data import examples


def patterns_by_group(app: BotApplication) -> dict[int, list[re.Pattern[str]]]:
    found: dict[int, list[re.Pattern[str]]] = defaultdict(list)
    for group, handlers in app.handlers.items():
        for handler in handlers:
            if isinstance(handler, ButtonRouter):  # its routes: the buttons of bot/app.py
                found[group].extend(route.pattern for route in handler.routes)
            elif isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
                assert isinstance(handler.pattern, re.Pattern), handler.callback.__name__
                found[group].append(handler.pattern)
    return found


def overlaps(patterns: list[re.Pattern[str]]) -> list[tuple[str, str, str]]:
    """(data, pattern, other pattern) for every example that two patterns match."""
    found = []
    for pattern in patterns:
        for data in examples(pattern):
            for other in patterns:
                if other is not pattern and other.match(data):
                    found.append((data, pattern.pattern, other.pattern))
    return found


def test_no_two_registered_button_patterns_match_the_same_data(app: BotApplication) -> None:
    groups = patterns_by_group(app)
    assert sum(len(p) for p in groups.values()) > 100  # the whole bot, not a part of it
    for group, patterns in groups.items():
        texts = [p.pattern for p in patterns]
        assert len(texts) == len(set(texts)), f"a pattern registered twice in group {group}"
        assert overlaps(patterns) == [], f"group {group}"


def test_a_planted_overlap_is_caught(app: BotApplication) -> None:
    """Guard against a check that can never fail: a looser pattern beside the invites' is seen."""
    patterns = patterns_by_group(app)[0]
    planted = re.compile(r"^inv:")
    found = overlaps([*patterns, planted])
    assert any(r"^inv:" in (a, b) for _, a, b in found)
    assert ("inv:1", INVITE_DISTRICT.pattern.pattern, r"^inv:") in found


def test_no_registered_pattern_takes_data_with_a_trailing_newline(app: BotApplication) -> None:
    """`$` matches before a final newline: forged "menu:help\\n" would reach the handler, which
    reads its fields from the match. Every registered pattern ends with \\Z instead."""
    loose = [
        pattern.pattern
        for patterns in patterns_by_group(app).values()
        for pattern in patterns
        for data in examples(pattern)
        if pattern.match(data + "\n")
    ]
    assert not loose
