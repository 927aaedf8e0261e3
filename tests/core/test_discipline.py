"""Discipline, in detail (ladder.md section 8; 34 CFR 300.530-300.536): the manifestation
determination first, services from the eleventh day, a behaviour plan after a
manifestation, the expedited appeal after the review and never with stay-put, the special
circumstances, and the protections for a child the district knew might have a disability."""

from __future__ import annotations

from typing import Any

import pytest

from escalate import Advisor
from escalate.models import Advice

from .cases import case, history

REFUSED = {"topic": "discipline", "school_response": "refused"}


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def discipline_case(student: dict[str, Any] | None = None, **discipline: Any) -> Any:
    return case(student=student or {"has_iep": True}, concern=REFUSED,
                discipline={"change_of_placement_proposed": True, **discipline})


@pytest.mark.parametrize(("consecutive", "total", "changes_placement"), [
    (10, 10, False), (11, 11, True),   # one long removal: more than 10 in a row
    (3, 11, True),                     # a pattern adding up past 10
    (0, 0, False),
])
def test_change_of_placement_by_removal(advisor: Advisor, consecutive: int, total: int,
                                        changes_placement: bool) -> None:
    advice = advisor.advise(case(concern={"topic": "discipline", "school_response": "none_yet"},
                                 discipline={"days_removed": total,
                                             "consecutive_days": consecutive}))
    assert ("request_manifestation_determination" in moves(advice)) is changes_placement
    if changes_placement:
        assert moves(advice)[0] == "request_manifestation_determination"


@pytest.mark.parametrize(("days", "services"), [(10, False), (11, True)])
def test_services_continue_from_the_eleventh_day(advisor: Advisor, days: int,
                                                 services: bool) -> None:
    advice = advisor.advise(discipline_case(days_removed=days))
    assert ("request_services_during_removal" in moves(advice)) is services
    if services:
        reasons = next(r for r in advice.recommendations
                       if r.move.value == "request_services_during_removal").reasons
        assert any("300.530(d)" in (r.source.citation or "") for r in reasons)


def test_a_manifestation_brings_a_behaviour_plan_and_no_second_review(
        advisor: Advisor) -> None:
    found = advisor.advise(discipline_case(days_removed=12, manifestation_result="manifestation"))
    assert "request_behavior_plan" in moves(found)
    assert "request_manifestation_determination" not in moves(found)
    assert "expedited_hearing" not in moves(found)
    not_held = advisor.advise(discipline_case(days_removed=12))
    assert "request_behavior_plan" not in moves(not_held)


def test_weapons_still_get_the_behaviour_plan_and_the_45_day_rule_is_cited(
        advisor: Advisor) -> None:
    advice = advisor.advise(discipline_case(days_removed=3, special_circumstances="weapon",
                                            manifestation_result="manifestation"))
    plan = next(r for r in advice.recommendations if r.move.value == "request_behavior_plan")
    assert "behavior_plan.special_circumstances" in plan.rules
    assert any("300.530(g)" in (r.source.citation or "") for r in plan.reasons)
    # a removal for a weapon is appealable even before ten days have passed
    appeal = advisor.advise(discipline_case(days_removed=3, special_circumstances="drugs"))
    assert "expedited_hearing" in moves(appeal)
    ordinary = advisor.advise(case(concern={"topic": "discipline", "school_response": "none_yet"},
                                   discipline={"days_removed": 3}))
    assert "expedited_hearing" not in moves(ordinary)


def test_disputed_manifestation_goes_to_an_expedited_hearing_never_stay_put(
        advisor: Advisor) -> None:
    advice = advisor.advise(discipline_case(
        days_removed=15, manifestation_result="not_manifestation",
        parent_disagrees_with_result=True))
    assert "expedited_hearing" in moves(advice)
    assert "invoke_stay_put" not in moves(advice)
    assert "due_process" not in moves(advice)
    agrees = advisor.advise(case(concern={"topic": "discipline", "school_response": "agreed"},
                                 discipline={"days_removed": 15, "consecutive_days": 15,
                                             "manifestation_result": "not_manifestation"}))
    assert "expedited_hearing" not in moves(agrees)


def test_the_expedited_hearing_follows_the_manifestation_review(advisor: Advisor) -> None:
    advice = advisor.advise(discipline_case(days_removed=14, decision_date="2026-11-18"))
    ranked = moves(advice)
    assert ranked[0] == "request_manifestation_determination"
    assert ranked.index("expedited_hearing") > 0


def test_expedited_timelines_are_dated(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern=REFUSED, discipline={"days_removed": 14},
        history=history(("expedited_hearing", "pending", "2026-11-16"))))
    dates = {d.label.split(" (")[0]: (d.due.isoformat(), d.owner) for d in advice.deadlines}
    assert dates["Resolution meeting for the expedited hearing must be held by"] == ("2026-11-23",
                                                                          "district")
    # 20 school days from 2026-11-16: Thanksgiving (11-26) skipped -> 2026-12-15
    assert dates["Expedited hearing must be held by"] == ("2026-12-15", "state")
    assert "invoke_stay_put" not in moves(advice)
    assert advice.next_move is not None
    assert advice.next_move.move.value == "prepare_resolution_meeting"


def test_a_child_not_yet_eligible_is_protected_when_the_district_knew(
        advisor: Advisor) -> None:
    def advise(**more: Any) -> Advice:
        return advisor.advise(discipline_case(
            student={"has_iep": False, "disability_suspected": True},
            days_removed=12, **more))
    unknown = advisor.advise(case(student={"has_iep": False, "disability_suspected": True},
                                  concern=REFUSED,
                                  discipline={"days_removed": 12,
                                              "change_of_placement_proposed": True}))
    assert "request_manifestation_determination" not in moves(unknown)
    # no knowledge yet: an evaluation asked for now is expedited (300.534(d))
    assert moves(unknown)[0] == "request_evaluation"
    staff = advise(staff_reported_behavior=True)
    assert moves(staff)[0] == "request_manifestation_determination"
    written = advisor.advise(case(student={"has_iep": False, "disability_suspected": True},
                                  concern=REFUSED,
                                  history=history(("written_concern", "no_response",
                                                   "2026-09-01")),
                                  discipline={"days_removed": 12,
                                              "change_of_placement_proposed": True}))
    assert moves(written)[0] == "request_manifestation_determination"
    # found not eligible: no basis of knowledge (300.534(c))
    denied = advisor.advise(case(student={"has_iep": False, "disability_suspected": True},
                                 concern=REFUSED,
                                 evaluation={"completed": True, "eligibility_denied": True},
                                 discipline={"days_removed": 12, "staff_reported_behavior": True,
                                             "change_of_placement_proposed": True}))
    assert "request_manifestation_determination" not in moves(denied)
