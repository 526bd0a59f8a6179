"""Button data for tests: every callback pattern the Application registers, and strings each
pattern matches (written from the regex itself, and by the codec's own encode where it gives an
example of a real press), so that a test can press every button of the bot, including ones added
later by any feature, without knowing them."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from itertools import product
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.app import BotApplication
from handlers.common.button_router import ButtonRouter, Route
from handlers.common.codec import Codec

# Each registered pattern is pressed with a string it matches, and with these after it (longer
# ids), so that handlers which parse their data would act if nothing stopped them. A help topic
# that exists comes from its codec's `example`.
TAILS = ("", "1", "1:1")

sre: Any = importlib.import_module("re._parser")  # the regex parser, to write matching data


def examples(pattern: re.Pattern[str]) -> list[str]:
    """Strings the pattern matches: one per choice of its alternatives, shortest repeats."""
    found = [prefix + tail for prefix in _expand(sre.parse(pattern.pattern)) for tail in TAILS]
    matching = [data for data in found if pattern.match(data) and len(data.encode()) <= 64]
    assert matching, f"no example for {pattern.pattern!r}"
    return sorted(set(matching) | set(encoded_examples(pattern)))


def encoded_examples(pattern: re.Pattern[str]) -> list[str]:
    """Data of real presses, written by the codec whose pattern this is (its `example`): a help
    topic that exists, where data written from the regex names none."""
    return [c.encode(*c.example) for c in codecs() if c.pattern == pattern and c.example]


def codecs() -> Iterator[Codec]:
    """Every codec of the handlers the Application has imported."""
    for name, module in list(sys.modules.items()):
        if name.startswith("handlers."):
            yield from (value for value in vars(module).values() if isinstance(value, Codec))


def _expand(items: Any) -> list[str]:
    variants = [""]
    for op, arg in items:
        variants = [a + b for a, b in product(variants, _one(op, arg))]
    return variants


def _one(op: Any, arg: Any) -> list[str]:
    name = str(op)
    if name == "LITERAL":
        return [chr(arg)]
    if name in ("AT", "GROUPREF"):
        return [""]
    if name in ("ANY", "NOT_LITERAL"):
        return ["~"]
    if name == "IN":
        return [_char_of(arg)]
    if name == "CATEGORY":
        return [_char_of([(op, arg)])]
    if name == "SUBPATTERN":
        return _expand(arg[-1])
    if name == "BRANCH":
        return [v for alternative in arg[1] for v in _expand(alternative)]
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = arg
        options = _expand(sub)
        counts = {low, max(low, 1)}
        return [option * count for option in options for count in counts]
    raise AssertionError(f"the test cannot write data for regex item {name}")


def _char_of(items: Any) -> str:
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "RANGE":
        return chr(arg[0])
    if name == "CATEGORY":
        return {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " "}.get(str(arg), "a")
    return "~"


def registered_patterns(app: BotApplication) -> list[re.Pattern[str] | None]:
    """Every button pattern (each route of a button router, each CallbackQueryHandler's; None
    for a catch-all), in the order of the Application's groups and handlers."""
    patterns: list[re.Pattern[str] | None] = []
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, ButtonRouter):
                patterns.extend(route.pattern for route in handler.routes)
            elif isinstance(handler, CallbackQueryHandler):
                pattern = handler.pattern
                assert pattern is None or isinstance(pattern, re.Pattern), (
                    f"{handler.callback.__name__}: register a regex, so that this test can press it"
                )
                patterns.append(pattern)
    return patterns


def ptb_handlers(router: ButtonRouter) -> list[tuple[Route, CallbackQueryHandler[Any, None]]]:
    """PTB's own CallbackQueryHandler for each route of the router, in registration order: what
    bot/app.py registered before the router."""
    return [(r, CallbackQueryHandler(r.callback, pattern=r.pattern)) for r in router.routes]


def ptb_choice(
    handlers: list[tuple[Route, CallbackQueryHandler[Any, None]]], update: Update
) -> tuple[Route, object] | None:
    """The route whose handler PTB would run (the first whose check takes the update), with the
    check's result (context.matches[0]); None if none takes it."""
    for route, handler in handlers:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return route, check
    return None


def assert_routed_as_ptb(choice: tuple[Route, object] | None, ours: object) -> None:
    """The router's check_update answer `ours` is PTB's `choice`: the same route, an equal match.
    One difference on purpose: a press without data (forged; no button of the bot lacks it),
    which any of PTB's handlers with a pattern takes, goes to no route (the stale answer)."""
    if choice is None or choice[1] is True:
        assert ours is False, ours
        return
    assert isinstance(ours, tuple) and ours[0] is choice[0], (ours, choice)
    result, check = ours[1], choice[1]
    assert isinstance(check, re.Match) and isinstance(result, re.Match)
    assert result.re is check.re
    assert (result.group(0), result.groups()) == (check.group(0), check.groups())
