"""The house's own source, as its checks read it: the modules a file imports."""

from __future__ import annotations

import ast
from pathlib import Path


def imports_of(path: Path, *, with_names: bool = True) -> set[str]:
    """The absolute imports of a module: `import a.b` gives a.b; `from a import b` gives a and,
    with_names, also a.b (b may be a module: `from handlers.meetings import reminders`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if with_names:
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names
