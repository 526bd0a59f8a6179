"""Faults a woman may meet: a button on a message that is gone, a database that cannot be
written. She gets a clear answer in her language; the log gets one line, no traceback."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

import pytest

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from handlers.help.codecs import CONSENT_NO
from tests.fakes.telegram import ChatDriver
from tests.support.people import started

EXPIRED = "This button has expired. Send /menu to start again."


async def test_a_button_on_a_deleted_message_says_it_expired(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    amina = await started(chat(1001, "Amina", "en"))
    await amina.send("/info")
    await amina.press_label("Talk to a bydelsmor")  # the consent question, with its buttons

    def gone(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method.startswith("editMessage"):
            return 400, {"ok": False, "error_code": 400,
                         "description": "Bad Request: message to edit not found"}  # fmt: skip
        return None

    api.fault = gone
    shown = len(amina.texts())
    with caplog.at_level(logging.INFO):
        # its message was deleted meanwhile: the edit is refused
        await amina.press(CONSENT_NO.encode())
    assert len(amina.texts()) == shown, "no 'sorry' message"
    # "Expired" is what the bot tries to say (here the handler had answered the press already).
    assert api.calls_to("answerCallbackQuery")[-1].params.get("text") == EXPIRED
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


class FullDisk:
    """What `db.transaction()` is on a full disk: SQLite refuses to begin writing."""

    async def __aenter__(self) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    async def __aexit__(self, *exc: object) -> None:
        return None


async def test_a_full_disk_is_one_log_line_and_she_is_asked_to_try_again_in_her_language(
    chat: Callable[..., ChatDriver], services: Services, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    hodan = await started(chat(1002, "Hodan", "so"), "so")
    # Every write now fails as SQLite fails on a full disk.

    monkeypatch.setattr(services.db, "transaction", FullDisk)
    with caplog.at_level(logging.INFO):
        await hodan.press(LANGUAGE.encode("tr"))
        await hodan.press(LANGUAGE.encode("so"))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the failed write is logged"
    assert all("database or disk is full" in r.getMessage() for r in errors)
    assert all(r.exc_info is None and "Traceback" not in r.getMessage() for r in errors)
    assert hodan.texts()[-1].startswith("😔 ") and "something went wrong" not in hodan.texts()[-1]
