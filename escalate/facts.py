"""The fact vocabulary rules are written in, and the projection of a case onto it.

A rule's conditions name facts such as ``history.written_concern`` or
``evaluation.parent_disagrees``. This module is the one list of those names: each fact of
the case is declared once in :data:`CASE_FACTS` (name, type, accepted values, what it says,
its source, and the reader that takes it from a case). The loader checks every condition
against them (and suggests the nearest name on a typo), :func:`case_facts` turns a
validated case into exactly these facts, every one always present, so that the engine
never meets a missing key, a list or a value of an unexpected type, and
:func:`markdown_table` writes the table of rules/README.md (``escalate rules facts
--markdown``).

Facts derived by rules (``derive:``) and the ``recommended.<move>`` facts asserted when a
move is recommended are not listed here: the loader collects them from the rule files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from escalate.models import (
    Case,
    ManifestationResult,
    MoveId,
    Outcome,
    ResolutionOutcome,
    SchoolResponse,
    SpecialCircumstance,
    Topic,
    ViolationKind,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

Scalar = bool | int | str

NOT_TRIED = "not_tried"
NO_CONCERN = "none"
NO_VIOLATION = "none"
NO_DATE = "no_date"
CLOSED = "closed"
# A family window whose date has passed, counted from a date the case did not give (another
# of its dates stood in): never declared closed on that (ladder.md section 12).
MAY_BE_CLOSED = "may_be_closed"
CLOSING = "closing"
WINDOW_STATES = ("open", CLOSING, CLOSED, MAY_BE_CLOSED, NO_DATE)
# A duty the district (or the state) owes: not started by the case's dates, still running,
# or past its due date (ladder.md section 7).
NO_DUTY = "none"
RUNNING = "running"
OVERDUE = "overdue"
DUTY_STATES = (NO_DUTY, RUNNING, OVERDUE)
# Every clock's state on ``as_of`` (ladder.md section 12): not started by the case's dates,
# running, closing (a family window with 30 days or fewer left), closed (a family window
# passed on the case's own dates), may_be_closed (passed, counted from a date the case did
# not give), or overdue (a duty not done by its date).
NOT_STARTED = "not_started"
CLOCK_STATES = (NOT_STARTED, RUNNING, CLOSING, CLOSED, MAY_BE_CLOSED, OVERDUE)
# Whether a clock's start date is the case's own (given), another date of the case that
# stood in for it (assumed), or none (the clock has not started).
GIVEN = "given"
ASSUMED = "assumed"
START_BASES = (GIVEN, ASSUMED, "none")
# The state's limit on a due process claim for reimbursement of a private placement
# (escalate.states.clocks.reimbursement_deadlines): a family clock of its own.
REIMBURSEMENT_CLOCK = "reimbursement_limit"
# Which track the child is on (ladder.md section 6): an IEP, only a Section 504 plan, or
# neither yet.
PLANS = ("iep", "section_504", "none")
# When a dated event the case names falls (a hearing, a placement change): no date given,
# still to come (as_of included), or passed.
UPCOMING = "upcoming"
PASSED = "passed"
TIMINGS = (NO_DATE, UPCOMING, PASSED)
# Whether the parent's written concern or evaluation request came before the behaviour
# (34 CFR 300.534(b)): 'unknown' when the case lacks a date to compare.
ORDERS = ("before", "after", "unknown")
NO_OUTCOME = "none"


@dataclass(frozen=True)
class FactSpec:
    """One fact rules may test, declared once: its name, its type, for text facts the values
    it can take, what it says, the law it comes from (when it is law), and how it is read
    from a case (``read``; none for the families the advisor adds from the clocks).

    The projection (:func:`case_facts`), the rulebook's checks of every condition, the
    intake questions' check and the table of rules/README.md (``escalate rules facts
    --markdown``) all derive from these declarations.
    """

    name: str
    kind: type
    description: str
    values: tuple[str, ...] = ()
    source: str = ""
    read: Callable[[Case], Scalar] | None = field(default=None, compare=False, repr=False)


def _enum(values: Iterable[str], *extra: str) -> tuple[str, ...]:
    return (*values, *extra)




def window_fact(move: str) -> str:
    """The name of the fact that says whether ``move``'s filing window is open."""
    return f"window.{move}"


def window_spec(move: str) -> FactSpec:
    return FactSpec(window_fact(move), str,
                    f"whether the window to take '{move}' is open, closing (30 days or "
                    "fewer left), closed, may_be_closed (passed, counted from a date the "
                    "case did not give), or has no start date in the case", WINDOW_STATES)


def clock_fact(clock_id: str) -> str:
    """The name of the fact that holds the state of clock ``clock_id`` on ``as_of``."""
    return f"clock.{clock_id}"


def clock_spec(clock_id: str) -> FactSpec:
    return FactSpec(clock_fact(clock_id), str,
                    f"the state of the clock '{clock_id}' on as_of: not started by the case's "
                    "dates, running, closing (a family window with 30 days or fewer left), "
                    "closed, may_be_closed (passed, counted from a date the case did not "
                    "give) or overdue (a duty not done by its date)", CLOCK_STATES)


def start_fact(clock_id: str) -> str:
    """The name of the fact that says whether clock ``clock_id`` counts from a date the
    case gave or from another date that stood in for it."""
    return f"clock_start.{clock_id}"


def start_spec(clock_id: str) -> FactSpec:
    return FactSpec(start_fact(clock_id), str,
                    f"whether the clock '{clock_id}' counts from a date the case gave "
                    "('given'), from another of its dates standing in for it ('assumed'), "
                    "or has not started ('none')", START_BASES)


def duty_fact(deadline_id: str) -> str:
    """The name of the fact that says whether the duty behind ``deadline_id`` is overdue."""
    return f"duty.{deadline_id}"


def duty_spec(deadline_id: str, owner: str) -> FactSpec:
    return FactSpec(duty_fact(deadline_id), str,
                    f"whether the {owner}'s duty '{deadline_id}' is not started by the case's "
                    "dates ('none'), still running, or overdue", DUTY_STATES)


def plan_of(case: Case) -> str:
    """The child's track (ladder.md section 6): an IEP puts the child on the IDEA track
    whatever else they have; a 504 plan alone puts them on the Section 504 track."""
    if case.student.has_iep:
        return "iep"
    return "section_504" if case.student.has_504_plan else "none"


def violation_kind(case: Case) -> str:
    """The kind of violation alleged. An allegation without a kind is read as an
    unspecified IDEA violation ('other'); the advice says it assumed so."""
    violation = case.violation
    if violation is None or not violation.alleged:
        return NO_VIOLATION
    return violation.kind.value if violation.kind else ViolationKind.other.value


def timing(day: dt.date | None, as_of: dt.date) -> str:
    """Whether a dated event is still to come on ``as_of`` (the day itself included)."""
    if day is None:
        return NO_DATE
    return UPCOMING if day >= as_of else PASSED


# The parent's acts that give the district knowledge of a possible disability
# (34 CFR 300.534(b)(1), (2)): a written concern, or a request for an evaluation.
_NOTICE_MOVES = ("written_concern", "request_evaluation")


def parent_notice_order(case: Case) -> str:
    """Whether the parent's written concern or evaluation request came before the behaviour
    the child is disciplined for: the district's knowledge must exist "before the behavior
    that precipitated the disciplinary action occurred" (34 CFR 300.534(b)). 'unknown'
    unless the case dates both the behaviour and such a request."""
    behavior = case.discipline.behavior_date if case.discipline else None
    dates = [e.date for e in case.history if e.move.value in _NOTICE_MOVES and e.date]
    if behavior is None or not dates:
        return "unknown"
    return "before" if min(dates) < behavior else "after"


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


def unanswered_twice(case: Case) -> bool:
    """Whether one move in the history went unanswered at least twice: two unanswered
    contacts with the same person move the next step to the person above (ladder.md
    section 12; seed 003)."""
    counts: dict[str, int] = {}
    for entry in case.history:
        if entry.outcome is Outcome.no_response:
            counts[entry.move.value] = counts.get(entry.move.value, 0) + 1
    return any(n >= 2 for n in counts.values())


def _refusals(case: Case) -> int:
    return sum(1 for e in case.history if e.outcome is Outcome.refused)


# The facts a case gives, one declaration each, in the order rules/README.md lists them
# (and the explanation weighs questions that change the advice alike). A part the case
# leaves out reads as "not reported": false, zero, 'none' or 'not_tried'.
CASE_FACTS: tuple[FactSpec, ...] = (
    FactSpec("student.has_iep", bool, "the child has an IEP",
             read=lambda c: c.student.has_iep),
    FactSpec("student.has_504_plan", bool, "the child has a Section 504 plan",
             read=lambda c: c.student.has_504_plan),
    FactSpec("student.disability_suspected", bool, "a disability is suspected",
             read=lambda c: c.student.disability_suspected),
    FactSpec("student.plan", str, "the track the child is on: 'iep' (an IEP, with or without "
             "a 504 plan), 'section_504' (a 504 plan and no IEP) or 'none'", PLANS,
             source="ladder.md section 6", read=plan_of),
    FactSpec("student.needs_interpreter", bool,
             "the parent needs an interpreter or documents in another language",
             read=lambda c: c.student.needs_interpreter),
    FactSpec("student.from_early_intervention", bool,
             "the child is moving from early intervention (IDEA Part C)",
             source="34 CFR 300.124(b)", read=lambda c: c.student.from_early_intervention),
    FactSpec("student.services_refused", bool,
             "the parent refused special-education services", source="34 CFR 300.534(c)(1)",
             read=lambda c: c.student.services_refused),
    FactSpec("student.behavior_impedes_learning", bool, "the child's behaviour impedes "
             "learning", source="34 CFR 300.324(a)(2)(i)",
             read=lambda c: c.student.behavior_impedes_learning),
    FactSpec("student.restraint_or_seclusion", bool,
             "the family reports restraint or seclusion", source="34 CFR 300.324(a)(2)(i)",
             read=lambda c: c.student.restraint_or_seclusion),
    FactSpec("concern.placement_change_proposed", bool,
             "the district proposes to change placement, outside discipline",
             read=lambda c: bool(c.concern and c.concern.placement_change_proposed)),
    FactSpec("concern.placement_change_timing", str,
             "when the proposed placement change takes effect: 'no_date', 'upcoming' "
             "(as_of or later) or 'passed' (from concern.placement_change_date)", TIMINGS,
             source="34 CFR 300.518(a)",
             read=lambda c: timing(c.concern.placement_change_date if c.concern else None,
                                   c.as_of)),
    FactSpec("concern.topic", str, "what the disagreement is about ('none' when the case "
             "gives no concern)", _enum((t.value for t in Topic), NO_CONCERN),
             read=lambda c: c.concern.topic.value if c.concern else NO_CONCERN),
    FactSpec("concern.school_response", str, "the school's answer so far ('none' when the "
             "case gives no concern)", _enum((r.value for r in SchoolResponse), NO_CONCERN),
             read=lambda c: c.concern.school_response.value if c.concern else NO_CONCERN),
    FactSpec("history.refusals", int, "how many moves in the history ended in refusal",
             read=_refusals),
    FactSpec("concern.unanswered_twice", bool,
             "the family made the same move at least twice and got no answer either "
             "time (the next addressee is the person above)",
             source="ladder.md section 12; seed 003", read=unanswered_twice),
    FactSpec("evaluation.completed", bool, "the district finished an evaluation",
             read=lambda c: bool(c.evaluation and c.evaluation.completed)),
    FactSpec("evaluation.parent_disagrees", bool, "the parent disagrees with it",
             read=lambda c: bool(c.evaluation and c.evaluation.parent_disagrees)),
    FactSpec("evaluation.eligibility_denied", bool, "the child was found not eligible",
             read=lambda c: bool(c.evaluation and c.evaluation.eligibility_denied)),
    FactSpec("evaluation.consent_refused", bool,
             "the parent refused consent to an evaluation", source="34 CFR 300.534(c)(1)",
             read=lambda c: bool(c.evaluation and c.evaluation.consent_refused)),
    FactSpec("violation.alleged", bool, "the district is said to have broken a legal duty",
             read=lambda c: bool(c.violation and c.violation.alleged)),
    FactSpec("violation.kind", str, "the kind of duty ('none' when no violation is "
             "alleged; 'other' when one is alleged without a kind: the advice treats it as "
             "an unspecified IDEA violation and says it assumed so)",
             _enum((k.value for k in ViolationKind), NO_VIOLATION), read=violation_kind),
    FactSpec("discipline.days_removed", int, "school days removed this school year",
             source="34 CFR 300.536",
             read=lambda c: c.discipline.days_removed if c.discipline else 0),
    FactSpec("discipline.change_of_placement_proposed", bool,
             "the district proposes to change placement as discipline",
             source="34 CFR 300.536",
             read=lambda c: bool(c.discipline and c.discipline.change_of_placement_proposed)),
    FactSpec("discipline.consecutive_days", int,
             "school days of the longest single removal this year", source="34 CFR 300.536",
             read=lambda c: c.discipline.consecutive_days if c.discipline else 0),
    FactSpec("discipline.special_circumstances", str,
             "weapon, drugs or serious bodily injury, or 'none'",
             tuple(c.value for c in SpecialCircumstance), source="34 CFR 300.530(g)",
             read=lambda c: (c.discipline.special_circumstances.value if c.discipline
                             else SpecialCircumstance.none.value)),
    FactSpec("discipline.manifestation_result", str,
             "what the manifestation determination found, or 'not_held'",
             tuple(r.value for r in ManifestationResult), source="34 CFR 300.530(e)",
             read=lambda c: (c.discipline.manifestation_result.value if c.discipline
                             else ManifestationResult.not_held.value)),
    FactSpec("discipline.parent_disagrees_with_result", bool,
             "the parent disagrees with the manifestation or placement decision",
             read=lambda c: bool(c.discipline and c.discipline.parent_disagrees_with_result)),
    FactSpec("discipline.staff_reported_behavior", bool,
             "staff reported a pattern of behaviour to supervisors",
             source="34 CFR 300.534(b)(3)",
             read=lambda c: bool(c.discipline and c.discipline.staff_reported_behavior)),
    FactSpec("discipline.hearing_timing", str,
             "the expulsion or long-term suspension hearing: 'no_date', 'upcoming' "
             "(as_of or later) or 'passed' (from discipline.hearing_date)", TIMINGS,
             source="34 CFR 300.530(e)",
             read=lambda c: timing(c.discipline.hearing_date if c.discipline else None,
                                   c.as_of)),
    FactSpec("discipline.parent_notice_before_behavior", str,
             "whether the parent's written concern or evaluation request is dated before "
             "the behaviour (discipline.behavior_date): 'before', 'after', or 'unknown' "
             "without both dates", ORDERS, source="34 CFR 300.534(b)",
             read=parent_notice_order),
    FactSpec("resolution_meeting.held", bool,
             "the resolution meeting after a due process complaint was held",
             source="34 CFR 300.510",
             read=lambda c: bool(c.resolution_meeting and c.resolution_meeting.held)),
    FactSpec("resolution_meeting.outcome", str,
             "what came of it: 'agreement', 'no_agreement', or 'none' when not said",
             _enum((o.value for o in ResolutionOutcome), NO_OUTCOME), source="34 CFR 300.510",
             read=lambda c: (c.resolution_meeting.outcome.value
                             if c.resolution_meeting and c.resolution_meeting.outcome
                             else NO_OUTCOME)),
)

OUTCOMES = _enum((o.value for o in Outcome), NOT_TRIED)


def history_fact(move: str) -> str:
    """The name of the fact that holds the latest outcome of ``move`` in the history."""
    return f"history.{move}"


def history_spec(move: str) -> FactSpec:
    return FactSpec(history_fact(move), str,
                    f"the latest outcome of '{move}' ('not_tried' if the history has none)",
                    OUTCOMES)


VOCABULARY: Mapping[str, FactSpec] = {
    spec.name: spec for spec in (*CASE_FACTS, *(history_spec(m.value) for m in MoveId))}
_HISTORY = tuple((move.value, history_fact(move.value)) for move in MoveId)


@dataclass(frozen=True)
class FactFamily:
    """A fact per move or per clock, named from a pattern (for the docs table)."""

    pattern: str
    values: tuple[str, ...]
    description: str
    source: str = ""


# The families of facts the case and its clocks give, beside CASE_FACTS.
FAMILIES: tuple[FactFamily, ...] = (
    FactFamily("history.<move id>", OUTCOMES,
               "the latest outcome of that move in the history ('not_tried' if it has none)"),
    FactFamily("window.<move>", WINDOW_STATES,
               "for moves with a filing window: the family's clocks for the move summed up "
               "(open while any keeps it open; closing with 30 days or fewer left; closed "
               "only when passed on the case's own dates; may_be_closed when passed, counted "
               "from a date the case did not give)", "ladder.md section 12"),
    FactFamily("duty.<deadline id>", DUTY_STATES,
               "for the district's and the state's duties in deadlines.yaml: not started by "
               "the case's dates ('none'), still running, or overdue", "ladder.md section 7"),
    FactFamily("clock.<deadline id>, clock.reimbursement_limit", CLOCK_STATES,
               "every clock's state on as_of: not started, running, closing (a family "
               "window with 30 days or fewer left), closed, may_be_closed (passed, counted "
               "from a date the case did not give), overdue (a duty not done by its date)",
               "ladder.md section 12"),
    FactFamily("clock_start.<deadline id>", START_BASES,
               "whether the clock counts from the case's own date ('given'), another of "
               "its dates standing in ('assumed'), or has not started ('none')",
               "ladder.md section 12"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _values_cell(kind: type, values: tuple[str, ...]) -> str:
    if kind is bool:
        return "true / false"
    if kind is int:
        return "a whole number"
    return ", ".join(f"`{v}`" for v in values)


def markdown_table() -> str:
    """The table of every fact a case gives, as rules/README.md shows it (generated:
    ``escalate rules facts --markdown``)."""
    lines = ["| fact | values | what it says | source |", "|---|---|---|---|"]
    for spec in CASE_FACTS:
        lines.append(f"| `{spec.name}` | {_values_cell(spec.kind, spec.values)} | "
                     f"{_cell(spec.description)} | {_cell(spec.source)} |")
    for family in FAMILIES:
        names = ", ".join(f"`{p.strip()}`" for p in family.pattern.split(","))
        lines.append(f"| {names} | {_values_cell(str, family.values)} | "
                     f"{_cell(family.description)} | {_cell(family.source)} |")
    return "\n".join(lines) + "\n"


# Each declared fact's name and reader, in vocabulary order (read on every case).
_READERS: tuple[tuple[str, Callable[[Case], Scalar]], ...] = tuple(
    (spec.name, spec.read) for spec in CASE_FACTS if spec.read is not None)


def case_facts(case: Case) -> dict[str, Scalar]:
    """Project a validated case onto the fact vocabulary, flat (``"a.b": value``): each
    declared fact by its reader, then the latest outcome of every move.

    The ``window.<move>`` facts are added by the advisor once the clocks are computed
    (see :mod:`escalate.deadlines`), since the clocks themselves read these facts.
    Absent parts of the case read as "not reported": false, zero, 'none' or 'not_tried'.
    """
    facts: dict[str, Scalar] = {name: read(case) for name, read in _READERS}
    outcomes = latest_outcomes(case)
    for move, name in _HISTORY:
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
