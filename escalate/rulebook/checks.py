"""The checks of the catalogue, the parameters and the deadlines, beyond their shape."""

from __future__ import annotations

import re
import string

from escalate import conditions as cond
from escalate.facts import (
    VOCABULARY,
    duty_spec,
)
from escalate.models import MoveId
from escalate.rulebook.kit import check_source
from escalate.rulebook.names import DATE_SOURCES, DUTY_PLACEHOLDERS, MISSED_SOURCES, UNITS
from escalate.rulebook.resolver import resolver
from escalate.rulebook.schemas import (
    DeadlinesFile,
    DeadlineSpec,
    MovesFile,
    ParametersFile,
)
from escalate.strict import Problems


def check_moves(spec: MovesFile, problems: Problems) -> None:
    ids = [m.id for m in spec.moves]
    known = [m.value for m in MoveId]
    for move in spec.moves:
        if move.id not in known:  # only in a folder other than the installed catalogue
            problems.add("moves.yaml", f"unknown move {move.id!r} (a move id is lower-case "
                         "words joined by '_', and a new move is added to the installed "
                         "catalogue, escalate's rules/moves.yaml)", move.id, "id", known,
                         near=move.id)
        for source in move.sources:
            check_source("moves.yaml", source, spec.documents, problems, move.id)
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
        check_source("moves.yaml", exception.source, spec.documents, problems, name)


def check_parameters(spec: ParametersFile, problems: Problems) -> None:
    for name, param in spec.parameters.items():
        if param.unit not in UNITS:
            problems.add("parameters.yaml", f"unknown unit {param.unit!r}; accepted: "
                         + ", ".join(UNITS), name, "unit", UNITS, near=param.unit)
        for state in param.states:
            if not re.fullmatch(r"[A-Z]{2,3}", state):
                problems.add("parameters.yaml", f"state override {state!r} is not a state "
                             "code", name, "states")


def check_deadlines(spec: DeadlinesFile, params: ParametersFile,
                     problems: Problems) -> dict[str, cond.Dnf]:
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
                    deadline.only_if, resolver(vocabulary, params, set()), key="only_if")
            except cond.ConditionError as error:
                problems.add("deadlines.yaml", error.message, deadline.id, error.key,
                             error.choices)
        earlier.append(deadline.id)
        if deadline.owner != "family":
            vocabulary[duty_spec(deadline.id, deadline.owner).name] = duty_spec(
                deadline.id, deadline.owner)
    return parsed


def _check_template(deadline: DeadlineSpec, problems: Problems) -> None:
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


