"""Reasons in the case's own words: the templates a rule's ``because`` may be, what they
say for real cases, and the start-up check that refuses a broken one with the file, the
rule id and the key."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

from escalate import Advisor
from escalate.examples import example_cases
from escalate.models import EXAMPLE_CASE, Case

from .cases import valid_cases
from .conftest import RulesCopy
from .test_loader import only

BROKEN_TEXT = re.compile(r"\bNone\b|\(\s*\)|\s[.,;:]|\{\{|\{%|\s\s")
RULE_FILE = "03_chain_of_command.yaml"
TEMPLATED = "{{ history.request_iep_meeting.on_date }}"


def _reasons(advisor: Advisor, case: Case) -> list[str]:
    return [r.text for rec in advisor.advise(case).recommendations for r in rec.reasons]


def test_the_contract_example_gets_the_contracts_sentence(advisor: Advisor) -> None:
    advice = advisor.advise(Case.model_validate(EXAMPLE_CASE))
    chain = next(r for r in advice.recommendations if r.move == "escalate_chain_of_command")
    assert chain.reasons[0].text.startswith("The IEP meeting on 2026-09-20 ended in refusal")


def test_reasons_use_the_childs_name_and_the_cases_dates(advisor: Advisor) -> None:
    for stem, raw in example_cases().items():
        case = Case.model_validate(raw)
        advice = advisor.advise(case)
        if case.student.name and advice.next_move:
            first = " ".join(r.text for r in advice.next_move.reasons)
            assert case.student.name in first, f"{stem}: {first}"
        for reason in _reasons(advisor, case):
            assert not BROKEN_TEXT.search(reason), f"{stem}: {reason!r}"


def test_a_failed_meeting_is_told_with_its_date(advisor: Advisor) -> None:
    case = Case.model_validate({
        "as_of": "2026-11-23", "student": {"has_iep": True},
        "concern": {"topic": "goals", "school_response": "refused"},
        "history": [{"move": "request_iep_meeting", "date": "2026-10-14",
                     "outcome": "no_response"}]})
    texts = _reasons(advisor, case)
    assert "The IEP meeting on 2026-10-14 went unanswered." in " ".join(texts)


def test_without_a_name_or_dates_the_reason_still_reads(advisor: Advisor) -> None:
    case = Case.model_validate({
        "as_of": "2026-11-23", "student": {"has_iep": True},
        "concern": {"topic": "goals", "school_response": "refused"},
        "history": [{"move": "request_iep_meeting", "outcome": "refused"}]})
    texts = _reasons(advisor, case)
    assert "The IEP meeting ended in refusal." in " ".join(texts)
    assert "your child" in " ".join(texts)
    for text in texts:
        assert not BROKEN_TEXT.search(text), text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_cases())
def test_no_reason_ever_reads_none_or_has_empty_parentheses(case: Case) -> None:
    from escalate import get_advisor

    for text in _reasons(get_advisor(), case):
        assert not BROKEN_TEXT.search(text), text


def test_rules_listing_shows_the_template_text(advisor: Advisor) -> None:
    listed = {r.id: r.because for r in advisor.rules().rules}
    assert TEMPLATED in listed["chain_of_command.after_failed_meeting"]


# ------------------------------------------------------------ the start-up check

def test_unknown_template_variable_is_refused_with_file_rule_and_key(
        rules_copy: RulesCopy) -> None:
    rules_copy.replace(RULE_FILE, TEMPLATED, "{{ hisotry.request_iep_meeting.on_date }}")
    problem = only(rules_copy.problems(), file=RULE_FILE)
    assert problem.rule_id == "chain_of_command.after_failed_meeting"
    assert problem.key == "because"
    assert "hisotry" in problem.message
    assert problem.suggestion == "history"


def test_template_syntax_error_is_refused(rules_copy: RulesCopy) -> None:
    rules_copy.replace(RULE_FILE, TEMPLATED, "{{ history.request_iep_meeting.on_date")
    problem = only(rules_copy.problems(), file=RULE_FILE)
    assert problem.rule_id == "chain_of_command.after_failed_meeting"
    assert problem.key == "because"
    assert "syntax" in problem.message


def test_unknown_move_in_a_template_is_refused(rules_copy: RulesCopy) -> None:
    rules_copy.replace(RULE_FILE, TEMPLATED, "{{ history.request_iep_meting.on_date }}")
    problem = only(rules_copy.problems(), file=RULE_FILE)
    assert "request_iep_meting" in problem.message and problem.key == "because"


def test_unknown_field_in_a_template_is_refused(rules_copy: RulesCopy) -> None:
    rules_copy.replace(RULE_FILE, TEMPLATED, "{{ history.request_iep_meeting.when }}")
    problem = only(rules_copy.problems(), file=RULE_FILE)
    assert "'when'" in problem.message and "on_date" in problem.message


def test_a_template_that_would_print_none_is_refused(rules_copy: RulesCopy) -> None:
    rules_copy.replace(RULE_FILE, TEMPLATED, "{{ none_such if false else None }}")
    problems = rules_copy.problems()
    assert any(p.rule_id == "chain_of_command.after_failed_meeting" for p in problems)


def test_a_sandboxed_template_cannot_reach_python(rules_copy: RulesCopy) -> None:
    rules_copy.replace(RULE_FILE, TEMPLATED, "{{ child.__class__.__mro__ }}")
    problem = only(rules_copy.problems(), file=RULE_FILE)
    assert problem.key == "because"
