"""Ranking per ladder.md section 1 and escalate/advisor.py: least adversarial untried rung
first, the four rung-skipping exceptions, closed and closing windows, and the shape every
advice must have."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from escalate import Advisor
from escalate.examples import example_cases
from escalate.models import Advice, Case

from .cases import AS_OF, FORMAL_MOVES, RUNGS, SEED_DOCUMENTS, case, history, iso, years_before


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def ladder(advice: Advice) -> dict[str, str]:
    return {r.move.value: r.status for r in advice.ladder}


def rec(advice: Advice, move: str):  # type: ignore[no-untyped-def]
    found = [r for r in advice.recommendations if r.move.value == move]
    assert len(found) == 1, moves(advice)
    return found[0]


def check_shape(advisor: Advisor, advice: Advice) -> None:
    """What every advice must satisfy, whatever the case."""
    assert advice.next_move == (advice.recommendations[0] if advice.recommendations else None)
    assert [r.priority for r in advice.recommendations] == list(
        range(1, len(advice.recommendations) + 1))
    assert len(set(moves(advice))) == len(advice.recommendations)
    documents = set(advisor.rulebook.documents)
    assert documents <= SEED_DOCUMENTS
    for recommendation in advice.recommendations:
        assert recommendation.reasons
        assert recommendation.rule == recommendation.rules[0]
        for reason in recommendation.reasons:
            assert reason.text.strip()
            assert reason.source.document or reason.source.citation
            if reason.source.document:
                assert reason.source.document in documents
    closed = {w.move.value for w in advice.warnings if w.kind == "window_closed" and w.move}
    assert not closed & set(moves(advice))
    assert [r.rung for r in advice.ladder] == list(range(1, len(RUNGS) + 1))
    assert [r.move.value for r in advice.ladder] == list(RUNGS)
    assert list(ladder(advice).values()).count("next") <= 1


EXAMPLES = example_cases()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_has_the_shape_of_advice(advisor: Advisor, name: str) -> None:
    the_case = Case.model_validate(EXAMPLES[name])
    advice = advisor.advise(the_case)
    check_shape(advisor, advice)
    assert advice.recommendations, name
    assert advisor.advise(the_case).model_dump() == advice.model_dump()


# ------------------------------------------------------------ the ordinary climb

CLIMB = [
    # (history so far, the rung that must come next)
    ([], "written_concern"),
    ([("written_concern", "no_response")], "request_iep_meeting"),
    ([("written_concern", "refused"), ("request_iep_meeting", "refused")],
     "escalate_chain_of_command"),
    ([("written_concern", "refused"), ("request_iep_meeting", "partially_resolved"),
      ("escalate_chain_of_command", "no_response")], "mediation"),
    ([("written_concern", "refused"), ("request_iep_meeting", "refused"),
      ("escalate_chain_of_command", "refused"), ("mediation", "refused")], "due_process"),
]


@pytest.mark.parametrize(("tried", "next_rung"), CLIMB,
                         ids=[step[1] for step in CLIMB])
def test_least_adversarial_untried_rung_comes_first(advisor: Advisor, tried, next_rung) -> None:  # type: ignore[no-untyped-def]
    advice = advisor.advise(case(
        concern={"topic": "services", "school_response": "partially_agreed"},
        history=history(*tried)))
    check_shape(advisor, advice)
    assert advice.next_move is not None
    assert advice.next_move.move.value == next_rung
    assert not advice.next_move.raised
    status = ladder(advice)
    assert status[next_rung] == "next"
    for move, _ in tried:
        assert status[move] == "tried"
    # rungs above the next one that nothing recommends stay ahead
    above = RUNGS[RUNGS.index(next_rung) + 1:]
    for move in above:
        assert status[move] in ("ahead", "available")
    # no rung higher than the next one is recommended without an exception
    for recommendation in advice.recommendations:
        if recommendation.rung and recommendation.rung > advice.next_move.rung:  # type: ignore[operator]
            assert recommendation.raised


def test_a_resolved_rung_shows_resolved(advisor: Advisor) -> None:
    advice = advisor.advise(case(concern={"topic": "goals", "school_response": "agreed"},
                                 history=history(("written_concern", "resolved"))))
    assert ladder(advice)["written_concern"] == "resolved"
    assert not any(r.rung for r in advice.recommendations)


def test_a_case_without_a_concern_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate({"as_of": iso(AS_OF)})
    assert [e["loc"] for e in caught.value.errors()] == [("concern",)]
    with pytest.raises(ValidationError):
        Case.model_validate({"as_of": iso(AS_OF), "concern": None})


def test_waiting_for_an_answer_gets_a_date_to_answer_by(advisor: Advisor) -> None:
    # ladder.md section 12: a response never has zero recommendations
    advice = advisor.advise(case(
        concern={"topic": "services", "school_response": "none_yet"},
        history=history(("written_concern", "pending", "2026-11-16"))))
    check_shape(advisor, advice)
    assert advice.next_move is not None
    assert advice.next_move.move.value == "await_answer"
    answered = advisor.advise(case(
        concern={"topic": "services", "school_response": "refused"},
        history=history(("written_concern", "refused", "2026-11-16"))))
    assert "await_answer" not in moves(answered)


# ------------------------------------------------------------ the four exceptions

def test_iee_is_available_at_once_on_evaluation_disagreement(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "evaluation", "school_response": "none_yet"},
        evaluation={"completed": True, "date": "2026-10-01", "parent_disagrees": True}))
    check_shape(advisor, advice)
    assert advice.next_move is not None
    assert advice.next_move.move.value == "written_concern"  # the talking goes on
    iee = rec(advice, "request_iee")
    assert iee.raised
    assert any(r.source.citation and "300.502" in r.source.citation for r in iee.reasons)
    assert ladder(advice)["request_iee"] == "available"
    # rungs 2 and 3 were never tried: the IEE did not have to wait for them
    assert ladder(advice)["request_iep_meeting"] not in ("tried", "resolved")
    assert ladder(advice)["escalate_chain_of_command"] not in ("tried", "resolved")


def test_state_complaint_is_available_at_once_for_a_broken_duty(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "implementation", "school_response": "none_yet"},
        violation={"alleged": True, "date": "2026-09-01", "kind": "failure_to_implement"}))
    check_shape(advisor, advice)
    assert advice.next_move is not None
    assert advice.next_move.move.value == "written_concern"
    complaint = rec(advice, "state_complaint")
    assert complaint.raised
    assert ladder(advice)["state_complaint"] == "available"
    assert [d.due for d in complaint.deadlines if d.label.startswith("State complaint")] == [
        dt.date(2027, 9, 1)]


def test_discrimination_alone_is_not_a_broken_idea_duty(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "other", "school_response": "none_yet"},
        violation={"alleged": True, "date": "2026-09-01", "kind": "discrimination"}))
    assert "state_complaint" not in moves(advice)
    assert "ocr_complaint" in moves(advice)


def test_discipline_puts_manifestation_and_principal_first(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "discipline", "school_response": "refused"},
        discipline={"days_removed": 12, "change_of_placement_proposed": True,
                    "decision_date": "2026-11-18"}))
    check_shape(advisor, advice)
    ranked = moves(advice)
    # the manifestation determination is the most urgent move (ladder.md section 8) ...
    assert ranked[0] == "request_manifestation_determination"
    assert "escalate_chain_of_command" in ranked[:4]
    # ... services continue from the eleventh day of removal (34 CFR 300.530(d))
    assert "request_services_during_removal" in ranked[:4]
    # ... inside a leading block of urgent moves, all raised, all for discipline
    urgent = [r for r in advice.recommendations if r.raised]
    assert advice.recommendations[:len(urgent)] == urgent
    for recommendation in urgent:
        assert any(r.source.section == "Follow the Chain of Command" or
                   (r.source.citation or "").startswith("34 CFR 300.5")
                   for r in recommendation.reasons)
    # an expedited hearing may be among them, never before the manifestation review, and
    # a discipline appeal is never ordinary due process
    if "expedited_hearing" in ranked:
        assert ranked.index("expedited_hearing") > ranked.index(
            "request_manifestation_determination")
    assert "due_process" not in ranked and "invoke_stay_put" not in ranked
    assert ranked.index("written_concern") >= len(urgent)
    assert ladder(advice)["escalate_chain_of_command"] == "next"


@pytest.mark.parametrize("days_removed", [10, 11])
def test_removal_counts_past_ten_school_days(advisor: Advisor, days_removed: int) -> None:
    advice = advisor.advise(case(concern={"topic": "discipline", "school_response": "none_yet"},
                                 discipline={"days_removed": days_removed}))
    assert ("request_manifestation_determination" in moves(advice)) is (days_removed > 10)


def test_manifestation_needs_the_district_to_know_of_a_disability(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate({
        "as_of": iso(AS_OF), "student": {"has_iep": False, "disability_suspected": False},
        "concern": {"topic": "discipline", "school_response": "refused"},
        "discipline": {"days_removed": 15}}))
    assert "request_manifestation_determination" not in moves(advice)


def test_due_process_without_mediation_when_the_school_keeps_refusing(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(
        state="CA",
        concern={"topic": "services", "school_response": "refused"},
        history=history(("written_concern", "refused", "2026-09-01"),
                        ("request_iep_meeting", "refused", "2026-10-01"))))
    check_shape(advisor, advice)
    due_process = rec(advice, "due_process")
    # available without mediation, but two refusals do not raise it above the next
    # informal rung (ladder.md section 11)
    assert not due_process.raised
    assert ladder(advice)["mediation"] == "ahead"
    assert ladder(advice)["due_process"] == "available"
    assert advice.next_move is not None
    assert advice.next_move.move.value == "escalate_chain_of_command"
    assert any("without mediation" in r.text for r in due_process.reasons)
    # formal steps never displace the informal ones
    assert moves(advice).index("escalate_chain_of_command") < moves(advice).index(
        "due_process")


def test_one_refusal_is_not_consistent_dismissal(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "services", "school_response": "refused"},
        history=history(("written_concern", "refused"))))
    assert "due_process" not in moves(advice)


# ------------------------------------------------------------ windows

def test_closed_window_is_a_warning_never_a_recommendation(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate(EXAMPLES["12_window_closed"]))
    check_shape(advisor, advice)
    closed = {w.move.value for w in advice.warnings if w.kind == "window_closed" and w.move}
    assert closed == {"state_complaint", "due_process"}
    assert not closed & set(moves(advice))
    assert ladder(advice)["state_complaint"] == "closed"
    assert ladder(advice)["due_process"] == "closed"


def test_closing_window_outranks_the_ordinary_climb(advisor: Advisor) -> None:
    violation = years_before(AS_OF, 1) + dt.timedelta(days=10)
    advice = advisor.advise(case(
        concern={"topic": "implementation", "school_response": "none_yet"},
        violation={"alleged": True, "date": iso(violation), "kind": "timeline"}))
    check_shape(advisor, advice)
    assert moves(advice)[:2] == ["state_complaint", "written_concern"]
    assert advice.recommendations[0].raised
    assert [w.kind for w in advice.warnings] == ["window_closing"]


def test_a_closed_formal_step_does_not_justify_its_companions(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate(EXAMPLES["12_window_closed"]))
    assert not FORMAL_MOVES & set(moves(advice))
    for recommendation in advice.recommendations:
        assert recommendation.rules not in (["records.before_formal_step"],
                                            ["support.formal_step"]), recommendation.move


def test_stay_put_does_not_follow_a_closed_due_process(advisor: Advisor) -> None:
    known = AS_OF - dt.timedelta(days=548)
    advice = advisor.advise(case(
        state="NC",
        concern={"topic": "placement", "school_response": "refused"},
        history=history(("written_concern", "refused"), ("request_iep_meeting", "refused")),
        violation={"alleged": True, "date": iso(known), "known_date": iso(known),
                   "kind": "procedural"},
        discipline={"days_removed": 0, "change_of_placement_proposed": True}))
    assert "due_process" not in moves(advice)
    assert "invoke_stay_put" not in moves(advice)


def test_a_window_is_never_closed_on_an_assumed_date(advisor: Advisor) -> None:
    # ladder.md section 12: without the date the parent knew, the violation's date stands
    # in for it; a limit passed on that date may have passed, and the move stays available
    raw = json.loads(json.dumps(EXAMPLES["12_window_closed"]))
    del raw["violation"]["known_date"]
    advice = advisor.advise(Case.model_validate(raw))
    limit = next(d for d in advice.deadlines if d.clock == "due_process_limit")
    assert (limit.status, limit.start) == ("may_be_closed", "assumed")
    assert "due_process" in moves(advice)
    assert ladder(advice)["due_process"] != "closed"
    warned = [w for w in advice.warnings if w.move and w.move.value == "due_process"]
    assert [w.kind for w in warned] == ["window_may_be_closed"]
    assert "attorney now" in warned[0].text
    # the state complaint window counts from the violation's own date: closed
    assert ladder(advice)["state_complaint"] == "closed"


# ------------------------------------------------------------ history order

def test_undated_entry_after_a_dated_one_is_the_latest(advisor: Advisor) -> None:
    advice = advisor.advise(case(
        concern={"topic": "services", "school_response": "agreed"},
        history=[{"move": "written_concern", "date": "2026-09-01", "outcome": "no_response"},
                 {"move": "written_concern", "outcome": "resolved"}]))
    assert ladder(advice)["written_concern"] == "resolved"
    assert "request_iep_meeting" not in moves(advice)


def test_latest_dated_outcome_wins_whatever_the_list_order(advisor: Advisor) -> None:
    entries = [{"move": "written_concern", "date": "2026-10-01", "outcome": "resolved"},
               {"move": "written_concern", "date": "2026-09-01", "outcome": "no_response"}]
    concern = {"topic": "services", "school_response": "agreed"}
    forward = advisor.advise(case(concern=concern, history=entries))
    backward = advisor.advise(case(concern=concern, history=entries[::-1]))
    assert ladder(forward)["written_concern"] == "resolved"
    assert moves(forward) == moves(backward)


# ------------------------------------------------------------ determinism

@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_same_input_same_output(advisor: Advisor, name: str) -> None:
    the_case = Case.model_validate(EXAMPLES[name])
    other = Advisor.from_directory(advisor.rulebook.directory) if name == "07_mediation_failed" \
        else advisor
    first, second = advisor.advise(the_case), other.advise(the_case)
    assert first.model_dump() == second.model_dump()
