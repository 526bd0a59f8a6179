"""The tests follow the house: every test file lives in the folder of the feature it tests
(tests/<feature>/, as in handlers/), or in tests/common/ and tests/house/; shared set-up is in
tests/fakes/, tests/support/, a folder's world.py or a conftest.py fixture, and no module of the
tests imports a test file or a conftest (pytest loads those itself, once)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.house.source import parsed

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
SHARED_FOLDERS = {"common", "house"}  # shared handler pieces; cross-cutting checks


def handler_features() -> set[str]:
    return {p.parent.name for p in (ROOT / "handlers").glob("*/__init__.py")} - {"jobs"}


def files_of_tests() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def forbidden_imports(path: Path) -> list[str]:
    """The test files and conftests this module imports."""
    found = []
    for node in ast.walk(parsed(path)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names = [f".{node.module or ''}", *(f".{alias.name}" for alias in node.names)]
        for name in names:
            last = name.rsplit(".", 1)[-1]
            ours = name.startswith(("tests.", "."))
            if ours and (last == "conftest" or last.startswith("test_")):
                found.append(name)
    return found


def misplaced(paths: list[Path]) -> list[str]:
    folders = handler_features() | SHARED_FOLDERS
    return [
        str(path.relative_to(ROOT))
        for path in paths
        if path.parent.parent != TESTS or path.parent.name not in folders
    ]


def test_every_test_file_is_in_a_folder_that_mirrors_the_packages() -> None:
    wrong = misplaced(files_of_tests())
    assert files_of_tests() and not wrong, (
        f"move into tests/<feature>/ (a folder of handlers/, or common, house): {wrong}"
    )


@pytest.mark.parametrize(
    "planted", ["tests/test_planted.py", "tests/fakes/test_planted.py", "tests/house/x/test_p.py"]
)
def test_the_check_sees_a_misplaced_test_file(planted: str) -> None:
    assert misplaced([ROOT / planted]) == [planted]


def test_every_test_folder_is_a_package() -> None:
    """tests/ is a package: a folder without __init__.py would clash on equal file names."""
    missing = [
        str(folder.relative_to(ROOT))
        for folder in {path.parent for path in TESTS.rglob("*.py")}
        if not (folder / "__init__.py").exists()
    ]
    assert not missing, missing


def test_no_test_module_imports_a_test_file_or_a_conftest() -> None:
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in forbidden_imports(path)
    }
    assert not found, "share it through tests/fakes, tests/support or a world.py:\n" + "\n".join(
        sorted(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        "from tests.course.test_course import KARI",
        "from tests.conftest import ADMIN_ID",
        "import tests.house.test_layers",
        "from tests.meetings import test_meetings",
        "from .test_course import T0",
    ],
)
def test_the_check_sees_a_planted_import(source: str, tmp_path: Path) -> None:
    """Guard against a check that can never fail."""
    planted = tmp_path / "test_planted.py"
    planted.write_text(source, encoding="utf-8")
    assert forbidden_imports(planted), source
