"""The library's step vocabulary (:mod:`escalate.scenarios.steps`), registered with
pytest-bdd, so that ``pytest`` runs ``features/`` with the very functions
``escalate scenarios run`` uses.

Each registered step is the library's function (its signature names the fixtures it
takes: ``consultation``, ``client``, ``datatable``, ``docstring`` and the pattern's
groups); a step that does not hold fails the test with the library's message, whole and
without a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from pytest_bdd import parsers
from pytest_bdd import step as bdd_step

from escalate.scenarios.report import StepFailed
from escalate.scenarios.steps import VOCABULARY, Consultation, Phrase

__all__ = ["VOCABULARY", "Consultation", "Phrase"]


def _as_test_step(run: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(run)
    def test_step(*args: Any, **kwargs: Any) -> None:
        try:
            run(*args, **kwargs)
        except StepFailed as failed:
            message = str(failed)
        else:
            return
        pytest.fail(message, pytrace=False)  # outside the except: no chained traceback

    return test_step


for _phrase in VOCABULARY:
    bdd_step(parsers.re(_phrase.pattern), _phrase.kind)(_as_test_step(_phrase.run))
