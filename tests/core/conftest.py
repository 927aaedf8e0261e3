"""Shared fixtures for the core tests: broken copies of the rules and small rulebooks
written for one test (the advisor on the real rules is ``tests/conftest.py``'s).

Broken rule folders are always a copy of the real ``rules/`` with one edit, so that each
test shows exactly which mistake produces which message.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from escalate import Escalate, default_rules_dir
from escalate.errors import RuleFileError, RuleProblem
from escalate.rulebook import load

RULES_DIR = default_rules_dir()
SPECIAL_FILES = ("moves.yaml", "parameters.yaml", "deadlines.yaml", "questions.yaml")


class RulesCopy:
    """A copy of the real rules folder that a test edits in place."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(RULES_DIR, root)

    def text(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def replace(self, name: str, old: str, new: str, count: int = 1) -> None:
        """Replace ``old`` (which must occur exactly ``count`` times) by ``new``."""
        text = self.text(name)
        assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {name}"
        self.write(name, text.replace(old, new))

    def remove_rule(self, name: str, rule_id: str) -> None:
        """Delete one rule (from its ``- id:`` line to the next rule or the end)."""
        text = self.text(name)
        start = text.index(f"  - id: {rule_id}\n")
        end = text.find("\n  - id: ", start + 1)
        self.write(name, text[:start] + (text[end + 1:] if end != -1 else ""))

    def start_problem(self) -> RuleProblem:
        """Build an advisor on the folder, which must refuse to start; the first problem
        it names (file, id, key, message)."""
        with pytest.raises(RuleFileError) as caught:
            Escalate.from_directory(self.root)
        return caught.value.problems[0]

    def problems(self) -> list[RuleProblem]:
        """Load the folder, which must fail; the problems it reports."""
        with pytest.raises(RuleFileError) as caught:
            load(self.root)
        assert caught.value.problems, "RuleFileError without any problem"
        return caught.value.problems


@pytest.fixture
def rules_copy(tmp_path: Path) -> RulesCopy:
    return RulesCopy(tmp_path / "rules")


SmallRulebook = Callable[..., Path]


@pytest.fixture
def small_rulebook(tmp_path: Path) -> SmallRulebook:
    """Build a rules folder from the real moves/parameters/deadlines and the rule files
    given as ``{"01_name.yaml": "yaml text"}``."""

    def build(files: dict[str, str], name: str = "small") -> Path:
        root = tmp_path / name
        root.mkdir()
        for special in SPECIAL_FILES:
            shutil.copy(RULES_DIR / special, root / special)
        for file_name, text in files.items():
            (root / file_name).write_text(text, encoding="utf-8")
        return root

    return build
