"""A proceeding already under way (ladder.md section 9), language access (section 10), the
refined ranking (section 11), and how incomplete or out-of-range input is read."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from escalate import Advisor
from escalate.models import Advice, Case

from .cases import AS_OF, case, history, iso

INFORMAL = {"written_concern", "request_iep_meeting", "escalate_chain_of_command",
            "mediation"}


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def pending_due_process(**concern: Any) -> Any:
    return case(concern={"topic": "placement", "school_response": "refused", **concern},
                history=history(("written_concern", "refused", "2026-09-01"),
                                ("due_process", "pending", "2026-11-16")))


def test_a_pending_due_process_complaint_is_prepared_not_climbed_again(
        advisor: Advisor) -> None:
    advice = advisor.advise(pending_due_process())
    ranked = moves(advice)
    assert not INFORMAL & set(ranked)
    assert "due_process" not in ranked
    assert ranked[:2] == ["prepare_resolution_meeting", "request_records"]
    assert all(r.raised for r in advice.recommendations[:2])
    dates = {d.label: (d.due.isoformat(), d.owner) for d in advice.deadlines}
    assert dates["Resolution meeting must be held by"] == ("2026-12-01", "district")
    assert dates["Hearing decision must be issued by (if the 30-day resolution period runs "
                 "its course)"] == ("2027-01-30", "state")
    # no placement change proposed: nothing to keep
    assert "invoke_stay_put" not in ranked


def test_stay_put_follows_a_pending_complaint_when_placement_is_at_issue(
        advisor: Advisor) -> None:
    advice = advisor.advise(pending_due_process(placement_change_proposed=True))
    assert moves(advice)[0] == "invoke_stay_put"
    assert any("300.518" in (r.source.citation or "") for r in advice.recommendations[0].reasons)
    # a disciplinary change of placement appealed is not protected by stay-put (300.533)
    discipline = advisor.advise(case(
        concern={"topic": "discipline", "school_response": "refused"},
        discipline={"days_removed": 15, "change_of_placement_proposed": True},
        history=history(("due_process", "pending", "2026-11-16"))))
    assert "invoke_stay_put" not in moves(discipline)


def test_an_interpreter_is_asked_for_when_the_family_needs_one(advisor: Advisor) -> None:
    needs = advisor.advise(case(student={"has_iep": True, "needs_interpreter": True,
                                         "home_language": "Spanish"},
                                concern={"topic": "goals", "school_response": "refused"}))
    interpreter = next(r for r in needs.recommendations if r.move.value == "request_interpreter")
    assert interpreter.raised
    assert any("300.322(e)" in (r.source.citation or "") for r in interpreter.reasons)
    without = advisor.advise(case(concern={"topic": "goals", "school_response": "refused"}))
    assert "request_interpreter" not in moves(without)


def test_an_agreed_case_is_led_by_the_follow_up(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "services", "school_response": "agreed"},
        violation={"alleged": True, "date": "2026-06-01", "kind": "failure_to_implement"}))
    ranked = moves(advice)
    assert set(ranked[:2]) == {"follow_up_implementation", "request_written_agreement"}
    assert ranked.index("state_complaint") > 1
    assert {r.move.value: r.status for r in advice.ladder}["state_complaint"] == "available"


def test_two_refusals_do_not_put_due_process_ahead_of_another_meeting(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "services", "school_response": "refused"},
        history=history(("written_concern", "refused", "2026-09-01"),
                        ("request_iep_meeting", "refused", "2026-10-01"))))
    ranked = moves(advice)
    assert ranked[0] == "escalate_chain_of_command"
    assert ranked.index("reconvene_with_different_team") < ranked.index("due_process")


def test_a_violation_without_a_kind_is_read_as_unspecified_and_said(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(concern={"topic": "services", "school_response": "refused"},
                                 violation={"alleged": True, "date": "2026-10-01"}))
    assert "state_complaint" in moves(advice)
    assumed = [w for w in advice.warnings if w.kind == "assumption"]
    assert len(assumed) == 1 and "violation.kind" in assumed[0].text
    named = advisor.advise(case(concern={"topic": "services", "school_response": "refused"},
                                violation={"alleged": True, "date": "2026-10-01",
                                           "kind": "procedural"}))
    assert not [w for w in named.warnings if w.kind == "assumption"]


def test_a_written_request_counts_as_the_concern_in_writing(advisor: Advisor) -> None:
    for move in ("request_evaluation", "request_iee", "request_records"):
        advice = advisor.advise(case(concern={"topic": "services", "school_response": "none_yet"},
                                     history=history((move, "pending", "2026-11-10"))))
        assert "written_concern" not in moves(advice), move
    nothing = advisor.advise(case(concern={"topic": "services", "school_response": "none_yet"}))
    assert moves(nothing)[0] == "written_concern"


def test_a_suspected_disability_without_a_plan_starts_with_the_evaluation_request(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(student={"has_iep": False, "disability_suspected": True},
                                 concern={"topic": "services", "school_response": "none_yet"}))
    assert advice.next_move is not None
    assert advice.next_move.move.value == "request_evaluation"
    assert "written_concern" not in moves(advice)


@pytest.mark.parametrize("field", ["as_of", "violation.date", "student.last_iep_meeting"])
@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31"])
def test_dates_outside_the_sane_range_are_refused(field: str, value: str) -> None:
    data: dict[str, Any] = {"as_of": "9999-12-31" if field != "as_of" else value,
                            "concern": {"topic": "other", "school_response": "refused"}}
    if field != "as_of":
        group, key = field.split(".")
        data.setdefault(group, {})[key] = value
        data["as_of"] = iso(AS_OF)
    with pytest.raises(ValidationError) as caught:
        Case.model_validate(data)
    errors = caught.value.errors()
    assert [e["type"] for e in errors] == ["date_out_of_range"]
    assert ".".join(str(p) for p in errors[0]["loc"]) == field


def test_the_last_accepted_day_is_advised_without_overflow(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate({
        "as_of": "2199-12-31", "concern": {"topic": "other", "school_response": "refused"},
        "student": {"has_iep": True, "last_iep_meeting": "2199-12-30"},
        "violation": {"alleged": True, "date": "2199-12-30", "kind": "procedural"}}))
    assert any(d.due.year == 2201 for d in advice.deadlines)


def test_the_ocr_title_keeps_its_capitals_in_a_warning(advisor: Advisor) -> None:
    advice = advisor.advise(case(concern={"topic": "other", "school_response": "refused"},
                                 violation={"alleged": True, "date": "2026-01-02",
                                            "kind": "discrimination"}))
    closed = [w.text for w in advice.warnings if w.kind == "window_closed"]
    assert closed and "(OCR)" in closed[0] and "(ocr)" not in closed[0]


def test_an_overdue_resolution_meeting_goes_to_the_hearing_officer_not_back_down(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "placement", "school_response": "refused"},
        history=history(("written_concern", "refused", "2026-09-01"),
                        ("due_process", "pending", "2026-10-16"))))
    ranked = moves(advice)
    assert not INFORMAL & set(ranked) and "state_complaint" not in ranked
    prepare = advice.recommendations[0]
    assert prepare.move.value == "prepare_resolution_meeting"
    assert "resolution_meeting.overdue" in prepare.rules
    assert any("300.510(b)(5)" in (r.source.citation or "") for r in prepare.reasons)


def test_the_interpreter_comes_before_anything_else_even_after_an_agreement(
        advisor: Advisor) -> None:
    student = {"has_iep": True, "needs_interpreter": True, "home_language": "Vietnamese"}
    for response in ("refused", "agreed", "none_yet"):
        advice = advisor.advise(case(student=student,
                                     concern={"topic": "goals", "school_response": response}))
        assert moves(advice)[0] == "request_interpreter", response
