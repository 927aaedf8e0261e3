"""The advice route's fast paths change nothing a client can see, and /metrics counts.

- The body is decoded within the request budget, then validated by ``Case.model_validate``
  (api.routes.advice.CaseRoute): on
  valid and invalid bodies alike, the service answers exactly what FastAPI's own body
  handling answers (same status, same JSON, 422s included), and the OpenAPI document is
  the same.
- ``GET /metrics`` is Prometheus text with request counts, latency histograms and the
  engine memory's hits and misses, and carries nothing of a case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from prometheus_client.parser import text_string_to_metric_families

from api.main import create_app
from api.routes.advice import CaseRoute
from api.settings import Settings
from escalate import Advisor, default_rules_dir
from escalate.models import Case
from tests.core.cases import valid_case_dicts

VALID = {"as_of": "2026-11-23", "student": {"has_iep": True},
         "concern": {"topic": "other", "school_response": "none_yet"}}
TRICKY: list[tuple[bytes, str | None]] = [
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"[]", "application/json"),
    (b"null", "application/json"),
    # (bytes that are not UTF-8 are refused by the budget, not FastAPI: test_api_hardening)
    (b'{"as_of":"2026-11-23"}', "application/json"),
    (json.dumps({**VALID, "student": {"has_iep": "yes"}}).encode(), "application/json"),
    (json.dumps(VALID).encode(), "text/plain"),
    (json.dumps(VALID).encode(), None),
    (json.dumps(VALID).encode(), "application/merge-patch+json"),
    (json.dumps(VALID).encode() + b" x", "application/json"),
    (json.dumps({**VALID, "discipline": {"days_removed": 12.0}}).encode(), "application/json"),
    (json.dumps({**VALID, "discipline": {"days_removed": 12.5}}).encode(), "application/json"),
    (json.dumps({**VALID, "discipline": {"days_removed": "12"}}).encode(), "application/json"),
    (json.dumps(VALID)[:-1].encode() + b',"discipline":{"days_removed":NaN}}',
     "application/json"),
    (json.dumps(VALID)[:-1].encode() + b',"discipline":{"days_removed":1e400}}',
     "application/json"),
    (b'{"as_of":"2026-11-23","as_of":"2026-11-24"' + json.dumps(VALID)[18:].encode(),
     "application/json"),
    (json.dumps({**VALID, "student": {"has_iep": True, "name": "\ud800"}}).encode(),
     "application/json"),
    (json.dumps({f"extra{i}": i for i in range(40)}).encode(), "application/json"),
]


@pytest.fixture(scope="module")
def fast(advisor: Advisor) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rules_dir=default_rules_dir()),
                               advisor=advisor)) as client:
        yield client


@pytest.fixture(scope="module")
def stock(advisor: Advisor) -> Iterator[TestClient]:
    """The same app with FastAPI's own body handling (the route class's parse removed).

    FastAPI builds an included route's handler on the app's first request, so one
    request is made while the stock handler is patched in; the app keeps that handler."""
    with pytest.MonkeyPatch.context() as patch, TestClient(
            create_app(Settings(rules_dir=default_rules_dir()), advisor=advisor)
    ) as client:
        patch.setattr(CaseRoute, "get_route_handler", APIRoute.get_route_handler)
        assert client.post("/v1/advice", json=VALID).status_code == 200
        patch.undo()
        yield client


def _post(client: TestClient, body: bytes, content_type: str | None) -> tuple[int, Any]:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/advice", content=body, headers=headers)
    return response.status_code, response.json()


@pytest.mark.parametrize(("body", "content_type"), TRICKY)
def test_odd_bodies_get_fastapis_answer(fast: TestClient, stock: TestClient, body: bytes,
                                        content_type: str | None) -> None:
    assert _post(fast, body, content_type) == _post(stock, body, content_type)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=valid_case_dicts())
def test_valid_cases_get_fastapis_answer(fast: TestClient, stock: TestClient,
                                         data: dict[str, Any]) -> None:
    body = json.dumps(data).encode()
    status, answer = _post(fast, body, "application/json")
    assert status == 200
    assert (status, answer) == _post(stock, body, "application/json")
    broken = json.dumps({**data, "student": {**data["student"], "has_iep": 1}}).encode()
    assert _post(fast, broken, "application/json") == _post(stock, broken,
                                                            "application/json")


def test_a_valid_body_is_parsed_from_its_bytes(fast: TestClient, stock: TestClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = Case.model_validate

    def counting(data: Any, *args: Any, **kwargs: Any) -> Case:
        calls.append(len(data))
        return original(data, *args, **kwargs)

    monkeypatch.setattr(Case, "model_validate", counting)
    body = json.dumps(VALID).encode()
    assert fast.post("/v1/advice", content=body,
                     headers={"content-type": "application/json"}).status_code == 200
    assert calls == [len(VALID)]  # once, from the decoded body
    assert stock.post("/v1/advice", content=body,
                      headers={"content-type": "application/json"}).status_code == 200
    assert calls == [len(VALID)]  # the stock app (the comparisons' reference) never does


def test_the_openapi_document_is_fastapis(fast: TestClient, stock: TestClient) -> None:
    assert fast.get("/openapi.json").json() == stock.get("/openapi.json").json()


def _metrics(client: TestClient) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = \
                sample.value
    return found


def test_metrics_count_requests_latency_and_the_engine_memory(
        settings: Settings, advisor: Advisor) -> None:
    fresh = Advisor(advisor.rulebook, cache_size=100)
    secret = {**VALID, "case_id": "family-7731", "student": {"has_iep": True,
                                                             "name": "Zebulon"}}
    with TestClient(create_app(settings, advisor=fresh)) as client:
        for _ in range(3):
            assert client.post("/v1/advice", json=secret).status_code == 200
        assert client.post("/v1/advice", json={"student": {}}).status_code == 422
        client.get("/some/path/Zebulon")
        text = client.get("/metrics").text
        found = _metrics(client)
    advice = (("method", "POST"), ("route", "/v1/advice"))
    assert found["escalate_http_requests_total"][(*advice, ("status", "200"))] == 3
    assert found["escalate_http_requests_total"][(*advice, ("status", "422"))] == 1
    assert found["escalate_http_request_duration_seconds_count"][advice] == 4
    unmatched = (("method", "GET"), ("route", "unmatched"), ("status", "404"))
    assert found["escalate_http_requests_total"][unmatched] == 1
    assert found["escalate_engine_cache_hits_total"][()] == 2
    assert found["escalate_engine_cache_misses_total"][()] == 1
    assert found["escalate_engine_cache_entries"][()] == 1
    assert found["escalate_engine_cache_size"][()] == 100
    for private in ("Zebulon", "family-7731", "some/path"):
        assert private not in text


def test_the_cache_size_setting_reaches_the_engine(settings: Settings) -> None:
    configured = Settings(rules_dir=default_rules_dir(), engine_cache_size=7)
    with TestClient(create_app(configured)) as client:
        found = _metrics(client)
    assert found["escalate_engine_cache_size"][()] == 7
