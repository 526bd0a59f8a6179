"""Configuration from the environment: every bad value is named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError

TOKEN = "123456789:AAF-abcdefghijklmnopqrstuvwxyz012345"


def test_defaults() -> None:
    config = Config.from_env({"BOT_TOKEN": TOKEN})
    assert config.api_url == "https://api.telegram.org/bot"
    assert config.api_file_url == "https://api.telegram.org/file/bot"
    assert config.db_path == Path("./bydelsbot.sqlite3")
    assert config.admins == frozenset()
    assert config.tz_name == "Europe/Oslo"
    assert config.send_rate == 29


def test_all_settings() -> None:
    config = Config.from_env({
        "BOT_TOKEN": f"  {TOKEN} ", "BOT_API_URL": "http://127.0.0.1:8081/bot",
        "BYDELSBOT_DB": "/data/bot.sqlite3", "BYDELSBOT_ADMINS": "11, 22,,33",
        "BYDELSBOT_TZ": "UTC", "BYDELSBOT_SEND_RATE": " 150 ",
    })  # fmt: skip
    assert config.send_rate == 150
    assert config.token == TOKEN
    assert config.api_file_url == "http://127.0.0.1:8081/file/bot"
    assert config.admins == frozenset({11, 22, 33})
    assert config.db_path == Path("/data/bot.sqlite3")


def test_token_is_not_in_repr() -> None:
    assert TOKEN not in repr(Config.from_env({"BOT_TOKEN": TOKEN}))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "my-bot"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": "123:short"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "127.0.0.1:8081"}, "BOT_API_URL must be"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "ftp://x/bot"}, "BOT_API_URL must be"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "http://host:99999/bot"}, "BOT_API_URL must be"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "http://127.0.0.1:8081"}, "ending in /bot"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "http://127.0.0.1:8081/bot/"}, "ending in /bot"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "http://[::1/bot"}, "BOT_API_URL must be"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "http://h/bot?x=1"}, "BOT_API_URL must be"),
        ({"BOT_TOKEN": TOKEN, "BYDELSBOT_ADMINS": "12,abc"}, "BYDELSBOT_ADMINS"),
        ({"BOT_TOKEN": TOKEN, "BYDELSBOT_TZ": "Oslo/Nowhere"}, "BYDELSBOT_TZ"),
        ({"BOT_TOKEN": TOKEN, "BYDELSBOT_SEND_RATE": "0"}, "BYDELSBOT_SEND_RATE"),
        ({"BOT_TOKEN": TOKEN, "BYDELSBOT_SEND_RATE": "2.5"}, "BYDELSBOT_SEND_RATE"),
        ({"BOT_TOKEN": TOKEN, "BYDELSBOT_SEND_RATE": "5000"}, "BYDELSBOT_SEND_RATE"),
    ],
)
def test_bad_settings_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        Config.from_env(env)
    assert "\n" not in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"), [("", True), ("yes", True), ("no", False), ("0", False), ("True", True)]
)
def test_whether_an_admin_approves_a_wording_alone(raw: str, expected: bool) -> None:
    env = {"BOT_TOKEN": TOKEN, "BYDELSBOT_REVIEW_ADMINS_APPROVE": raw}
    assert Config.from_env(env).review_admins_approve is expected


def test_a_bad_yes_or_no_is_named() -> None:
    env = {"BOT_TOKEN": TOKEN, "BYDELSBOT_REVIEW_ADMINS_APPROVE": "maybe"}
    with pytest.raises(ConfigError, match="BYDELSBOT_REVIEW_ADMINS_APPROVE must be yes or no"):
        Config.from_env(env)
