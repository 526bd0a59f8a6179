"""The course's typed answers: a woman's name and phone number, a cohort's name, an evening's
date and time and its lecturer. Each answer callback takes (update, context, values); asking
and registering go through the bot's one mechanism for typed answers (handlers/awaiting.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from handlers.awaiting import awaited, stop_waiting, wait_for
from handlers.context import BotContext

Answer = Callable[[Update, BotContext, tuple[str, ...]], Awaitable[None]]

NAME = "course-name"
PHONE = "course-phone"
COHORT_NAME = "course-cohort-name"
EVENING_WHEN = "course-evening-when"
MOVE_WHEN = "course-move-when"
LECTURER = "course-lecturer"


def ask(context: BotContext, kind: str, *values: str) -> None:
    """This chat's next typed message answers `kind`."""
    assert context.chat_data is not None
    wait_for(context.chat_data, kind, *values)


def answered_by(kind: str, answer: Answer) -> Callable[[Update, BotContext], Awaitable[None]]:
    """The message callback for `kind`: closes the question, then gives its values to `answer`."""

    async def callback(update: Update, context: BotContext) -> None:
        waiting = awaited(context.chat_data, kind)
        stop_waiting(context.chat_data)
        await answer(update, context, waiting.values if waiting else ())

    callback.__doc__ = answer.__doc__
    return callback


def stop(context: BotContext) -> None:
    stop_waiting(context.chat_data)
