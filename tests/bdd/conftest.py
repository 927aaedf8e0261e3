"""Wiring for the advocates' scenarios: the service, the step vocabulary, tags, messages.

- ``client``: a TestClient on the real service (``api.main.create_app()``), started once.
- ``consultation``: the case one scenario is writing and the service's answer.
- Tags: every rung (``rung_1`` ... ``rung_7``), every move id, every seed article
  (``seed_000`` ... ``seed_004``) and the feature areas are registered as markers, so
  ``pytest -m mediation`` or ``pytest -m seed_001`` runs a slice.
- A step that is not in the vocabulary fails with the nearest phrasings of the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.scenarios.catalogue import closest
from escalate.scenarios.words import MOVES, RUNGS, SEEDS, move_name

from . import steps

# The step definitions are fixtures living in ``steps``; expose them to the scenarios.
globals().update({k: v for k, v in vars(steps).items() if k.startswith("pytestbdd_")})

AREAS = {
    "companion": "companion moves recommended beside the rungs",
    "deadlines": "deadlines, closing and closed windows, state differences",
    "exceptions": "the four exceptions that skip rungs",
    "bad_input": "requests the service refuses",
    "section_504": "the Section 504 track: a child with a 504 plan and no IEP",
    "district_duties": "the district's (and the state's) own deadlines, running or missed",
    "discipline": "discipline protections: manifestation, services, appeals",
    "pending_proceedings": "a due process complaint or a hearing already under way",
    "language_access": "interpreters and translated documents",
    "spanish": "the advice in Spanish (issue 14)",
    "ranking": "which step comes first",
    "time": "a clock's state decides the advice: closing, possibly closed, continuing",
    "reimbursement": "a state's limit on a claim for reimbursement of a private placement",
}


def markers() -> dict[str, str]:
    """Every tag a feature may use, with its description."""
    found = {f"rung_{i}": f"rung {i} of the ladder: {move_name(move)}"
             for i, move in enumerate(RUNGS, 1)}
    found |= {m.id: f"scenarios about the move '{m.names[0]}'" for m in MOVES}
    found |= {f"seed_{file[:3]}": f"exercises the seed article '{titles[0]}'"
              for file, titles in SEEDS.items()}
    return found | AREAS


def pytest_configure(config: pytest.Config) -> None:
    for name, description in markers().items():
        config.addinivalue_line("markers", f"{name}: {description}")


@pytest.fixture(scope="session")
def client(advisor_for: Callable[[Path], Advisor]) -> Iterator[TestClient]:
    """The real service, over HTTP semantics, with its shipped rules (the suite's advisor
    for the rules folder its settings name: one compiled rulebook per worker)."""
    from api.main import create_app
    from api.settings import load_settings

    # The service's own settings, quieter: its access log would clutter failure messages.
    settings = load_settings(log_level="WARNING", api_keys=[])
    app = create_app(settings, advisor=advisor_for(settings.rules_dir))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def consultation() -> steps.Consultation:
    return steps.Consultation()


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, feature: Any,
                                      scenario: Any, step: Any, exception: Exception) -> None:
    """Name the unknown step and the closest phrasings that exist, then stop the scenario."""
    text = f"{step.type.capitalize()} {step.name}"
    lines = [
        "This step is not in the scenarios' vocabulary:",
        f"    {text}",
        f'    (line {step.line_number} of {feature.rel_filename}, scenario "{scenario.name}")',
    ]
    near = closest(step.type, step.name)
    if near:
        lines.append("The closest phrasings that exist:")
        lines += [f"    {n}" for n in near]
    lines.append("Every phrasing is listed, with an example, in features/README.md "
                 "under \"Step catalogue\".")
    pytest.fail("\n".join(lines), pytrace=False)
