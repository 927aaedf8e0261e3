"""Building one rule: its checks, its conditions and its compiled reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from escalate import conditions as cond
from escalate.facts import (
    CLOSED,
    FactSpec,
    window_fact,
)
from escalate.models import MoveId
from escalate.rulebook.kit import check_source, compile_text
from escalate.rulebook.model import Rule
from escalate.rulebook.resolver import resolver
from escalate.rulebook.schemas import MovesFile, ParametersFile, RuleSpec
from escalate.strict import Problems


def build_rule(file: str, spec: RuleSpec, moves: MovesFile, params: ParametersFile,
                vocabulary: Mapping[str, FactSpec], derived: set[str], windowed: set[str],
                problems: Problems, samples: list[dict[str, Any]]) -> Rule | None:
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
    if spec.wording is not None:
        situations = next((m.for_situation for m in moves.moves if m.id == spec.move), {})
        if spec.wording not in situations:
            problems.add(file, f"unknown wording {spec.wording!r} for move {spec.move!r}; "
                         "accepted: " + (", ".join(situations) or "none (the move has no "
                                         "'for_situation' in moves.yaml)"),
                         spec.id, "wording", situations, near=spec.wording)
    check_source(file, spec.source, moves.documents, problems, spec.id)
    resolve = resolver(vocabulary, params, derived)
    when: cond.Dnf = ()
    unless: cond.Dnf | None = None
    try:
        when = cond.parse(spec.when, resolve, key="when")
    except cond.ConditionError as error:
        problems.add(file, error.message, spec.id, error.key, error.choices)
    if spec.unless is not None:
        try:
            unless = cond.parse(spec.unless, resolver(vocabulary, params, set()),
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
                source=spec.source, text=text, wording=spec.wording)
