"""Loading a rules folder: every file validated, every problem reported at once."""

from __future__ import annotations

import re
from pathlib import Path

from escalate.errors import RuleFileError, RuleProblem
from escalate.facts import (
    REIMBURSEMENT_CLOCK,
    VOCABULARY,
    clock_fact,
    clock_spec,
    duty_spec,
    start_fact,
    start_spec,
    window_spec,
)
from escalate.models import MoveId
from escalate.rulebook.build import build_rule
from escalate.rulebook.checks import check_deadlines, check_moves, check_parameters
from escalate.rulebook.fingerprint import rules_version
from escalate.rulebook.kit import compile_text
from escalate.rulebook.model import Rule, Rulebook
from escalate.rulebook.names import DATA_FILES, RECOMMENDED, RULE_FILE, SPECIAL_FILES
from escalate.rulebook.schemas import DeadlinesFile, MovesFile, ParametersFile, RuleFileSpec
from escalate.states.centers import load_parent_centers
from escalate.states.schema import TOPICS as STATE_TOPICS
from escalate.states.schema import StateFile, load_states
from escalate.strict import Problems, load_file
from escalate.text import sample_contexts


def load(directory: Path | str) -> Rulebook:
    """Load and validate a rules folder. Raises RuleFileError listing every problem."""
    root = Path(directory)
    problems = Problems()
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

    moves_file = load_file(root / "moves.yaml", MovesFile, problems)
    params_file = load_file(root / "parameters.yaml", ParametersFile, problems)
    deadlines_file = load_file(root / "deadlines.yaml", DeadlinesFile, problems)
    validated = [(p, load_file(p, RuleFileSpec, problems))
                 for p in yaml_files if RULE_FILE.match(p.name)]
    if not validated:
        problems.add(root.name, "holds no rule files (NN_name.yaml)")
    if moves_file is None or params_file is None or deadlines_file is None:
        # Rules cannot be checked without the catalogue, the parameters and the deadlines.
        raise RuleFileError(problems.problems)
    # Rule files whose shape is wrong were reported; the others are still checked, so one
    # run reports every problem.
    rule_files = [(p, spec) for p, spec in validated if spec is not None]

    check_moves(moves_file, problems)
    check_parameters(params_file, problems)
    states = _load_states(root, params_file, problems)
    parent_centers = load_parent_centers(root, problems)
    vocabulary = dict(VOCABULARY)
    for deadline in deadlines_file.deadlines:
        if deadline.closes_move:
            vocabulary[window_spec(deadline.move).name] = window_spec(deadline.move)
        if deadline.owner != "family":
            duty = duty_spec(deadline.id, deadline.owner)
            vocabulary[duty.name] = duty
    for clock_id in [*(spec.id for spec in deadlines_file.deadlines), REIMBURSEMENT_CLOCK]:
        vocabulary[clock_fact(clock_id)] = clock_spec(clock_id)
        vocabulary[start_fact(clock_id)] = start_spec(clock_id)
    deadline_conditions = check_deadlines(deadlines_file, params_file, problems)

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
            rule = build_rule(path.name, spec, moves_file, params_file, vocabulary,
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
        version=rules_version(root),
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
                 problems: Problems) -> dict[str, StateFile]:
    """Load ``states/*.yaml``; a state value may not also be overridden in
    parameters.yaml's ``states:`` block (one place per fact)."""
    states = load_states(root / "states", problems)
    for code, spec in states.items():
        for topic, (param, _, _) in STATE_TOPICS.items():
            if param and spec.topic(topic) and code in params.parameters[param].states:
                problems.add("parameters.yaml", f"{param}: {code} is overridden both here "
                             f"and in states/{code}.yaml; keep it in states/{code}.yaml",
                             param, "states")
    return states


def _file_name_fixes(name: str) -> list[str]:
    """A likely intended name for a misnamed rule file ('5_Mediation.yml' ->
    '05_mediation.yaml'), or none."""
    match = re.match(r"^(\d{1,2})[_-]?([A-Za-z0-9_]+)\.ya?ml$", name)
    if not match:
        return []
    fixed = f"{int(match.group(1)):02d}_{match.group(2).lower()}.yaml"
    return [fixed] if RULE_FILE.match(fixed) else []
