"""One JSON access-log line per request, without bodies or query values."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.models import EXAMPLE_CASE

SECRET = "Zebulonqx"


def access_lines(err: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "escalate.api.access"]


def test_each_request_logs_one_json_line_with_the_fields(
    client: TestClient, advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    client.get("/healthz")
    client.post("/v1/advice", json=EXAMPLE_CASE)
    client.post("/v1/advice", json={"bogus": True})
    lines = access_lines(capsys.readouterr().err)
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("GET", "/healthz", 200),
        ("POST", "/v1/advice", 200),
        ("POST", "/v1/advice", 422),
    ]
    for line in lines:
        assert line["rules_version"] == advisor.rules_version
        assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0


def test_the_log_never_holds_the_body_or_query_values(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    case = json.loads(json.dumps(EXAMPLE_CASE))
    case["student"]["name"] = SECRET
    case["concern"]["summary"] = SECRET
    capsys.readouterr()
    client.post(f"/v1/advice?child={SECRET}", json=case)
    client.post("/v1/advice", json={"student": {"name": SECRET, "grade": 4}})
    client.get(f"/healthz?who={SECRET}")
    err = capsys.readouterr().err
    assert len(access_lines(err)) == 3
    assert SECRET not in err
