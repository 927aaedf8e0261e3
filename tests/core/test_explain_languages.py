"""Explanations in Spanish (issue 14 on issue 13's feature): the questions that would
change the advice and the why-not reports come in the advice's language, with the same
engine results as in English; their translations are checked like every other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from escalate import Advisor
from escalate.cli import main
from escalate.examples import example_cases
from escalate.explain import explainer_for
from escalate.i18n.locale import LOCALES_DIR
from escalate.models import Advice, Case, Explanation, MoveId, WhyNot
from escalate.text.glosses import glosses_for
from tests.core.conftest import RulesCopy

EXAMPLES = example_cases()
# A text as a family reads it gives a term's English once per document
# (escalate/text/glosses.py): compared with its translation, the glosses aside.
plain = glosses_for("es").plain
# Words only our English explanation sentences carry.
ENGLISH_MARKERS = ("If the answer is", "the advice would", "the next step would",
                   "Has the family", "Does the", "tried, and", "not tried yet",
                   "This step is", "Each answer was tried")


def _structure(explanation: Explanation) -> list[Any]:
    """What the engine decided, without any words."""
    return [
        [(q.fact, q.field, q.reported, q.current,
          [(a.answer, a.next_move, a.next_move_changes, a.added, a.removed)
           for a in q.answers]) for q in explanation.questions],
        [(s.fact, s.reason) for s in explanation.skipped],
        explanation.engine_runs, explanation.cap]


def _words(explanation: Explanation) -> list[str]:
    return [explanation.note,
            *(s.note for s in explanation.skipped),
            *(t for q in explanation.questions for t in (q.question, q.whether)),
            *(a.effect for q in explanation.questions for a in q.answers)]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_is_explained_in_spanish(advisor: Advisor, name: str) -> None:
    case = Case.model_validate(EXAMPLES[name])
    english = explainer_for(advisor).advise(case)
    advice = explainer_for(advisor).advise(case, "es")
    assert english.explanation is not None and advice.explanation is not None
    assert advice.language == "es"
    # The same questions, answers and effects: only the words differ.
    assert _structure(advice.explanation) == _structure(english.explanation)
    # Nothing of the explanation is said in English: its fallbacks are the advice's own.
    assert advice.fallbacks == advisor.advise(case, "es").fallbacks
    assert not any(f.startswith(("question.", "text.", "move.", "rule."))
                   for f in advice.fallbacks), advice.fallbacks
    spanish = advisor.locales["es"]
    plan = advisor.facts_for(case)[0]["student.plan"]
    for question in advice.explanation.questions:
        # the question as the child's plan words it (a 504 family is never asked about
        # an IEP), else as written for all
        asked = (spanish.text(f"question.{question.fact}.for_plan.{plan}.ask")
                 or spanish.text(f"question.{question.fact}.ask") or "")
        assert plain(question.question) == plain(asked)
        assert plain(question.whether) == plain(
            spanish.text(f"question.{question.fact}.whether") or "")
        for answer in question.answers:
            if answer.next_move_changes and answer.next_move is not None:
                title = spanish.text(f"move.{answer.next_move.value}.title")
                assert title and plain(title) in plain(answer.effect), answer.effect
            for move in [] if answer.next_move_changes else answer.added:
                title = spanish.text(f"move.{move.value}.title")
                assert title and plain(title) in plain(answer.effect), answer.effect
    for text in _words(advice.explanation):
        assert not any(marker in text for marker in ENGLISH_MARKERS), text
    for mine, theirs in zip(_words(advice.explanation), _words(english.explanation),
                            strict=True):
        assert mine != theirs


def test_the_english_explanation_is_unchanged_by_default(advisor: Advisor) -> None:
    case = Case.model_validate(EXAMPLES["02_unanswered_concern"])
    advice = explainer_for(advisor).advise(case)
    assert advice.language == "en" and advice.fallbacks == []
    assert advice.explanation is not None
    assert advice.explanation.note.startswith("Each answer was tried on its own")
    assert advice.explanation.questions[0].answers[0].effect.startswith("If the answer is")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_why_not_in_spanish_reports_the_same_rules(advisor: Advisor, name: str) -> None:
    case = Case.model_validate(EXAMPLES[name])
    spanish = advisor.locales["es"]
    advice_en, advice_es = advisor.advise(case), advisor.advise(case, "es")
    for move in (MoveId.mediation, MoveId.due_process, MoveId.request_iee):
        english = explainer_for(advisor).why_not(case, move, advice_en)
        report = explainer_for(advisor).why_not(case, move, advice_es)
        assert report.language == "es"
        # only what the advice itself says in English (a state's own message), if any
        assert set(report.fallbacks) <= set(advice_es.fallbacks), report.fallbacks
        assert plain(report.title) == plain(spanish.text(f"move.{move.value}.title") or "")
        assert report.summary != english.summary
        assert not any(marker in report.summary for marker in ENGLISH_MARKERS)
        assert "no asesoría legal" in report.disclaimer
        # same engine verdicts and conditions (the conditions are machine expressions)
        drop = {"title", "summary", "warnings", "disclaimer", "language", "fallbacks",
                "next_move_title", "reasons"}
        if report.next_move is not None:
            assert plain(report.next_move_title or "") == plain(spanish.text(
                f"move.{report.next_move.value}.title") or "")
        assert _no_because(report.model_dump(exclude=drop)) == _no_because(
            english.model_dump(exclude=drop))
        for rule in report.rules:
            assert rule.because == spanish.text(f"rule.{rule.rule}.because")
            for alternative in rule.alternatives:
                for check in alternative.failed:
                    for derived in check.missing_because:
                        assert derived.because == spanish.text(
                            f"rule.{derived.rule}.because")


def _no_because(value: Any) -> Any:
    if isinstance(value, dict):
        # the words (a reason, a question and its answers) are the language's own
        return {k: _no_because(v) for k, v in value.items()
                if k not in ("because", "question", "current_answer", "needed_answers",
                             "plain")}
    if isinstance(value, list):
        return [_no_because(v) for v in value]
    return value


# ---------------------------------------------------------------- the command line


def _case_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(EXAMPLES[name]), encoding="utf-8")
    return path


def test_cli_why_not_in_spanish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _case_file(tmp_path, "03_meeting_failed_needs_supervisor")
    assert main(["why-not", "mediation", str(path), "--lang", "es"]) == 0
    family = capsys.readouterr().out
    assert "Por qué no: Pedir mediación" in family
    assert "Respuestas que cambiarían esto:" in family
    for code in ("regla ", "se cumple", "holds", "mediation."):
        assert code not in family, code
    assert main(["why-not", "mediation", str(path), "--lang", "es", "--technical"]) == 0
    out = capsys.readouterr().out
    assert "Para el personal de admisión (detalles técnicos):" in out
    assert "regla mediation.collaboration_exhausted" in out
    assert "no se cumple: collaboration_exhausted holds (se deduce con otras reglas)" in out
    assert "se deduce con la regla derived.chain_of_command_failed" in out
    assert "no asesoría legal" in " ".join(out.split())
    for english in ("Why not:", "not met:", "derived by", "did not fire", "Information, not"):
        assert english not in out, english
    assert main(["why-not", "mediation", str(path), "--lang", "es", "--json"]) == 0
    report = WhyNot.model_validate_json(capsys.readouterr().out)
    assert report.language == "es" and report.fallbacks == []


def test_cli_advise_explain_in_spanish(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _case_file(tmp_path, "02_unanswered_concern")
    assert main(["advise", "--explain", "--lang", "es", str(path)]) == 0
    family = capsys.readouterr().out
    assert "Lo que cambiaría el consejo:" in family and "Respuesta ahora:" in family
    assert "campo del caso" not in family and "Veces que" not in family
    assert main(["advise", "--explain", "--technical", "--lang", "es", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Lo que cambiaría el consejo:" in out
    assert "Veces que se consultaron las reglas:" in out
    assert 'Si la respuesta es «' in out
    for english in ("What would change the advice", "Engine runs", "If the answer is",
                    "now:", "(not in the case)"):
        assert english not in out, english
    assert main(["advise", "--explain", "--lang", "es", "--json", str(path)]) == 0
    advice = Advice.model_validate_json(capsys.readouterr().out)
    assert advice.language == "es" and advice.explanation is not None


# ---------------------------------------------------------------- checked translations


ES = f"{LOCALES_DIR}/es/texts.yaml"


def test_a_changed_question_makes_its_translation_stale(
        rules_copy: RulesCopy, capsys: pytest.CaptureFixture[str]) -> None:
    rules_copy.replace("questions.yaml", "ask: Has the family tried mediation? What came of "
                       "it?", "ask: Has the family already tried mediation? What came of it?")
    rules_copy.replace("questions.yaml", "Each answer was tried on its own,",
                       "Each answer was tried by itself,")
    assert main(["rules", "check", str(rules_copy.root)]) == 0  # reported, not fatal
    assert main(["rules", "check", "--strict", str(rules_copy.root)]) == 1
    out = capsys.readouterr().out
    assert "stale" in out
    assert "question.history.mediation.ask" in out and "question.sentence.note" in out
    # Meanwhile the sentence is said in English, whole, and listed.
    advisor = Advisor.from_directory(rules_copy.root)
    case = Case.model_validate(EXAMPLES["02_unanswered_concern"])
    advice = explainer_for(advisor).advise(case, "es")
    assert advice.explanation is not None
    assert advice.explanation.note.startswith("Each answer was tried by itself,")
    assert "question.sentence.note" in advice.fallbacks
    assert advice.explanation.questions[0].question == advisor.locales["es"].text(
        f"question.{advice.explanation.questions[0].fact}.ask")


def test_unknown_placeholder_in_a_translated_explanation_sentence(
        rules_copy: RulesCopy) -> None:
    rules_copy.replace(ES, "Sería: {to}. El siguiente paso ahora: {now}",
                       "Sería: {hacia}. El siguiente paso ahora: {now}")
    problem = rules_copy.start_problem()
    assert problem.file == "locales/es/texts.yaml"
    assert problem.rule_id == "question.sentence.next_move"
    assert problem.key == "text" and "{hacia}" in problem.message
    assert "answer, now, to" in problem.message


def test_unknown_question_id_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(ES, "  question.history.mediation.ask:",
                       "  question.history.mediaton.ask:")
    problem = rules_copy.start_problem()
    assert problem.file == "locales/es/texts.yaml"
    assert problem.rule_id == "question.history.mediaton.ask"
    assert "unknown id" in problem.message
