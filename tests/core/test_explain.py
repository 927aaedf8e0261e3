"""Explanations agree with the engine (issue 13).

- Why not: for every shipped example and every move, the report says "recommended" exactly
  when the advice recommends the move, says "fired" exactly for the rules the engine fired,
  and for every alternative that did not hold, flipping its failed conditions (and, for a
  missing derived fact, those of a rule deriving it) to satisfying values and running the
  ENGINE on the changed facts makes the rule fire.
- What would change it: every answer proposed is applied to the case as an intake form
  would (editing the case's JSON), the case is advised again, and the advice changes
  exactly as stated; the ranking is the one promised; the work stays under the cap and the
  engine does every run.
- The question file is validated at start-up, naming file, fact id and key.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from escalate import Advisor, Escalate
from escalate.compiler import EngineRule
from escalate.conditions import THRESHOLD
from escalate.conditions import Test as Condition
from escalate.errors import RuleFileError
from escalate.examples import example_cases
from escalate.explain import Explainer, explainer_for
from escalate.explain.questions import load_questions
from escalate.models import Advice, Case, ConditionCheck, MoveId, RuleCheck

from .conftest import RulesCopy

EXAMPLES = example_cases()


@pytest.fixture(scope="module")
def advices(advisor: Advisor) -> dict[str, tuple[Case, Advice]]:
    out = {}
    for stem, raw in EXAMPLES.items():
        case = Case.model_validate(raw)
        out[stem] = (case, advisor.advise(case))
    return out


# ---------------------------------------------------------------- why not


def _satisfying(test: Condition, facts: dict[str, Any], advisor: Advisor) -> Any:
    """A value of the test's fact that makes the test hold, or None if there is none."""
    spec = advisor.rulebook.vocabulary[test.fact]
    if test.op == "in":
        return test.values[0]
    if test.op == "not_in":
        options: list[Any] = [True, False] if spec.kind is bool else list(spec.values)
        return next((v for v in options if v not in test.values), None)
    bound = facts[THRESHOLD + test.parameter] if test.parameter else test.values[0]
    value = {"gt": bound + 1, "ge": bound, "lt": bound - 1, "le": bound}[test.op]
    return value if value >= 0 else None


def _flip(check_tests: list[Condition], derived: list[ConditionCheck], facts: dict[str, Any],
          advisor: Advisor, rules: dict[str, list[EngineRule]], depth: int = 0) -> bool:
    """Change ``facts`` so the failed case tests hold and each missing derived fact gets
    derived (through the first deriving rule whose alternative can be flipped). False when
    the flip cannot be expressed."""
    for test in check_tests:
        value = _satisfying(test, facts, advisor)
        if value is None:
            return False
        facts[test.fact] = value
    for check in derived:
        if depth > 4 or not check.missing_because:
            return False
        if not any(_flip_rule(rule, facts, advisor, rules, depth + 1)
                   for rule in check.missing_because):
            return False
    return True


def _flip_rule(rule: RuleCheck, facts: dict[str, Any], advisor: Advisor,
               rules: dict[str, list[EngineRule]], depth: int) -> bool:
    for alternative in rule.alternatives:
        trial = dict(facts)
        engine_rule = next(r for r in rules[rule.rule] if r.name == alternative.alternative)
        tests = [t for t in engine_rule.alternative
                 if t.op != "holds" and not t.check(facts, set())]
        derived = [c for c in alternative.failed if c.kind == "derived"]
        if _flip(tests, derived, trial, advisor, rules, depth) and all(
                t.check(trial, set()) for t in engine_rule.alternative if t.op != "holds"):
            facts.update(trial)
            return True
    return False


@pytest.mark.parametrize("stem", list(EXAMPLES))
def test_why_not_agrees_with_the_engine_for_every_move(
        stem: str, advisor: Advisor, advices: dict[str, tuple[Case, Advice]]) -> None:
    case, advice = advices[stem]
    explainer: Explainer = explainer_for(advisor)
    facts, _ = advisor.facts_for(case)
    recommended = {r.move for r in advice.recommendations}
    fired = set(advice.trace.rules_fired)
    rules: dict[str, list[EngineRule]] = {}
    for engine_rule in advisor.compiled.rules:
        rules.setdefault(engine_rule.rule_id, []).append(engine_rule)
    flipped = 0
    for move in MoveId:
        report = explainer.why_not(case, move, advice)
        assert report.recommended == (move in recommended), move
        if report.recommended:
            assert report.priority == next(r.priority for r in advice.recommendations
                                           if r.move == move)
        assert {r.rule for r in report.rules} == {
            r.id for r in advisor.rulebook.rules if r.move == move.value}
        for rule in report.rules:
            assert rule.fired == (rule.rule in fired), rule.rule
            holding = [a for a in rule.alternatives if not a.failed]
            # an alternative whose every condition held means the engine fired the rule
            assert bool(holding) == rule.fired, rule.rule
            if rule.fired:
                continue
            for alternative in rule.alternatives:
                engine_rule = next(r for r in rules[rule.rule]
                                   if r.name == alternative.alternative)
                tests = [t for t in engine_rule.alternative
                         if t.op != "holds" and not t.check(facts, set())]
                # the report names exactly the case-level conditions that failed
                assert sorted(c.condition for c in alternative.failed if c.kind != "derived") \
                    == sorted(t.render() for t in tests)
                trial = dict(facts)
                derived = [c for c in alternative.failed if c.kind == "derived"]
                if not _flip(tests, derived, trial, advisor, rules):
                    continue
                if not all(t.check(trial, set()) for t in engine_rule.alternative
                           if t.op != "holds"):
                    continue  # two conditions want the same fact to differ
                firing = advisor.engine.evaluate(advisor.compiled.engine_fact(trial))
                after = set(firing.facts_derived)
                # The engine fires the rule exactly when one of its alternatives holds on
                # the changed facts and the facts it derived from them.
                holds = any(all(t.check(trial, after) for t in r.alternative)
                            for r in rules[rule.rule])
                assert (rule.rule in firing.rules_fired) == holds, (
                    f"{stem}: after flipping {[c.condition for c in alternative.failed]}, "
                    f"{rule.rule} fired: {rule.rule in firing.rules_fired}")
                if all(t.check(trial, after) for t in engine_rule.alternative):
                    assert rule.rule in firing.rules_fired, (
                        f"{stem}: flipping {[c.condition for c in alternative.failed]} "
                        f"did not make {rule.rule} fire")
                    flipped += 1
                # else: the flip also undid a derived fact this alternative needs (a 504
                # plan stops an IDEA formal step, for instance): not expressible as a flip
    assert flipped > 0, f"{stem}: no failed alternative could be flipped"


def test_a_closed_window_is_named(advisor: Advisor,
                                  advices: dict[str, tuple[Case, Advice]]) -> None:
    found = 0
    for case, advice in advices.values():
        for warning in advice.warnings:
            if warning.kind != "window_closed" or warning.move is None:
                continue
            report = explainer_for(advisor).why_not(case, warning.move, advice)
            assert not report.recommended
            assert report.window == "closed"
            assert warning in report.warnings
            assert "time limit" in report.summary
            assert all(any(c.kind == "window" for c in a.failed)
                       for r in report.rules for a in r.alternatives)
            found += 1
    assert found, "no shipped example has a closed window any more"


def test_an_exception_and_a_missing_derived_fact_are_explained(
        advisor: Advisor, advices: dict[str, tuple[Case, Advice]]) -> None:
    case, advice = advices["03_meeting_failed_needs_supervisor"]
    report = explainer_for(advisor).why_not(case, MoveId.due_process, advice)
    assert not report.recommended and report.next_move == advice.next_move.move  # type: ignore[union-attr]
    by_id = {r.rule: r for r in report.rules}
    assert by_id["due_process.input_consistently_dismissed"].exception == "school_refuses"
    failed = by_id["due_process.after_mediation_failed"].alternatives[0].failed
    mediation = next(c for c in failed if c.fact == "mediation_failed")
    assert mediation.kind == "derived"
    deeper = mediation.missing_because[0].alternatives[0].failed[0]
    assert deeper.fact == "history.mediation" and deeper.kind == "case"


# ---------------------------------------------------------------- what would change it


def _edit(raw: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """Answer one question on the case's JSON, as an intake form would."""
    case = copy.deepcopy(raw)
    if field.startswith("history[move="):
        move = field[len("history[move="):-1]
        history = case.setdefault("history", [])
        mine = [i for i, e in enumerate(history) if e["move"] == move]
        if value == "not_tried":
            case["history"] = [e for e in history if e["move"] != move]
        elif mine:
            latest = max(mine, key=lambda i: (history[i].get("date") or "", i))
            history[latest]["outcome"] = value
        else:
            history.append({"move": move, "outcome": value})
        return case
    part, name = field.split(".")
    section = case.setdefault(part, {})
    section[name] = value
    if field == "violation.kind":
        section["alleged"] = True
    return case


@pytest.mark.parametrize("stem", list(EXAMPLES))
def test_every_proposed_answer_changes_the_advice_as_stated(
        stem: str, advisor: Advisor, advices: dict[str, tuple[Case, Advice]]) -> None:
    case, advice = advices[stem]
    explanation = explainer_for(advisor).explain(case, advice)
    before = [r.move for r in advice.recommendations]
    assert explanation.engine_runs <= explanation.cap
    assert explanation.questions, f"{stem}: no question would change the advice"
    for question in explanation.questions:
        for answer in question.answers:
            changed = Case.model_validate(_edit(EXAMPLES[stem], question.field, answer.answer))
            after = advisor.advise(changed)
            moves = [r.move for r in after.recommendations]
            assert (after.next_move.move if after.next_move else None) == answer.next_move
            assert answer.next_move_changes == (
                (after.next_move.move if after.next_move else None)
                != (advice.next_move.move if advice.next_move else None))
            assert answer.added == [m for m in moves if m not in before], question.fact
            assert answer.removed == [m for m in before if m not in moves], question.fact


@pytest.mark.parametrize("stem", list(EXAMPLES))
def test_questions_are_ranked_unreported_first_then_by_change(
        stem: str, advisor: Advisor, advices: dict[str, tuple[Case, Advice]]) -> None:
    from escalate.explain.counterfactual import FAR

    case, advice = advices[stem]
    questions = explainer_for(advisor).explain(case, advice).questions
    next_move = advice.next_move.move.value if advice.next_move else None
    tier = explainer_for(advisor).counterfactuals.tier
    keys = [(q.reported, tier(case, q.fact, next_move)[0] == FAR,
             not q.answers[0].next_move_changes,
             -(len(q.answers[0].added) + len(q.answers[0].removed))) for q in questions]
    assert keys == sorted(keys)
    for question in questions:
        sizes = [(not a.next_move_changes, -(len(a.added) + len(a.removed)))
                 for a in question.answers]
        assert sizes == sorted(sizes)
        assert question.question and question.whether.split()[0] in (
            "whether", "what", "how", "when", "who")


def test_a_question_left_out_of_the_case_comes_first(advisor: Advisor) -> None:
    # The written concern went unanswered; the case says nothing about an IEP meeting.
    raw = {"as_of": "2026-11-23", "student": {"has_iep": True},
           "concern": {"topic": "services", "school_response": "no_response"},
           "history": [{"move": "written_concern", "date": "2026-10-01",
                        "outcome": "no_response"}]}
    case = Case.model_validate(raw)
    advice = advisor.advise(case)
    assert advice.next_move is not None
    assert advice.next_move.move == MoveId.request_iep_meeting
    questions = explainer_for(advisor).explain(case, advice).questions
    top = questions[0]
    # the intake worker's next question: did they already ask for the meeting?
    assert top.fact == "history.request_iep_meeting" and not top.reported
    assert top.answers[0].next_move_changes
    # suspensions are not the first thing to ask about in a dispute about services
    facts = [q.fact for q in questions]
    if "discipline.days_removed" in facts:
        assert facts.index("discipline.days_removed") > facts.index("violation.alleged")


def test_the_engine_runs_every_variant_and_the_cap_holds(
        advisor: Advisor, advices: dict[str, tuple[Case, Advice]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    case, advice = advices["01_new_concern"]
    small = Explainer(advisor, explainer_for(advisor).questions, cap=5)
    calls: list[int] = []
    real = advisor.engine.evaluate

    def counted(facts: Any) -> Any:
        calls.append(1)
        return real(facts)

    monkeypatch.setattr(advisor.engine, "evaluate", counted)
    # the runs go through the engine's memory: emptied, it asks the engine for each
    advisor.memory.clear()
    explanation = small.explain(case, advice)
    assert explanation.cap == 5
    assert explanation.engine_runs == len(calls) == 5
    over = [s for s in explanation.skipped if s.reason == "over_the_cap"]
    assert over and all("5" in s.note for s in over)
    dated = {s.fact for s in explanation.skipped if s.reason == "computed_from_dates"}
    assert {"window.due_process", "window.state_complaint"} <= dated
    assert {s.fact for s in explanation.skipped
            if s.reason == "follows_from_other_facts"} == {
        "student.plan", "history.refusals", "discipline.parent_notice_before_behavior",
        "concern.placement_change_timing", "discipline.hearing_timing",
        "concern.unanswered_twice"}


def test_explain_true_adds_the_explanation_to_the_same_advice(
        advisor: Advisor, advices: dict[str, tuple[Case, Advice]]) -> None:
    case, advice = advices["02_unanswered_concern"]
    explained = explainer_for(advisor).advise(case)
    assert explained.explanation is not None
    assert advice.explanation is None
    assert explained.model_copy(update={"explanation": None}) == advice


# ---------------------------------------------------------------- the question file


def _problems(rules_copy: RulesCopy) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_questions_load() -> None:
    from escalate import default_rules_dir

    questions = load_questions(default_rules_dir())
    assert questions.questions["evaluation.completed"].whether == \
        "whether the school evaluated the child"


def test_an_unknown_fact_id_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace("questions.yaml", "  evaluation.completed:\n",
                       "  evaluation.complete:\n")
    problems = _problems(rules_copy)
    assert any("questions.yaml" in p and "'evaluation.complete'" in p
               and "key 'questions'" in p and "did you mean 'evaluation.completed'" in p
               for p in problems), problems
    # ... and the fact it replaced now has no question
    assert any("'evaluation.completed' has no question" in p for p in problems), problems


def test_a_missing_question_stops_start_up(rules_copy: RulesCopy) -> None:
    text = rules_copy.text("questions.yaml")
    start = text.index("  history.mediation:\n")
    end = text.index("  history.state_complaint:\n")
    rules_copy.write("questions.yaml", text[:start] + text[end:])
    problems = _problems(rules_copy)
    assert problems == ["questions.yaml, id 'history.mediation', key 'questions': the fact "
                        "'history.mediation' has no question"]


def test_an_answer_that_is_not_a_value_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace("questions.yaml", '      weapon: "a weapon"\n',
                       '      weapons: "a weapon"\n')
    problems = _problems(rules_copy)
    assert len(problems) == 1
    assert "id 'discipline.special_circumstances'" in problems[0]
    assert "key 'answers.weapons'" in problems[0] and "did you mean 'weapon'" in problems[0]


def test_a_sentence_with_an_unknown_placeholder_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace("questions.yaml", "It would be: {to}", "It would be: {next}")
    problems = _problems(rules_copy)
    assert any("id 'next_move'" in p and "{next}" in p for p in problems), problems


def test_a_missing_question_file_stops_start_up(rules_copy: RulesCopy) -> None:
    (rules_copy.root / "questions.yaml").unlink()
    problems = _problems(rules_copy)
    assert problems and "questions.yaml" in problems[0] and "missing" in problems[0]


def test_rules_check_reports_a_broken_question_file(rules_copy: RulesCopy,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from escalate.cli import main

    rules_copy.replace("questions.yaml", "  student.has_iep:\n", "  student.has_iepp:\n")
    assert main(["rules", "check", str(rules_copy.root)]) == 1
    err = capsys.readouterr().err
    assert "questions.yaml" in err and "student.has_iepp" in err


def test_the_cap_is_configured_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from escalate.errors import EscalateError
    from escalate.explain.counterfactual import CAP_ENV, DEFAULT_CAP, default_cap

    monkeypatch.delenv(CAP_ENV, raising=False)
    assert default_cap() == DEFAULT_CAP
    monkeypatch.setenv(CAP_ENV, "7")
    assert default_cap() == 7
    for bad in ("0", "-3", "lots"):
        monkeypatch.setenv(CAP_ENV, bad)
        with pytest.raises(EscalateError, match=CAP_ENV):
            default_cap()


@pytest.mark.parametrize("stem", list(EXAMPLES))
def test_reused_clocks_give_the_engine_exactly_the_projected_facts(
        stem: str, advisor: Advisor, advices: dict[str, tuple[Case, Advice]]) -> None:
    """The explanation reuses the case's clocks for answers that cannot move them; the
    engine must see exactly what a full projection of the changed case gives."""
    from escalate.explain.counterfactual import apply

    case, _ = advices[stem]
    counterfactuals = explainer_for(advisor).counterfactuals
    facts, _ = advisor.facts_for(case)
    compiled = advisor.compiled
    for variant in counterfactuals.variants(case, facts):
        quick = counterfactuals._facts(case, facts, variant)
        full, times = advisor.facts_for(apply(case, variant.fact, variant.value))
        assert compiled.engine_fact(quick) == compiled.engine_fact(full), variant.fact
        # the reused clocks' windows are the changed case's own
        windows = {move: quick[f"window.{move}"] for move in times.windows}
        assert windows == times.windows, variant.fact
