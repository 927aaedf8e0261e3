"""The district's own deadlines (ladder.md section 7): a duty still running is shown with its
date; one that has passed is the district's lateness, recommends the move that asks for it,
and opens the state complaint with a window counted from the day the duty fell due."""

from __future__ import annotations

import datetime as dt

import pytest

from escalate import Advisor
from escalate.models import Advice

from .cases import case, history

D = dt.date


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def deadline(advice: Advice, label: str):  # type: ignore[no-untyped-def]
    found = [d for d in advice.deadlines if d.label.startswith(label)]
    assert len(found) == 1, [d.label for d in advice.deadlines]
    return found[0]


NEW_CONCERN = {"topic": "services", "school_response": "none_yet"}


@pytest.mark.parametrize(("last_meeting", "status", "days_left"), [
    ("2025-11-23", "open", 0),       # due today: still the district's to keep
    ("2025-11-22", "overdue", -1),   # a day late
])
def test_annual_review_on_both_sides_of_its_day(advisor: Advisor, last_meeting: str,
                                                status: str, days_left: int) -> None:
    advice = advisor.advise(case(student={"has_iep": True, "last_iep_meeting": last_meeting},
                                 concern=NEW_CONCERN))
    review = deadline(advice, "Annual IEP review meeting must be held by")
    assert (review.status, review.days_left, review.owner) == (status, days_left, "district")
    late = [w for w in advice.warnings if w.kind == "duty_overdue"]
    if status == "open":
        assert not late and "state_complaint" not in moves(advice)
        assert not [w for w in advice.warnings if w.kind.startswith("window")]
    else:
        # worded as the district's lateness, never as a window the family lost
        assert len(late) == 1 and "district is 1 days late" in late[0].text
        assert "2025-11-22" not in late[0].text and "2026-11-22" in late[0].text
        assert advice.next_move is not None
        # ladder.md section 12: a missed duty is demanded, not asked for again
        assert advice.next_move.move.value == "demand_overdue_duty"
        assert advice.next_move.rule == "demand.annual_review_overdue"
        assert "state_complaint" in moves(advice)
        window = deadline(advice, "State complaint window for the missed annual review")
        assert window.due == D(2027, 11, 22) and window.owner == "family"
        assert not any(d.status == "closed" for d in advice.deadlines)


def test_overdue_reevaluation_is_asked_for(advisor: Advisor) -> None:
    advice = advisor.advise(case(evaluation={"completed": True, "date": "2023-10-01"},
                                 concern=NEW_CONCERN))
    reevaluation = deadline(advice, "Reevaluation must be done by")
    assert (reevaluation.due, reevaluation.status, reevaluation.move.value) == (
        D(2026, 10, 1), "overdue", "request_reevaluation")
    assert moves(advice)[0] == "demand_overdue_duty"
    assert "state_complaint" in moves(advice)
    running = advisor.advise(case(evaluation={"completed": True, "date": "2024-10-01"},
                                  concern=NEW_CONCERN))
    assert "demand_overdue_duty" not in moves(running)
    assert deadline(running, "Reevaluation must be done by").status == "open"


def test_the_60_day_evaluation_after_consent(advisor: Advisor) -> None:
    def advise(consented: str) -> Advice:
        return advisor.advise(case(
            student={"has_iep": False, "disability_suspected": True},
            concern={"topic": "evaluation", "school_response": "no_response"},
            history=history(("request_evaluation", "pending", "2026-08-01")),
            evaluation={"completed": False, "consent_date": consented}))
    late = advise("2026-09-23")  # due 2026-11-22
    assert deadline(late, "Initial evaluation").status == "overdue"
    # demanded from the person above, citing the consent; never a new request for consent
    assert moves(late)[:2] == ["demand_overdue_duty", "state_complaint"]
    assert "request_evaluation" not in moves(late)
    demand = late.recommendations[0].reasons[0].text
    assert "2026-09-23" in demand and "2026-11-22" in demand
    on_time = advise("2026-09-24")  # due 2026-11-23, today
    assert deadline(on_time, "Initial evaluation").status == "open"
    assert "state_complaint" not in moves(on_time)
    assert "demand_overdue_duty" not in moves(on_time)
    # the district's clock is running and nothing is owed by the family: hold it to its date
    assert on_time.next_move is not None
    assert on_time.next_move.move.value == "hold_district_to_deadline"


def test_records_past_45_days(advisor: Advisor) -> None:
    def advise(requested: str) -> Advice:
        return advisor.advise(case(concern=NEW_CONCERN, history=history(
            ("request_records", "pending", requested))))
    late = advise("2026-10-08")  # due 2026-11-22
    assert deadline(late, "Records must be provided by").status == "overdue"
    demand = next(r for r in late.recommendations if r.move.value == "demand_overdue_duty")
    assert demand.rule == "demand.records_overdue"
    assert "request_records" not in moves(late)
    assert "state_complaint" in moves(late)
    on_time = advise("2026-10-09")
    assert "request_records" not in moves(on_time)
    assert "demand_overdue_duty" not in moves(on_time)
    assert moves(on_time)[0] == "hold_district_to_deadline"


def test_an_overdue_state_complaint_decision_is_asked_for_first(advisor: Advisor) -> None:
    def advise(filed: str) -> Advice:
        return advisor.advise(case(
            concern={"topic": "implementation", "school_response": "refused"},
            history=history(("state_complaint", "pending", filed))))
    late = advise("2026-09-23")  # 60 days: due 2026-11-22
    decision = deadline(late, "State complaint decision must be issued by")
    assert (decision.status, decision.owner) == ("overdue", "state")
    assert late.next_move is not None
    assert late.next_move.move.value == "request_complaint_decision"
    assert any("state" in w.text and w.kind == "duty_overdue" for w in late.warnings)
    on_time = advise("2026-09-24")
    assert "request_complaint_decision" not in moves(on_time)


def test_a_duty_never_reads_as_a_closed_window(advisor: Advisor) -> None:
    advice = advisor.advise(case(student={"has_iep": True, "last_iep_meeting": "2024-01-10"},
                                 evaluation={"completed": True, "date": "2022-01-10"},
                                 concern=NEW_CONCERN))
    for item in advice.deadlines:
        if item.owner != "family":
            assert item.status in ("open", "overdue")
    assert not [w for w in advice.warnings if w.kind == "window_closed"]
