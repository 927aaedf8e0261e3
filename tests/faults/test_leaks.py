"""No session outlives its evaluation, even one that failed, and the engine carries on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from escalate import Advisor, Case, EngineError
from escalate.compiler import reference_evaluation
from escalate.engine import Engine
from escalate.facts import nest

from ._support import LOUD_CASE, QUIET_CASE, case_mix


def _facts(advisor: Advisor, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    flat = advisor.facts_for(Case.model_validate(raw))[0]
    return flat, nest(flat)


def _same_as_reference(advisor: Advisor, engine: Engine, raw: dict[str, Any]) -> None:
    flat, nested = _facts(advisor, raw)
    fired = engine.evaluate(nested).rules_fired
    assert sorted(fired) == sorted(reference_evaluation(advisor.compiled, flat).rules_fired)


def test_no_session_is_left_after_many_evaluations(advisor: Advisor) -> None:
    for raw in case_mix(300):
        advisor.advise(Case.model_validate(raw))
        assert advisor.engine.live_sessions == 0


@pytest.mark.parametrize("bad", [
    [],
    [{"student": {"has_iep": True}}],
    {"student": {"has_iep": [True]}},
    {"student": {"has_iep": None}},
    {"discipline": {"days_removed": 1.5}},
    {"history": ("refused",)},
    {"student": {"has_iep": {True}}},
    {f"fact_{i}": i for i in range(300)},
])
def test_refused_facts_leave_no_session_and_the_next_case_works(
        advisor: Advisor, bad: Any) -> None:
    with pytest.raises(EngineError):
        advisor.engine.evaluate(bad)
    assert advisor.engine.live_sessions == 0
    _same_as_reference(advisor, advisor.engine, LOUD_CASE)


def _engine_with_action(advisor: Advisor, wrap: Callable[[Any, Any], Any]) -> Engine:
    """A fresh engine whose rule actions are wrapped by ``wrap(original, closure)``."""
    original = Engine._action

    def patched(self: Engine, rule: Any) -> Any:
        action = original(self, rule)
        return lambda closure: wrap(action, closure)

    Engine._action = patched  # type: ignore[method-assign]
    try:
        return Engine(advisor.compiled)
    finally:
        Engine._action = original  # type: ignore[method-assign]


def test_an_action_that_raises_leaves_no_session(advisor: Advisor) -> None:
    armed = {"on": True}

    def wrap(action: Any, closure: Any) -> Any:
        if armed["on"]:
            raise RuntimeError("an action broke")  # durable_rules swallows this itself
        return action(closure)

    engine = _engine_with_action(advisor, wrap)
    _, nested = _facts(advisor, LOUD_CASE)
    for _ in range(3):
        with pytest.raises(EngineError):
            engine.evaluate(nested)
        assert engine.live_sessions == 0
    armed["on"] = False
    for raw in (LOUD_CASE, QUIET_CASE, *case_mix(20)):
        _same_as_reference(advisor, engine, raw)
    assert engine.live_sessions == 0


def test_a_failure_inside_an_action_names_the_rule_and_leaves_no_session(
        advisor: Advisor) -> None:
    """A failure the engine's own action guard records (asserting the derived fact)."""
    armed = {"on": True}

    class Refusing:
        def __init__(self, closure: Any) -> None:
            self._closure = closure

        def assert_fact(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("the engine refused the derived fact")

        def __getattr__(self, name: str) -> Any:
            return getattr(self._closure, name)

    def wrap(action: Any, closure: Any) -> Any:
        return action(Refusing(closure) if armed["on"] else closure)

    engine = _engine_with_action(advisor, wrap)
    _, nested = _facts(advisor, LOUD_CASE)
    with pytest.raises(EngineError, match=r"^rule [a-z0-9_.]+: RuntimeError$"):
        engine.evaluate(nested)
    assert engine.live_sessions == 0
    armed["on"] = False
    _same_as_reference(advisor, engine, LOUD_CASE)
