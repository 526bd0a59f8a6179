"""The house's own source, as its checks read it: the modules a file imports."""

from __future__ import annotations

import ast
from pathlib import Path


def parsed(path: Path) -> ast.Module:
    """A module's syntax tree. CPython 3.11 can raise a spurious SystemError "AST constructor
    recursion depth mismatch" (python/cpython#106905, fixed in later releases), seen once in a
    full run here; it comes from shared interpreter state, not from the text, so parsing the
    same text again gets past it, and a real syntax error still fails on the second try."""
    text = path.read_text("utf-8")
    try:
        return ast.parse(text, filename=str(path))
    except SystemError:
        return ast.parse(text, filename=str(path))


def imports_of(path: Path, *, with_names: bool = True) -> set[str]:
    """The absolute imports of a module: `import a.b` gives a.b; `from a import b` gives a and,
    with_names, also a.b (b may be a module: `from handlers.meetings import reminders`)."""
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if with_names:
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names
