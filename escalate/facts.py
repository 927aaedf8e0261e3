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

import datetime as dt
from dataclasses import dataclass
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
    from collections.abc import Mapping

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
        FactSpec("student.plan", str, "the child's plan: 'iep' (an IEP, with or without a 504 "
                 "plan), 'section_504' (a 504 plan and no IEP) or 'none'", PLANS),
        FactSpec("student.needs_interpreter", bool,
                 "the parent needs an interpreter or documents in another language"),
        FactSpec("student.from_early_intervention", bool,
                 "the child is moving from early intervention (IDEA Part C)"),
        FactSpec("student.services_refused", bool,
                 "the parent refused special-education services (34 CFR 300.534(c)(1))"),
        FactSpec("student.behavior_impedes_learning", bool,
                 "the child's behaviour impedes learning (34 CFR 300.324(a)(2)(i))"),
        FactSpec("student.restraint_or_seclusion", bool,
                 "the family reports restraint or seclusion"),
        FactSpec("concern.placement_change_proposed", bool,
                 "the district proposes to change placement, outside discipline"),
        FactSpec("concern.placement_change_timing", str,
                 "when the proposed placement change takes effect: 'no_date', 'upcoming' "
                 "(as_of or later) or 'passed'", TIMINGS),
        FactSpec("concern.topic", str, "what the disagreement is about ('none' when the case "
                 "gives no concern)", _enum([t.value for t in Topic], NO_CONCERN)),
        FactSpec("concern.school_response", str, "the school's answer so far ('none' when the "
                 "case gives no concern)", _enum([r.value for r in SchoolResponse], NO_CONCERN)),
        FactSpec("history.refusals", int, "how many moves in the history ended in refusal"),
        FactSpec("concern.unanswered_twice", bool,
                 "the family made the same move at least twice and got no answer either "
                 "time (the next addressee is the person above, seed 003)"),
        FactSpec("evaluation.completed", bool, "the district finished an evaluation"),
        FactSpec("evaluation.parent_disagrees", bool, "the parent disagrees with it"),
        FactSpec("evaluation.eligibility_denied", bool, "the child was found not eligible"),
        FactSpec("evaluation.consent_refused", bool,
                 "the parent refused consent to an evaluation (34 CFR 300.534(c)(1))"),
        FactSpec("violation.alleged", bool, "the district is said to have broken a legal duty"),
        FactSpec("violation.kind", str, "the kind of duty ('none' when no violation is "
                 "alleged; 'other' when one is alleged without a kind)",
                 _enum([k.value for k in ViolationKind], NO_VIOLATION)),
        FactSpec("discipline.days_removed", int, "school days removed this school year"),
        FactSpec("discipline.change_of_placement_proposed", bool,
                 "the district proposes to change placement"),
        FactSpec("discipline.consecutive_days", int,
                 "school days of the longest single removal this year"),
        FactSpec("discipline.special_circumstances", str,
                 "weapon, drugs or serious bodily injury (34 CFR 300.530(g)), or 'none'",
                 tuple(c.value for c in SpecialCircumstance)),
        FactSpec("discipline.manifestation_result", str,
                 "what the manifestation determination found, or 'not_held'",
                 tuple(r.value for r in ManifestationResult)),
        FactSpec("discipline.parent_disagrees_with_result", bool,
                 "the parent disagrees with the manifestation or placement decision"),
        FactSpec("discipline.staff_reported_behavior", bool,
                 "staff reported a pattern of behaviour to supervisors (34 CFR 300.534(b)(3))"),
        FactSpec("discipline.hearing_timing", str,
                 "the expulsion or long-term suspension hearing: 'no_date', 'upcoming' "
                 "(as_of or later) or 'passed'", TIMINGS),
        FactSpec("discipline.parent_notice_before_behavior", str,
                 "whether the parent's written concern or evaluation request is dated before "
                 "the behaviour ('before', 'after', or 'unknown' without both dates)", ORDERS),
        FactSpec("resolution_meeting.held", bool,
                 "the resolution meeting after a due process complaint was held"),
        FactSpec("resolution_meeting.outcome", str,
                 "what came of it: 'agreement', 'no_agreement', or 'none' when not said",
                 _enum([o.value for o in ResolutionOutcome], NO_OUTCOME)),
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
_NOTICE_MOVES = (MoveId.written_concern, MoveId.request_evaluation)


def parent_notice_order(case: Case) -> str:
    """Whether the parent's written concern or evaluation request came before the behaviour
    the child is disciplined for: the district's knowledge must exist "before the behavior
    that precipitated the disciplinary action occurred" (34 CFR 300.534(b)). 'unknown'
    unless the case dates both the behaviour and such a request."""
    behavior = case.discipline.behavior_date if case.discipline else None
    dates = [e.date for e in case.history if e.move in _NOTICE_MOVES and e.date]
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


def case_facts(case: Case) -> dict[str, Scalar]:
    """Project a validated case onto the fact vocabulary, flat (``"a.b": value``).

    The ``window.<move>`` facts are added by the advisor once the clocks are computed
    (see :mod:`escalate.deadlines`), since the clocks themselves read these facts.
    Absent parts of the case read as "not reported": false, zero, 'none' or 'not_tried'.
    """
    outcomes = latest_outcomes(case)
    evaluation, violation, discipline = case.evaluation, case.violation, case.discipline
    meeting = case.resolution_meeting
    facts: dict[str, Scalar] = {
        "student.has_iep": case.student.has_iep,
        "student.has_504_plan": case.student.has_504_plan,
        "student.disability_suspected": case.student.disability_suspected,
        "student.plan": plan_of(case),
        "student.needs_interpreter": case.student.needs_interpreter,
        "concern.topic": case.concern.topic.value if case.concern else NO_CONCERN,
        "concern.school_response":
            case.concern.school_response.value if case.concern else NO_CONCERN,
        "student.from_early_intervention": case.student.from_early_intervention,
        "student.services_refused": case.student.services_refused,
        "student.behavior_impedes_learning": case.student.behavior_impedes_learning,
        "student.restraint_or_seclusion": case.student.restraint_or_seclusion,
        "concern.placement_change_proposed":
            bool(case.concern and case.concern.placement_change_proposed),
        "concern.placement_change_timing":
            timing(case.concern.placement_change_date if case.concern else None, case.as_of),
        "history.refusals": sum(1 for e in case.history if e.outcome is Outcome.refused),
        "concern.unanswered_twice": unanswered_twice(case),
        "evaluation.completed": bool(evaluation and evaluation.completed),
        "evaluation.parent_disagrees": bool(evaluation and evaluation.parent_disagrees),
        "evaluation.eligibility_denied": bool(evaluation and evaluation.eligibility_denied),
        "evaluation.consent_refused": bool(evaluation and evaluation.consent_refused),
        "violation.alleged": bool(violation and violation.alleged),
        "violation.kind": violation_kind(case),
        "discipline.days_removed": discipline.days_removed if discipline else 0,
        "discipline.change_of_placement_proposed":
            bool(discipline and discipline.change_of_placement_proposed),
        "discipline.consecutive_days": discipline.consecutive_days if discipline else 0,
        "discipline.special_circumstances":
            discipline.special_circumstances.value if discipline else "none",
        "discipline.manifestation_result":
            discipline.manifestation_result.value if discipline else "not_held",
        "discipline.parent_disagrees_with_result":
            bool(discipline and discipline.parent_disagrees_with_result),
        "discipline.staff_reported_behavior":
            bool(discipline and discipline.staff_reported_behavior),
        "discipline.hearing_timing":
            timing(discipline.hearing_date if discipline else None, case.as_of),
        "discipline.parent_notice_before_behavior": parent_notice_order(case),
        "resolution_meeting.held": bool(meeting and meeting.held),
        "resolution_meeting.outcome":
            meeting.outcome.value if meeting and meeting.outcome else NO_OUTCOME,
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
