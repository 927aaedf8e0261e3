"""The house plan (ARCHITECTURE.md) holds: the library never imports the service
(``escalate`` works without ``api``; the CLI's ``serve`` finds it through an entry point),
so the rules engine can be embedded alone; no two modules of the library import each
other, directly or round a circle, at the top of a file or inside a function; only the
engine imports durable_rules; the service reaches the library through its face; and
``import escalate`` loads no document library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "escalate"
SERVICE = ROOT / "api"
# What the service may import from the library: its face, the contract's models, the
# errors, and the package itself (its version).
FACE = {"escalate", "escalate.service", "escalate.models", "escalate.errors"}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str], root: Path = ROOT) -> set[str]:
    """The ``modules`` that ``path`` imports anywhere in it (top level, inside functions,
    under TYPE_CHECKING): ``from a.b import c`` is ``a.b.c`` when that is a module."""
    here = _module_name(path, root)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                     for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != here:
                found.add(name)
    return found


def _graph(folder: Path, root: Path = ROOT) -> dict[str, set[str]]:
    paths = sorted(folder.rglob("*.py"))
    modules = {_module_name(p, root) for p in paths}
    return {_module_name(p, root): _imports(p, modules, root) for p in paths}


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` (its modules in order, the first repeated at the
    end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_module_of_the_library_imports_the_service() -> None:
    offenders = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names
                          if n == "api" or n.startswith("api.")]
    assert not offenders


def test_the_command_line_runs_without_loading_the_service() -> None:
    code = ("import sys, escalate.cli as cli; cli.build_parser(); "
            "cli.main(['rules', 'check']); "
            "print([m for m in sys.modules if m == 'api' or m.startswith('api.')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_serve_is_found_through_the_entry_point() -> None:
    from importlib.metadata import entry_points

    from escalate.cli import COMMANDS_GROUP

    found = entry_points(group=COMMANDS_GROUP, name="serve")
    assert [e.value for e in found] == ["escalate_api.server:run"]


def test_no_module_of_the_library_imports_another_round_a_circle() -> None:
    circle = _circle(_graph(LIBRARY))
    assert circle is None, "import circle: " + " -> ".join(circle or [])


@pytest.mark.parametrize("folder", ["api", "bench"])
def test_no_module_of_the_service_or_the_bench_imports_another_round_a_circle(
        folder: str) -> None:
    circle = _circle(_graph(ROOT / folder))
    assert circle is None, "import circle: " + " -> ".join(circle or [])


def test_the_circle_finder_finds_a_circle_and_names_it() -> None:
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_a_lazy_or_type_checking_import_closes_a_circle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import thing\n")
    (package / "b.py").write_text("def thing() -> None:\n    from pkg import c\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\n"
                                  "if TYPE_CHECKING:\n    from . import a\n")
    assert _circle(_graph(package, tmp_path)) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_only_the_engine_imports_durable_rules() -> None:
    importers = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "durable" for n in names):
                importers.append(_module_name(path))
    assert sorted(set(importers)) == ["escalate.engine"]


def test_the_service_reaches_the_library_through_its_face() -> None:
    library = {_module_name(p) for p in LIBRARY.rglob("*.py")}
    reached = {}
    for path in sorted(SERVICE.rglob("*.py")):
        for module in _imports(path, library | {_module_name(p) for p in
                                                SERVICE.rglob("*.py")}):
            if module.split(".")[0] == "escalate":
                reached.setdefault(module, []).append(_module_name(path))
    assert set(reached) <= FACE, {m: by for m, by in reached.items() if m not in FACE}


def test_importing_the_library_loads_no_document_library() -> None:
    code = ("import sys, escalate; print(sorted(m for m in ('docx', 'icalendar', "
            "'weasyprint', 'markdown_it') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
