"""The `bydelsbot` command: clear one-line failures with exit codes, and the scripted demo."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from bot.demo import run_demo
from bot.i18n import translator
from tests.fakes.bot_process import bydelsbot

TOKEN = "123456789:AAF-abcdefghijklmnopqrstuvwxyz012345"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "hello"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "localhost:8081"}, "BOT_API_URL must be"),
    ],
)
def test_configuration_errors_exit_2_with_one_line(env: dict[str, str], message: str) -> None:
    result = bydelsbot("run", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert message in result.stderr and "Traceback" not in result.stderr


def test_unreadable_database_exits_3(tmp_path: Path) -> None:
    junk = tmp_path / "bot.sqlite3"
    junk.write_bytes(b"not sqlite at all" * 200)
    result = bydelsbot("run", env={"BOT_TOKEN": TOKEN, "BYDELSBOT_DB": str(junk)})
    assert result.returncode == 3
    assert "not a readable bydelsbot database" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr


def test_database_from_newer_version_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 50")
    result = bydelsbot("run", env={"BOT_TOKEN": TOKEN, "BYDELSBOT_DB": str(path)})
    assert result.returncode == 3
    assert "newer bydelsbot" in result.stderr


def test_piped_demo_shows_the_picker_and_exits_0_at_end_of_input() -> None:
    result = bydelsbot("demo", stdin="/start\n")
    assert result.returncode == 0, result.stderr
    for name in ("Norsk (bokmål)", "English", "Soomaali", "العربية", "اردو", "Türkçe", "ትግርኛ",
                 "دری", "کوردی (سۆرانی)", "Kurdî (Kurmancî)", "Bosanski", "ਪੰਜਾਬੀ"):  # fmt: skip
        assert name in result.stdout
    assert "[12]" in result.stdout


async def demo(script: str, role: str = "public") -> str:
    out = io.StringIO()
    assert await run_demo(role, None, io.StringIO(script), out) == 0
    return out.getvalue()


async def test_demo_choosing_somali_shows_the_menu_in_somali() -> None:
    output = await demo("/start\n3\n")
    so = translator("so")
    assert "✅ Soomaali" in output
    assert f"[1] ❓ {so._('Help')}" in output


async def test_demo_numbers_press_the_latest_buttons() -> None:
    output = await demo("/start\n4\n1\n")  # Arabic, then the first menu button: Help
    ar = translator("ar")
    assert ar._("Commands") in output
    assert "\u2068/language\u2069" in output


@pytest.mark.parametrize("role", ["participant", "mother", "coordinator"])
async def test_demo_as_a_member_shows_her_district(role: str) -> None:
    output = await demo("/start\n2\n/me\n", role)
    assert "Alna (phase 3)" in output and "My profile" in output


async def test_demo_as_admin_has_admin_help() -> None:
    output = await demo("/start\n2\n/help\n", "admin")
    assert "administrator at Bydelsmødre sentralt" in output


async def test_demo_keeps_a_database_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    out = io.StringIO()
    await run_demo("public", path, io.StringIO("/start\n3\n"), out)
    out = io.StringIO()
    await run_demo("public", path, io.StringIO("/start\n"), out)
    assert "Choose your language" not in out.getvalue()  # she chose Somali last time
