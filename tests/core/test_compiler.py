"""The compiler: alternatives, De Morgan for `unless`, derived facts as joined patterns,
discriminators, strata and catch-alls -- checked on the compiled form and, above all, on
what the engine then does with a case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from escalate import Advisor, EngineError
from escalate.compiler import CASE, CATCH_ALL, DERIVED, compile_rulebook
from escalate.facts import nest
from escalate.models import Case
from escalate.rulebook import load

from .cases import case, history
from .conftest import SmallRulebook

RULES = """\
title: Compiler test rules
rules:
  - id: t.concern_open
    derive: t_open
    when:
      concern.school_response: [refused, no_response]
    because: The school has not agreed yet, in this test.
    source: {citation: test 1}

  - id: t.deeper
    derive: t_deeper
    when:
      t_open: true
      history.written_concern: refused
    because: Derived from another derived fact.
    source: {citation: test 2}

  - id: t.iee
    move: request_iee
    when:
      t_open: true
      any:
        - evaluation.parent_disagrees: true
        - evaluation.eligibility_denied: true
    unless:
      history.request_iee: resolved
      student.has_iep: false
    because: Either evaluation problem is enough, in this test.
    source: {citation: 34 CFR 300.502}

  - id: t.meeting
    move: request_iep_meeting
    when:
      t_deeper: true
    because: Needs a fact derived from a derived fact.
    source: {citation: test 3}

  - id: t.records
    move: request_records
    when:
      recommended.request_iee: true
    because: Follows from another recommendation.
    source: {citation: test 4}

  - id: t.numbers
    move: request_manifestation_determination
    when:
      discipline.days_removed: {more_than: removal_days_change_of_placement}
    because: A threshold read from parameters.yaml.
    source: {citation: 34 CFR 300.536}
"""


@pytest.fixture
def small(small_rulebook: SmallRulebook) -> Iterator[Advisor]:
    yield Advisor.from_directory(small_rulebook({"01_test.yaml": RULES}))


def fired(advisor: Advisor, the_case: Case) -> list[str]:
    return advisor.advise(the_case).trace.rules_fired


def patterns(definition: dict[str, Any]) -> list[tuple[str, Any]]:
    return [next(iter(p.items())) for p in definition["all"]]


def discriminator(pattern: Any) -> str:
    """The value of ``t`` in a pattern: plain equality, first in an ``$and``, or at top."""
    if "t" in pattern:
        return str(pattern["t"])
    first = pattern["$and"][0]
    assert set(first) == {"t"}, pattern
    return str(first["t"])


DISAGREES = {"evaluation": {"completed": True, "parent_disagrees": True}}
REFUSED = {"concern": {"topic": "evaluation", "school_response": "refused"}}


def test_any_compiles_to_one_engine_rule_per_alternative(small: Advisor) -> None:
    names = [r.name for r in small.compiled.rules if r.rule_id == "t.iee"]
    # two alternatives in `any`, times two negated `unless` tests (De Morgan)
    assert sorted(names) == [f"t.iee#{n}" for n in range(4)]


def test_unless_becomes_negated_tests(small: Advisor) -> None:
    alternatives = [r.alternative for r in small.compiled.rules if r.rule_id == "t.iee"]
    negated = {(t.fact, t.op, t.values) for alt in alternatives for t in alt
               if t.fact in ("history.request_iee", "student.has_iep")}
    assert negated == {("history.request_iee", "not_in", ("resolved",)),
                       ("student.has_iep", "not_in", (False,))}
    # each alternative carries exactly one of the two negations (not (a and b) = !a or !b)
    for alt in alternatives:
        assert sum(t.fact in ("history.request_iee", "student.has_iep") for t in alt) == 1


@pytest.mark.parametrize(("iee_outcome", "has_iep", "expected"), [
    (None, False, True),         # neither `unless` entry holds
    ("resolved", True, True),    # only one holds: the rule still applies
    ("refused", False, True),    # only the other holds
    ("resolved", False, False),  # both hold: the rule does not apply
])
def test_unless_blocks_only_when_all_its_entries_hold(
        small: Advisor, iee_outcome: str | None, has_iep: bool, expected: bool) -> None:
    the_case = case(student={"has_iep": has_iep}, **REFUSED, **DISAGREES,
                    history=history(("request_iee", iee_outcome)) if iee_outcome else [])
    assert ("t.iee" in fired(small, the_case)) is expected


def test_rule_with_two_true_alternatives_fires_once(small: Advisor) -> None:
    the_case = case(**REFUSED, evaluation={"completed": True, "parent_disagrees": True,
                                           "eligibility_denied": True})
    advice = small.advise(the_case)
    assert advice.trace.rules_fired.count("t.iee") == 1
    iee = [r for r in advice.recommendations if r.move.value == "request_iee"]
    assert len(iee) == 1
    assert [r.text for r in iee[0].reasons] == ["Either evaluation problem is enough, in "
                                                "this test."]


def test_derived_fact_is_a_separate_pattern_on_a_derived_fact(small: Advisor) -> None:
    for rule in small.compiled.rules:
        if rule.rule_id != "t.iee":
            continue
        found = patterns(dict(rule.definition))
        derived = [p for _, p in found if discriminator(p) == DERIVED]
        assert derived == [{"$and": [{"t": DERIVED}, {"name": "t_open"}]}]
        case_patterns = [p for _, p in found if discriminator(p) == CASE]
        assert len(case_patterns) == 1


def test_derived_fact_must_be_derived_for_the_rule_to_fire(small: Advisor) -> None:
    # Evaluation disagreement alone: t_open is not derived (the school agreed).
    agreed = case(concern={"topic": "evaluation", "school_response": "agreed"}, **DISAGREES)
    advice = small.advise(agreed)
    assert "t_open" not in advice.trace.facts_derived
    assert "t.iee" not in advice.trace.rules_fired
    assert not advice.recommendations


def test_forward_chaining_through_two_derived_facts(small: Advisor) -> None:
    the_case = case(**REFUSED, history=history(("written_concern", "refused")))
    advice = small.advise(the_case)
    assert {"t_open", "t_deeper", "recommended.request_iep_meeting"} <= set(
        advice.trace.facts_derived)
    assert [r.move.value for r in advice.recommendations] == ["request_iep_meeting"]
    # the same case without the refused written concern stops at the first derivation
    shallow = small.advise(case(**REFUSED))
    assert "t_open" in shallow.trace.facts_derived
    assert "t_deeper" not in shallow.trace.facts_derived
    assert shallow.recommendations == []


def test_a_recommendation_can_be_required_by_another_rule(small: Advisor) -> None:
    with_iee = small.advise(case(**REFUSED, **DISAGREES))
    assert {r.move.value for r in with_iee.recommendations} == {"request_iee",
                                                                "request_records"}
    assert "t.records" not in fired(small, case(**REFUSED))


def test_parameter_threshold_is_strictly_more_than(small: Advisor) -> None:
    assert "t.numbers" in fired(small, case(discipline={"days_removed": 11}))
    assert "t.numbers" not in fired(small, case(discipline={"days_removed": 10}))


def test_priorities_put_derivations_before_their_users(small: Advisor) -> None:
    by_id = {r.rule_id: r.priority for r in small.compiled.rules}
    assert by_id["t.concern_open"] < by_id["t.deeper"] < by_id["t.meeting"]
    assert by_id["t.concern_open"] < by_id["t.iee"] < by_id["t.records"]
    assert by_id["t.numbers"] == by_id["t.concern_open"]


def test_trace_lists_derivations_before_the_rules_that_use_them(small: Advisor) -> None:
    trace = small.advise(case(**REFUSED, **DISAGREES,
                              history=history(("written_concern", "refused")))).trace
    order = trace.rules_fired
    assert order.index("t.concern_open") < order.index("t.deeper") < order.index("t.meeting")
    assert order.index("t.iee") < order.index("t.records")


def test_catch_all_matches_every_case_and_runs_last(small: Advisor) -> None:
    catch_all = small.compiled.catch_all
    assert set(catch_all) == {CATCH_ALL}
    (definition,) = catch_all.values()
    assert patterns(dict(definition)) == [("m", {"t": CASE})]
    last = max(r.priority for r in small.compiled.rules)
    assert all(d["pri"] > last for d in catch_all.values())
    # A case that matches no rule at all is still evaluated, and nothing is recommended.
    nothing = small.advise(case(student={"has_iep": False}))
    assert nothing.trace.rules_fired == []
    assert nothing.next_move is None and nothing.recommendations == []
    assert small.engine.live_sessions == 0


def test_only_derived_facts_some_rule_requires_are_chained(small: Advisor) -> None:
    chains = {r.rule_id: r.chains for r in small.compiled.rules}
    # t_open, t_deeper and recommended.request_iee are required by other rules
    assert chains["t.concern_open"] and chains["t.deeper"] and chains["t.iee"]
    assert not chains["t.meeting"] and not chains["t.records"] and not chains["t.numbers"]


def test_definitions_are_fresh_copies(small: Advisor) -> None:
    first = small.compiled.definitions()
    first["t.iee#0"]["all"].clear()
    assert small.compiled.definitions()["t.iee#0"]["all"]


def test_every_pattern_of_the_real_rules_has_a_discriminator(advisor: Advisor) -> None:
    definitions = advisor.compiled.definitions()
    assert len(definitions) == len(advisor.compiled.rules) + 1
    for name, definition in definitions.items():
        for _, pattern in patterns(definition):
            assert discriminator(pattern) in (CASE, DERIVED), name


def test_real_rules_compile_to_one_engine_rule_per_alternative(advisor: Advisor) -> None:
    for rule in advisor.rulebook.rules:
        engine_rules = [r for r in advisor.compiled.rules if r.rule_id == rule.id]
        assert len(engine_rules) == len(rule.dnf) >= 1
        assert {r.alternative for r in engine_rules} == set(rule.dnf)


def test_real_rules_strata_put_every_derivation_first(advisor: Advisor) -> None:
    compiled = advisor.compiled.rules
    for user in compiled:
        for test in user.alternative:
            if test.op != "holds":
                continue
            makers = [r for r in compiled if r.asserts == test.fact]
            assert makers, test.fact
            assert all(m.priority < user.priority for m in makers), (user.name, test.fact)


def test_compiling_twice_gives_the_same_rules(small_rulebook: SmallRulebook) -> None:
    rulebook = load(small_rulebook({"01_test.yaml": RULES}))
    first, second = compile_rulebook(rulebook), compile_rulebook(rulebook)
    assert first.definitions() == second.definitions()


def test_engine_sees_nested_facts(small: Advisor) -> None:
    facts, _ = small.facts_for(case(**REFUSED))
    nested = nest(facts)
    assert nested["concern"] == {"topic": "evaluation", "school_response": "refused",  # type: ignore[comparison-overlap]
                                 "placement_change_proposed": False,
                                 "unanswered_twice": False,
                                 "placement_change_timing": "no_date"}
    assert "t.concern_open" in small.engine.evaluate(nested).rules_fired


def test_the_engine_is_given_only_tested_facts_each_of_its_vocabulary_type(
    advisor: Advisor,
) -> None:
    facts, _ = advisor.facts_for(case(concern={"topic": "services", "school_response": "refused"}))
    given = advisor.compiled.engine_fact(facts)
    flat = {f"{group}.{key}" for group, values in given.items()
            for key in values}  # type: ignore[union-attr]
    tested = {t.fact for r in advisor.compiled.rules for t in r.alternative
              if t.op != "holds"}
    # ... and the per-case value of each parameter a number is compared with.
    tested |= {"threshold." + t.parameter for r in advisor.compiled.rules
               for t in r.alternative if t.parameter}
    assert flat == tested
    # A number sent as text would be compared as text by durable_rules: refused first.
    mistyped = {**facts, "discipline.days_removed": "14"}
    with pytest.raises(EngineError, match="discipline.days_removed"):
        advisor.compiled.engine_fact(mistyped)
    with pytest.raises(EngineError, match="student.has_iep"):
        advisor.compiled.engine_fact({**facts, "student.has_iep": 1})
