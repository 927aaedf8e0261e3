"""A clock's state decides the advice (ladder.md section 12), on both sides of each
condition: the clock facts the rules test, a closing window leading, a window never closed
on an assumed date, continuing failures, demands, a running district clock, two unanswered
contacts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from escalate import Advisor
from escalate.examples import example_cases
from escalate.models import Advice, Case

from .cases import AS_OF, case, history, iso

EXAMPLES = example_cases()


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def clocks(advisor: Advisor, the_case: Case) -> tuple[dict[str, Any], dict[str, str]]:
    facts, times = advisor.facts_for(the_case)
    return facts, times.states


# ------------------------------------------------------------ the clock facts


def test_every_clock_is_a_fact_even_when_not_started(advisor: Advisor) -> None:
    facts, _ = clocks(advisor, case(concern={"topic": "services", "school_response": "none_yet"}))
    for spec in advisor.rulebook.deadlines:
        assert facts[f"clock.{spec.id}"] == "not_started"
        assert facts[f"clock_start.{spec.id}"] == "none"
    assert facts["clock.reimbursement_limit"] == "not_started"


@pytest.mark.parametrize(("days_ago", "state"), [
    (365 - 31, "running"), (365 - 30, "closing"), (365, "closing"), (366, "closed")])
def test_a_family_window_runs_closes_in_30_days_then_closes(
        advisor: Advisor, days_ago: int, state: str) -> None:
    violation = AS_OF - dt.timedelta(days=days_ago)
    facts, states = clocks(advisor, case(
        concern={"topic": "implementation", "school_response": "refused"},
        violation={"alleged": True, "date": iso(violation), "kind": "timeline"}))
    assert states["state_complaint_window"] == state
    assert facts["clock_start.state_complaint_window"] == "given"


def test_a_duty_runs_then_is_overdue(advisor: Advisor) -> None:
    def state(consent: str) -> str:
        return clocks(advisor, case(
            concern={"topic": "evaluation", "school_response": "none_yet"},
            evaluation={"completed": False, "consent_date": consent}))[1][
                "initial_evaluation_due"]
    assert state("2026-09-24") == "running"  # due today
    assert state("2026-09-23") == "overdue"


# ------------------------------------------------------------ a closing window leads


def test_a_closing_window_leads_whatever_rung_the_family_reached(advisor: Advisor) -> None:
    def advise(days_left: int) -> Advice:
        known = AS_OF - dt.timedelta(days=365 - days_left)
        return advisor.advise(case(
            state="NC",
            concern={"topic": "services", "school_response": "refused"},
            history=history(("written_concern", "refused", "2025-12-01")),
            violation={"alleged": True, "date": "2025-11-01", "known_date": iso(known),
                       "kind": "failure_to_implement"}))
    closing = advise(22)
    assert moves(closing)[0] == "due_process"
    assert closing.recommendations[0].raised
    assert "due_process.window_closing" in closing.recommendations[0].rules
    assert "request_iep_meeting" in moves(closing)  # the gentler steps beside it
    assert "22 days" in closing.recommendations[0].reasons[0].text
    later = advise(31)
    assert moves(later)[0] == "request_iep_meeting"
    # still available for the refusal, but no longer raised by the clock
    later_due_process = next(r for r in later.recommendations if r.move.value == "due_process")
    assert "due_process.window_closing" not in later_due_process.rules
    assert not later_due_process.raised


@pytest.mark.parametrize("state", ["HI", "NH"])
def test_a_closing_reimbursement_limit_leads_with_a_complaint_for_reimbursement(
        advisor: Advisor, state: str) -> None:
    days = {"HI": 180, "NH": 90}[state]

    def advise(started_days_ago: int) -> Advice:
        return advisor.advise(case(
            state=state, student={"name": "Leilani", "has_iep": True},
            concern={"topic": "placement", "school_response": "refused"},
            private_placement={"reimbursement_sought": True,
                               "start_date": iso(AS_OF - dt.timedelta(days=started_days_ago))}))
    closing = advise(days - 5)
    assert moves(closing)[0] == "due_process"
    reason = closing.recommendations[0].reasons[0].text
    assert "reimburse" in reason and "Leilani" in reason
    due = (AS_OF + dt.timedelta(days=5)).isoformat()
    assert due in closing.summary and due in reason
    open_ = advise(days - 40)
    assert "due_process" not in moves(open_)
    # a limit that has passed closes the reimbursement claim only, never due process
    passed = advise(days + 5)
    assert not any(w.kind == "window_closed" and w.move and w.move.value == "due_process"
                   for w in passed.warnings)


def test_example_15_leads_with_due_process_for_reimbursement_dated(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate(EXAMPLES["15_hawaii_private_placement"]))
    assert advice.next_move is not None
    assert advice.next_move.move.value == "due_process"
    assert "2026-11-28" in advice.summary
    assert "reimburse" in advice.next_move.reasons[0].text


# ------------------------------------------------------------ never closed on an assumption


def test_a_limit_from_a_date_the_case_did_not_give_may_be_closed_never_closed(
        advisor: Advisor) -> None:
    def advise(**violation: str) -> Advice:
        return advisor.advise(case(
            state="WI", concern={"topic": "services", "school_response": "refused"},
            history=history(("written_concern", "refused"), ("request_iep_meeting", "refused")),
            violation={"alleged": True, "kind": "procedural", **violation}))
    # Wisconsin counts from the district's notice: without it, the violation's date stood in
    assumed = advise(date="2025-09-01")
    limit = next(d for d in assumed.deadlines if d.clock == "due_process_limit")
    assert (limit.status, limit.start) == ("may_be_closed", "assumed")
    assert "window_may_be_closed" in [w.kind for w in assumed.warnings]
    assert not any(r.status == "closed" and r.move.value == "due_process"
                   for r in assumed.ladder)
    given = advise(date="2025-09-01", notice_date="2025-09-01")
    limit = next(d for d in given.deadlines if d.clock == "due_process_limit")
    assert (limit.status, limit.start) == ("closed", "given")
    assert "due_process" not in moves(given)


# ------------------------------------------------------------ continuing failures


def test_an_annual_review_missed_twice_counts_from_the_latest_missed_date(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(
        student={"has_iep": True, "last_iep_meeting": "2023-10-01"},
        concern={"topic": "services", "school_response": "none_yet"}))
    window = next(d for d in advice.deadlines
                  if d.clock == "state_complaint_window_annual_review")
    # missed 2024-10-01, 2025-10-01 and 2026-10-01: a year from the latest
    assert window.due == dt.date(2027, 10, 1) and window.status == "open"
    review = next(d for d in advice.deadlines if d.clock == "annual_review")
    assert review.due == dt.date(2024, 10, 1) and review.status == "overdue"
    assert not any(d.status == "closed" for d in advice.deadlines)
    assert "state_complaint" in moves(advice)


def test_a_duty_still_undone_keeps_its_complaint_window_open(advisor: Advisor) -> None:
    # the reevaluation fell due on 2025-06-01 and falls due again only in 2028: the
    # one-year window from it has passed, but the duty is still undone
    advice = advisor.advise(case(
        student={"has_iep": True},
        evaluation={"completed": True, "date": "2022-06-01"},
        concern={"topic": "evaluation", "school_response": "none_yet"}))
    window = next(d for d in advice.deadlines
                  if d.clock == "state_complaint_window_reevaluation")
    assert window.status == "open" and window.due > AS_OF
    assert window.note and "2025-06-01" in window.note
    assert "state_complaint" in moves(advice)


def test_missed_dates_the_family_records_count_without_a_meeting_date(
        advisor: Advisor) -> None:
    recorded = advisor.advise(case(
        student={"has_iep": True, "missed_annual_reviews": ["2025-10-01", "2026-10-01"]},
        concern={"topic": "services", "school_response": "none_yet"}))
    window = next(d for d in recorded.deadlines
                  if d.clock == "state_complaint_window_annual_review")
    assert window.due == dt.date(2027, 10, 1)
    assert moves(recorded)[0] == "demand_overdue_duty"
    none = advisor.advise(case(student={"has_iep": True},
                               concern={"topic": "services", "school_response": "none_yet"}))
    assert "demand_overdue_duty" not in moves(none)


def test_a_missed_date_after_as_of_is_refused(advisor: Advisor) -> None:
    with pytest.raises(ValueError, match="missed_annual_reviews"):
        case(student={"has_iep": True, "missed_annual_reviews": ["2026-12-01"]})


def test_a_recorded_missed_reevaluation_counts(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        evaluation={"completed": True, "missed_reevaluations": ["2026-06-01"]},
        concern={"topic": "evaluation", "school_response": "none_yet"}))
    window = next(d for d in advice.deadlines
                  if d.clock == "state_complaint_window_reevaluation")
    assert window.due == dt.date(2027, 6, 1)
    assert moves(advice)[0] == "demand_overdue_duty"


# ------------------------------------------------------------ demands and running clocks


def test_a_running_district_clock_is_held_to_its_date_and_an_overdue_one_demanded(
        advisor: Advisor) -> None:
    def advise(consent: str) -> Advice:
        return advisor.advise(case(
            student={"disability_suspected": True},
            concern={"topic": "evaluation", "school_response": "proposed_alternative"},
            history=history(("request_evaluation", "pending", "2026-08-01")),
            evaluation={"completed": False, "consent_date": consent}))
    running = advise("2026-10-01")
    assert moves(running)[0] == "hold_district_to_deadline"
    assert "request_evaluation" not in moves(running)
    late = advise("2026-09-01")
    assert moves(late)[0] == "demand_overdue_duty"
    assert "request_evaluation" not in moves(late)
    # a "try it first" offer is only a delay past a legal deadline
    assert "trial_with_data_review" not in moves(late)
    assert "trial_with_data_review" in moves(running)


def test_two_unanswered_contacts_go_to_the_person_above(advisor: Advisor) -> None:
    def advise(*entries: tuple[str, str, str]) -> Advice:
        return advisor.advise(case(
            student={"has_iep": True},
            concern={"topic": "services", "school_response": "no_response"},
            history=history(*entries)))
    twice = advise(("written_concern", "no_response", "2026-10-01"),
                   ("written_concern", "no_response", "2026-10-20"))
    assert moves(twice)[0] == "escalate_chain_of_command"
    assert "request_iep_meeting" not in moves(twice)
    once = advise(("written_concern", "no_response", "2026-10-01"))
    assert moves(once)[0] == "request_iep_meeting"
    refused_twice = advise(("written_concern", "refused", "2026-10-01"),
                           ("written_concern", "no_response", "2026-10-20"))
    assert moves(refused_twice)[0] == "request_iep_meeting"


def test_no_shipped_example_is_without_a_next_step(advisor: Advisor) -> None:
    for name, raw in EXAMPLES.items():
        advice = advisor.advise(Case.model_validate(json.loads(json.dumps(raw))))
        assert advice.next_move is not None, name
