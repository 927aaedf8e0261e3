"""Differential and property tests over random valid cases.

The engine (durable_rules) must fire exactly the rules, and derive exactly the facts,
that the plain-Python reference evaluation of the same compiled rules says it should;
and the advice built on it must keep its promises for every case.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from escalate import Advisor
from escalate.compiler import reference_evaluation
from escalate.facts import nest
from escalate.models import Case

from .cases import SEED_DOCUMENTS, valid_cases

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(the_case=valid_cases())
def test_engine_fires_what_the_reference_says(advisor: Advisor, the_case: Case) -> None:
    facts, _ = advisor.facts_for(the_case)
    engine = advisor.engine.evaluate(nest(facts))
    reference = reference_evaluation(advisor.compiled, facts)
    assert set(engine.rules_fired) == set(reference.rules_fired)
    assert set(engine.facts_derived) == set(reference.facts_derived)
    # each rule and each fact is reported once, however many alternatives held
    assert len(engine.rules_fired) == len(set(engine.rules_fired))
    assert len(engine.facts_derived) == len(set(engine.facts_derived))
    assert advisor.engine.live_sessions == 0


@SETTINGS
@given(the_case=valid_cases())
def test_advice_keeps_its_promises(advisor: Advisor, the_case: Case) -> None:
    advice = advisor.advise(the_case)
    _, clocks = advisor.facts_for(the_case)
    recommended = [r.move.value for r in advice.recommendations]

    closed = {move for move, state in clocks.windows.items() if state == "closed"}
    assert not closed & set(recommended)
    warned = {w.move.value for w in advice.warnings if w.kind == "window_closed" and w.move}
    assert warned == closed
    for rung in advice.ladder:
        assert (rung.status == "closed") is (rung.move.value in closed)

    # ladder.md section 12: a closing family window decides the first step. Its move is
    # recommended (unless the family already took it) ahead of everything that is not
    # itself a closing window, and no window is declared closed on an assumed date.
    facts, _ = advisor.facts_for(the_case)
    closing = {move for move, state in clocks.windows.items() if state == "closing"
               and facts[f"history.{move}"] == "not_tried"}
    assert closing <= set(recommended)
    assert set(recommended[:len(closing)]) == closing
    for deadline in advice.deadlines:
        if deadline.status == "closed":
            assert deadline.start == "given"

    assert advice.next_move == (advice.recommendations[0] if recommended else None)
    assert [r.priority for r in advice.recommendations] == list(range(1, len(recommended) + 1))
    for recommendation in advice.recommendations:
        assert recommendation.reasons
        for reason in recommendation.reasons:
            source = reason.source
            assert source.document in SEED_DOCUMENTS or (source.document is None
                                                         and source.citation)
    fired = set(advice.trace.rules_fired)
    for recommendation in advice.recommendations:
        assert set(recommendation.rules) <= fired

    assert advisor.advise(the_case).model_dump() == advice.model_dump()
