"""What the legal-fidelity contract additions look like over HTTP: a case without a concern,
dates outside the accepted range, and an alleged violation without a kind."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

CHILD = "Zephyrine"


def body(**parts: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"as_of": "2026-11-23", "student": {"name": CHILD, "has_iep": True},
                            "concern": {"topic": "services", "school_response": "refused"}}
    data.update(parts)
    return data


@pytest.mark.parametrize("concern", [None, "absent"])
def test_a_case_without_a_concern_is_a_422_naming_it(client: TestClient, concern: Any) -> None:
    case = body()
    if concern == "absent":
        del case["concern"]
    else:
        case["concern"] = concern
    response = client.post("/v1/advice", json=case)
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "concern"]]
    assert CHILD not in response.text


@pytest.mark.parametrize(("where", "value"), [
    ({"as_of": "9999-12-31"}, ["body", "as_of"]),
    ({"violation": {"alleged": True, "date": "0001-01-01"}}, ["body", "violation", "date"]),
    ({"discipline": {"decision_date": "9999-01-01"}}, ["body", "discipline", "decision_date"]),
])
def test_dates_outside_the_accepted_range_are_a_422_never_a_500(
        client: TestClient, where: dict[str, Any], value: list[str]) -> None:
    response = client.post("/v1/advice", json=body(**where))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert value in [item["loc"] for item in detail]
    assert any("1900-01-01 and 2199-12-31" in item["msg"] for item in detail)


def test_the_new_facts_are_accepted_and_change_the_advice(client: TestClient) -> None:
    plain = client.post("/v1/advice", json=body()).json()
    with_interpreter = client.post("/v1/advice", json=body(
        student={"has_iep": True, "needs_interpreter": True, "home_language": "Spanish"})).json()
    moves = [r["move"] for r in with_interpreter["recommendations"]]
    assert "request_interpreter" in moves
    assert "request_interpreter" not in [r["move"] for r in plain["recommendations"]]


def test_an_overdue_duty_is_the_districts_and_says_so(client: TestClient) -> None:
    advice = client.post("/v1/advice", json=body(
        student={"has_iep": True, "last_iep_meeting": "2025-10-01"})).json()
    review = [d for d in advice["deadlines"] if d["label"].startswith("Annual IEP review")]
    assert review == [{**review[0], "status": "overdue", "owner": "district"}]
    assert any(w["kind"] == "duty_overdue" for w in advice["warnings"])
