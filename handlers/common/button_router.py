"""The one handler bot/app.py registers for every button: a press goes straight to its route.

PTB offers an update to each handler of a group in turn until one takes it, so with one
CallbackQueryHandler per button pattern (over 160) every press walked that list, each pattern
through `re.match`, and every message walked past them all. Here the buttons are routes of one
handler: a route is found by the first ":"-separated word of the data ("hlp" of "hlp:t:violence")
in a dict, its pattern's literal start is compared with `str.startswith`, and only then the
compiled pattern runs. The answer is the one PTB's CallbackQueryHandlers, registered in the same
order, would give: the first route whose pattern matches, with `context.matches` set as PTB sets
it (tests/common/test_update_costs.py compares them on every registered pattern).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, BaseHandler

from handlers.common.context import BotContext

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

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


@dataclass(frozen=True, slots=True)
class Route:
    """One button: its compiled pattern, the callback, and its place in registration order."""

    pattern: re.Pattern[str]
    callback: Callback
    order: int
    prefix: str


class ButtonRouter(BaseHandler[Update, BotContext, None]):
    """Every button press of a handler group, routed by its data to the one matching pattern."""

    __slots__ = ("_by_word", "_patterns", "_unkeyed", "routes")

    def __init__(self) -> None:
        super().__init__(_never_called)  # each route has its own callback: see handle_update
        self.routes: list[Route] = []  # in registration order; the tests press every pattern
        self._by_word: dict[str, list[Route]] = {}
        # Routes whose literal start does not hold the first word (no ":" in it, and more may
        # follow): tried on every press, in their place in the order.
        self._unkeyed: list[Route] = []
        self._patterns: set[re.Pattern[str]] = set()

    def add(self, pattern: re.Pattern[str], callback: Callback) -> None:
        # The same pattern twice would leave the second callback unreachable.
        if pattern in self._patterns:
            raise ValueError(f"button pattern registered twice: {pattern.pattern!r}")
        self._patterns.add(pattern)
        # With IGNORECASE or VERBOSE the pattern's text is not its literal start.
        loose = pattern.flags & (re.IGNORECASE | re.VERBOSE)
        prefix = "" if loose else literal_prefix(pattern.pattern)
        route = Route(pattern, callback, len(self.routes), prefix)
        self.routes.append(route)
        word, colon, _ = prefix.partition(":")
        # "^crsok\Z" matches its literal start alone, which is then the data's first word.
        whole = pattern.pattern.removeprefix("^") == prefix + "\\Z"
        if colon or whole:  # all data the pattern matches has this first word
            self._by_word.setdefault(word, []).append(route)
        else:
            self._unkeyed.append(route)

    def check_update(self, update: object) -> tuple[Route, re.Match[str] | bool] | bool | None:
        # As PTB's CallbackQueryHandler with a pattern (callbackqueryhandler.py), for each route.
        if not (isinstance(update, Update) and update.callback_query):
            return None
        query = update.callback_query
        data: object = query.data  # a str, unless PTB's arbitrary callback data were on
        if not data or not isinstance(data, str):
            # A game's press matches no pattern. A press with neither data nor a game (only a
            # forged one: every button of the bot carries data) would match any of PTB's
            # CallbackQueryHandlers with a pattern, and the first button's callback failed on it
            # ("sorry, something went wrong"); here it matches no route, and the stale-button
            # answer tells her the button no longer works.
            return False
        return self._find(data) or False

    def _find(self, data: str) -> tuple[Route, re.Match[str]] | None:
        found = None
        for route in self._by_word.get(data.partition(":")[0], ()):
            if data.startswith(route.prefix) and (match := route.pattern.match(data)):
                found = (route, match)
                break
        for route in self._unkeyed:  # only an earlier one may come before what was found
            if found is not None and route.order > found[0].order:
                break
            if data.startswith(route.prefix) and (match := route.pattern.match(data)):
                return route, match
        return found

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, BotContext, Any, Any, Any, Any],
        check_result: object,
        context: BotContext,
    ) -> None:
        route, match = cast("tuple[Route, Any]", check_result)  # what check_update returned
        context.matches = [match]  # as CallbackQueryHandler.collect_additional_context does
        await route.callback(update, context)


async def _never_called(update: Update, context: BotContext) -> None:
    raise AssertionError("ButtonRouter.handle_update calls the route's callback")
