"""Explanations a family can read (issue 25): the why-not report and the questions that
would change the advice, as ``escalate why-not`` and ``escalate advise --explain`` print
them by default, in English and in Spanish.

- For every shipped example, every case built for the second review
  (``tests/data/review_cases.json``) and every move, no rule id, engine condition or case field
  in what the family reads (they stay in the JSON and in the ``--technical`` section), and
  no sentence over 30 words (the counter of ``test_plain_sentences``).
- A question is asked only when it could apply to the case (``applies_when`` in
  ``rules/questions.yaml``), both sides: discipline questions with discipline and not
  without, a 504 meeting with a 504 plan and not without; and a question the case already
  answers is never asked.
- The answers a why-not report names are the engine's: giving one makes the step advised.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from escalate import Advisor
from escalate.examples import example_cases
from escalate.explain import explainer_for
from escalate.explain.counterfactual import reported
from escalate.explain.render import render_explanation, render_why_not
from escalate.i18n.words import Words
from escalate.models import Advice, Case, ConditionCheck, MoveId, RuleCheck
from tests.core.cases import review_cases
from tests.core.test_plain_sentences import MAX_WORDS, sentences, words

EXAMPLES = example_cases()
READ = {**EXAMPLES, **review_cases()}  # the examples and the review's cases
LANGS = ("en", "es")
# What a family must never read: a dotted field path or rule id ("history.due_process",
# "discipline.days_removed"), a code word with an underscore ("not_tried",
# "escalate_chain_of_command"), a history field ("history[move=...]"), an engine condition
# ("derived_fact holds"), an alternative's name ("#0").
_CODE = [re.compile(r"\b[a-z_]+\.[a-z_]+\b"), re.compile(r"\b[a-z]+_[a-z_]+\b"),
         re.compile(r"\[move="), re.compile(r"\bholds\b"), re.compile(r"#\d")]


def _code_in(text: str) -> list[str]:
    return [match.group(0) for pattern in _CODE for match in pattern.finditer(text)]


def _long(text: str) -> list[str]:
    return [s for s in sentences(text) if len(words(s)) > MAX_WORDS]


@cache
def _advice(advisor: Advisor, name: str, lang: str) -> tuple[Case, Advice]:
    case = Case.model_validate(READ[name])
    return case, explainer_for(advisor).advise(case, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(READ))
def test_the_questions_a_family_reads_are_plain(advisor: Advisor, name: str,
                                                lang: str) -> None:
    case, advice = _advice(advisor, name, lang)
    assert advice.explanation is not None
    text = render_explanation(advice.explanation, Words(advisor.locales[lang]))
    assert not _code_in(text), _code_in(text)
    assert not _long(text), _long(text)
    # the technical section keeps the case fields, for intake tools
    technical = render_explanation(advice.explanation, Words(advisor.locales[lang]),
                                   technical=True)
    for question in advice.explanation.questions:
        assert question.field in technical


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(READ))
def test_every_why_not_a_family_reads_is_plain(advisor: Advisor, name: str,
                                               lang: str) -> None:
    case, advice = _advice(advisor, name, lang)
    explainer = explainer_for(advisor)
    words_ = Words(advisor.locales[lang])
    for move in MoveId:
        report = explainer.why_not(case, move, advice)
        text = render_why_not(report, words_)
        assert not _code_in(text), (move.value, _code_in(text))
        assert not _long(text), (move.value, _long(text))
        if not report.recommended and report.rules and report.window != "closed":
            # what is missing is said: a question with its answers, or a plain sentence
            failed = [c for r in report.rules for a in r.alternatives for c in a.failed]
            assert all(c.question or c.plain for c in failed), move.value
        # the JSON keeps the rules as they are, and --technical shows them
        technical = render_why_not(report, words_, technical=True)
        for rule in report.rules:
            assert rule.rule in technical


def test_the_spanish_why_not_has_no_english_code(advisor: Advisor) -> None:
    """The report the translator read: example 7, why not due process, in Spanish."""
    case, advice = _advice(advisor, "01_new_concern", "es")
    report = explainer_for(advisor).why_not(case, MoveId.due_process, advice)
    text = render_why_not(report, Words(advisor.locales["es"]))
    assert "¿Ya intentó usted la mediación? ¿Qué pasó?" in text
    assert "Respuesta ahora: todavía no lo ha intentado." in text
    assert "lo intentó y la escuela se negó" in text
    for english in ("se cumple", "campo del caso", "is not_tried", "history", "regla "):
        assert english not in text, english


def test_an_answer_a_why_not_names_makes_the_step_advised(advisor: Advisor) -> None:
    """Example 3: mediation is not advised; the report asks whether the family went up
    the chain of command, and names "tried, and the school refused". That answer, given,
    makes the engine advise mediation."""
    raw = EXAMPLES["03_meeting_failed_needs_supervisor"]
    case, advice = _advice(advisor, "03_meeting_failed_needs_supervisor", "en")
    report = explainer_for(advisor).why_not(case, MoveId.mediation, advice)
    assert not report.recommended

    def failed(rules: list[RuleCheck]) -> list[ConditionCheck]:
        return [found for r in rules for a in r.alternatives for c in a.failed
                for found in [c, *failed(c.missing_because)]]

    asked = [c for c in failed(report.rules) if c.fact == "history.escalate_chain_of_command"]
    assert asked and "tried, and the school refused" in asked[0].needed_answers
    assert asked[0].current_answer == "not tried yet"
    changed = {**raw, "history": [*raw["history"], {"move": "escalate_chain_of_command",
                                                    "outcome": "refused"}]}
    after = advisor.advise(Case.model_validate(changed))
    assert MoveId.mediation in [r.move for r in after.recommendations]


# ---------------------------------------------------------------- which questions are asked


def _case(**parts: Any) -> Case:
    raw: dict[str, Any] = {"as_of": "2026-11-23", "student": {"has_iep": True},
                           "concern": {"topic": "placement", "school_response": "refused"},
                           "history": [{"move": "request_iep_meeting", "date": "2026-05-10",
                                        "outcome": "refused"}]}
    raw.update(parts)
    return Case.model_validate(raw)


def _askable(advisor: Advisor, case: Case) -> list[str]:
    counterfactuals = explainer_for(advisor).counterfactuals
    facts, _ = advisor.facts_for(case)
    return counterfactuals.askable(case, facts)


def test_no_discipline_question_without_discipline(advisor: Advisor) -> None:
    # the private-school case of example 15: placement, no removal
    case = Case.model_validate(EXAMPLES["15_hawaii_private_placement"])
    asked = _askable(advisor, case)
    assert not [f for f in asked if f.startswith("discipline.")]
    for fact in ("history.request_manifestation_determination", "history.expedited_hearing",
                 "history.request_services_during_removal"):
        assert fact not in asked
    explanation = explainer_for(advisor).explain(case)
    assert not [q.fact for q in explanation.questions
                if q.fact.startswith("discipline.") or q.fact in (
                    "history.request_manifestation_determination",
                    "history.expedited_hearing")]


def test_discipline_questions_when_the_case_is_about_discipline(advisor: Advisor) -> None:
    asked = _askable(advisor, _case(concern={"topic": "discipline",
                                             "school_response": "refused"}))
    assert "discipline.days_removed" in asked
    assert "history.request_manifestation_determination" in asked
    # a removal told in the case, whatever the topic, also opens them
    asked = _askable(advisor, _case(discipline={"days_removed": 4}))
    assert "discipline.manifestation_result" in asked
    assert "discipline.days_removed" not in asked  # the case answers it


# the questions that presuppose a removal from school
AFTER_A_REMOVAL = ("discipline.manifestation_result", "discipline.parent_disagrees_with_result",
                   "history.request_manifestation_determination",
                   "history.request_services_during_removal", "history.expedited_hearing")


def test_a_safety_concern_asks_about_removals_before_what_follows_one(
        advisor: Advisor) -> None:
    """A seclusion reported, no removal told: the family is asked how long the child was
    removed, not about a manifestation determination that only a removal calls for; once
    a removal is told, those questions are asked too."""
    student = {"has_iep": False, "disability_suspected": True,
               "behavior_impedes_learning": True, "restraint_or_seclusion": True}
    safety = {"topic": "safety", "school_response": "refused"}
    asked = _askable(advisor, _case(student=student, concern=safety))
    assert "discipline.days_removed" in asked
    assert not [fact for fact in AFTER_A_REMOVAL if fact in asked]
    removed = _askable(advisor, _case(student=student, concern=safety,
                                      discipline={"days_removed": 3}))
    assert [fact for fact in AFTER_A_REMOVAL if fact in removed] == list(AFTER_A_REMOVAL)


def test_a_504_meeting_only_with_a_504_plan(advisor: Advisor) -> None:
    without = _askable(advisor, _case(student={"has_iep": False, "has_504_plan": False}))
    assert "history.request_504_meeting" not in without
    assert "history.section_504_hearing" not in without
    with_plan = _askable(advisor, _case(student={"has_iep": False, "has_504_plan": True}))
    assert "history.request_504_meeting" in with_plan
    assert "history.consider_504_plan" not in with_plan


def test_resolution_meeting_questions_only_after_due_process(advisor: Advisor) -> None:
    assert "resolution_meeting.held" not in _askable(advisor, _case())
    filed = _case(history=[{"move": "due_process", "date": "2026-10-01",
                            "outcome": "pending"}])
    assert "resolution_meeting.held" in _askable(advisor, filed)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_question_the_case_answers_is_never_asked(advisor: Advisor, name: str) -> None:
    case, advice = _advice(advisor, name, "en")
    assert advice.explanation is not None
    for question in advice.explanation.questions:
        assert not question.reported and not reported(case, question.fact), question.fact


def test_the_same_question_is_asked_once_the_answer_is_removed(advisor: Advisor) -> None:
    given = _case(concern={"topic": "services", "school_response": "no_response"},
                  history=[{"move": "written_concern", "date": "2026-10-01",
                            "outcome": "no_response"}])
    assert "history.written_concern" not in _askable(advisor, given)
    assert "history.request_iep_meeting" in _askable(advisor, given)
    left_out = _case(concern={"topic": "services", "school_response": "no_response"},
                     history=[])
    assert "history.written_concern" in _askable(advisor, left_out)


def test_a_filing_window_condition_says_where_the_window_stands(advisor: Advisor) -> None:
    """A why-not condition on a filing window says it has passed only when it has: a
    window counted from a date the case does not give asks for the dates, and an open
    window, where the rule needs its last days, says so. (A 504 child with no date for
    the civil-rights window was told, in both languages, that its time had passed.)"""
    from escalate.explain.why_not import _window_sentence

    rule = next(r for r in advisor.rulebook.rules if r.id == "state_complaint.window_closing")
    closing = next(t for conj in rule.when for t in conj if t.fact == "window.state_complaint")
    not_closed = closing.negated() if closing.op != "eq" else None
    base = {"window.state_complaint": "open"}
    assert _window_sentence(closing, base) == "family.window_closing"
    assert _window_sentence(closing, {**base, "window.state_complaint": "closed"}) \
        == "family.window_closed"
    for unknown in ("no_date", "may_be_closed"):
        assert _window_sentence(closing, {**base, "window.state_complaint": unknown}) \
            == "family.dates"
    if not_closed is not None:
        assert _window_sentence(not_closed, {**base, "window.state_complaint": "closed"}) \
            == "family.window_closed"

    raw = {"as_of": "2026-12-01", "state": "CA",
           "student": {"has_iep": False, "has_504_plan": True},
           "concern": {"topic": "discipline", "school_response": "refused"},
           "discipline": {"days_removed": 12, "consecutive_days": 5,
                          "change_of_placement_proposed": True}}
    case = Case.model_validate(raw)
    for lang, passed in (("en", "has passed"), ("es", "Ya pasó el plazo")):
        advice = advisor.advise(case, lang)
        report = explainer_for(advisor).why_not(case, MoveId.ocr_complaint, advice)
        text = render_why_not(report, Words(advisor.locales[lang]))
        assert passed not in text


def test_a_504_family_is_not_asked_about_an_iep(advisor: Advisor) -> None:
    """No IEP meeting is asked about for a child with only a 504 plan, and the questions
    asked speak of the 504 meeting and of special education, never the IEP (ladder.md
    section 6); a child with an IEP is still asked about its meeting."""
    student = {"has_iep": False, "has_504_plan": True, "disability_suspected": True}
    case = _case(student=student, history=[])
    asked = _askable(advisor, case)
    assert "history.request_iep_meeting" not in asked
    assert "history.request_iep_meeting" in _askable(advisor, _case(history=[]))
    explanation = explainer_for(advisor).explain(case)
    for lang in ("en", "es"):
        text = render_explanation(explanation, Words(advisor.locales[lang]))
        for question in explanation.questions:
            assert "IEP" not in question.question
        assert "IEP meeting" not in text and "reunión del programa" not in text
