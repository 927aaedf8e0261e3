"""The loaded rulebook: :class:`Rule` and :class:`Rulebook`, and the names of the
regulations a source cites."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from escalate import conditions as cond
from escalate.facts import (
    FactSpec,
)
from escalate.rulebook.names import RECOMMENDED
from escalate.rulebook.schemas import (
    DeadlineSpec,
    ExceptionSpec,
    MoveSpec,
    ParameterSpec,
    SourceSpec,
)
from escalate.states.centers import ParentCenter
from escalate.states.schema import StateFile
from escalate.text import Text

# ---------------------------------------------------------------- the loaded rulebook

@dataclass(frozen=True)
class Rule:
    """One validated rule, its conditions in disjunctive normal form."""

    id: str
    file: str
    move: str | None
    derive: str | None
    exception: str | None
    when: cond.Dnf
    unless: cond.Dnf | None
    dnf: cond.Dnf
    because: str
    source: SourceSpec
    text: Text | None = None  # ``because`` compiled (a template over the case's facts)
    wording: str | None = None  # the move's situation wording it names (``for_situation``)

    @property
    def asserts(self) -> str:
        """The derived fact this rule asserts when it fires."""
        return self.derive if self.derive else RECOMMENDED + str(self.move)


@dataclass(frozen=True)
class Rulebook:
    """Everything loaded from one rules folder, validated."""

    directory: Path
    version: str
    documents: Mapping[str, str]
    exceptions: Mapping[str, ExceptionSpec]
    moves: tuple[MoveSpec, ...]
    parameters: Mapping[str, ParameterSpec]
    deadlines: tuple[DeadlineSpec, ...]
    rules: tuple[Rule, ...]
    vocabulary: Mapping[str, FactSpec] = field(default_factory=dict)
    deadline_conditions: Mapping[str, cond.Dnf] = field(default_factory=dict)
    states: Mapping[str, StateFile] = field(default_factory=dict)
    parent_centers: Mapping[str, tuple[ParentCenter, ...]] = field(default_factory=dict)
    threshold_parameters: tuple[str, ...] = ()
    exception_texts: Mapping[str, Text] = field(default_factory=dict)
    regulations: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def _positions(self) -> dict[str, tuple[int, MoveSpec]]:
        return {m.id: (i, m) for i, m in enumerate(self.moves)}

    def move(self, move_id: str) -> MoveSpec:
        return self._positions[move_id][1]

    def source_title(self, source: SourceSpec,
                     regulations: Mapping[str, str] | None = None) -> str | None:
        """What a person reads for a source: the seed article's title, else the short
        name of the regulation cited (longest matching key in ``regulations``: the
        rulebook's English names unless translated ones are given), else the citation
        itself."""
        if source.document:
            return self.documents.get(source.document)
        return regulation_name(source.citation,
                               self.regulations if regulations is None else regulations)

    def rank(self, move_id: str) -> int:
        """Position in the catalogue: 0 is the least adversarial move."""
        return self._positions[move_id][0]


def regulation_key(citation: str | None, names: Mapping[str, str]) -> str | None:
    """The key of ``names`` (a regulation) that ``citation`` cites: the longest prefix."""
    if not citation:
        return None
    keys = [k for k in names if citation.startswith(k)]
    return max(keys, key=len) if keys else None


_NUMBER = re.compile(r"\d")


def cited(citation: str | None, names: Mapping[str, str]) -> str | None:
    """``citation`` as a reader of another language reads it, ``names`` being the
    regulations' names in that language: each part (parts are separated by "; ") that
    cites a document by its title alone, with no number in it (OCR's complaint
    procedures, its case processing manual), is given by the document's name in that
    language; a numbered citation (34 CFR 104.36, a statute, a memo's number) stays as
    written."""
    if not citation:
        return citation
    return "; ".join(names.get(part, part) if part in names and not _NUMBER.search(part)
                     else part for part in citation.split("; "))


def regulation_name(citation: str | None, names: Mapping[str, str]) -> str | None:
    """The short name of the regulation ``citation`` cites, or the citation itself."""
    key = regulation_key(citation, names)
    return names[key] if key is not None else citation


