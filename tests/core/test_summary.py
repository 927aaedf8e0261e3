"""The summary at the top of every advice: two or three plain sentences saying what to do
now, why, and the nearest date that matters, in the case's own words."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

from escalate import Advisor, get_advisor
from escalate.examples import example_cases
from escalate.models import EXAMPLE_CASE, Case

from .cases import valid_cases

BROKEN_TEXT = re.compile(r"\bNone\b|\(\s*\)|\s[.,;:]|\{\{|\{%|\s\s")


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def test_the_contract_example_summary(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate(EXAMPLE_CASE))
    assert advice.summary.startswith("Next step for Jordan: go up the chain of command.")
    assert "The IEP meeting on 2026-09-20 ended in refusal." in advice.summary
    # The nearest date still ahead: the state complaint window, 98 days away.
    assert "2027-03-01" in advice.summary and "98 days" in advice.summary
    assert "34 CFR 300.153(c)" in advice.summary


def test_every_example_has_a_short_summary_naming_the_child(advisor: Advisor) -> None:
    for stem, raw in example_cases().items():
        case = Case.model_validate(raw)
        advice = advisor.advise(case)
        assert 2 <= _sentences(advice.summary) <= 4, f"{stem}: {advice.summary}"
        if case.student.name and advice.next_move:
            assert case.student.name in advice.summary, stem
        if advice.next_move:
            title = advice.next_move.title
            assert (title[0].lower() + title[1:]) in advice.summary, stem
        assert not BROKEN_TEXT.search(advice.summary), f"{stem}: {advice.summary}"


def test_the_nearest_date_is_the_soonest_still_ahead(advisor: Advisor) -> None:
    case = Case.model_validate({
        "as_of": "2026-11-23",
        "concern": {"topic": "discipline", "school_response": "refused"},
        "student": {"has_iep": True, "name": "Eli"},
        "discipline": {"days_removed": 12, "change_of_placement_proposed": True,
                       "decision_date": "2026-11-18"},
        "violation": {"alleged": True, "date": "2026-03-01", "kind": "procedural"}})
    advice = advisor.advise(case)
    soonest = min((d for d in advice.deadlines if d.days_left >= 0), key=lambda d: d.days_left)
    assert soonest.due.isoformat() in advice.summary


def test_a_step_waiting_for_an_answer_still_gets_a_next_step(advisor: Advisor) -> None:
    # ladder.md section 12: never an empty answer
    advice = advisor.advise(Case.model_validate({
        "as_of": "2026-11-23", "concern": {"topic": "other", "school_response": "none_yet"},
        "history": [{"move": "written_concern", "outcome": "pending", "date": "2026-11-16"}]}))
    assert "No step is recommended" not in advice.summary
    assert advice.summary.startswith("Next step for your child: give the school a date")
    assert "No deadline" in advice.summary


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_cases())
def test_no_summary_reads_none_or_breaks(case: Case) -> None:
    summary = get_advisor().advise(case).summary
    assert summary and not BROKEN_TEXT.search(summary), summary


def test_no_deadline_running_is_not_said_beside_a_hearing_set(advisor: Advisor) -> None:
    """A 504 child facing an expulsion hearing has no IDEA clock (34 CFR 104.35(a) sets
    none): the summary must not tell the family that nothing is running beside the
    hearing's date; without a hearing set, and no date, it still says so."""
    raw = {"as_of": "2026-12-01", "state": "CA",
           "student": {"name": "Sofía", "has_iep": False, "has_504_plan": True},
           "concern": {"topic": "discipline", "school_response": "refused"},
           "discipline": {"days_removed": 12, "consecutive_days": 5,
                          "change_of_placement_proposed": True,
                          "hearing_date": "2026-12-08"}}
    said = {"en": "No deadline can be counted", "es": "no se puede contar ningún plazo"}
    for lang, sentence in said.items():
        with_hearing = advisor.advise(Case.model_validate(raw), lang)
        assert with_hearing.deadlines == []
        assert sentence not in with_hearing.summary
        no_hearing = {**raw, "discipline": {k: v for k, v in raw["discipline"].items()
                                            if k != "hearing_date"}}
        without = advisor.advise(Case.model_validate(no_hearing), lang)
        assert without.deadlines == [] and sentence in without.summary
