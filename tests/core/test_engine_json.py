"""durable_rules' internal JSON done by orjson (escalate.engine) changes nothing.

The engine fires the same rules, in the same order, and derives the same facts, with
orjson and with the standard ``json`` module, on generated cases; and orjson is what the
rest of the test suite runs with.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from escalate import Advisor
from escalate.engine import orjson_in_use, use_orjson
from escalate.models import Case

from .cases import valid_cases


@pytest.fixture
def restore_orjson() -> Iterator[None]:
    yield
    use_orjson(True)


def test_orjson_is_on_by_default_with_the_pinned_engine() -> None:
    assert orjson_in_use()


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(the_case=valid_cases())
def test_orjson_and_json_give_the_same_firing(advisor: Advisor, restore_orjson: None,
                                              the_case: Case) -> None:
    facts, _ = advisor.facts_for(the_case)
    engine_fact = advisor.compiled.engine_fact(facts)
    assert use_orjson(True)
    with_orjson = advisor.engine.evaluate(engine_fact)
    assert not use_orjson(False)
    with_json = advisor.engine.evaluate(engine_fact)
    assert with_orjson == with_json
    assert advisor.engine.live_sessions == 0
