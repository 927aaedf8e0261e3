"""Isolation, briefly: advice computed from 8 threads at once is exactly the advice a
single-threaded call gives, case by case, and no engine session is left behind.
(The heavy fault and stress suite lives in tests/faults.)"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalate import Advisor
from escalate.errors import EngineError
from escalate.examples import example_cases
from escalate.models import Case

from .cases import AS_OF, case, history, iso, valid_cases

THREADS = 8
ROUNDS = 4


def special_cases() -> list[Case]:
    """A case that matches no rung, one with nothing at all, and one matching a lot."""
    agreed = case(concern={"topic": "goals", "school_response": "agreed"})
    # written to the school a week ago, no answer expected yet: nothing to do but wait
    empty = Case.model_validate({
        "as_of": iso(AS_OF), "concern": {"topic": "other", "school_response": "none_yet"},
        "history": [{"move": "written_concern", "outcome": "pending", "date": "2026-11-16"}]})
    everything = case(
        state="NC",
        student={"has_iep": True, "disability_suspected": True, "last_iep_meeting": "2026-01-05"},
        concern={"topic": "discipline", "school_response": "refused"},
        history=history(("written_concern", "refused", "2026-08-01"),
                        ("request_iep_meeting", "refused", "2026-09-01"),
                        ("escalate_chain_of_command", "no_response", "2026-09-15"),
                        ("mediation", "partially_resolved", "2026-10-01"),
                        ("request_iee", "refused", "2026-10-05"),
                        ("request_records", "no_response", "2026-11-01")),
        evaluation={"completed": True, "date": "2026-06-01", "parent_disagrees": True,
                    "eligibility_denied": True},
        violation={"alleged": True, "date": "2026-01-10", "kind": "failure_to_implement"},
        discipline={"days_removed": 14, "change_of_placement_proposed": True,
                    "decision_date": "2026-11-16"})
    return [agreed, empty, everything]


def test_special_cases_are_what_they_claim(advisor: Advisor) -> None:
    agreed, empty, everything = (advisor.advise(c) for c in special_cases())
    assert agreed.recommendations and not any(r.rung for r in agreed.recommendations)
    # a step still waiting for an answer: the one recommendation is a date to answer by
    assert [r.move.value for r in empty.recommendations] == ["await_answer"]
    assert len(everything.trace.rules_fired) >= 25
    assert len(everything.recommendations) >= 8


def advise_all(advisor: Advisor, cases: list[Case], seed: int) -> list[tuple[int, Any]]:
    order = list(range(len(cases)))
    random.Random(seed).shuffle(order)
    return [(i, advisor.advise(cases[i]).model_dump()) for i in order for _ in range(ROUNDS)]


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(generated=st.lists(valid_cases(), min_size=30, max_size=30))
def test_threads_get_exactly_the_single_threaded_advice(advisor: Advisor,
                                                        generated: list[Case]) -> None:
    cases = [Case.model_validate(c) for c in example_cases().values()]
    cases += special_cases() + generated
    expected = [advisor.advise(c).model_dump() for c in cases]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda seed: advise_all(advisor, cases, seed),
                                range(THREADS)))
    for per_thread in results:
        assert len(per_thread) == len(cases) * ROUNDS
        for index, advice in per_thread:
            assert advice == expected[index], f"case {index} got another case's advice"
    assert advisor.engine.live_sessions == 0


@pytest.mark.parametrize("bad", [[], {"concern": {"topic": ["services"]}}, {"n": 1.5},
                                 {"a": {"b": {"c": 1}}}])
def test_the_engine_refuses_shapes_that_crash_it(advisor: Advisor, bad: Any) -> None:
    with pytest.raises(EngineError) as caught:
        advisor.engine.evaluate(bad)
    assert "services" not in str(caught.value)
    assert advisor.engine.live_sessions == 0
    # and it still answers afterwards
    assert advisor.advise(special_cases()[0]).recommendations
