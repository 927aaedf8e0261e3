"""Hardening, in process: small errors, cache and sniffing headers, HEAD on the health
endpoints, the key checked before the body, integral floats, a bounded access log, and no
start with an API-key setting that holds no key."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.errors import MAX_LISTED_ERRORS
from api.limits import MAX_JSON_ARRAY_ITEMS, MAX_JSON_DEPTH, MAX_JSON_KEYS
from api.logging import MAX_LOGGED_PATH
from api.settings import Settings
from escalate import Advisor
from escalate.examples import example_cases

MakeClient = Callable[[Settings, Any], TestClient]
ESCALATE = Path(sys.executable).parent / "escalate"
CASE = example_cases()["08_discipline_removal"]


def test_a_422_lists_the_first_problems_and_counts_them_all(client: TestClient) -> None:
    """Unknown keys each get a problem, the first ones listed, and the error is smaller
    than the request, whatever the request."""
    for unknown in (3, MAX_JSON_KEYS):
        body = json.dumps({f"k{i}": 1 for i in range(unknown)}).encode()
        response = client.post("/v1/advice", content=body,
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 422
        report = response.json()
        assert report["error_count"] >= unknown
        assert len(report["detail"]) == min(MAX_LISTED_ERRORS, report["error_count"])
        assert report["detail"][0]["loc"][0] == "body" and report["detail"][0]["msg"]
        assert len(response.content) <= max(len(body), 4096)


@pytest.mark.parametrize(("body", "kind", "bound"), [
    ({f"k{i}": 1 for i in range(75_000)}, "too_many_keys", MAX_JSON_KEYS),
    ({"concern": {"topic": "other", "school_response": "none_yet"}, "history": [{}] * 125_000},
     "too_many_items", MAX_JSON_ARRAY_ITEMS),
    (functools.reduce(lambda inner, _: [inner], range(50), []), "too_deep", MAX_JSON_DEPTH),
])
def test_a_body_over_the_budget_is_refused_naming_the_bound(
        client: TestClient, body: Any, kind: str, bound: int) -> None:
    """75,000 unknown keys (0.8 MB) once cost a second of the event loop and a 6 MB
    error; 125,000 empty history rows, as much. Now the budget refuses them before
    anything is validated: one problem naming the bound (ctx.le) and what is accepted."""
    for path in ("/v1/advice", "/v1/letters/written_concern", "/v1/calendar",
                 "/v1/advice/why-not/mediation"):
        response = client.post(path, content=json.dumps(body).encode(),
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 422, path
        report = response.json()
        assert report["error_count"] == 1
        problem = report["detail"][0]
        assert problem["type"] == kind and problem["loc"] == ["body"]
        assert problem["ctx"] == {"le": bound} and str(bound) in problem["msg"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_json_in_another_encoding_is_refused_naming_utf8(client: TestClient,
                                                         encoding: str) -> None:
    body = json.dumps(CASE).encode(encoding)
    for content_type in ("application/json", f"application/json; charset={encoding}"):
        response = client.post("/v1/advice", content=body,
                               headers={"Content-Type": content_type})
        assert response.status_code == 422
        assert "UTF-8" in response.json()["detail"][0]["msg"]
    response = client.post("/v1/advice", content=json.dumps(CASE).encode(),
                           headers={"Content-Type": f"application/json; charset={encoding}"})
    assert response.status_code == 422  # a charset other than UTF-8, declared


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/v1/advice", CASE), ("POST", "/v1/advice", {"bogus": 1}),
    ("GET", "/v1/moves", None), ("GET", "/v1/rules", None), ("GET", "/healthz", None),
    ("GET", "/readyz", None), ("GET", "/openapi.json", None), ("GET", "/nowhere", None),
])
def test_responses_are_never_cached_or_sniffed(client: TestClient, method: str, path: str,
                                               body: Any) -> None:
    response = client.request(method, path, json=body)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_413_is_not_cached_either(settings: Settings, advisor: Advisor,
                                    make_client: MakeClient) -> None:
    with make_client(settings.model_copy(update={"max_body_bytes": 100}), advisor) as client:
        response = client.post("/v1/advice", json=CASE)
    assert response.status_code == 413
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/", "/v1/moves", "/v1/states",
                                  "/openapi.json"])
def test_get_routes_answer_head(client: TestClient, path: str) -> None:
    """HEAD was 405 on every GET route but the health endpoints, the page's / included."""
    got = client.get(path)
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == got.headers["content-length"]
    assert response.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_405_allows_get_and_head_on_the_health_endpoints(client: TestClient,
                                                           path: str) -> None:
    response = client.post(path)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD"}


@pytest.fixture
def keyed(settings: Settings, advisor: Advisor, make_client: MakeClient) -> TestClient:
    return make_client(settings.model_copy(update={"api_keys": ["k-1"]}), advisor)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"a":' * 5000,
                                  b"x" * 3_000_000])
def test_the_key_is_checked_before_the_body(keyed: TestClient, body: bytes) -> None:
    with keyed as client:
        refused = client.post("/v1/advice", content=body,
                              headers={"Content-Type": "application/json"})
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"] == "X-API-Key"
        wrong = client.post("/v1/advice", content=body, headers={
            "Content-Type": "application/json", "X-API-Key": "k-2"})
        assert wrong.status_code == 401
        keyed_ok = client.post("/v1/advice", json=CASE, headers={"X-API-Key": "k-1"})
        assert keyed_ok.status_code == 200


def test_an_integral_float_is_the_integer_it_equals(client: TestClient) -> None:
    """JSON Schema counts 14.0 as an integer; so does the service."""
    as_int = client.post("/v1/advice", json=CASE)
    as_float = client.post("/v1/advice", json={
        **CASE, "discipline": {**CASE["discipline"],
                               "days_removed": float(CASE["discipline"]["days_removed"])}})
    assert as_int.status_code == as_float.status_code == 200
    assert as_float.json() == as_int.json()
    half = client.post("/v1/advice", json={**CASE, "discipline": {"days_removed": 14.5}})
    assert half.status_code == 422
    assert half.json()["detail"][0]["loc"] == ["body", "discipline", "days_removed"]


def test_the_access_log_cuts_long_paths(client: TestClient,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    client.get("/v1/" + "a" * 20_000)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "escalate.api.access"]
    assert access and len(access[0]["path"]) <= MAX_LOGGED_PATH + 3
    assert access[0]["path_length"] == 20_004
    assert all(len(json.dumps(line)) < 2000 for line in lines)


@pytest.mark.parametrize("value", ["", ",", " , ,", "   "])
def test_no_start_when_the_api_keys_setting_holds_no_key(value: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    done = subprocess.run([str(ESCALATE), "serve", "--port", "1"], capture_output=True,
                          text=True, timeout=60, check=False,
                          env={**env, "ESCALATE_API_KEYS": value})
    assert done.returncode == 1
    assert "ESCALATE_API_KEYS" in done.stderr and "no usable key" in done.stderr
