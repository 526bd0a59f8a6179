"""Failures are logged without message text, and she is told in her language."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

import handlers.help.help
from bot.i18n import translator
from bot.logs import RedactSecrets
from bot.offline.api import OfflineBotApi
from handlers.common.help_flow import CLEAR_FROM
from tests.fakes.telegram import TEST_TOKEN, ChatDriver
from tests.support.people import started

SECRET_QUESTION = "my husband hits me what do I do"


async def test_handler_failure_is_logged_without_text_and_told_in_her_language(
    chat: Callable[..., ChatDriver],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hawa = await started(chat(1002, "Hawa"), "ar")

    def broken(*args: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(handlers.help.help, "commands_text", broken)
    with caplog.at_level(logging.INFO):
        await hawa.send(SECRET_QUESTION)  # free text: must never reach the log
        await hawa.send("/help")
    sorry = translator("ar")._(
        "Sorry, something went wrong on our side. Please try again in a moment."
    )
    assert hawa.last()["text"] == f"😔 {sorry}"
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures and "handler failed on update" in failures[0].getMessage()
    everything = caplog.text + "".join(str(r.exc_info) for r in caplog.records)
    assert SECRET_QUESTION not in everything


async def test_failure_on_a_button_press_answers_the_press(
    chat: Callable[..., ChatDriver], monkeypatch: pytest.MonkeyPatch
) -> None:
    amina = await started(chat())

    def broken(*args: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(handlers.help.help, "commands_text", broken)
    await amina.press_label("Help")
    assert amina.last()["text"].startswith("😔 Sorry, something went wrong")


async def test_a_press_after_she_blocked_the_bot_is_one_quiet_line(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    """Found by tests/house/test_fuzz.py: 🧹 pressed after blocking the bot logged a traceback
    (and so does any press whose answer is a new message)."""
    amina = await started(chat())
    await amina.send("/menu")
    api.block(amina.chat_id)
    with caplog.at_level(logging.INFO):
        await amina.press_label("Help")  # its answer is a new message: refused (403)
        await amina.press(CLEAR_FROM.encode(0))
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("Telegram refused the answer (403)" in r.getMessage() for r in caplog.records)


def test_redaction_masks_the_token_in_messages_arguments_and_tracebacks() -> None:
    record = logging.LogRecord(
        "httpx", logging.WARNING, __file__, 1,
        "HTTP Request: POST %s", (f"https://api.telegram.org/bot{TEST_TOKEN}/getMe",), None,
    )  # fmt: skip
    try:
        raise ValueError(f"failed on /bot{TEST_TOKEN}/sendMessage")
    except ValueError as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    RedactSecrets([TEST_TOKEN]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TEST_TOKEN not in formatted
    assert "bot[token]/getMe" in formatted and "bot[token]/sendMessage" in formatted


async def test_exception_messages_that_quote_her_text_stay_out_of_the_log(
    chat: Callable[..., ChatDriver],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import handlers.common.fallback

    amina = await started(chat())

    async def quoting(chat_id: int, context: object, intro: str | None = None) -> None:
        raise ValueError(f"could not parse {SECRET_QUESTION!r}")

    monkeypatch.setattr(handlers.common.fallback, "send_menu", quoting)
    with caplog.at_level(logging.DEBUG):
        await amina.send(SECRET_QUESTION)
    assert "builtins.ValueError" in caplog.text  # the failure itself is logged
    rendered = "\n".join(logging.Formatter().format(record) for record in caplog.records)
    assert SECRET_QUESTION not in rendered
    assert amina.last()["text"].startswith("😔")


async def test_polling_trouble_is_one_warning_line(caplog: pytest.LogCaptureFixture) -> None:
    from telegram.error import NetworkError

    from handlers.common.errors import error_callback

    class Context:
        error = NetworkError("Bad Gateway")

    with caplog.at_level(logging.INFO):
        await error_callback(None, Context())  # type: ignore[arg-type]
    assert [r.getMessage() for r in caplog.records] == ["polling: NetworkError; retrying"]
    assert all(r.exc_info is None for r in caplog.records)
