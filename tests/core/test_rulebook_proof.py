"""Every load proves the rulebook (escalate/proof.py): the engine evaluates a generated case
set beside the reference evaluation, and a rulebook it cannot evaluate, or on which the two
disagree, is refused at load naming the rules, never at a family's request."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import rulebooks
from escalate import Advisor, Escalate
from escalate import proof as proof_module
from escalate.cli import main
from escalate.compiler import Firing, compile_rulebook, reference_evaluation
from escalate.engine import Engine
from escalate.errors import RuleFileError
from escalate.facts import nest
from escalate.rulebook import load

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_the_case_set_puts_every_rule_on_both_sides(advisor: Advisor) -> None:
    """Each rule fires on some generated case and not on another: the proof reaches every
    rule's conditions, and the engine agrees with the reference on every case."""
    compiled = advisor.compiled
    cases = proof_module.case_set(compiled, advisor.rulebook.vocabulary)
    fired_on = {rule.id: 0 for rule in advisor.rulebook.rules}
    for facts in cases:
        reference = reference_evaluation(compiled, facts)
        engine = advisor.engine.evaluate(nest(facts))
        assert set(engine.rules_fired) == set(reference.rules_fired)
        for rule_id in reference.rules_fired:
            fired_on[rule_id] += 1
    never = [rule_id for rule_id, count in fired_on.items() if count == 0]
    always = [rule_id for rule_id, count in fired_on.items() if count == len(cases)]
    assert never == [] and always == []


def test_the_case_set_is_the_same_every_time(advisor: Advisor) -> None:
    first = proof_module.case_set(advisor.compiled, advisor.rulebook.vocabulary)
    again = proof_module.case_set(advisor.compiled, advisor.rulebook.vocabulary)
    assert first == again


def test_a_disagreement_with_the_reference_refuses_the_rulebook(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """If the engine fired a rule the reference does not (here the reference is made to
    forget one), the rulebook is refused naming that rule and its file."""
    rulebook = load(RULES)
    compiled = compile_rulebook(rulebook)
    forgotten = "derived.concern_open"

    def forgetful(compiled_: object, facts: object) -> Firing:
        found = reference_evaluation(compiled, facts)  # type: ignore[arg-type]
        return Firing([r for r in found.rules_fired if r != forgotten], found.facts_derived)

    monkeypatch.setattr(proof_module, "reference_evaluation", forgetful)
    with pytest.raises(RuleFileError) as caught:
        proof_module.prove(rulebook, compiled, Engine(compiled))
    problem = caught.value.problems[0]
    assert problem.rule_id == forgotten
    assert problem.file == "00_derived_facts.yaml"
    assert "disagree" in problem.message


def _copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copies: int) -> Path:
    monkeypatch.setattr(rulebooks, "WORK", tmp_path)
    return rulebooks.build(RULES, copies)


def test_a_rulebook_that_overflows_the_engine_on_some_cases_is_refused_at_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five copies of the rules load into the engine but overflow it (durable_rules error
    303) on some cases: start-up refuses them, naming the rule that crosses the limit and
    the rules that share its node."""
    folder = _copies(tmp_path, monkeypatch, 5)
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(folder)
    problem = caught.value.problems[0]
    assert "error 303" in problem.message
    assert problem.rule_id and problem.rule_id in problem.message
    assert problem.file.endswith(".yaml")
    assert "rules involved" in problem.message


def test_rules_check_refuses_a_rulebook_twelve_times_the_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copies(tmp_path, monkeypatch, 12)
    assert main(["rules", "check", str(folder)]) == 1
    said = capsys.readouterr().err
    assert "the engine cannot evaluate this rulebook" in said
    assert "rules involved" in said
    assert "derived.concern_open_c12" in said  # a copy's rule is named by its id
