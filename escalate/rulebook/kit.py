"""What every loader of the rules folder reuses beyond :mod:`escalate.strict`: a
template's check and compilation naming file, id and key (:func:`compile_text`), and a
source's check against the seed documents (:func:`check_source`). Public: the letters'
loader (:mod:`escalate.letters.book`) uses them too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from escalate.rulebook.schemas import SourceSpec
from escalate.strict import Problems
from escalate.text import VARIABLES, Text, check


def compile_text(file: str, item_id: str | None, key: str, source: str,
                 samples: list[dict[str, Any]], problems: Problems,
                 variables: Mapping[str, Any] = VARIABLES, *, flow: bool = True
                 ) -> Text | None:
    """Check and compile one template (a reason, a summary, a letter); record each problem
    with the file, the id and the key (and the nearest known variable on a typo)."""
    text = " ".join(source.split()) if flow else source

    def report(message: str, name: str) -> None:
        problems.add(file, message, item_id, key, variables if name else (),
                     near=name.split(".")[0] if name else None)

    return check(text, report, samples, variables, flow=flow)


def check_source(file: str, source: SourceSpec, documents: Mapping[str, str],
                  problems: Problems, rule_id: str | None = None) -> None:
    if not source.document and not source.citation:
        problems.add(file, "every source names a seed document, a citation, or both",
                     rule_id, "source")
    if source.document and source.document not in documents:
        problems.add(file, f"unknown source document {source.document!r}", rule_id,
                     "source.document", documents, near=source.document)
    if source.section and not source.document:
        problems.add(file, "a section needs the document it is in", rule_id, "source.section")
