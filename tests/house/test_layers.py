"""The house rules, checked: imports point down, SQL stays in storage/, one handler registry.

handlers -> bot (rules) -> storage. The composition root (bot/app.py, application.py, cli.py,
run.py, demo.py, offline/transport.py, __main__.py) is the one place allowed to see everything.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.house.source import imports_of, parsed

ROOT = Path(__file__).resolve().parents[2]
COMPOSITION_ROOT = {
    "app.py",
    "application.py",
    "cli.py",
    "run.py",
    "demo.py",
    "offline/transport.py",
    "__main__.py",
}
SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX)|DROP\s+TABLE|ALTER\s+TABLE|PRAGMA\s+\w+)",
    re.IGNORECASE | re.DOTALL,
)


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def in_bot(path: Path) -> str:
    """Its path inside bot/ ("demo.py", "offline/transport.py")."""
    return path.relative_to(ROOT / "bot").as_posix()


def imported(path: Path) -> set[str]:
    return imports_of(path, with_names=False)


def top_levels(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported(path)}


@pytest.mark.parametrize("path", modules("storage"), ids=lambda p: p.name)
def test_storage_imports_nothing_above_it(path: Path) -> None:
    assert not top_levels(path) & {"bot", "handlers", "telegram"}


@pytest.mark.parametrize(
    "path", [p for p in modules("bot") if in_bot(p) not in COMPOSITION_ROOT], ids=lambda p: p.name
)
def test_rules_in_bot_take_plain_values(path: Path) -> None:
    assert not top_levels(path) & {"handlers", "telegram"}


@pytest.mark.parametrize("path", modules("handlers"), ids=lambda p: p.name)
def test_handlers_do_not_import_the_composition_root(path: Path) -> None:
    upward = {f"bot.{name.removesuffix('.py').replace('/', '.')}" for name in COMPOSITION_ROOT}
    assert not imported(path) & upward


@pytest.mark.parametrize("path", modules("bot") + modules("handlers"), ids=lambda p: p.name)
def test_sql_lives_only_in_storage(path: Path) -> None:
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not SQL.search(node.value), f"SQL in {path.relative_to(ROOT)}: {node.value!r}"


def test_handlers_are_registered_in_one_place() -> None:
    registering = [
        path.relative_to(ROOT).as_posix()
        for package in ("bot", "handlers", "storage")
        for path in modules(package)
        if re.search(r"\.add_(error_)?handlers?\(", path.read_text("utf-8"))
    ]
    assert registering == ["bot/app.py"]


def test_the_checks_see_a_violation() -> None:
    """Guard against a rule that can never fail: a planted violation must be caught."""
    planted = ROOT / "storage" / "_planted_violation_for_test.py"
    planted.write_text("from handlers.common.context import BotContext\n", encoding="utf-8")
    try:
        assert "handlers" in top_levels(planted)
    finally:
        planted.unlink()
    assert SQL.search("  select * from people")
    assert not SQL.search("delete")
