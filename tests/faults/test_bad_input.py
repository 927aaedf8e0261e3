"""Bad input: fuzzed case bodies, and the shapes that crash durable_rules.

Every body is either refused by the Case model (a pydantic ValidationError) or advised on;
nothing else may happen. The shapes that crashed durable_rules in our findings (lists,
deeply nested or very wide objects, huge strings, numbers as strings) never reach it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from escalate import Advisor, Case, EngineError
from escalate.engine import Engine

from ._support import LOUD_CASE, exit_story, run_python


def test_fuzzed_bodies_are_refused_or_advised_never_anything_else() -> None:
    proc = run_python("""
        import json, _fuzz
        print(json.dumps(_fuzz.run(400)))
    """, timeout=80)
    assert proc.returncode == 0, exit_story(proc)
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    # Both outcomes were exercised, so the run reached the engine as well as the model.
    assert seen["refused"] > 50
    assert seen["advised"] > 10


def _deep(depth: int) -> Any:
    value: Any = True
    for _ in range(depth):
        value = {"a": value}
    return value


HUGE = "x" * 500_000
REFUSED_BY_THE_MODEL: dict[str, Any] = {
    "a list instead of the case": [LOUD_CASE],
    "an empty list": [],
    "a list instead of the student": {**LOUD_CASE, "student": [True, False]},
    "deeply nested student": {**LOUD_CASE, "student": _deep(900)},
    "deeply nested unknown field": {**LOUD_CASE, "x": _deep(200)},
    "very wide student": {**LOUD_CASE, "student": {f"f{i}": True for i in range(5_000)}},
    "very wide case": {**LOUD_CASE, **{f"f{i}": 1 for i in range(5_000)}},
    "huge case id": {**LOUD_CASE, "case_id": HUGE},
    "huge summary": {**LOUD_CASE, "concern": {**LOUD_CASE["concern"], "summary": HUGE}},
    "huge enum value": {**LOUD_CASE, "concern": {**LOUD_CASE["concern"], "topic": HUGE}},
    "number as string": {**LOUD_CASE, "discipline": {"days_removed": "14"}},
    "boolean as string": {**LOUD_CASE, "student": {"has_iep": "true"}},
    "number as boolean": {**LOUD_CASE, "student": {"has_iep": 1}},
    "fractional days": {**LOUD_CASE, "discipline": {"days_removed": 14.5}},
    "huge number": {**LOUD_CASE, "discipline": {"days_removed": 10**30}},
    "list of lists in history": {**LOUD_CASE, "history": [[{"move": "mediation"}]]},
}


@pytest.mark.parametrize("body", REFUSED_BY_THE_MODEL.values(), ids=REFUSED_BY_THE_MODEL)
def test_the_case_model_refuses_shapes_that_crash_the_engine(body: Any) -> None:
    with pytest.raises(ValidationError):
        Case.model_validate_json(json.dumps(body))


def test_json_nested_far_too_deep_is_refused_not_a_crash() -> None:
    text = '{"student":' * 100_000 + "1" + "}" * 100_000
    with pytest.raises(ValidationError):
        Case.model_validate_json(text)


@pytest.fixture
def engine(advisor: Advisor) -> Engine:
    return advisor.engine


REFUSED_BY_THE_ENGINE: dict[str, Any] = {
    "a list": [{"student": {"has_iep": True}}],
    "an empty list": [],
    "a list value": {"student": {"has_iep": [True]}},
    "an empty list value": {"history": []},
    "a tuple value": {"history": ("refused",)},
    "None": {"student": {"has_iep": None}},
    "a float": {"discipline": {"days_removed": 1.5}},
    "bytes": {"case": b"x"},
    "a non-text key": {1: True},
    "nested two levels deep": {"student": {"a": {"b": True}}},
    "nested 500 levels deep": {"x": _deep(500)},
    "too many properties": {f"fact_{i}": True for i in range(300)},
    "too many nested properties": {"student": {f"f{i}": 1 for i in range(300)}},
}


@pytest.mark.parametrize("facts", REFUSED_BY_THE_ENGINE.values(), ids=REFUSED_BY_THE_ENGINE)
def test_the_engine_refuses_non_scalar_facts_before_durable_rules_sees_them(
        engine: Engine, facts: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    host = engine._host
    calls: list[Any] = []
    monkeypatch.setattr(host, "assert_fact", lambda *a, **k: calls.append(a))
    with pytest.raises(EngineError):
        engine.evaluate(facts)
    assert calls == [], "the refused facts reached durable_rules"
    assert engine.live_sessions == 0


def test_no_free_text_from_the_case_reaches_the_engine(advisor: Advisor) -> None:
    """Names, grades, summaries and case ids never become facts (huge strings stay out)."""
    case = Case.model_validate({**LOUD_CASE, "case_id": "c" * 128,
                                "student": {**LOUD_CASE["student"], "name": "N" * 100,
                                            "grade": "G" * 20},
                                "concern": {**LOUD_CASE["concern"], "summary": "S" * 2000}})
    facts, _ = advisor.facts_for(case)
    for name, value in facts.items():
        if isinstance(value, str):
            assert value in advisor.rulebook.vocabulary[name].values, name
