"""The fact vocabulary rules are written in, and the projection of a case onto it.

A rule's conditions name facts such as ``history.written_concern`` or
``evaluation.parent_disagrees``. This module is the one list of those names, their types
and their accepted values; the loader checks every condition against it (and suggests the
nearest name on a typo), and :func:`case_facts` turns a validated case into exactly these
facts, every one always present, so that the engine never meets a missing key, a list or
a value of an unexpected type.

Facts derived by rules (``derive:``) and the ``recommended.<move>`` facts asserted when a
move is recommended are not listed here: the loader collects them from the rule files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from escalate.models import Case, MoveId, Outcome, SchoolResponse, Topic, ViolationKind

if TYPE_CHECKING:
    from collections.abc import Mapping

Scalar = bool | int | str

NOT_TRIED = "not_tried"
NO_CONCERN = "none"
NO_VIOLATION = "none"
NO_DATE = "no_date"
CLOSED = "closed"
WINDOW_STATES = ("open", "closing", CLOSED, NO_DATE)


@dataclass(frozen=True)
class FactSpec:
    """One fact rules may test: its type, and for text facts, the values it can take."""

    name: str
    kind: type
    description: str
    values: tuple[str, ...] = ()


def _enum(values: list[str], *extra: str) -> tuple[str, ...]:
    return (*values, *extra)


def _vocabulary() -> dict[str, FactSpec]:
    specs = [
        FactSpec("student.has_iep", bool, "the child has an IEP"),
        FactSpec("student.has_504_plan", bool, "the child has a Section 504 plan"),
        FactSpec("student.disability_suspected", bool, "a disability is suspected"),
        FactSpec("concern.topic", str, "what the disagreement is about ('none' when the case "
                 "gives no concern)", _enum([t.value for t in Topic], NO_CONCERN)),
        FactSpec("concern.school_response", str, "the school's answer so far ('none' when the "
                 "case gives no concern)", _enum([r.value for r in SchoolResponse], NO_CONCERN)),
        FactSpec("history.refusals", int, "how many moves in the history ended in refusal"),
        FactSpec("evaluation.completed", bool, "the district finished an evaluation"),
        FactSpec("evaluation.parent_disagrees", bool, "the parent disagrees with it"),
        FactSpec("evaluation.eligibility_denied", bool, "the child was found not eligible"),
        FactSpec("violation.alleged", bool, "the district is said to have broken a legal duty"),
        FactSpec("violation.kind", str, "the kind of duty ('none' when no violation is "
                 "alleged)", _enum([k.value for k in ViolationKind], NO_VIOLATION)),
        FactSpec("discipline.days_removed", int, "school days removed this school year"),
        FactSpec("discipline.change_of_placement_proposed", bool,
                 "the district proposes to change placement"),
    ]
    outcomes = _enum([o.value for o in Outcome], NOT_TRIED)
    for move_id in MoveId:
        specs.append(FactSpec(
            f"history.{move_id.value}", str,
            f"the latest outcome of '{move_id.value}' ('not_tried' if the history has none)",
            outcomes))
    return {spec.name: spec for spec in specs}


VOCABULARY: Mapping[str, FactSpec] = _vocabulary()
_MOVES = tuple((move_id.value, f"history.{move_id.value}") for move_id in MoveId)


def window_fact(move: str) -> str:
    """The name of the fact that says whether ``move``'s filing window is open."""
    return f"window.{move}"


def window_spec(move: str) -> FactSpec:
    return FactSpec(window_fact(move), str,
                    f"whether the window to take '{move}' is open, closing (30 days or "
                    "fewer left), closed, or has no start date in the case", WINDOW_STATES)


def latest_outcomes(case: Case) -> dict[str, str]:
    """The latest outcome of each move in the history.

    Entries are ordered by date; undated entries keep their place in the list and count
    as later than the dated entries before them.
    """
    keyed = []
    latest_date = 0
    for index, entry in enumerate(case.history):
        if entry.date:
            latest_date = max(latest_date, entry.date.toordinal())
        # an undated entry sorts with the latest date seen before it in the list
        keyed.append((entry.date.toordinal() if entry.date else latest_date, index, entry))
    outcomes: dict[str, str] = {}
    for _, _, entry in sorted(keyed, key=lambda item: (item[0], item[1])):
        outcomes[entry.move.value] = entry.outcome.value
    return outcomes


def case_facts(case: Case) -> dict[str, Scalar]:
    """Project a validated case onto the fact vocabulary, flat (``"a.b": value``).

    The ``window.<move>`` facts are added by the advisor once the clocks are computed
    (see :mod:`escalate.deadlines`), since the clocks themselves read these facts.
    Absent parts of the case read as "not reported": false, zero, 'none' or 'not_tried'.
    """
    outcomes = latest_outcomes(case)
    evaluation, violation, discipline = case.evaluation, case.violation, case.discipline
    facts: dict[str, Scalar] = {
        "student.has_iep": case.student.has_iep,
        "student.has_504_plan": case.student.has_504_plan,
        "student.disability_suspected": case.student.disability_suspected,
        "concern.topic": case.concern.topic.value if case.concern else NO_CONCERN,
        "concern.school_response":
            case.concern.school_response.value if case.concern else NO_CONCERN,
        "history.refusals": sum(1 for e in case.history if e.outcome is Outcome.refused),
        "evaluation.completed": bool(evaluation and evaluation.completed),
        "evaluation.parent_disagrees": bool(evaluation and evaluation.parent_disagrees),
        "evaluation.eligibility_denied": bool(evaluation and evaluation.eligibility_denied),
        "violation.alleged": bool(violation and violation.alleged),
        "violation.kind": (violation.kind.value if violation and violation.alleged
                           and violation.kind else NO_VIOLATION),
        "discipline.days_removed": discipline.days_removed if discipline else 0,
        "discipline.change_of_placement_proposed":
            bool(discipline and discipline.change_of_placement_proposed),
    }
    for move, name in _MOVES:
        facts[name] = outcomes.get(move, NOT_TRIED)
    return facts


def nest(flat: Mapping[str, Scalar]) -> dict[str, object]:
    """Turn ``{"a.b": v}`` into ``{"a": {"b": v}}``, the shape the engine matches on."""
    nested: dict[str, object] = {}
    for name, value in flat.items():
        head, _, tail = name.partition(".")
        if tail:
            group = nested.setdefault(head, {})
            assert isinstance(group, dict)
            group[tail] = value
        else:
            nested[head] = value
    return nested
