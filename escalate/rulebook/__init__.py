"""The rulebook: the files in ``rules/`` become one validated :class:`Rulebook`.

The folder holds:

- ``moves.yaml``: the source documents, the four rung-skipping exceptions, and the
  catalogue of moves, listed from least to most adversarial (that order is the ranking);
- ``parameters.yaml``: every number (day counts, windows, thresholds), dated, with its
  citation and per-state overrides;
- ``deadlines.yaml``: which date starts which clock, and which clocks close a move;
- ``NN_*.yaml``: the rules, one file per rung or group of companion moves;
- ``states/XX.yaml``: one file per state or territory: its due-process limit, evaluation
  and records clocks, each value dated, cited and with its confidence
  (see :mod:`escalate.states.schema`);
- ``parent_centers.yaml``: the parent centers of every state code, each with where it
  was verified (see :mod:`escalate.states.centers`).

Everything is validated before anything is used, and every problem is reported at once
with the file, the rule id and the key, and the nearest valid name where there is one. A
rulebook with any problem raises :class:`~escalate.errors.RuleFileError`; it never loads
in part.

The package's modules: :mod:`.names` (the fixed names of a rules folder), :mod:`.schemas`
(the files' shapes), :mod:`.model` (:class:`Rule`, :class:`Rulebook`), :mod:`.kit` (the
loading kit), :mod:`.checks` (catalogue, parameters, deadlines), :mod:`.resolver` (one
condition entry to a test), :mod:`.build` (one rule) and :mod:`.loader` (:func:`load`).
Every public name is importable from ``escalate.rulebook``.
"""

from __future__ import annotations

from escalate.rulebook.kit import check_source, compile_text
from escalate.rulebook.loader import load
from escalate.rulebook.model import Rule, Rulebook, cited, regulation_key, regulation_name
from escalate.rulebook.names import (
    DATA_FILES,
    DATE_SOURCES,
    DUTY_PLACEHOLDERS,
    MISSED_SOURCES,
    RECOMMENDED,
    RULE_FILE,
    SPECIAL_FILES,
    TEXT_DIR,
    UNITS,
)
from escalate.rulebook.schemas import (
    DeadlinesFile,
    DeadlineSpec,
    ExceptionSpec,
    MovesFile,
    MoveSpec,
    ParametersFile,
    ParameterSpec,
    PlanWording,
    RuleFileSpec,
    RuleSpec,
    SourceSpec,
    StateOverride,
)

__all__ = [
    "DATA_FILES", "DATE_SOURCES", "DUTY_PLACEHOLDERS", "MISSED_SOURCES", "RECOMMENDED",
    "RULE_FILE", "SPECIAL_FILES", "TEXT_DIR", "UNITS", "DeadlineSpec", "DeadlinesFile",
    "ExceptionSpec", "MoveSpec", "MovesFile", "ParameterSpec", "ParametersFile",
    "PlanWording", "Rule", "RuleFileSpec", "RuleSpec", "Rulebook", "SourceSpec",
    "StateOverride", "check_source", "cited", "compile_text", "load", "regulation_key",
    "regulation_name",
]
