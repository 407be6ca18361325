"""Structure the project keeps (#14, #16): no import cycle in src/rasd, a store and an event coder of small
parts, one store behind the web app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rasd"


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return out


def import_graph() -> dict[str, set[str]]:
    """module -> the rasd modules it imports ANYWHERE (a function-level import is still a dependency; only
    ``if TYPE_CHECKING:`` blocks are left out)."""
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for mod, (path, is_pkg) in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(n)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for n in ast.walk(block)
        }
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                if node.level:
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in mods else prefix for a in node.names]
            for name in names:
                while name not in mods and "." in name:
                    name = name.rsplit(".", 1)[0]
                if name in mods and name != mod and name.startswith("rasd"):
                    deps.add(name)
        graph[mod] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same graph between rasd's subpackages (rasd.store, rasd.engines...); rasd/__init__ left out."""

    def top(m: str) -> str:
        return ".".join(m.split(".")[:2])

    out: dict[str, set[str]] = {}
    for mod, deps in graph.items():
        for dep in deps:
            a, b = top(mod), top(dep)
            if a != b and "rasd" not in (a, b):
                out.setdefault(a, set()).add(b)
    return out


def test_no_import_cycle_between_modules_issue16() -> None:
    assert cycles(import_graph()) == []


def test_no_import_cycle_between_packages_issue16() -> None:
    """store and engines used to import each other through ingest (ingest now lives above both)."""
    graph = _packages(import_graph())
    assert cycles(graph) == []
    assert "rasd.store" not in graph.get("rasd.engines", set())
    assert "rasd.engines" not in graph.get("rasd.store", set())


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", sorted((SRC / "store").glob("*.py")), ids=lambda p: p.name)
def test_store_modules_are_small_issue16(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


@pytest.mark.parametrize("path", sorted((SRC / "events").glob("*.py")), ids=lambda p: p.name)
def test_events_modules_are_small_issue14(path: Path) -> None:
    """The event coder is a package of named parts, none over 500 lines (it was one 2,700-line class)."""
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


def test_the_coder_is_split_into_parts_issue14() -> None:
    graph = import_graph()
    assert {"rasd.events.roles", "rasd.events.places", "rasd.events.decide"} <= graph["rasd.events.coder"]


def test_the_web_app_has_one_implementation_issue16() -> None:
    """No second filter / review / aggregation implementation beside the store's."""
    web = {p.name: p.read_text(encoding="utf-8") for p in (SRC / "web").glob("*.py")}
    assert "reviews.py" not in web
    for name, text in web.items():
        for gone in (
            "class MemoryBackend",
            "def aggregate(",
            "def apply_reviews(",
            "class ReviewLog",
            ".matches(",
        ):
            assert gone not in text, (name, gone)
    assert "def matches(" not in (SRC / "store" / "filters.py").read_text(encoding="utf-8")
