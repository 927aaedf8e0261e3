"""ESCALATE_API_KEYS: without keys the API is open; with keys, /v1/* needs X-API-Key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from escalate import Advisor
from escalate.models import EXAMPLE_CASE

OPEN_PATHS = ["/healthz", "/readyz", "/docs", "/openapi.json"]


@pytest.fixture
def keyed_client(
    settings: Settings, advisor: Advisor, make_client: Callable[[Settings, Any], TestClient]
) -> Iterator[TestClient]:
    keyed = settings.model_copy(update={"api_keys": ["alpha-key", "beta-key"]})
    with make_client(keyed, advisor) as client:
        yield client


def test_without_configured_keys_no_key_is_needed(client: TestClient) -> None:
    assert client.get("/v1/moves").status_code == 200
    assert client.post("/v1/advice", json=EXAMPLE_CASE).status_code == 200


def test_with_keys_a_request_without_a_key_is_401_saying_what_to_send(
    keyed_client: TestClient,
) -> None:
    for method, path in [("GET", "/v1/moves"), ("GET", "/v1/rules"), ("POST", "/v1/advice")]:
        response = keyed_client.request(method, path, json=EXAMPLE_CASE)
        assert response.status_code == 401, path
        assert "X-API-Key" in response.json()["detail"]


def test_with_keys_a_wrong_key_is_401(keyed_client: TestClient) -> None:
    response = keyed_client.post(
        "/v1/advice", json=EXAMPLE_CASE, headers={"X-API-Key": "gamma-key"}
    )
    assert response.status_code == 401
    assert "does not match" in response.json()["detail"]
    assert "alpha-key" not in response.text


def test_with_keys_any_configured_key_is_accepted(keyed_client: TestClient) -> None:
    for key in ("alpha-key", "beta-key"):
        response = keyed_client.post("/v1/advice", json=EXAMPLE_CASE, headers={"X-API-Key": key})
        assert response.status_code == 200, key
        assert keyed_client.get("/v1/rules", headers={"X-API-Key": key}).status_code == 200


def test_health_docs_and_schema_stay_open_with_keys(keyed_client: TestClient) -> None:
    for path in OPEN_PATHS:
        assert keyed_client.get(path).status_code == 200, path


def test_keys_are_checked_before_the_case_is_validated(keyed_client: TestClient) -> None:
    response = keyed_client.post("/v1/advice", json={"not": "a case"})
    assert response.status_code == 401


def test_the_openapi_document_always_declares_the_key_and_says_when_it_runs_open(
    client: TestClient, keyed_client: TestClient
) -> None:
    """A client generated from an open deployment can still send a key to a keyed one."""
    for doc, runs_open in ((client.get("/openapi.json").json(), True),
                           (keyed_client.get("/openapi.json").json(), False)):
        schemes = doc["components"]["securitySchemes"]
        keys = [s for s in schemes.values() if s["type"] == "apiKey"]
        assert keys and keys[0]["name"] == "X-API-Key" and keys[0]["in"] == "header"
        assert ("runs open" in keys[0]["description"]) is runs_open
        assert ("runs open" in doc["info"]["description"]) is runs_open
        for path, method in (("/v1/advice", "post"), ("/v1/moves", "get"),
                             ("/v1/rules", "get")):
            operation = doc["paths"][path][method]
            assert operation["security"] == [{name: []} for name in schemes], path
            assert "401" in operation["responses"], path
