"""The handler bot/app.py registers for each button pattern: python-telegram-bot's
CallbackQueryHandler, asked the same question faster.

PTB offers a press to every handler of a group in turn until one's pattern matches, and the bot
registers well over a hundred: a press of a help topic was checked against about 150 patterns,
each through `re.match` and its cache (a third of a millisecond per press). Here a pattern's
literal start ("hlp:t:" of "^hlp:t:(...)$") is compared first, with `str.startswith`, and only
data that starts so meets the compiled pattern. The answer is always the one PTB's own check
gives (tests/common/test_update_costs.py compares them on every registered pattern).
"""

from __future__ import annotations

import re
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from handlers.common.context import BotContext

_SPECIAL = frozenset(".^$*+?{}[]\\|()")
_REPEATS = frozenset("*+?{")


def literal_prefix(pattern: str) -> str:
    """What every string the pattern matches (with re.match) starts with; "" if unsure."""
    if _alternatives_at_top(pattern):
        return ""  # "^a|^b": no common start
    body = pattern[1:] if pattern.startswith("^") else pattern
    prefix: list[str] = []
    for char in body:
        if char in _SPECIAL:
            if char in _REPEATS and prefix:
                prefix.pop()  # "ab?": the b may be absent
            break
        prefix.append(char)
    return "".join(prefix)


def _alternatives_at_top(pattern: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


class ButtonHandler(CallbackQueryHandler[BotContext, None]):
    """A CallbackQueryHandler for one compiled pattern, with the literal start checked first."""

    __slots__ = ("prefix",)

    def __init__(self, callback: Any, pattern: re.Pattern[str] | str) -> None:
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern  # as PTB does
        super().__init__(callback, pattern=compiled)
        self.prefix = literal_prefix(compiled.pattern)

    def check_update(self, update: object) -> bool | object | None:
        if not isinstance(update, Update):
            return None
        query = update.callback_query
        data = query.data if query is not None else None
        if not isinstance(data, str) or not data:
            return super().check_update(update)  # no press, a game, or no data: PTB's rules
        if not data.startswith(self.prefix):
            return False
        pattern: re.Pattern[str] = self.pattern  # type: ignore[assignment]
        return pattern.match(data) or False
