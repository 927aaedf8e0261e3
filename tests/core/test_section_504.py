"""The Section 504 track (ladder.md section 6): a child with a 504 plan and no IEP climbs a
parallel ladder and is never told to use IDEA's IEP meeting, IEE, state complaint or due
process; a 504 violation goes to OCR with its 180-day clock."""

from __future__ import annotations

import datetime as dt

from escalate import Advisor
from escalate.models import Advice

from .cases import case, history

IDEA_ONLY = {"request_iep_meeting", "request_iee", "mediation", "state_complaint",
             "due_process", "invoke_stay_put", "request_prior_written_notice",
             "expedited_hearing", "parent_concerns_statement"}
SECTION_504 = {"has_504_plan": True, "has_iep": False}
IEP = {"has_iep": True}


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def text_of(advice: Advice) -> str:
    return " ".join([r.text for rec in advice.recommendations for r in rec.reasons]
                    + [h for rec in advice.recommendations for h in rec.how])


def refused_climb(student: dict[str, bool], *more: tuple[str, str, str]) -> dict[str, object]:
    return {"student": student,
            "concern": {"topic": "services", "school_response": "refused"},
            "history": history(("written_concern", "refused", "2026-09-01"), *more)}


def test_a_504_child_whose_written_concern_failed_is_told_to_ask_for_a_504_meeting(
        advisor: Advisor) -> None:
    on_504 = advisor.advise(case(**refused_climb(SECTION_504)))
    assert on_504.next_move is not None
    assert on_504.next_move.move.value == "request_504_meeting"
    assert not IDEA_ONLY & set(moves(on_504))
    # the same facts for a child with an IEP climb to the IEP meeting
    on_iep = advisor.advise(case(**refused_climb(IEP)))
    assert on_iep.next_move is not None
    assert on_iep.next_move.move.value == "request_iep_meeting"
    assert "request_504_meeting" not in moves(on_iep)


def test_504_wording_never_says_iep_or_case_manager(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        student=SECTION_504, concern={"topic": "implementation", "school_response": "none_yet"}))
    assert moves(advice)[0] == "written_concern"
    words = text_of(advice)
    assert "504 coordinator" in words
    assert "IEP" not in words and "case manager" not in words
    # a child with no plan yet is not sent to a case manager either
    none = advisor.advise(case(student={"has_iep": False},
                               concern={"topic": "scheduling", "school_response": "none_yet"}))
    assert "case manager" not in text_of(none) and "IEP" not in text_of(none)
    # an IEP family is
    iep = advisor.advise(case(concern={"topic": "scheduling", "school_response": "none_yet"}))
    assert "case manager" in text_of(iep)


def test_after_the_504_meeting_the_504_coordinator_and_grievance_procedure(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(**refused_climb(
        SECTION_504, ("request_504_meeting", "refused", "2026-10-01"))))
    assert advice.next_move is not None
    chain = advice.next_move
    assert chain.move.value == "escalate_chain_of_command"
    assert any("104.7" in (r.source.citation or "") for r in chain.reasons)
    assert any("grievance" in h for h in chain.how)


def test_a_504_hearing_follows_the_coordinator_not_before(advisor: Advisor) -> None:
    once = advisor.advise(case(**refused_climb(
        SECTION_504, ("request_504_meeting", "no_response", "2026-10-01"))))
    assert "section_504_hearing" not in moves(once)
    # refused again and again, the hearing is available, but after the coordinator
    twice = advisor.advise(case(**refused_climb(
        SECTION_504, ("request_504_meeting", "refused", "2026-10-01"))))
    ranked = moves(twice)
    assert ranked.index("escalate_chain_of_command") < ranked.index("section_504_hearing")
    assert not next(r for r in twice.recommendations
                    if r.move.value == "section_504_hearing").raised
    after = advisor.advise(case(**refused_climb(
        SECTION_504, ("request_504_meeting", "refused", "2026-10-01"),
        ("escalate_chain_of_command", "refused", "2026-10-20"))))
    assert "section_504_hearing" in moves(after)
    assert "due_process" not in moves(after) and "mediation" not in moves(after)


def test_a_broken_504_duty_goes_to_ocr_with_its_180_day_clock(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        student=SECTION_504, concern={"topic": "implementation", "school_response": "refused"},
        violation={"alleged": True, "date": "2026-09-15", "kind": "failure_to_implement"}))
    assert "ocr_complaint" in moves(advice) and "state_complaint" not in moves(advice)
    windows = {d.label: d.due for d in advice.deadlines}
    assert windows == {"OCR complaint window closes": dt.date(2026, 9, 15)
                       + dt.timedelta(days=180)}
    # the same violation for a child with an IEP is an IDEA state complaint, not OCR
    iep = advisor.advise(case(
        student=IEP, concern={"topic": "implementation", "school_response": "refused"},
        violation={"alleged": True, "date": "2026-09-15", "kind": "failure_to_implement"}))
    assert "state_complaint" in moves(iep) and "ocr_complaint" not in moves(iep)
    assert "OCR complaint window closes" not in {d.label for d in iep.deadlines}


def test_discrimination_alone_opens_no_idea_windows(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "other", "school_response": "refused"},
        violation={"alleged": True, "date": "2026-09-15", "kind": "discrimination"}))
    labels = {d.label for d in advice.deadlines}
    assert labels == {"OCR complaint window closes"}


def test_a_504_child_facing_a_long_removal_gets_the_504_discipline_review(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(
        student=SECTION_504, concern={"topic": "discipline", "school_response": "refused"},
        discipline={"days_removed": 12, "consecutive_days": 12,
                    "change_of_placement_proposed": True}))
    assert advice.next_move is not None
    review = advice.next_move
    assert review.move.value == "request_manifestation_determination"
    assert review.rule == "section_504.discipline_review"
    assert any("104.35" in (r.source.citation or "") for r in review.reasons)
    assert any("504" in h for h in review.how) and not any("IEP" in h for h in review.how)
    assert "expedited_hearing" not in moves(advice)
    # ten days is not yet a change of placement
    short = advisor.advise(case(
        student=SECTION_504, concern={"topic": "discipline", "school_response": "refused"},
        discipline={"days_removed": 10, "consecutive_days": 10}))
    assert "request_manifestation_determination" not in moves(short)


def test_a_504_child_may_still_ask_for_an_idea_evaluation_and_its_iee(
        advisor: Advisor) -> None:
    student = {**SECTION_504, "disability_suspected": True}
    advice = advisor.advise(case(
        student=student, concern={"topic": "evaluation", "school_response": "none_yet"}))
    assert "request_evaluation" in moves(advice)
    # a disputed 504 evaluation is a 504 hearing matter, not an IEE ...
    disputed = {"completed": True, "date": "2026-06-01", "parent_disagrees": True}
    without = advisor.advise(case(student=student, evaluation=disputed,
                                  concern={"topic": "evaluation", "school_response": "refused"}))
    assert "request_iee" not in moves(without)
    # ... but once the IDEA evaluation was asked for, the IEE is open (34 CFR 300.502)
    idea = advisor.advise(case(student=student, evaluation=disputed,
                               concern={"topic": "evaluation", "school_response": "refused"},
                               history=history(("request_evaluation", "resolved",
                                                "2026-03-01"))))
    assert "request_iee" in moves(idea)


def test_a_504_child_sees_the_504_ladder_and_idea_rungs_as_not_applicable(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(**refused_climb(SECTION_504)))
    steps = {r.move.value: (r.rung, r.status) for r in advice.section_504_ladder}
    assert steps == {"written_concern": (1, "tried"), "request_504_meeting": (2, "next"),
                     "escalate_chain_of_command": (3, "ahead"),
                     "section_504_hearing": (4, "ahead"), "ocr_complaint": (5, "ahead")}
    idea = {r.move.value: r.status for r in advice.ladder}
    assert idea["request_iep_meeting"] == idea["due_process"] == "not_applicable"
    assert idea["written_concern"] == "tried"
    # an IEP family has no 504 ladder and no rung is "not_applicable"
    iep = advisor.advise(case(**refused_climb(IEP)))
    assert iep.section_504_ladder == []
    assert "not_applicable" not in {r.status for r in iep.ladder}


def test_an_unspecified_504_violation_is_read_as_a_civil_rights_matter(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(student=SECTION_504,
                                 concern={"topic": "implementation", "school_response": "refused"},
                                 violation={"alleged": True, "date": "2026-10-01"}))
    assumed = [w for w in advice.warnings if w.kind == "assumption"]
    assert len(assumed) == 1 and "Office for Civil Rights" in assumed[0].text
    assert "state complaint" not in assumed[0].text
    assert "ocr_complaint" in moves(advice) and "state_complaint" not in moves(advice)


def test_a_504_review_already_held_is_not_asked_for_again(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        student=SECTION_504, concern={"topic": "discipline", "school_response": "refused"},
        discipline={"days_removed": 12, "consecutive_days": 12,
                    "change_of_placement_proposed": True,
                    "manifestation_result": "not_manifestation",
                    "parent_disagrees_with_result": True}))
    assert "request_manifestation_determination" not in moves(advice)
    assert "section_504_hearing" in moves(advice)
