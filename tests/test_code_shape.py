"""House rules of the design notes (issue 14) that a test can hold."""

from __future__ import annotations

import ast
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parents[1] / "coach" / "analysis"
#: Longer than this, a function must say why it is one piece.
MAX_LINES = 60


def _core_files() -> list[Path]:
    """Every module of the core: the package but the app and the CLI."""
    package = ANALYSIS.parent
    return sorted(p for p in package.rglob("*.py") if not {"ui", "cli"} & set(p.relative_to(package).parts))


def test_no_long_function_in_the_core_without_a_reason():
    """A function over 60 lines either splits or carries a '# One piece:'
    comment saying why it reads better whole."""
    long = []
    assert len(_core_files()) > 30
    for path in _core_files():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                body = lines[node.lineno - 1 : node.end_lineno]
                if n > MAX_LINES and not any(line.strip().startswith("# One piece:") for line in body):
                    long.append(f"{path.name}:{node.lineno} {node.name} ({n} lines)")
    assert not long


def test_no_private_name_is_used_across_the_cores_modules():
    """``module._name`` and ``from module import _name`` between core modules:
    what one module keeps private, another must not lean on."""
    uses = []
    for path in _core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {a.asname or a.name.split(".")[-1] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                   and (n.module or "").startswith("coach") for a in n.names}
        modules |= {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
                    if a.name.startswith("coach")}
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("coach"):
                uses += [f"{path.name}:{n.lineno} imports {a.name}" for a in n.names
                         if a.name.startswith("_") and not a.name.startswith("__")]
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in modules \
                    and n.attr.startswith("_") and not n.attr.startswith("__"):
                uses.append(f"{path.name}:{n.lineno} uses {n.value.id}.{n.attr}")
    assert not uses
