"""The explanation endpoints (issue 13): POST /v1/advice/why-not/{move} and
POST /v1/advice?explain=true, their errors, and their OpenAPI documentation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.models import DISCLAIMER, Advice, Case, MoveId, WhyNot

CHILD = "Zebulonia"


def test_why_not_reports_every_rule_for_the_move(client: TestClient,
                                                 examples: dict[str, Any]) -> None:
    case = examples["03_meeting_failed_needs_supervisor"]
    response = client.post("/v1/advice/why-not/due_process", json=case)
    assert response.status_code == 200
    report = WhyNot.model_validate(response.json())
    assert report.move == MoveId("due_process") and not report.recommended
    assert report.disclaimer == DISCLAIMER
    assert {r.rule for r in report.rules} >= {"due_process.after_mediation_failed"}
    for rule in report.rules:
        assert not rule.fired
        assert all(a.failed for a in rule.alternatives)


def test_why_not_on_a_recommended_move_says_so(client: TestClient, advisor: Advisor,
                                               examples: dict[str, Any]) -> None:
    case = examples["03_meeting_failed_needs_supervisor"]
    advice = advisor.advise(Case.model_validate(case))
    assert advice.next_move is not None
    move = advice.next_move.move.value
    report = client.post(f"/v1/advice/why-not/{move}", json=case).json()
    assert report["recommended"] is True and report["priority"] == 1
    assert any(r["fired"] for r in report["rules"])


def test_an_unknown_move_is_404_listing_the_moves(client: TestClient,
                                                  examples: dict[str, Any]) -> None:
    case = examples["01_new_concern"]
    response = client.post("/v1/advice/why-not/sue_everyone", json=case)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.startswith("move:") and "due_process" in detail and "mediation" in detail


def test_a_bad_case_is_422_naming_the_field_never_the_value(client: TestClient,
                                                            examples: dict[str, Any]) -> None:
    case = json.loads(json.dumps(examples["01_new_concern"]))
    case["student"]["name"] = CHILD
    case["concern"]["topic"] = "homework"
    for path in ("/v1/advice/why-not/mediation", "/v1/advice?explain=true"):
        response = client.post(path, json=case)
        assert response.status_code == 422
        assert ["body", "concern", "topic"] in [e["loc"] for e in response.json()["detail"]]
        assert CHILD not in response.text and "homework" not in response.text


def test_explain_true_adds_the_explanation_and_nothing_else(
        client: TestClient, examples: dict[str, Any]) -> None:
    case = examples["02_unanswered_concern"]
    plain = client.post("/v1/advice", json=case).json()
    explained = client.post("/v1/advice?explain=true", json=case).json()
    assert plain["explanation"] is None
    explanation = explained.pop("explanation")
    plain.pop("explanation")
    assert explained == plain
    assert explanation["questions"] and explanation["engine_runs"] <= explanation["cap"]
    top = explanation["questions"][0]
    assert top["question"] and top["whether"] and top["answers"][0]["effect"]
    Advice.model_validate({**plain, "explanation": explanation})


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_explain_takes_true_or_false_only(client: TestClient, examples: dict[str, Any],
                                          value: str) -> None:
    response = client.post(f"/v1/advice?explain={value}", json=examples["01_new_concern"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "explain"]


def test_openapi_documents_the_explanations(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    post = doc["paths"]["/v1/advice/why-not/{move}"]["post"]
    assert post["description"] and {"200", "404", "422"} <= set(post["responses"])
    ok = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/WhyNot")
    params = {p["name"]: p for p in doc["paths"]["/v1/advice"]["post"]["parameters"]}
    assert params["explain"]["description"]
    advice = doc["components"]["schemas"]["Advice"]["properties"]["explanation"]
    assert advice["description"]
    for name in ("WhyNot", "Explanation", "QuestionToAsk", "AnswerEffect", "RuleCheck"):
        model = doc["components"]["schemas"][name]
        assert model.get("description") and model.get("examples"), name
    WhyNot.model_validate(doc["components"]["schemas"]["WhyNot"]["examples"][0])
