"""Imports run one way (docs/architecture.md): each layer imports only layers below it.

The layers, bottom to top; a module may import its own layer and the ones below, never above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "gongwen"

#: Bottom to top. A name is a top-level module or package of gongwen.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"_version", "findings", "errors", "standard", "resources"}),
    frozenset({"text", "ooxml"}),
    frozenset({"models"}),
    frozenset({"ledger", "stats", "summary", "claims", "units", "output", "preview", "store"}),
    frozenset({"checks", "documents", "render"}),
    frozenset({"verify"}),
    frozenset({"api", "inputs"}),
    frozenset({"batch", "archive"}),
    frozenset({"cli", "web"}),
)
#: Modules that sit where their layer says but may not reach some specific lower ones.
FORBIDDEN: dict[str, frozenset[str]] = {
    # render knows templates and contexts only: nothing case-level
    "render": frozenset({"models", "ledger", "stats", "summary", "claims", "checks", "documents"}),
    # checks are rules over models: no documents, rendering, batch or CLI
    "checks": frozenset({"documents", "render", "verify", "batch", "ledger", "output"}),
    "documents": frozenset({"checks", "render", "ledger", "output"}),
    "models": frozenset({"ledger", "stats", "summary", "claims"}),
    "ooxml": frozenset({"text"}),
    # the store keeps models and bytes: it renders nothing and reads no ledger
    "store": frozenset({"ledger", "output", "preview"}),
    # the web app calls the library as the CLI does, never the CLI itself
    "web": frozenset({"cli"}),
}


def _rank(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    raise AssertionError(f"module gongwen.{name} is in no layer of {__file__}")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for n in names:
            parts = n.split(".")
            if parts[0] == "gongwen" and len(parts) > 1:
                out.add(parts[1])
    return out


def _modules() -> list[tuple[str, Path]]:
    out = []
    for p in sorted(SRC.rglob("*.py")):
        rel = p.relative_to(SRC)
        if rel.name == "__init__.py" and len(rel.parts) == 1:
            continue  # the public surface re-exports everything
        out.append((rel.parts[0].removesuffix(".py"), p))
    return out


@pytest.mark.parametrize(("top", "path"), _modules(), ids=lambda v: str(v))
def test_imports_point_down(top: str, path: Path) -> None:
    rank = _rank(top)
    for imported in _imports(path) - {top}:
        assert _rank(imported) <= rank, f"{path.relative_to(SRC)} imports gongwen.{imported}"
        assert imported not in FORBIDDEN.get(top, frozenset()), (
            f"{path.relative_to(SRC)} imports gongwen.{imported}"
        )


def test_every_module_is_in_a_layer() -> None:
    tops = {top for top, _ in _modules()}
    assert all(_rank(t) >= 0 for t in tops)
