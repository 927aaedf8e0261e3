"""Discipline, 504 and pending proceedings as ladder.md sections 14 and 15 correct them,
each on both sides of its condition: the basis of knowledge from a staff report alone
(34 CFR 300.534(b)(3)); no basis where 300.534(c) applies; a series of short removals
"may be" a change of placement, for the district to decide (300.536(a)(2), (b)); the
manifestation determination before an expulsion hearing (300.530(e)); a behaviour plan at
any time (300.324(a)(2)(i)); a 504 child's own rights (104.35(a), Title VI) and IDEA due
process on evaluation (300.507(a)(1)); a settled resolution meeting (300.510(d), (e)); a
resolution meeting not held (300.510(b)(5)); a proposed placement change with nothing
filed (300.518(a), 300.503(a))."""

from __future__ import annotations

from typing import Any

import pytest

from escalate import Advisor
from escalate.models import Advice, Recommendation

from .cases import case, history

REFUSED = {"topic": "discipline", "school_response": "refused"}
NOT_ELIGIBLE_YET = {"has_iep": False, "disability_suspected": True}


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def recommendation(advice: Advice, move: str) -> Recommendation:
    return next(r for r in advice.recommendations if r.move.value == move)


def texts(advice: Advice, move: str) -> str:
    return " ".join(r.text for r in recommendation(advice, move).reasons)


def citations(advice: Advice, move: str) -> str:
    return " ".join(r.source.citation or "" for r in recommendation(advice, move).reasons)


# ---------------------------------------------------------------- basis of knowledge

def not_yet_eligible(advisor: Advisor, student: dict[str, Any] | None = None,
                     evaluation: dict[str, Any] | None = None, **discipline: Any) -> Advice:
    parts: dict[str, Any] = {"student": {**NOT_ELIGIBLE_YET, **(student or {})},
                             "concern": REFUSED,
                             "discipline": {"consecutive_days": 12, "days_removed": 12,
                                            **discipline}}
    if evaluation is not None:
        parts["evaluation"] = evaluation
    return advisor.advise(case(**parts))


@pytest.mark.parametrize(("reported", "protected"), [(True, True), (False, False)])
def test_a_staff_report_alone_is_a_basis_of_knowledge(advisor: Advisor, reported: bool,
                                                      protected: bool) -> None:
    # nothing from the parent: no written concern, no request, no disability suspected
    advice = not_yet_eligible(advisor, student={"disability_suspected": False},
                              staff_reported_behavior=reported)
    assert ("request_manifestation_determination" in moves(advice)) is protected
    if protected:
        assert "derived.basis_of_knowledge_staff_report" in advice.trace.rules_fired


@pytest.mark.parametrize(("student", "evaluation"), [
    ({"services_refused": True}, None),
    ({}, {"completed": False, "consent_refused": True}),
    ({}, {"completed": True, "eligibility_denied": True}),
])
def test_no_basis_of_knowledge_no_manifestation_determination(
        advisor: Advisor, student: dict[str, Any], evaluation: dict[str, Any] | None) -> None:
    advice = not_yet_eligible(advisor, student=student, evaluation=evaluation,
                              staff_reported_behavior=True)
    assert "request_manifestation_determination" not in moves(advice)
    assert moves(advice)[0] == "request_evaluation"
    said = texts(advice, "request_evaluation")
    assert "no manifestation determination is owed" in said
    assert "expedited" in said and "300.534(c), (d)" in citations(advice, "request_evaluation")


def test_without_a_300_534c_fact_the_staff_report_still_protects(advisor: Advisor) -> None:
    advice = not_yet_eligible(advisor, evaluation={"completed": False,
                                                   "consent_refused": False},
                              staff_reported_behavior=True)
    assert moves(advice)[0] == "request_manifestation_determination"
    assert "evaluation.no_basis_of_knowledge" not in advice.trace.rules_fired


def test_the_parents_written_concern_must_come_before_the_behaviour(advisor: Advisor) -> None:
    def advise(concern_date: str) -> Advice:
        return advisor.advise(case(
            student=NOT_ELIGIBLE_YET, concern=REFUSED,
            history=history(("written_concern", "no_response", concern_date)),
            discipline={"consecutive_days": 12, "days_removed": 12,
                        "behavior_date": "2026-10-01"}))
    assert "request_manifestation_determination" in moves(advise("2026-09-15"))
    assert "request_manifestation_determination" not in moves(advise("2026-10-05"))


# ---------------------------------------------------------------- a series of short removals

def test_short_removals_past_ten_days_may_be_a_change_of_placement(advisor: Advisor) -> None:
    advice = advisor.advise(case(concern=REFUSED,
                                 discipline={"days_removed": 13, "consecutive_days": 4}))
    said = texts(advice, "request_manifestation_determination")
    assert "may be a change of placement" in said and "ask it in writing to decide" in said
    assert "amounts" not in said
    assert "300.536(a)(2), (b)" in citations(advice, "request_manifestation_determination")
    assert "manifestation.removal_changes_placement" not in advice.trace.rules_fired


@pytest.mark.parametrize(("total", "longest", "pattern", "definite"), [
    (10, 4, False, False),   # not past ten days
    (11, 4, True, False),    # past ten, none longer than ten: may be a pattern
    (11, 10, True, False),
    (12, 11, False, True),   # one removal of more than ten in a row: a change of placement
])
def test_pattern_or_change_of_placement(advisor: Advisor, total: int, longest: int,
                                        pattern: bool, definite: bool) -> None:
    advice = advisor.advise(case(concern={"topic": "discipline", "school_response": "none_yet"},
                                 discipline={"days_removed": total, "consecutive_days": longest}))
    fired = advice.trace.rules_fired
    assert ("manifestation.pattern_of_removals" in fired) is pattern
    assert ("manifestation.removal_changes_placement" in fired) is definite


def test_a_504_childs_pattern_of_removals_is_asked_about_under_504(advisor: Advisor) -> None:
    advice = advisor.advise(case(student={"has_504_plan": True}, concern=REFUSED,
                                 discipline={"days_removed": 13, "consecutive_days": 4}))
    assert "section_504.discipline_pattern" in advice.trace.rules_fired
    assert "104.35(a)" in citations(advice, "request_manifestation_determination")
    assert "300.5" not in citations(advice, "request_manifestation_determination")


# ---------------------------------------------------------------- an expulsion hearing

@pytest.mark.parametrize(("hearing", "asked"), [("2026-12-02", True), ("2026-11-23", True),
                                                ("2026-11-20", False), (None, False)])
def test_the_hearing_waits_for_the_manifestation_determination(
        advisor: Advisor, hearing: str | None, asked: bool) -> None:
    discipline = {"days_removed": 3, "behavior_date": "2026-11-16"}
    if hearing:
        discipline["hearing_date"] = hearing
    advice = advisor.advise(case(concern=REFUSED, discipline=discipline))
    assert ("manifestation.before_expulsion_hearing" in advice.trace.rules_fired) is asked
    if asked:
        assert moves(advice)[0] == "request_manifestation_determination"
        said = texts(advice, "request_manifestation_determination")
        assert "the hearing wait" in said and hearing in said


def test_a_504_childs_hearing_waits_for_the_504_re_evaluation(advisor: Advisor) -> None:
    advice = advisor.advise(case(student={"has_504_plan": True}, concern=REFUSED,
                                 discipline={"hearing_date": "2026-12-02"}))
    assert "section_504.before_expulsion_hearing" in advice.trace.rules_fired
    assert "manifestation.before_expulsion_hearing" not in advice.trace.rules_fired
    assert "104.35(a)" in citations(advice, "request_manifestation_determination")


def test_a_hearing_date_after_as_of_is_accepted_a_behaviour_date_is_not(
        advisor: Advisor) -> None:
    from pydantic import ValidationError
    case(concern=REFUSED, discipline={"hearing_date": "2027-01-10"})
    with pytest.raises(ValidationError, match="behavior_date"):
        case(concern=REFUSED, discipline={"behavior_date": "2027-01-10"})


# ---------------------------------------------------------------- a behaviour plan at any time

@pytest.mark.parametrize(("student", "plan", "first"), [
    ({"behavior_impedes_learning": True}, True, False),
    ({"restraint_or_seclusion": True}, True, True),
    ({}, False, False),
])
def test_behaviour_plan_at_any_time(advisor: Advisor, student: dict[str, Any], plan: bool,
                                    first: bool) -> None:
    advice = advisor.advise(case(student={"has_iep": True, **student},
                                 concern={"topic": "services", "school_response": "none_yet"}))
    assert ("request_behavior_plan" in moves(advice)) is plan
    if plan:
        assert "300.324(a)(2)(i)" in citations(advice, "request_behavior_plan")
    assert (moves(advice)[0] == "request_behavior_plan") is first


# ---------------------------------------------------------------- Section 504

def test_a_504_familys_interpreter_is_cited_from_title_vi(advisor: Advisor) -> None:
    on_504 = advisor.advise(case(student={"has_504_plan": True, "needs_interpreter": True},
                                 concern={"topic": "services", "school_response": "none_yet"}))
    assert "100.3(b)(1)" in citations(on_504, "request_interpreter")
    assert "300.322" not in citations(on_504, "request_interpreter")
    on_iep = advisor.advise(case(student={"has_iep": True, "needs_interpreter": True},
                                 concern={"topic": "services", "school_response": "none_yet"}))
    assert "300.322(e)" in citations(on_iep, "request_interpreter")


@pytest.mark.parametrize(("evaluation", "requested", "open_"), [
    ({"completed": False, "consent_date": "2026-08-01"}, None, True),      # overdue
    ({"completed": False, "consent_date": "2026-11-01"}, None, False),     # still running
    (None, "refused", True),
    (None, "pending", False),
])
def test_a_504_child_may_use_idea_due_process_on_evaluation(
        advisor: Advisor, evaluation: dict[str, Any] | None, requested: str | None,
        open_: bool) -> None:
    parts: dict[str, Any] = {"student": {"has_504_plan": True, "disability_suspected": True},
                             "concern": {"topic": "evaluation", "school_response": "refused"}}
    if evaluation:
        parts["evaluation"] = evaluation
    if requested:
        parts["history"] = history(("request_evaluation", requested, "2026-09-01"))
    advice = advisor.advise(case(**parts))
    assert ("section_504.idea_due_process_on_evaluation" in advice.trace.rules_fired) is open_
    if open_:
        assert "300.507(a)(1)" in citations(advice, "due_process")


# ---------------------------------------------------------------- pending proceedings

def pending(advisor: Advisor, **parts: Any) -> Advice:
    return advisor.advise(case(concern={"topic": "services", "school_response": "refused"},
                               history=history(("due_process", "pending", "2026-11-01")),
                               **parts))


def test_a_settled_resolution_meeting_leads_with_the_agreement(advisor: Advisor) -> None:
    advice = pending(advisor, resolution_meeting={"held": True, "date": "2026-11-20",
                                                  "outcome": "agreement"})
    assert moves(advice)[0] == "follow_up_implementation"
    assert "prepare_resolution_meeting" not in moves(advice)
    said = texts(advice, "follow_up_implementation")
    assert "3 business days" in said and "2026-11-25" in said  # Fri 11-20 + 3 business days
    assert "300.510(d), (e)" in citations(advice, "follow_up_implementation")
    assert not any(d.label.startswith("Hearing decision") for d in advice.deadlines)
    unsettled = pending(advisor, resolution_meeting={"held": True, "date": "2026-11-10",
                                                     "outcome": "no_agreement"})
    assert "resolution_meeting.agreement_signed" not in unsettled.trace.rules_fired
    assert any(d.label.startswith("Hearing decision") for d in unsettled.deadlines)


def test_a_resolution_meeting_not_held_lets_the_parent_ask_the_hearing_officer(
        advisor: Advisor) -> None:
    late = pending(advisor)   # filed 2026-11-01: due 11-16, not held by 11-23
    assert "300.510(b)(5)" in citations(late, "prepare_resolution_meeting")
    assert any("300.510(b)(5)" in w.text for w in late.warnings)
    held = pending(advisor, resolution_meeting={"held": True, "date": "2026-11-12",
                                                "outcome": "no_agreement"})
    assert "resolution_meeting.overdue" not in held.trace.rules_fired
    assert not any(w.kind == "duty_overdue" and w.move and
                   w.move.value == "prepare_resolution_meeting" for w in held.warnings)


@pytest.mark.parametrize(("change_date", "filed", "said"), [
    ("2026-12-07", None, True),
    (None, None, True),
    ("2026-11-20", None, False),     # the change already took effect
    ("2026-12-07", "pending", False),  # already filed: stay-put applies as it is
])
def test_a_proposed_placement_change_with_nothing_filed(
        advisor: Advisor, change_date: str | None, filed: str | None, said: bool) -> None:
    concern: dict[str, Any] = {"topic": "placement", "school_response": "refused",
                               "placement_change_proposed": True}
    if change_date:
        concern["placement_change_date"] = change_date
    parts: dict[str, Any] = {"concern": concern}
    if filed:
        parts["history"] = history(("due_process", filed, "2026-11-20"))
    advice = advisor.advise(case(**parts))
    assert ("stay_put.file_before_change" in advice.trace.rules_fired) is said
    if said:
        text = texts(advice, "invoke_stay_put")
        assert "before the change takes effect" in text and "Prior Written Notice" in text
        if change_date:
            assert change_date in text
        assert "request_prior_written_notice" in moves(advice)


# ---------------------------------------------------------------- older cases, warned

def assumption_texts(advice: Advice) -> str:
    return " ".join(w.text for w in advice.warnings if w.kind == "assumption")


@pytest.mark.parametrize(("concern", "discipline", "warned"), [
    ({"topic": "placement", "school_response": "refused"},
     {"change_of_placement_proposed": True}, True),
    # a removal given: the field is used as meant
    ({"topic": "placement", "school_response": "refused"},
     {"change_of_placement_proposed": True, "days_removed": 3}, False),
    ({"topic": "discipline", "school_response": "refused"},
     {"change_of_placement_proposed": True}, False),
    ({"topic": "placement", "school_response": "refused", "placement_change_proposed": True},
     {"change_of_placement_proposed": True}, False),
])
def test_a_placement_change_given_as_discipline_is_warned_not_reread(
        advisor: Advisor, concern: dict[str, Any], discipline: dict[str, Any],
        warned: bool) -> None:
    advice = advisor.advise(case(concern=concern, discipline=discipline))
    assert ("concern.placement_change_proposed" in assumption_texts(advice)) is warned
    if warned:
        # the advice itself is what the case said: no stay-put read into it
        assert "stay_put.file_before_change" not in advice.trace.rules_fired
        spanish = advisor.advise(case(concern=concern, discipline=discipline), "es")
        # in Spanish, in the page's words, never the field's path (issue 25)
        assert "la pregunta sobre la preocupación" in assumption_texts(spanish)
        assert "concern." not in assumption_texts(spanish)
        assert "text.assumption.discipline_change_without_removal" not in spanish.fallbacks


@pytest.mark.parametrize(("discipline", "warned"), [
    ({"days_removed": 14}, True),
    ({"days_removed": 14, "consecutive_days": 4}, False),
    ({"days_removed": 10}, False),
])
def test_removals_without_the_longest_one_are_warned(advisor: Advisor,
                                                     discipline: dict[str, Any],
                                                     warned: bool) -> None:
    advice = advisor.advise(case(concern=REFUSED, discipline=discipline))
    assert ("discipline.consecutive_days" in assumption_texts(advice)) is warned


# ---------------------------------------------------------------- from early intervention

@pytest.mark.parametrize(("born", "early_intervention", "rule", "status"), [
    ("2024-01-10", True, "evaluation.part_c_transition", "open"),
    ("2023-10-01", True, "demand.iep_by_third_birthday_overdue", "overdue"),
    ("2024-01-10", False, None, None),
])
def test_an_iep_by_the_third_birthday_for_a_child_from_early_intervention(
        advisor: Advisor, born: str, early_intervention: bool, rule: str | None,
        status: str | None) -> None:
    advice = advisor.advise(case(
        student={"has_iep": False, "date_of_birth": born,
                 "from_early_intervention": early_intervention},
        concern={"topic": "evaluation", "school_response": "none_yet"}))
    third = [d for d in advice.deadlines if d.label.startswith("IEP in place by the third")]
    if rule is None:
        assert not third and "request_evaluation" not in moves(advice)
        return
    assert third[0].due.isoformat() == born.replace(born[:4], str(int(born[:4]) + 3))
    assert third[0].status == status and third[0].citation == "34 CFR 300.124(b)"
    # once overdue the duty is demanded, never requested again (ladder.md section 12)
    move = "demand_overdue_duty" if status == "overdue" else "request_evaluation"
    assert rule in recommendation(advice, move).rules


# ---------------------------------------------------------------- the explanation

@pytest.mark.parametrize("outcome", [None, "no_agreement"])
def test_the_explanation_can_ask_about_the_resolution_meeting(
        advisor: Advisor, outcome: str | None) -> None:
    meeting: dict[str, object] = {"held": True, "date": "2026-11-12"}
    if outcome:
        meeting["outcome"] = outcome
    the_case = case(concern={"topic": "services", "school_response": "refused"},
                    history=history(("due_process", "pending", "2026-11-01")),
                    resolution_meeting=meeting)
    from escalate.explain import Explainer, explainer_for
    explainer = Explainer(advisor, explainer_for(advisor).questions, cap=500)
    explanation = explainer.explain(the_case, advisor.advise(the_case))
    asked = {q.fact: q for q in explanation.questions}
    if outcome:
        # a question whose answer the case already gives is never asked (issue 25)
        assert "resolution_meeting.outcome" not in asked
        return
    assert "resolution_meeting.outcome" in asked
    answers = [a.answer for a in asked["resolution_meeting.outcome"].answers]
    assert answers == ["agreement"]   # never "none": that is no answer
    assert asked["resolution_meeting.outcome"].answers[0].next_move == "follow_up_implementation"
