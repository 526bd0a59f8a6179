"""A database the bot cannot use is one line for the operator and exit code 3, at start-up,
never a traceback later: damaged pages behind an intact header, a read-only file."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.exits import EXIT_STORAGE
from storage import Database
from storage.db import DatabaseUnreadable
from storage.districts import upsert_district
from storage.people import add_membership
from tests.fakes.bot_process import ROOT, TOKEN


async def a_database_with_members(path: Path, members: int = 300) -> None:
    db = await Database.open(path)
    district = await upsert_district(db, "alna", "Alna", 3)
    now = datetime.now(UTC)
    for n in range(members):
        await add_membership(db, 10_000 + n, district, "mother", f"Woman {n}", now, "so")
    await db.close()  # the WAL is checkpointed into the file


async def test_damaged_pages_behind_an_intact_header_are_refused_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.sqlite3"
    await a_database_with_members(path)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page and data[:16] == b"SQLite format 3\x00"
    data[4 * page : 5 * page] = bytes([0xA5]) * page  # one page of a table, overwritten
    path.write_bytes(bytes(data))

    with pytest.raises(DatabaseUnreadable, match="is damaged"):
        await Database.open(path)
    assert await asyncio.to_thread(main, ["admin", "list", "--db", str(path)]) == EXIT_STORAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err and "Traceback" not in err


async def test_a_read_only_database_file_is_one_line_and_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await a_database_with_members(path, 3)
    path.chmod(0o444)  # the file is read-only; its folder is writable
    immutable = os.geteuid() == 0  # root may write any file, but not an immutable one
    if immutable and not await asyncio.to_thread(chattr, "+i", path):
        pytest.skip("running as root on a file system without chattr +i")
    env = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": "http://127.0.0.1:9/bot",
           "BYDELSBOT_DB": str(path)}  # fmt: skip
    try:
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, raw = await asyncio.wait_for(bot.communicate(), 60)
    finally:
        if immutable:
            assert await asyncio.to_thread(chattr, "-i", path)
    stderr = raw.decode()
    assert bot.returncode == EXIT_STORAGE, stderr
    assert stderr.count("\n") == 1, stderr
    assert "read-only" in stderr and "Traceback" not in stderr


def chattr(flag: str, path: Path) -> bool:
    return subprocess.run(["chattr", flag, str(path)], check=False).returncode == 0


def test_a_database_left_open_does_not_keep_the_process_alive(tmp_path: Path) -> None:
    """Whatever path forgets to close the database (a SIGTERM in the middle of start-up was seen
    to), the process still ends when its main thread does: the bot must never hang after SIGTERM."""
    script = (
        "import asyncio, sys\n"
        "from storage import Database\n"
        "kept = []\n"
        "async def main():\n"
        "    kept.append(await Database.open(sys.argv[1]))\n"
        "asyncio.run(main())\n"
        "print('main thread done', flush=True)\n"
    )
    try:
        finished = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "bot.sqlite3")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError("an open database kept the process alive") from exc
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == "main thread done\n"
