"""What a client generator needs from /openapi.json, and the docs pages that show it:
response models open to added fields, request models strict, an operation id per
operation named for what it does, a description on every property, an example on every
enum, and /docs and /redoc that load nothing from another origin."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

REQUEST_MODELS = {"Case", "Student", "Concern", "HistoryEntry", "Evaluation", "Violation",
                  "Discipline"}
RESPONSE_MODELS = {"Advice", "Recommendation", "Reason", "Source", "LadderRung", "Deadline",
                   "AdviceWarning", "Trace", "MoveInfo", "RuleInfo", "RulesListing", "Health",
                   "Readiness", "ErrorMessage", "InternalError", "HTTPValidationError",
                   "ValidationError", "TriageLine", "TriageRow", "TriageSummary",
                   "TriageInvalid", "NearestDate"}


@pytest.fixture
def doc(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def test_response_models_allow_added_fields_and_request_models_do_not(
        doc: dict[str, Any]) -> None:
    schemas = _schemas(doc)
    assert set(schemas) >= REQUEST_MODELS | RESPONSE_MODELS
    for name in RESPONSE_MODELS:
        assert schemas[name].get("additionalProperties", True) is not False, name
    for name in REQUEST_MODELS:
        assert schemas[name].get("additionalProperties") is False, name


def test_operation_ids_say_what_each_operation_does(doc: dict[str, Any]) -> None:
    ids = {(path, method): op["operationId"] for path, ops in doc["paths"].items()
           for method, op in ops.items()}
    assert ids == {("/v1/advice", "post"): "advise", ("/v1/moves", "get"): "list_moves",
                   ("/v1/rules", "get"): "list_rules", ("/healthz", "get"): "healthz",
                   ("/readyz", "get"): "readyz", ("/v1/states", "get"): "list_states",
                   ("/v1/states/{code}", "get"): "get_state",
                   ("/v1/letters/{move}", "post"): "write_letter",
                   ("/v1/calendar", "post"): "write_calendar",
                   ("/v1/advice/why-not/{move}", "post"): "why_not",
                   ("/v1/triage", "post"): "triage"}


def test_every_property_has_a_description(doc: dict[str, Any]) -> None:
    missing = [f"{name}.{prop}" for name, schema in _schemas(doc).items()
               for prop, spec in schema.get("properties", {}).items()
               if not spec.get("description")]
    assert not missing


def _enums(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append((where, node))
        for key, value in node.items():
            found += _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _enums(value, f"{where}/{index}")
    return found


def test_every_enum_has_an_example_it_allows(doc: dict[str, Any]) -> None:
    enums = _enums(doc)
    assert any(where.endswith("/MoveId") for where, _ in enums)
    for where, enum in enums:
        examples = enum.get("examples") or [enum.get("example")]
        assert examples and all(e in enum["enum"] for e in examples), where


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_only_packaged_assets_under_a_csp(client: TestClient,
                                                          page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/docs-assets/") for u in urls), urls
    assert "http://" not in html and "https://" not in html
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 1000, url
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "*" not in script_src
    for inline in re.findall(r"<script>(.*?)</script>", html, re.DOTALL):
        assert _csp_hash(inline) in script_src
