"""The bot's one vocabulary for how a message it started itself ended, whoever sent it: meeting
reminders, the drop-in's messages, the course's offers and cards, and each announcement's outbox
row (which is `pending`, then `sending`, before it ends with one of these). Stored as these words.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"  # she blocked the bot, deleted her account, or the chat is gone
    FAILED = "failed"  # refused, or given up after retries
    UNCERTAIN = "uncertain"  # no answer in time, or in flight at a stop: perhaps delivered
