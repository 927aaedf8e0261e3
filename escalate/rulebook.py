"""The strict loader: the files in ``rules/`` become one validated :class:`Rulebook`.

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
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from escalate import conditions as cond
from escalate.errors import RuleFileError, RuleProblem
from escalate.facts import (
    CLOSED,
    REIMBURSEMENT_CLOCK,
    VOCABULARY,
    FactSpec,
    clock_fact,
    clock_spec,
    duty_spec,
    start_fact,
    start_spec,
    window_fact,
    window_spec,
)
from escalate.models import MoveId
from escalate.states.centers import ParentCenter, load_parent_centers
from escalate.states.schema import TOPICS as STATE_TOPICS
from escalate.states.schema import StateFile, load_states
from escalate.text import VARIABLES, Text, check, sample_contexts

RULE_FILE = re.compile(r"^\d\d_[a-z0-9_]+\.yaml$")
SPECIAL_FILES = ("moves.yaml", "parameters.yaml", "deadlines.yaml")
# Read by other modules, beside the rules: the intake questions (escalate/explain/questions.py).
DATA_FILES = ("questions.yaml", "parent_centers.yaml")
RECOMMENDED = "recommended."
DATE_SOURCES = (
    "violation.date", "violation.known_date", "evaluation.date", "evaluation.consent_date",
    "student.last_iep_meeting", "discipline.decision_date", "student.date_of_birth",
    "resolution_meeting.date",
    *(f"history.{m.value}.date" for m in MoveId),
)
# The case's lists of dates on which a recurring duty was missed (a deadline's `missed`).
MISSED_SOURCES = ("student.missed_annual_reviews", "evaluation.missed_reevaluations")
TEXT_DIR = Path(__file__).resolve().parent / "text"  # the summary, phrases, calendar words
UNITS = ("days", "school_days", "business_days", "years", "count")
# What an overdue duty's sentence may name (see escalate.deadlines.compute).
DUTY_PLACEHOLDERS = ("due", "days", "as_of")


# ---------------------------------------------------------------- file schemas

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    document: str | None = None
    section: str | None = None
    citation: str | None = None


class ExceptionSpec(_Strict):
    title: str
    # where the moves it recommends are listed (escalate/ranking.py, first to last)
    rank: Literal["closing", "first", "urgent", "lead", "at_once", "available"] = "at_once"
    because: str
    source: SourceSpec


class PlanWording(_Strict):
    """A move's summary and how-to for children on another plan (ladder.md section 6:
    a 504 family is told '504 plan', '504 team', '504 coordinator', never 'IEP')."""

    summary: str | None = None
    how: list[str] | None = Field(None, min_length=1)


class MoveSpec(_Strict):
    id: str
    title: str
    rung: int | None = Field(None, ge=1)  # the rungs are numbered 1, 2, ... in the catalogue
    section_504_step: int | None = Field(None, ge=1, le=5)
    climb: bool = False  # may be the next step of the climb though it is no rung
    summary: str
    how: list[str] = Field(min_length=1)
    sources: list[SourceSpec] = Field(min_length=1)
    for_plan: dict[Literal["iep", "section_504", "none"], PlanWording] = Field(
        default_factory=dict)

    def wording(self, plan: str) -> tuple[str, list[str]]:
        """The summary and how-to for a child on ``plan``."""
        variant = self.for_plan.get(plan)  # type: ignore[call-overload]
        summary = variant.summary if variant and variant.summary else self.summary
        how = variant.how if variant and variant.how else self.how
        return " ".join(summary.split()), list(how)


class MovesFile(_Strict):
    documents: dict[str, str]
    regulations: dict[str, str] = Field(default_factory=dict)
    exceptions: dict[str, ExceptionSpec]
    moves: list[MoveSpec]


class StateOverride(_Strict):
    reference: str
    values: dict[dt.date, int]
    note: str | None = None


class ParameterSpec(_Strict):
    description: str
    unit: str
    reference: str
    values: dict[dt.date, int] = Field(min_length=1)
    states: dict[str, StateOverride] = Field(default_factory=dict)
    note: str | None = None


class ParametersFile(_Strict):
    parameters: dict[str, ParameterSpec]


class DeadlineSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    move: str
    label: str
    starts: str
    fallback: str | None = None
    length: str
    owner: Literal["family", "district", "state"] = "family"
    closes_move: bool = False
    recurs: bool = False
    missed: str | None = None
    only_if: dict[str, Any] | None = None
    overdue: str | None = None
    note: str | None = None


class DeadlinesFile(_Strict):
    deadlines: list[DeadlineSpec]


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    move: str | None = None
    derive: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    exception: str | None = None
    when: dict[str, Any]
    unless: dict[str, Any] | None = None
    because: str = Field(min_length=10)
    source: SourceSpec


class RuleFileSpec(_Strict):
    title: str
    about: str | None = None
    rules: list[RuleSpec] = Field(min_length=1)


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


def regulation_name(citation: str | None, names: Mapping[str, str]) -> str | None:
    """The short name of the regulation ``citation`` cites, or the citation itself."""
    key = regulation_key(citation, names)
    return names[key] if key is not None else citation


# ---------------------------------------------------------------- loading

def _nearest(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class _Collector:
    """Collects every problem so that one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []

    def add(self, file: str, message: str, rule_id: str | None = None,
            key: str | None = None, choices: Iterable[str] = (),
            near: str | None = None) -> None:
        """Record a problem; suggest the choice nearest to ``near`` (default: the key)."""
        word = near if near is not None else key
        suggestion = _nearest(word, choices) if word else None
        if suggestion == word:
            suggestion = None
        self.problems.append(RuleProblem(file, message, rule_id, key, suggestion))

    def from_validation(self, file: str, error: ValidationError, raw: Any,
                        model: type[BaseModel]) -> None:
        for item in error.errors(include_input=False, include_url=False):
            loc = [str(p) for p in item["loc"]]
            rule_id = _rule_id_at(raw, item["loc"])
            key = loc[-1] if loc else None
            choices: Iterable[str] = ()
            if item["type"] == "extra_forbidden":
                choices = _fields_at(model, item["loc"])
                message = "unknown key; accepted keys are " + ", ".join(sorted(choices))
            elif item["type"] == "missing":
                message = "required key is missing"
            else:
                message = item["msg"]
            if loc:
                message = f"{'.'.join(loc)}: {message}"
            self.add(file, message, rule_id, key, choices)


def _rule_id_at(raw: Any, loc: tuple[Any, ...]) -> str | None:
    """The id of the rule (or move, or deadline) an error location points into."""
    if len(loc) >= 2 and isinstance(raw, Mapping):
        items = raw.get(loc[0])
        if isinstance(items, list) and isinstance(loc[1], int) and loc[1] < len(items):
            entry = items[loc[1]]
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                return str(entry["id"])
        if isinstance(items, Mapping) and isinstance(loc[1], str):
            return loc[1]
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The accepted keys of the model at ``loc`` (minus its last element)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            current = _inner_model(info.annotation) if info else None
        else:
            current = None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_YAML = YAML(typ="safe", pure=True)


def _read_yaml(path: Path, problems: _Collector) -> Any:
    try:
        return _YAML.load(path.read_text(encoding="utf-8"))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.add(path.name, f"not valid YAML{where}: {problem}")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path.name, f"cannot be read: {error.__class__.__name__}")
    return None


def _validate(path: Path, model: type[BaseModel], problems: _Collector) -> Any:
    before = len(problems.problems)
    raw = _read_yaml(path, problems)
    if raw is None:
        if len(problems.problems) == before:  # not a YAML error already reported
            problems.add(path.name, "is empty")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.from_validation(path.name, error, raw, model)
        return None


def load(directory: Path | str) -> Rulebook:
    """Load and validate a rules folder. Raises RuleFileError listing every problem."""
    root = Path(directory)
    problems = _Collector()
    if not root.is_dir():
        raise RuleFileError([RuleProblem(str(root), "is not a folder of rule files")])

    yaml_files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))
    for path in yaml_files:
        if path.name not in (*SPECIAL_FILES, *DATA_FILES) and not RULE_FILE.match(path.name):
            problems.add(path.name, "unexpected file name: rule files are named like "
                         "'05_mediation.yaml' (two digits, underscore, lower-case name, "
                         ".yaml)", key=path.name, choices=_file_name_fixes(path.name))
    for name in SPECIAL_FILES:
        if not (root / name).is_file():
            problems.add(name, "is missing from the rules folder")
    if problems.problems:
        raise RuleFileError(problems.problems)

    moves_file = _validate(root / "moves.yaml", MovesFile, problems)
    params_file = _validate(root / "parameters.yaml", ParametersFile, problems)
    deadlines_file = _validate(root / "deadlines.yaml", DeadlinesFile, problems)
    validated = [(p, _validate(p, RuleFileSpec, problems))
                 for p in yaml_files if RULE_FILE.match(p.name)]
    if not validated:
        problems.add(root.name, "holds no rule files (NN_name.yaml)")
    if moves_file is None or params_file is None or deadlines_file is None:
        # Rules cannot be checked without the catalogue, the parameters and the deadlines.
        raise RuleFileError(problems.problems)
    # Rule files whose shape is wrong were reported; the others are still checked, so one
    # run reports every problem.
    rule_files = [(p, spec) for p, spec in validated if spec is not None]

    _check_moves(moves_file, problems)
    _check_parameters(params_file, problems)
    states = _load_states(root, params_file, problems)
    parent_centers = load_parent_centers(
        root, lambda file, message, code, key: problems.add(file, message, code, key),
        lambda path: _read_yaml(path, problems))
    vocabulary = dict(VOCABULARY)
    for spec in deadlines_file.deadlines:
        if spec.closes_move:
            vocabulary[window_spec(spec.move).name] = window_spec(spec.move)
        if spec.owner != "family":
            vocabulary[duty_spec(spec.id, spec.owner).name] = duty_spec(spec.id, spec.owner)
    for clock_id in [*(spec.id for spec in deadlines_file.deadlines), REIMBURSEMENT_CLOCK]:
        vocabulary[clock_fact(clock_id)] = clock_spec(clock_id)
        vocabulary[start_fact(clock_id)] = start_spec(clock_id)
    deadline_conditions = _check_deadlines(deadlines_file, params_file, problems)

    samples = sample_contexts()
    exception_texts = {
        name: text for name, exception in moves_file.exceptions.items()
        if (text := compile_text("moves.yaml", name, "because", exception.because, samples,
                                 problems)) is not None}
    derived_names = {spec.derive for _, f in rule_files for spec in f.rules if spec.derive}
    derived_names |= {RECOMMENDED + m.value for m in MoveId}
    windowed = {d.move for d in deadlines_file.deadlines if d.closes_move}
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, file_spec in rule_files:
        for spec in file_spec.rules:
            if spec.id in seen:
                problems.add(path.name, f"duplicate rule id (first defined in {seen[spec.id]})",
                             spec.id, "id")
                continue
            seen[spec.id] = path.name
            rule = _build_rule(path.name, spec, moves_file, params_file, vocabulary,
                               derived_names, windowed, problems, samples)
            if rule:
                rules.append(rule)
    if problems.problems:
        raise RuleFileError(problems.problems)
    thresholds = sorted(
        {t.parameter for r in rules for conj in r.dnf for t in conj if t.parameter}
        | {t.parameter for dnf in deadline_conditions.values() for conj in dnf for t in conj
           if t.parameter})

    return Rulebook(
        directory=root,
        version=_version(root, [*sorted(root.rglob("*.yaml")), *sorted(TEXT_DIR.glob("*.yaml"))]),
        documents=moves_file.documents,
        exceptions=moves_file.exceptions,
        moves=tuple(moves_file.moves),
        parameters=params_file.parameters,
        deadlines=tuple(deadlines_file.deadlines),
        rules=tuple(rules),
        vocabulary=vocabulary,
        deadline_conditions=deadline_conditions,
        states=states,
        parent_centers=parent_centers,
        threshold_parameters=tuple(thresholds),
        exception_texts=exception_texts,
        regulations=moves_file.regulations,
    )


def _load_states(root: Path, params: ParametersFile,
                 problems: _Collector) -> dict[str, StateFile]:
    """Load ``states/*.yaml``; a state value may not also be overridden in
    parameters.yaml's ``states:`` block (one place per fact)."""

    def read(path: Path) -> Any:
        before = len(problems.problems)
        raw = _read_yaml(path, problems)
        if raw is None and len(problems.problems) == before:
            problems.add(f"states/{path.name}", "is empty")
        return raw

    states = load_states(root / "states",
                         lambda file, message, state, key: problems.add(file, message, state,
                                                                        key),
                         read)
    for code, spec in states.items():
        for topic, (param, _, _) in STATE_TOPICS.items():
            if param and spec.topic(topic) and code in params.parameters[param].states:
                problems.add("parameters.yaml", f"{param}: {code} is overridden both here "
                             f"and in states/{code}.yaml; keep it in states/{code}.yaml",
                             param, "states")
    return states


def compile_text(file: str, item_id: str | None, key: str, source: str,
                 samples: list[dict[str, Any]], problems: _Collector,
                 variables: Mapping[str, Any] = VARIABLES, *, flow: bool = True
                 ) -> Text | None:
    """Check and compile one template (a reason, a summary, a letter); record each problem
    with the file, the id and the key (and the nearest known variable on a typo)."""
    text = " ".join(source.split()) if flow else source

    def report(message: str, name: str) -> None:
        problems.add(file, message, item_id, key, variables if name else (),
                     near=name.split(".")[0] if name else None)

    return check(text, report, samples, variables, flow=flow)


def _file_name_fixes(name: str) -> list[str]:
    """A likely intended name for a misnamed rule file ('5_Mediation.yml' ->
    '05_mediation.yaml'), or none."""
    match = re.match(r"^(\d{1,2})[_-]?([A-Za-z0-9_]+)\.ya?ml$", name)
    if not match:
        return []
    fixed = f"{int(match.group(1)):02d}_{match.group(2).lower()}.yaml"
    return [fixed] if RULE_FILE.match(fixed) else []


def _version(root: Path, files: list[Path]) -> str:
    """One hash over every data file that shapes the advice: the rules folder with its
    subfolders (states, letters, ...) and the product's own words (escalate/text)."""
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(root) if path.is_relative_to(root) else path.name
        digest.update(str(name).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def _check_source(file: str, source: SourceSpec, documents: Mapping[str, str],
                  problems: _Collector, rule_id: str | None = None) -> None:
    if not source.document and not source.citation:
        problems.add(file, "every source names a seed document, a citation, or both",
                     rule_id, "source")
    if source.document and source.document not in documents:
        problems.add(file, f"unknown source document {source.document!r}", rule_id,
                     "source.document", documents, near=source.document)
    if source.section and not source.document:
        problems.add(file, "a section needs the document it is in", rule_id, "source.section")


def _check_moves(spec: MovesFile, problems: _Collector) -> None:
    ids = [m.id for m in spec.moves]
    known = [m.value for m in MoveId]
    for move in spec.moves:
        if move.id not in known:  # only in a folder other than the installed catalogue
            problems.add("moves.yaml", f"unknown move {move.id!r} (a move id is lower-case "
                         "words joined by '_', and a new move is added to the installed "
                         "catalogue, escalate's rules/moves.yaml)", move.id, "id", known,
                         near=move.id)
        for source in move.sources:
            _check_source("moves.yaml", source, spec.documents, problems, move.id)
    for move_id in known:
        if move_id not in ids:
            problems.add("moves.yaml", f"move {move_id!r} is missing from the catalogue",
                         move_id, "moves")
    dupes = {m for m in ids if ids.count(m) > 1}
    for move_id in sorted(dupes):
        problems.add("moves.yaml", "move listed twice", move_id, "id")
    # The ladder is the rungs the catalogue holds: numbered from 1, once each, no gap.
    rungs = sorted(m.rung for m in spec.moves if m.rung is not None)
    if not rungs or rungs != list(range(1, len(rungs) + 1)):
        problems.add("moves.yaml", "the catalogue's rungs must be numbered 1, 2, 3 ... "
                     f"once each, without a gap (found: {', '.join(map(str, rungs)) or 'none'})",
                     None, "rung")
    for name, exception in spec.exceptions.items():
        _check_source("moves.yaml", exception.source, spec.documents, problems, name)


def _check_parameters(spec: ParametersFile, problems: _Collector) -> None:
    for name, param in spec.parameters.items():
        if param.unit not in UNITS:
            problems.add("parameters.yaml", f"unknown unit {param.unit!r}; accepted: "
                         + ", ".join(UNITS), name, "unit", UNITS, near=param.unit)
        for state in param.states:
            if not re.fullmatch(r"[A-Z]{2,3}", state):
                problems.add("parameters.yaml", f"state override {state!r} is not a state "
                             "code", name, "states")


def _check_deadlines(spec: DeadlinesFile, params: ParametersFile,
                     problems: _Collector) -> dict[str, cond.Dnf]:
    """Check every deadline; return the parsed ``only_if`` condition of each.

    A clock may start from an earlier clock's due date, and its ``only_if`` may test the
    duties of earlier clocks: the clocks are computed in file order.
    """
    move_ids = [m.value for m in MoveId]
    parsed: dict[str, cond.Dnf] = {}
    vocabulary = dict(VOCABULARY)
    earlier: list[str] = []
    for deadline in spec.deadlines:
        if deadline.id in earlier:
            problems.add("deadlines.yaml", "duplicate deadline id", deadline.id, "id")
        if deadline.move not in move_ids:
            problems.add("deadlines.yaml", f"unknown move {deadline.move!r}", deadline.id,
                         "move", move_ids, near=deadline.move)
        sources = (*DATE_SOURCES, *(f"deadline.{d}" for d in earlier))
        for key, value in (("starts", deadline.starts), ("fallback", deadline.fallback)):
            if value is not None and value not in sources:
                problems.add("deadlines.yaml", f"unknown date {value!r} (a case date, or "
                             "'deadline.<id>' of a deadline listed earlier)", deadline.id,
                             key, sources, near=value)
        if deadline.length not in params.parameters:
            problems.add("deadlines.yaml", f"unknown parameter {deadline.length!r}",
                         deadline.id, "length", params.parameters, near=deadline.length)
        if deadline.missed is not None and (deadline.missed not in MISSED_SOURCES
                                            or not deadline.recurs):
            problems.add("deadlines.yaml", "'missed' names the case's list of missed dates "
                         "of a duty that recurs; accepted: " + ", ".join(MISSED_SOURCES),
                         deadline.id, "missed", MISSED_SOURCES, near=deadline.missed)
        if deadline.owner == "family":
            if deadline.recurs:
                problems.add("deadlines.yaml", "only a district's or state's duty recurs; "
                             "the family's clocks close", deadline.id, "recurs")
            if deadline.overdue is not None:
                problems.add("deadlines.yaml", "only a district's or state's duty can be "
                             "overdue; the family's clocks close", deadline.id, "overdue")
        else:
            if deadline.closes_move:
                problems.add("deadlines.yaml", "a district's or state's duty never closes a "
                             "move: only the family's filing windows do", deadline.id,
                             "closes_move")
            _check_template(deadline, problems)
        if deadline.only_if is not None:
            try:
                parsed[deadline.id] = cond.parse(
                    deadline.only_if, _resolver(vocabulary, params, set()), key="only_if")
            except cond.ConditionError as error:
                problems.add("deadlines.yaml", error.message, deadline.id, error.key,
                             error.choices)
        earlier.append(deadline.id)
        if deadline.owner != "family":
            vocabulary[duty_spec(deadline.id, deadline.owner).name] = duty_spec(
                deadline.id, deadline.owner)
    return parsed


def _check_template(deadline: DeadlineSpec, problems: _Collector) -> None:
    """An overdue duty needs its sentence, naming only the placeholders compute fills."""
    if not deadline.overdue:
        problems.add("deadlines.yaml", "a district's or state's duty needs an 'overdue' "
                     "sentence saying, as the duty-holder's lateness, what was due when",
                     deadline.id, "overdue")
        return
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(deadline.overdue) if f}
    except ValueError as error:
        problems.add("deadlines.yaml", f"the 'overdue' sentence cannot be read: {error}",
                     deadline.id, "overdue")
        return
    for name in sorted(names - set(DUTY_PLACEHOLDERS)):
        problems.add("deadlines.yaml", f"unknown placeholder {{{name}}} in the 'overdue' "
                     "sentence; accepted: " + ", ".join(DUTY_PLACEHOLDERS), deadline.id,
                     "overdue", DUTY_PLACEHOLDERS, near=name)


def _resolver(vocabulary: Mapping[str, FactSpec], params: ParametersFile,
              derived: set[str]) -> cond.Resolver:
    """Turn one ``fact: test`` entry into a Test, checking names, types and values."""

    def resolve(name: str, raw: Any) -> cond.Test:
        if name in derived:
            if raw is not True:
                raise cond.ConditionError(name, "a derived fact can only be required "
                                          "('true'); it cannot be denied")
            return cond.Test(name, "holds")
        spec = vocabulary.get(name)
        if spec is None:
            raise cond.ConditionError(name, f"unknown fact {name!r}",
                                      [*vocabulary, *derived])
        if isinstance(raw, Mapping):
            if len(raw) != 1:
                raise cond.ConditionError(name, "a test has exactly one operator: not, "
                                          + ", ".join(cond.NUMERIC_OPS))
            (op_word, operand), = raw.items()
            if op_word == "not":
                return cond.Test(name, "not_in", _values(name, spec, operand))
            if op_word in cond.NUMERIC_OPS:
                if spec.kind is not int:
                    raise cond.ConditionError(name, f"{op_word!r} needs a number fact; "
                                              f"{name!r} is not one")
                if isinstance(operand, str):
                    # A parameter: its value depends on the case's state and date, so it
                    # is resolved per case (escalate.states.clocks.thresholds).
                    _number(name, operand, params)
                    return cond.Test(name, cond.NUMERIC_OPS[op_word], (), operand)
                return cond.Test(name, cond.NUMERIC_OPS[op_word],
                                 (_number(name, operand, params),))
            raise cond.ConditionError(str(op_word), f"unknown operator {op_word!r}",
                                      ["not", *cond.NUMERIC_OPS])
        return cond.Test(name, "in", _values(name, spec, raw))

    return resolve


def _values(name: str, spec: FactSpec, raw: Any) -> tuple[cond.Value, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise cond.ConditionError(name, "an empty list matches nothing")
    out: list[cond.Value] = []
    for item in items:
        if spec.kind is bool:
            if not isinstance(item, bool):
                raise cond.ConditionError(name, f"{name!r} is true or false")
        elif spec.kind is int:
            if not isinstance(item, int) or isinstance(item, bool):
                raise cond.ConditionError(name, f"{name!r} is a whole number")
        else:
            if not isinstance(item, str) or item not in spec.values:
                shown = item if isinstance(item, str) else repr(item)
                raise cond.ConditionError(
                    name, f"{shown!r} is not a value of {name!r}; accepted: "
                    + ", ".join(spec.values), spec.values)
        out.append(item)
    return tuple(out)


def _number(name: str, raw: Any, params: ParametersFile) -> int:
    if isinstance(raw, bool):
        raise cond.ConditionError(name, "needs a number or a parameter name")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        spec = params.parameters.get(raw)
        if spec is None:
            raise cond.ConditionError(raw, f"unknown parameter {raw!r}", params.parameters)
        return spec.values[max(spec.values)]
    raise cond.ConditionError(name, "needs a number or a parameter name")


def _build_rule(file: str, spec: RuleSpec, moves: MovesFile, params: ParametersFile,
                vocabulary: Mapping[str, FactSpec], derived: set[str], windowed: set[str],
                problems: _Collector, samples: list[dict[str, Any]]) -> Rule | None:
    """Check one rule and build it. A rule recommending a move with a filing window gets
    one more condition, ``window.<move> is not closed``: once a window has passed the move
    is never recommended, so nothing can chain on it either."""
    before = len(problems.problems)
    move_ids = [m.value for m in MoveId]
    if (spec.move is None) == (spec.derive is None):
        problems.add(file, "a rule has exactly one of 'move' (what it recommends) or "
                     "'derive' (the fact it establishes)", spec.id, "move")
    if spec.move is not None and spec.move not in move_ids:
        problems.add(file, f"unknown move {spec.move!r}", spec.id, "move", move_ids, near=spec.move)
    if spec.exception is not None:
        if spec.exception not in moves.exceptions:
            problems.add(file, f"unknown exception {spec.exception!r}; accepted: "
                         + ", ".join(moves.exceptions), spec.id, "exception",
                         moves.exceptions, near=spec.exception)
        if spec.move is None:
            problems.add(file, "only a rule that recommends a move can be an exception",
                         spec.id, "exception")
    _check_source(file, spec.source, moves.documents, problems, spec.id)
    resolve = _resolver(vocabulary, params, derived)
    when: cond.Dnf = ()
    unless: cond.Dnf | None = None
    try:
        when = cond.parse(spec.when, resolve, key="when")
    except cond.ConditionError as error:
        problems.add(file, error.message, spec.id, error.key, error.choices)
    if spec.unless is not None:
        try:
            unless = cond.parse(spec.unless, _resolver(vocabulary, params, set()),
                                key="unless")
        except cond.ConditionError as error:
            message = error.message
            if error.key in derived:
                message = (f"'unless' may only test case facts; {error.key!r} is derived by "
                           "a rule and can only be required in 'when'")
            problems.add(file, message, spec.id, error.key, error.choices)
    text = compile_text(file, spec.id, "because", spec.because, samples, problems)
    if len(problems.problems) > before or text is None:
        return None
    if spec.move in windowed:
        guard = cond.Test(window_fact(spec.move), "not_in", (CLOSED,))
        when = tuple(tuple(sorted({*conj, guard})) for conj in when)
    return Rule(id=spec.id, file=file, move=spec.move, derive=spec.derive,
                exception=spec.exception, when=when, unless=unless,
                dnf=cond.combine(when, unless), because=" ".join(spec.because.split()),
                source=spec.source, text=text)
