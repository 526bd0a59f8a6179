"""The help guide's plain rules: pages, the flow log, phone numbers, the /stats table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.help_guide import (
    DELETE_BATCH,
    MAX_FLOW_MESSAGES,
    FlowLog,
    batches,
    join_pages,
    parse_phone,
    period_starts,
    restart_range,
    stats_table,
    topic_pages,
)
from bot.i18n import LOCALE_CODES, translator
from bot.referrals import MAX_MESSAGE_LENGTH, load_catalogue

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("41234567", "+47 412 34 567"),
        ("412 34 567", "+47 412 34 567"),
        ("+47 412-34-567", "+47 412 34 567"),
        ("0047 98 76 54 32", "+47 987 65 432"),
        ("22 40 00 40", "+47 22 40 00 40"),
        ("(+47) 22.40.00.40", "+47 22 40 00 40"),
        ("+252 61 234 5678", "+252612345678"),
        ("  41234567  ", "+47 412 34 567"),
    ],
)
def test_phone_numbers_she_types_are_written_for_a_phone(typed: str, written: str) -> None:
    assert parse_phone(typed) == written


@pytest.mark.parametrize(
    "typed",
    ["", "hello", "112", "1234567", "123456789", "01234567", "+0123456789", "+1234567",
     "+1234567890123456", "<b>41234567</b>", "4123 4567 ext", "٤١٢٣٤٥٦٧", "４１２３４５６７",
     "4" * 41, "41234567" + " " * 40],
)  # fmt: skip
def test_what_is_not_a_phone_number_is_refused(typed: str) -> None:
    assert parse_phone(typed) is None


def test_pages_keep_order_and_fit_in_a_message() -> None:
    blocks = ["a" * 3000, "b" * 1000, "c" * 100, "d" * 4096]
    pages = join_pages(blocks)
    assert pages == ["a" * 3000 + "\n\n" + "b" * 1000, "c" * 100, "d" * 4096]
    assert join_pages(["x", "y"]) == ["x\n\ny"]
    with pytest.raises(ValueError, match="longer than one Telegram message"):
        join_pages(["z" * (MAX_MESSAGE_LENGTH + 1)])


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_every_topic_fits_telegram_in_every_language(locale: str) -> None:
    catalogue = load_catalogue()
    for topic in catalogue.topics:
        for audience in ("public", "coordinator"):
            pages = topic_pages(catalogue, topic, translator(locale), audience=audience)
            assert pages.pages and all(len(page) <= MAX_MESSAGE_LENGTH for page in pages.pages)
            assert pages.venues == ()  # no coordinates have a source yet


def test_only_the_emergency_topic_opens_before_its_title() -> None:
    catalogue = load_catalogue()
    t = translator("en")
    for topic in catalogue.topics:
        first = topic_pages(catalogue, topic, t, audience="public").pages[0]
        if topic.id == "violence":
            assert first.startswith("<b>Police emergency (politiet)</b>")
            assert first.index("116 006") < first.index(topic.label)
        else:
            assert first.startswith(f"{topic.emoji} <b>{topic.label}</b>")


def test_the_flow_log_keeps_what_telegram_still_deletes() -> None:
    log = FlowLog()
    log.add(5, NOW - timedelta(hours=49))  # too old: Telegram refuses
    log.add(7, NOW - timedelta(hours=47))
    log.add(9, NOW)
    log.add(9, NOW)  # once each
    assert log.deletable(NOW) == [7, 9]
    assert log.deletable(NOW, also=[12, 7]) == [7, 9, 12]
    assert not log.expired(NOW)
    assert log.expired(NOW + timedelta(hours=48))


def test_the_flow_log_is_bounded() -> None:
    log = FlowLog()
    for message_id in range(MAX_FLOW_MESSAGES + 50):
        log.add(message_id, NOW)
    ids = log.deletable(NOW)
    assert len(ids) == MAX_FLOW_MESSAGES and ids[0] == 50


def test_the_flow_log_forgets_only_what_telegram_confirmed() -> None:
    log = FlowLog()
    for message_id in (4, 5, 6):
        log.add(message_id, NOW)
    assert log.first() == 4
    log.forget([4, 6])
    assert log.deletable(NOW) == [5] and log.first() == 5
    assert FlowLog().first() is None


def test_after_a_restart_the_range_runs_from_the_first_to_the_pressed_message() -> None:
    assert restart_range(4, 9) == [4, 5, 6, 7, 8, 9]
    assert restart_range(12, 9) == [9]  # a forged first id after the button
    assert restart_range(1, 5000) == list(range(5000 - MAX_FLOW_MESSAGES + 1, 5001))


def test_deletions_go_in_batches_telegram_accepts() -> None:
    chunks = batches(list(range(250)))
    assert [len(c) for c in chunks] == [DELETE_BATCH, DELETE_BATCH, 50]
    assert batches([]) == []


def test_the_periods_are_full_days_before_today() -> None:
    assert period_starts(date(2026, 12, 1)) == (date(2026, 11, 24), date(2026, 11, 1))


def test_stats_table_keeps_topics_and_languages_apart() -> None:
    week = [("violence", "so", 2), ("pregnancy", "ar", 1)]
    month = [("violence", "so", 2), ("violence", "ti", 5), ("pregnancy", "ar", 4)]
    table = stats_table([week, month], ["pregnancy", "children", "violence"])
    assert [(row.key, row.views) for row in table.topics] == [
        ("pregnancy", (1, 4)),
        ("violence", (2, 7)),
    ]
    assert [(row.key, row.views) for row in table.languages] == [
        ("ti", (0, 5)),
        ("ar", (1, 4)),
        ("so", (2, 2)),
    ]
    assert not stats_table([[], []], ["pregnancy"])
