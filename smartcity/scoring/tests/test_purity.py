"""The engine is pure Python: it imports only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports (absolute names)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.add(str(node.module))
    return names


def test_the_engine_imports_nothing_but_the_standard_library_and_itself() -> None:
    sources = list(PACKAGE.glob("*.py"))
    assert len(sources) > 10
    for path in sources:
        for name in imported_modules(path):
            top = name.partition(".")[0]
            allowed = top in sys.stdlib_module_names or name.startswith("smartcity.scoring")
            assert allowed, f"{path.name} imports {name}"
