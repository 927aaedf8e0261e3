"""Issue 25's leftovers, each on both sides of its condition.

- IDEA's 10 school days for the manifestation determination (34 CFR 300.530(e)) and its
  expedited hearing (300.532) belong to a child with IDEA's discipline protections: a
  child with an IEP, or one whose district had a basis of knowledge (300.534(b)). A child
  with only a 504 plan is re-evaluated before the significant change of placement
  (104.35(a)), with the 504 hearing (104.36) as the appeal, and no count of days; a 504
  child the district knew may need special education keeps IDEA's track too.
- A behaviour plan asked for because behaviour impedes learning (300.324(a)(2)(i)) is not
  worded as "the child's return": that is said only after a manifestation finding
  (300.530(f)), in both languages.
- A document cited by its title alone (OCR's procedures) is named in Spanish in Spanish
  lines; numbered citations stay as written.
- "Bring an advocate to mediation" only where mediation is recommended; a 504 family's
  question about a broken duty speaks of the 504 plan, never the IEP.
"""

from __future__ import annotations

from typing import Any

import pytest

from escalate import Advisor
from escalate.calendar import calendars_for
from escalate.explain import explainer_for
from escalate.letters import write_letter
from escalate.models import Advice, Case, Recommendation

from .cases import case, review_cases
from .conftest import RulesCopy

DISCIPLINE = {"topic": "discipline", "school_response": "refused"}
REMOVAL = {"days_removed": 12, "consecutive_days": 12, "change_of_placement_proposed": True,
           "decision_date": "2026-11-16", "manifestation_result": "not_held"}
ON_504 = {"has_504_plan": True, "has_iep": False}
ON_IEP = {"has_iep": True}
MANIFESTATION_CLOCK = "Manifestation determination must be made by"


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def recommendation(advice: Advice, move: str) -> Recommendation:
    return next(r for r in advice.recommendations if r.move.value == move)


def citations(advice: Advice) -> str:
    return " ".join(r.source.citation or "" for rec in advice.recommendations
                    for r in rec.reasons)


def clock_labels(advice: Advice) -> set[str]:
    return {d.label.split(" (")[0] for d in advice.deadlines}


def removal(student: dict[str, Any], **more: Any) -> Case:
    return case(student=student, concern=DISCIPLINE, discipline={**REMOVAL, **more})


# ---------------------------------------------------------------- the 504 discipline track

@pytest.mark.parametrize(("student", "idea"), [
    (ON_504, False),                                     # a 504 plan alone
    (ON_IEP, True),                                      # an IEP
    ({**ON_504, "has_iep": True}, True),                 # an IEP and a 504 plan
])
def test_idea_s_ten_school_days_only_for_a_child_with_idea_s_protections(
        advisor: Advisor, student: dict[str, Any], idea: bool) -> None:
    advice = advisor.advise(removal(student))
    assert (MANIFESTATION_CLOCK in clock_labels(advice)) is idea
    assert ("300.530(e)" in citations(advice)) is idea
    assert ("district_knew_of_disability" in advice.trace.facts_derived) is idea
    # the manifestation review is asked for either way: first, under its own law
    assert moves(advice)[0] == "request_manifestation_determination"
    said = " ".join(r.source.citation or "" for r in
                    recommendation(advice, "request_manifestation_determination").reasons)
    assert ("104.35(a)" in said) is (not idea)
    # nothing holds a 504-only family to a clock that does not exist
    assert ("hold_district_to_deadline" in moves(advice)) is idea


@pytest.mark.parametrize(("student", "history", "discipline", "idea"), [
    # 300.534(b)(1): the parent's written concern, a disability suspected
    ({"disability_suspected": True}, [("written_concern", "no_response", "2026-10-01")],
     {}, True),
    # 300.534(b)(2): the parent asked for an evaluation
    ({"disability_suspected": True}, [("request_evaluation", "pending", "2026-10-01")],
     {}, True),
    # 300.534(b)(3): a staff report alone
    ({}, [], {"staff_reported_behavior": True}, True),
    # the same written concern without a disability suspected: no basis of knowledge
    ({}, [("written_concern", "no_response", "2026-10-01")], {}, False),
    # 300.534(c): the child was evaluated and found not eligible under IDEA
    ({}, [], {"staff_reported_behavior": True, "_not_eligible": True}, False),
])
def test_a_504_child_the_district_knew_may_need_special_education_keeps_idea_s_track(
        advisor: Advisor, student: dict[str, Any], history: list[tuple[str, str, str]],
        discipline: dict[str, Any], idea: bool) -> None:
    not_eligible = discipline.pop("_not_eligible", False)
    parts: dict[str, Any] = {
        "student": {**ON_504, **student}, "concern": DISCIPLINE,
        "discipline": {**REMOVAL, **discipline},
        "history": [{"move": m, "outcome": o, "date": d} for m, o, d in history]}
    if not_eligible:
        parts["evaluation"] = {"completed": True, "date": "2026-09-01",
                               "eligibility_denied": True}
    advice = advisor.advise(case(**parts))
    assert (MANIFESTATION_CLOCK in clock_labels(advice)) is idea
    assert ("manifestation.removal_changes_placement" in advice.trace.rules_fired) is idea
    # the 504 re-evaluation stays asked for in every case
    assert "section_504.discipline_review" in advice.trace.rules_fired


@pytest.mark.parametrize(("student", "idea"), [(ON_504, False), (ON_IEP, True)])
def test_the_appeal_is_the_504_hearing_for_a_504_child_and_the_expedited_hearing_under_idea(
        advisor: Advisor, student: dict[str, Any], idea: bool) -> None:
    advice = advisor.advise(removal(student, manifestation_result="not_manifestation",
                                    parent_disagrees_with_result=True))
    assert ("expedited_hearing" in moves(advice)) is idea
    assert ("section_504_hearing" in moves(advice)) is (not idea)


@pytest.mark.parametrize(("student", "idea"), [(ON_504, False), (ON_IEP, True)])
def test_the_principal_is_brought_in_under_the_childs_own_law(
        advisor: Advisor, student: dict[str, Any], idea: bool) -> None:
    chain = recommendation(advisor.advise(removal(student)), "escalate_chain_of_command")
    said = " ".join(r.source.citation or "" for r in chain.reasons)
    assert ("300.530" in said) is idea
    assert ("104.35(a)" in said) is (not idea)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("student", "idea"), [(ON_504, False), (ON_IEP, True)])
def test_the_manifestation_letter_asks_under_the_childs_own_law(
        advisor: Advisor, student: dict[str, Any], idea: bool, lang: str) -> None:
    letter = write_letter(removal(student, hearing_date="2026-12-02"),
                          "request_manifestation_determination", "md", advisor, lang=lang)
    text = letter.content.decode()
    # the letter sent (the English) and the one read (the Spanish) say the same law
    assert ("300.532" in text) is idea  # the expedited hearing
    assert ("300.530(e)" in text) is idea  # the 10 school days
    assert ("104.36" in text) is (not idea)  # the 504 hearing
    assert "2026-12-02" in text or "2 de diciembre de 2026" in text  # the hearing waits
    if not idea:
        assert "300.534(b)" not in text.split("---", 1)[1]  # no basis of knowledge asked
        assert "[how the district knew" not in text


def test_the_review_case_a_504_child_facing_expulsion(advisor: Advisor) -> None:
    """tests/data/review_cases.json, ca_504_discipline: what the second review read."""
    sofia = case(**review_cases()["ca_504_discipline"])
    for lang in ("en", "es"):
        advice = advisor.advise(sofia, lang)
        assert not any("300.530(e)" in d.citation for d in advice.deadlines)
        assert "300.530" not in citations(advice)
        assert "300.530(e)" not in advice.summary
    ics = calendars_for(advisor).write(sofia, advisor.advise).decode()
    assert "300.530(e)" not in ics


# ---------------------------------------------------------------- the behaviour plan's words

@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_behaviour_plan_for_a_child_never_removed_does_not_speak_of_a_return(
        advisor: Advisor, lang: str) -> None:
    impedes = advisor.advise(case(student={"has_iep": True, "behavior_impedes_learning": True},
                                  concern={"topic": "services", "school_response": "refused"}),
                             lang)
    plan = recommendation(impedes, "request_behavior_plan")
    words = " ".join([plan.title, plan.summary, *plan.how]).lower()
    assert "return" not in words and "regreso" not in words and "vuelve" not in words
    after = advisor.advise(removal(ON_IEP, manifestation_result="manifestation"), lang)
    plan = recommendation(after, "request_behavior_plan")
    words = " ".join([plan.title, plan.summary, *plan.how]).lower()
    assert ("return" in words) if lang == "en" else ("regreso" in plan.title.lower())


def test_the_behaviour_plan_letter_is_titled_as_the_advice_worded_it(
        advisor: Advisor) -> None:
    impedes = case(student={"has_iep": True, "behavior_impedes_learning": True},
                   concern={"topic": "services", "school_response": "refused"})
    note = write_letter(impedes, "request_behavior_plan", "md", advisor).content.decode()
    assert "the child's return" not in note
    after = write_letter(removal(ON_IEP, manifestation_result="manifestation"),
                         "request_behavior_plan", "md", advisor).content.decode()
    assert "the child's return" in after


def test_a_rule_naming_an_unknown_wording_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace("13_discipline_protections.yaml", "wording: after_manifestation",
                       "wording: after_manifestatoin", count=2)
    problem = rules_copy.start_problem()
    assert problem.key == "wording" and "after_manifestation" in problem.message


# ---------------------------------------------------------------- OCR's title in Spanish

def test_ocr_s_procedures_are_named_in_spanish_in_spanish_lines(advisor: Advisor) -> None:
    broken = case(student=ON_504, concern={"topic": "implementation",
                                           "school_response": "refused"},
                  violation={"alleged": True, "date": "2026-10-01",
                             "kind": "failure_to_implement"})
    spanish = advisor.advise(broken, "es")
    english = advisor.advise(broken, "en")
    window = next(d for d in spanish.deadlines if d.move.value == "ocr_complaint")
    assert "Processing" not in window.citation and "Oficina para Derechos Civiles" in \
        window.citation
    assert "Processing" not in citations(spanish)
    assert "34 CFR 104.36" in citations(spanish)  # numbers stay as written
    # English keeps the citation as the source gives it
    assert "OCR Complaint Processing Procedures" in next(
        d.citation for d in english.deadlines if d.move.value == "ocr_complaint")
    # a calendar app that imported the English events updates them from the Spanish
    uids = {lang: [line for line in calendars_for(advisor).write(broken, advisor.advise, lang)
                   .decode().splitlines() if line.startswith("UID:")] for lang in ("en", "es")}
    assert uids["en"] and uids["en"] == uids["es"]
    letter = write_letter(broken, "ocr_complaint", "md", advisor, lang="es").content.decode()
    spanish_part = letter.split("To: ", 1)[0]
    assert "Processing Procedures" not in spanish_part


# ---------------------------------------------------------------- words that follow the case

def _advocate_how(advice: Advice) -> str:
    return " ".join(recommendation(advice, "seek_advocacy_support").how)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_advocate_at_mediation_only_where_mediation_is_recommended(
        advisor: Advisor, lang: str) -> None:
    mediation_word = "mediation" if lang == "en" else "mediación"
    exhausted = advisor.advise(case(
        student=ON_IEP, concern={"topic": "services", "school_response": "refused"},
        history=[{"move": "written_concern", "outcome": "refused", "date": "2026-08-01"},
                 {"move": "request_iep_meeting", "outcome": "refused", "date": "2026-09-01"},
                 {"move": "escalate_chain_of_command", "outcome": "refused",
                  "date": "2026-10-01"}]), lang)
    assert "mediation" in moves(exhausted)
    assert mediation_word in _advocate_how(exhausted)
    reasons = [r.text for r in recommendation(exhausted, "seek_advocacy_support").reasons]
    assert len(reasons) == len(set(reasons))  # said once
    ocr = advisor.advise(case(
        student=ON_504, concern={"topic": "implementation", "school_response": "refused"},
        violation={"alleged": True, "date": "2026-10-01", "kind": "failure_to_implement"}),
        lang)
    assert "mediation" not in moves(ocr) and "seek_advocacy_support" in moves(ocr)
    assert mediation_word not in _advocate_how(ocr)


@pytest.mark.parametrize(("student", "iep"), [(ON_504, False), (ON_IEP, True)])
def test_the_broken_duty_question_names_the_childs_own_plan(
        advisor: Advisor, student: dict[str, Any], iep: bool) -> None:
    for lang in ("en", "es"):
        explained = explainer_for(advisor).advise(removal(student), lang)
        assert explained.explanation is not None
        asked = next(q.question for q in explained.explanation.questions
                     if q.fact == "violation.alleged")
        assert ("IEP" in asked) is iep
        assert ("504" in asked) is (not iep)


@pytest.mark.parametrize(("student", "discipline", "idea"), [
    (ON_IEP, {}, True),
    (ON_504, {"staff_reported_behavior": True}, True),  # 300.534(b)(3): IDEA's protections
    (ON_504, {}, False),                                 # only 104.35(a)
])
def test_services_from_the_eleventh_day_and_the_plan_after_a_manifestation_under_idea(
        advisor: Advisor, student: dict[str, Any], discipline: dict[str, Any],
        idea: bool) -> None:
    """IDEA's services from the eleventh day of removal (34 CFR 300.530(d)) and its
    behaviour plan after a manifestation finding (300.530(f)) are the child's whenever
    IDEA's discipline protections are: an IEP, or a district that knew (300.534(b)), a
    504 plan or not; the IEP goals are named only for a child who has an IEP."""
    for lang in ("en", "es"):
        advice = advisor.advise(removal(student, **discipline), lang)
        assert ("request_services_during_removal" in moves(advice)) is idea
        if idea:
            text = " ".join(r.text for r in recommendation(
                advice, "request_services_during_removal").reasons)
            goals = "IEP goals" if lang == "en" else "metas de su programa"
            assert (goals in text) is (student is ON_IEP), text
        found = advisor.advise(removal(student, manifestation_result="manifestation",
                                       **discipline), lang)
        assert ("behavior_plan.after_manifestation" in found.trace.rules_fired) is idea
