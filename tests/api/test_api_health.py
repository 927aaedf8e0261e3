"""Liveness, readiness and the OpenAPI UI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import api.main
from api.main import create_app
from api.settings import Settings
from escalate import Advisor


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_loaded_rules_version(client: TestClient, advisor: Advisor) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "rules_version": advisor.rules_version,
                               "pdf_letters": True, "reloading": False, "last_reload": None}
    assert advisor.rules_version


def test_readyz_says_when_pdf_letters_cannot_be_made_here(
        settings: Settings, advisor: Advisor, monkeypatch: pytest.MonkeyPatch) -> None:
    # As in an image without Pango: the start-up check fails; advice still works.
    checks: list[str] = []

    def no_pango() -> str:
        checks.append("checked")
        return "OSError: cannot load library 'libpango-1.0-0'"

    monkeypatch.setattr(api.main, "pdf_problem", no_pango)
    with TestClient(create_app(settings, advisor=advisor)) as client:
        for _ in range(3):
            response = client.get("/readyz")
            assert response.status_code == 200
            assert response.json()["pdf_letters"] is False
    assert checks == ["checked"]  # once at start-up, never per request


def test_readyz_is_503_before_the_rules_are_loaded(settings: Settings, advisor: Advisor) -> None:
    # Without entering the client, the lifespan (which loads the rules) has not run.
    client = TestClient(create_app(settings, advisor=advisor))
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200


def test_docs_serves_the_openapi_ui(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/openapi.json" in response.text
