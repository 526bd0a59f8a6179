"""Running `bydelsbot` as a real process, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys


def bydelsbot(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "BYDELSBOT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
