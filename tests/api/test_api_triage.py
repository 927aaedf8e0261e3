"""POST /v1/triage: JSON Lines in, JSON Lines out, streamed; each row equals the case's
own POST /v1/advice (first step, dates, warnings); most urgent first; invalid lines named
by number only; bounded before the work (413 for the body, 422 naming the bound)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from api.limits import MAX_TRIAGE_LINES
from api.settings import Settings
from escalate import Advisor
from escalate.models import URGENCIES

NDJSON = {"Content-Type": "application/x-ndjson"}
SECRET = "Private-Name-4417"


def _lines(response: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.iter_lines() if line]


def test_rows_equal_the_single_advice_most_urgent_first(
        client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    cases = list(examples.values())
    body_lines = [json.dumps(c) for c in cases]
    body_lines.insert(2, "{not json " + SECRET)
    body_lines.insert(5, json.dumps({"case_id": SECRET, "nickname": SECRET}))
    with client.stream("POST", "/v1/triage", content="\n".join(body_lines) + "\n",
                       headers=NDJSON) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        out = _lines(response)
    assert SECRET not in json.dumps(out)
    summary = out[0]["summary"]
    rows = [line["row"] for line in out if "row" in line]
    invalid = [line["invalid"] for line in out if "invalid" in line]
    assert summary["cases"] == len(cases) and summary["invalid"] == 2
    assert "not legal advice" in summary["disclaimer"]
    assert invalid == [{"line": 3, "error": "not_json"}, {"line": 6, "error": "not_a_case"}]
    ranks = [URGENCIES.index(r["urgency"]) for r in rows]
    assert ranks == sorted(ranks)
    by_line = {n: line for n, line in enumerate(body_lines, start=1)}
    for r in rows:
        advice = client.post("/v1/advice", content=by_line[r["line"]],
                             headers={"Content-Type": "application/json"}).json()
        assert r["case_id"] == advice["case_id"]
        assert r["next_move"] == (advice["next_move"] or {}).get("move")
        assert r["deadlines"] == advice["deadlines"]
        assert r["warnings"] == advice["warnings"]


def test_as_of_and_language(client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    body = "\n".join(json.dumps(c) for c in examples.values())
    response = client.post("/v1/triage?as_of=2027-01-04&lang=es", content=body,
                           headers=NDJSON)
    assert response.status_code == 200 and response.headers["content-language"] == "es"
    out = [json.loads(line) for line in response.text.splitlines()]
    assert out[0]["summary"]["as_of"] == "2027-01-04"
    assert "asesoría legal" in out[0]["summary"]["disclaimer"]
    assert all(line["row"]["as_of"] == "2027-01-04" for line in out[1:] if "row" in line)


def test_too_many_cases_is_refused_before_the_work(client: TestClient) -> None:
    body = "\n".join(["{}"] * (MAX_TRIAGE_LINES + 1))
    response = client.post("/v1/triage", content=body, headers=NDJSON)
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["type"] == "too_many_lines" and problem["loc"] == ["body"]
    assert problem["ctx"] == {"le": MAX_TRIAGE_LINES}
    assert "at most that many" in problem["msg"]


def test_a_body_over_the_limit_is_413(make_client: Callable[[Settings, Any], TestClient],
                                      settings: Settings, advisor: Advisor,
                                      examples: dict[str, dict[str, Any]]) -> None:
    small = settings.model_copy(update={"max_body_bytes": 4096})
    body = "\n".join(json.dumps(c) for c in examples.values())
    assert len(body) > 4096
    with make_client(small, advisor) as client:
        response = client.post("/v1/triage", content=body, headers=NDJSON)
    assert response.status_code == 413
    assert "4096" in response.json()["detail"]


def test_a_body_that_is_not_json_lines(client: TestClient) -> None:
    response = client.post("/v1/triage", content="<cases/>",
                           headers={"Content-Type": "application/xml"})
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body"] and "application/x-ndjson" in problem["msg"]
    response = client.post("/v1/triage", content=b"\xff\xfe{}", headers=NDJSON)
    assert response.status_code == 422
    assert "UTF-8" in response.json()["detail"][0]["msg"]


def test_a_line_over_one_cases_budget_is_named_not_parsed(client: TestClient) -> None:
    deep = "[" * 50 + "]" * 50
    wide = json.dumps({f"k{i}": i for i in range(1_500)})
    response = client.post("/v1/triage", content=f'{{"x": {deep}}}\n{wide}\n',
                           headers=NDJSON)
    assert response.status_code == 200
    out = [json.loads(line) for line in response.text.splitlines()]
    assert [line["invalid"] for line in out[1:]] == [
        {"line": 1, "error": "over_budget"}, {"line": 2, "error": "over_budget"}]
