"""Typed answers: "this chat's next message answers question X (with values), until time Y".

The one mechanism for every flow that waits for something typed (or recorded): an
announcement's text, a meeting's place and note, a phone number, a voice note. A flow asks

    await ask(context, NOTE, str(meeting.id))

and the answer callback registered for NOTE in bot/app.py's `answers` dict gets her next
message: `async def note_answered(update, context, values: tuple[str, ...]) -> None`. The
question is closed before the callback runs; to keep waiting (a typing mistake) the callback asks
the same question again.

- One chat has one open question: a new one replaces the old, and when it is a different
  question she is told that the old one is no longer awaited.
- /cancel ends exactly the open question (and says so); any other command but /help and /info
  ends it silently: she went elsewhere, and her next sentence is not an answer to what she left.
- A question lasts `Question.lasts`. Persistent questions are also stored (storage/awaiting.py)
  and survive a restart; the help guide's are kept in memory only (`persistent=False`): nothing is
  stored about a woman asking for help.
- Questions are answered by one handler (`AnswerHandler`) that dispatches by question, and only
  while a question is open: all other messages go on to the free-text fallback, the last handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.i18n import N_, Translator
from handlers.common.clock import Clock
from handlers.common.context import BotContext
from storage import Database
from storage.awaiting import delete_question, open_questions, save_question

KEY = "awaiting"
WAIT_FOR = timedelta(minutes=15)

Answer = Callable[[Update, BotContext, tuple[str, ...]], Awaitable[None]]
Fallback = Callable[[Update, BotContext], Awaitable[None]]
# What /cancel does besides closing the question; returns what she is told.
Cancelled = Callable[[BotContext, tuple[str, ...]], Awaitable[str]]


class Takes(Enum):
    TEXT = "text"  # a typed text; anything else gets "type your answer, or /cancel"
    VOICE = "voice"  # a voice message; anything else gets "send a voice message, or /cancel"
    ANY = "any"  # any message that is not a command (a text, a photo, a document)


@dataclass(frozen=True)
class Question:
    """Something the bot can ask. `name` is stored, so it never changes; `dropped` (marked with
    N_) is what she is told when another question replaces this one or /cancel ends it."""

    name: str
    dropped: str
    takes: Takes = Takes.TEXT
    lasts: timedelta = WAIT_FOR
    persistent: bool = True
    resume: str | None = None  # the command that asks it again: `dropped` names it as {command}

    def dropped_text(self, t: Translator) -> str:
        text = t._(self.dropped)
        return text.format(command=t.command(self.resume)) if self.resume else text


@dataclass(frozen=True)
class On:
    """What a question's answer does (and, optionally, what /cancel does besides closing it)."""

    answer: Answer
    cancelled: Cancelled | None = None


@dataclass(frozen=True)
class Asked:
    question: Question
    values: tuple[str, ...]
    until: datetime


class Questions:
    """The registered questions and each chat's open one (memory, written through to the
    database for persistent questions). Kept in bot_data[KEY]."""

    def __init__(
        self,
        answers: Mapping[Question, On],
        otherwise: Fallback | None = None,
        clock: Clock | None = None,
    ) -> None:
        names = [q.name for q in answers]
        if len(set(names)) != len(names):
            raise ValueError("two questions share a name")
        self.answers = dict(answers)
        self.by_name = {q.name: q for q in answers}
        self.open: dict[int, Asked] = {}
        self.otherwise = otherwise  # the free-text fallback, for an answer that came too late
        self.clock = clock or Clock()  # the Application's: a handler's filter has no context

    def current(self, chat_id: int, now: datetime) -> Asked | None:
        asked = self.open.get(chat_id)
        return asked if asked is not None and now < asked.until else None

    async def restore(self, db: Database, now: datetime) -> None:
        """Read back the persistent questions still open (at start-up)."""
        for record in await open_questions(db, now):
            question = self.by_name.get(record.question)
            if question is not None and question.persistent:
                self.open[record.telegram_id] = Asked(question, record.values, record.until)

    async def take(
        self, context: BotContext, chat_id: int, question: Question | None
    ) -> Asked | None:
        """Close the chat's open question (only if it is `question`, when given)."""
        asked = self.open.get(chat_id)
        if asked is None or (question is not None and asked.question != question):
            return None
        del self.open[chat_id]
        if asked.question.persistent:
            await delete_question(context.db, chat_id)
        return asked if context.clock.now() < asked.until else None


def questions_of(context: BotContext) -> Questions:
    questions = context.bot_data[KEY]
    assert isinstance(questions, Questions)
    return questions


def _chat(context: BotContext) -> int:
    chat_id = context.chat_id
    if chat_id is None:
        raise RuntimeError("a question needs a chat")
    return chat_id


async def ask(context: BotContext, question: Question, *values: str) -> None:
    """This chat's next message answers `question`, until `question.lasts` from now."""
    questions, chat_id, now = questions_of(context), _chat(context), context.clock.now()
    if question not in questions.answers:
        raise KeyError(f"question {question.name} has no answer registered in bot/app.py")
    before = questions.current(chat_id, now)
    asked = Asked(question, tuple(values), now + question.lasts)
    questions.open[chat_id] = asked
    if question.persistent:
        await save_question(context.db, chat_id, question.name, asked.values, now, asked.until)
    elif before is not None and before.question.persistent:
        await delete_question(context.db, chat_id)
    if before is not None and before.question != question:
        await context.bot.send_message(chat_id, "↩️ " + before.question.dropped_text(context.t))


def asked(context: BotContext, question: Question) -> Asked | None:
    """The chat's open question, if it is `question`."""
    chat_id = context.chat_id
    if chat_id is None:
        return None
    current = questions_of(context).current(chat_id, context.clock.now())
    return current if current is not None and current.question == question else None


async def end(
    context: BotContext, question: Question | None = None, *, memory_only: bool = False
) -> Asked | None:
    """Close the chat's open question, silently: only if it is `question`, when given; only if
    it is kept in memory (a help guide's question), with `memory_only`."""
    if context.chat_id is None:
        return None
    questions = questions_of(context)
    current = questions.open.get(context.chat_id)
    if memory_only and (current is None or current.question.persistent):
        return None
    return await questions.take(context, context.chat_id, question)


class AnswerHandler(MessageHandler[Any, Any]):
    """Takes a private chat's next message (never a command) while a question is open there."""

    def __init__(self, questions: Questions) -> None:
        typed = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
        super().__init__(typed, answer_callback)
        self.questions = questions

    def check_update(self, update: object) -> Any:
        if not isinstance(update, Update) or update.effective_chat is None:
            return None
        if self.questions.current(update.effective_chat.id, self.questions.clock.now()) is None:
            return None
        return super().check_update(update)


WRONG_KIND = {
    Takes.TEXT: N_("Please type your answer, or send {command} to stop."),
    Takes.VOICE: N_("Please send a voice message, or send {command} to stop."),
}


async def answer_callback(update: Update, context: BotContext) -> None:
    """Give her message to the answer callback of the question it answers."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    questions = questions_of(context)
    open_now = questions.current(chat.id, context.clock.now())
    if open_now is not None and not _fits(open_now.question.takes, message.text, message.voice):
        kind = WRONG_KIND[open_now.question.takes]
        text = "🎙 " if open_now.question.takes is Takes.VOICE else "✍️ "
        text += context.t._(kind).format(command=context.t.command("cancel"))
        await context.bot.send_message(chat.id, text)
        return  # still open
    taken = await questions.take(context, chat.id, None)
    if taken is None:  # it ran out between the check and now
        if questions.otherwise is not None:
            await questions.otherwise(update, context)
        return
    await questions.answers[taken.question].answer(update, context, taken.values)


def _fits(takes: Takes, text: str | None, voice: object) -> bool:
    if takes is Takes.TEXT:
        return text is not None
    if takes is Takes.VOICE:
        return voice is not None
    return True


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel: end the open question, and only that one; say what stopped."""
    assert update.effective_chat is not None
    t = context.t
    taken = await end(context)
    if taken is None:
        text = "↩️ " + t._("Nothing was changed.")
    else:
        on = questions_of(context).answers[taken.question]
        if on.cancelled is not None:
            text = await on.cancelled(context, taken.values)
        else:
            text = "↩️ " + taken.question.dropped_text(t) + " " + t._("Nothing was changed.")
    await context.bot.send_message(update.effective_chat.id, text)


async def command_leaves_callback(update: Update, context: BotContext) -> None:
    """A command (but /cancel, /help, /info) ends the open question before it runs: her next
    sentence is not an answer to what she left (an announcement's draft stays, /broadcast
    picks it up and asks again)."""
    await end(context)


# Commands that only show help: she reads and comes back to the question (a woman halfway
# through giving her number may look at /help first). /cancel is handled by cancel_command.
ASIDES = ("cancel", "help", "info")


def not_leaving() -> filters.BaseFilter:
    """The commands that do not end the open question before they run."""
    return filters.Regex(r"^/(" + "|".join(ASIDES) + r")(@\w+)?(\s|$)")
