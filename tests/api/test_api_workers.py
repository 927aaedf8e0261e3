"""`escalate serve --workers 2` gives, under concurrent requests, exactly the advice one
in-process call gives, for every example case."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from bench.load import serving
from escalate import Advisor
from escalate.models import Case

ROUNDS = 4


@pytest.fixture(scope="module")
def two_workers() -> Iterator[str]:
    """Base URL of `escalate serve --workers 2` on a free local port, stopped afterwards."""
    with serving("escalate", 2) as base:
        yield base


def test_two_workers_give_the_in_process_advice_under_concurrency(
    two_workers: str, advisor: Advisor, examples: dict[str, dict[str, Any]]
) -> None:
    expected = {
        stem: advisor.advise(Case.model_validate(case)).model_dump(mode="json")
        for stem, case in examples.items()
    }
    jobs = [stem for _ in range(ROUNDS) for stem in examples]

    with httpx.Client(base_url=two_workers, timeout=60) as http:

        def ask(stem: str) -> tuple[str, int, Any]:
            response = http.post("/v1/advice", json=examples[stem])
            return stem, response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(ask, jobs))

        versions = {http.get("/readyz").json()["rules_version"] for _ in range(8)}

    assert len(results) == len(jobs)
    for stem, status, body in results:
        assert status == 200, (stem, body)
        assert body == expected[stem], stem
    assert versions == {advisor.rules_version}
