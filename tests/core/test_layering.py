"""The library never imports the service: ``escalate`` works without ``api`` (the CLI's
``serve`` finds it through an entry point), so the rules engine can be embedded alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2] / "escalate"


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
