"""The step catalogue of the advocates' guide (``features/README.md``, shipped as
``escalate.features``), read as data.

The guide's "Step catalogue" section holds fenced ``gherkin`` blocks of example lines.
They are the phrasings advocates copy from, the list a misspelled step is compared with,
and (in ``tests/bdd/test_vocabulary.py``) what the registered steps are checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from escalate.nearest import nearest_few
from escalate.resources import features_folder

GUIDE = features_folder() / "README.md"
CATALOGUE_HEADING = "## Step catalogue"
KEYWORDS = {"given": "given", "when": "when", "then": "then"}


@dataclass(frozen=True)
class Example:
    """One example line of the catalogue: its step kind and text (without keyword)."""

    kind: str
    text: str
    line: int

    def __str__(self) -> str:
        return f"{self.kind.capitalize()} {self.text}"


def examples(guide: Path = GUIDE) -> list[Example]:
    """Every example step line in the catalogue section, with And/But resolved."""
    found: list[Example] = []
    in_section = in_block = False
    kind = "given"
    for number, line in enumerate(guide.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("## "):
            in_section = line.strip() == CATALOGUE_HEADING
            continue
        if not in_section:
            continue
        if line.strip().startswith("```"):
            in_block = not in_block and line.strip().startswith("```gherkin")
            continue
        if not in_block:
            continue
        match = re.match(r"\s*(Given|When|Then|And|But)\s+(.*\S)\s*$", line)
        if match is None:
            continue
        word, text = match.group(1).lower(), match.group(2)
        if word in KEYWORDS:
            kind = KEYWORDS[word]
        found.append(Example(kind, text, number))
    return found


def closest(kind: str, text: str, n: int = 3) -> list[str]:
    """The catalogue lines nearest to a step, preferring lines of the same kind."""
    try:
        lines = examples()
    except OSError:
        return []
    same = {e.text: str(e) for e in lines if e.kind == kind}
    near = nearest_few(text, same, n=n, cutoff=0.5)
    if near:
        return [same[t] for t in near]
    every = {str(e): str(e) for e in lines}
    return nearest_few(f"{kind.capitalize()} {text}", every, n=n, cutoff=0.4)
