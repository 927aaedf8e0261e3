"""POST /v1/advice answers every shipped example case with the library's own advice."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from escalate import DISCLAIMER, Advisor
from escalate.models import Case, MoveId


def test_every_example_case_gets_the_same_advice_as_the_library(
    client: TestClient, advisor: Advisor, examples: dict[str, dict[str, Any]]
) -> None:
    for stem, case in examples.items():
        response = client.post("/v1/advice", json=case)
        assert response.status_code == 200, (stem, response.text)
        expected = advisor.advise(Case.model_validate(case)).model_dump(mode="json")
        assert response.json() == expected, stem


def test_advice_puts_the_first_recommendation_forward_and_says_it_is_not_legal_advice(
    client: TestClient, examples: dict[str, dict[str, Any]]
) -> None:
    for stem, case in examples.items():
        advice = client.post("/v1/advice", json=case).json()
        assert advice["disclaimer"] == DISCLAIMER
        assert "not legal advice" in advice["disclaimer"]
        assert advice["case_id"] == case.get("case_id"), stem
        if advice["recommendations"]:
            assert advice["next_move"] == advice["recommendations"][0], stem
            priorities = [r["priority"] for r in advice["recommendations"]]
            assert priorities == sorted(priorities), stem
        else:
            assert advice["next_move"] is None, stem
        for rec in advice["recommendations"]:
            assert rec["move"] in set(MoveId), stem
            assert rec["reasons"], stem


def test_advice_reports_the_rules_version_that_readyz_reports(
    client: TestClient, examples: dict[str, dict[str, Any]]
) -> None:
    version = client.get("/readyz").json()["rules_version"]
    case = next(iter(examples.values()))
    assert client.post("/v1/advice", json=case).json()["rules_version"] == version


def test_a_minimal_case_with_only_a_concern_is_advised(client: TestClient) -> None:
    case = {"as_of": "2026-11-23", "concern": {"topic": "services", "school_response": "refused"}}
    response = client.post("/v1/advice", json=case)
    assert response.status_code == 200, response.text
    assert response.json()["as_of"] == "2026-11-23"
    assert len(response.json()["ladder"]) == 7


def test_every_response_carries_the_disclaimer_header(client: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/v1/moves", "/v1/rules"):
        notice = client.get(path).headers["x-escalate-notice"]
        assert "not legal advice" in notice
    assert (
        "not legal advice" in client.post("/v1/advice", json={"x": 1}).headers["x-escalate-notice"]
    )
