"""Explanations go through the engine's memory and are the same whether it remembered.

The questions that would change the advice (escalate.explain.counterfactual) are each an
engine run on a changed case. Those runs now ask the advisor's memory of the engine's
answers (escalate.engine_memory), as the advice does: an input the engine already decided
is answered as it answered it. Differential: an advisor that asks the engine every time
(memory off), one explaining a case for the first time, and one explaining it again
(every run remembered) give identical advice and explanations, in English and Spanish,
with the same engine-run count.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from escalate import Advisor, default_rules_dir
from escalate.examples import example_cases
from escalate.explain import explainer_for
from escalate.models import Case

from .cases import valid_case_dicts

LANGUAGES = ("en", "es")


@pytest.fixture(scope="module")
def fresh() -> Advisor:
    """Asks the engine for every run (memory off)."""
    return Advisor.from_directory(default_rules_dir(), cache_size=0)


@pytest.fixture(scope="module")
def remembering() -> Advisor:
    return Advisor.from_directory(default_rules_dir(), cache_size=4096)


def _explained(advisor: Advisor, case: Case, lang: str) -> str:
    return explainer_for(advisor).advise(case, lang).model_dump_json()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(example_cases()))
def test_an_example_is_explained_alike_remembered_or_not(
        fresh: Advisor, remembering: Advisor, name: str, lang: str) -> None:
    case = Case.model_validate(example_cases()[name])
    remembering.memory.clear()
    first = _explained(remembering, case, lang)
    hits = remembering.memory.stats.hits
    again = _explained(remembering, case, lang)
    runs = explainer_for(remembering).advise(case, lang).explanation
    assert runs is not None and runs.engine_runs > 0
    # the second time, the advice and every engine run were answered from memory
    assert remembering.memory.stats.hits - hits >= runs.engine_runs + 1
    assert first == again == _explained(fresh, case, lang)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=valid_case_dicts())
def test_generated_cases_are_explained_alike_remembered_or_not(
        fresh: Advisor, remembering: Advisor, data: dict[str, object]) -> None:
    case = Case.model_validate(data)
    for lang in LANGUAGES:
        first = _explained(remembering, case, lang)
        assert first == _explained(remembering, case, lang) == _explained(fresh, case, lang)


def test_an_explanation_leaves_its_answers_for_the_next(remembering: Advisor) -> None:
    """A case explained once: asking for its advice again is answered from memory."""
    case = Case.model_validate(example_cases()[sorted(example_cases())[0]])
    remembering.memory.clear()
    explainer_for(remembering).advise(case)
    misses = remembering.memory.stats.misses
    explainer_for(remembering).advise(case, "es")
    remembering.advise(case)
    assert remembering.memory.stats.misses == misses
