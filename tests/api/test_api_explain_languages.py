"""The explanations over HTTP in Spanish: POST /v1/advice?explain=true in the advice's
language, POST /v1/advice/why-not/{move} with ``lang`` and ``Accept-Language``."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.models import WhyNot

CASE = "03_meeting_failed_needs_supervisor"


def test_explain_true_in_spanish(client: TestClient, advisor: Advisor,
                                 examples: dict[str, Any]) -> None:
    english = client.post("/v1/advice?explain=true", json=examples[CASE]).json()
    response = client.post("/v1/advice?explain=true&lang=es", json=examples[CASE])
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    advice = response.json()
    assert advice["language"] == "es" and advice["fallbacks"] == []
    explanation = advice["explanation"]
    assert explanation["note"] == advisor.locales["es"].text("question.sentence.note")
    assert [q["fact"] for q in explanation["questions"]] == [
        q["fact"] for q in english["explanation"]["questions"]]
    top = explanation["questions"][0]
    assert top["question"] == advisor.locales["es"].text(f"question.{top['fact']}.ask")
    assert top["answers"][0]["effect"].startswith("Si la respuesta es")


def test_explain_true_follows_accept_language(client: TestClient,
                                              examples: dict[str, Any]) -> None:
    response = client.post("/v1/advice?explain=true", json=examples[CASE],
                           headers={"Accept-Language": "es-US,es;q=0.9,en;q=0.5"})
    assert response.headers["content-language"] == "es"
    assert response.json()["explanation"]["note"].startswith("Cada respuesta")


def test_why_not_in_spanish(client: TestClient, examples: dict[str, Any]) -> None:
    english = client.post("/v1/advice/why-not/mediation", json=examples[CASE])
    assert english.headers["content-language"] == "en"
    assert english.json()["language"] == "en" and english.json()["fallbacks"] == []
    assert english.json()["title"] == "Ask for mediation"
    response = client.post("/v1/advice/why-not/mediation?lang=es", json=examples[CASE])
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    report = WhyNot.model_validate(response.json())
    assert report.language == "es" and report.fallbacks == []
    assert report.title == "Pedir mediación"  # a cognate: no English beside it
    assert report.summary.startswith("Este paso no se recomienda")
    assert "no asesoría legal" in report.disclaimer
    assert [r.rule for r in report.rules] == [r["rule"] for r in english.json()["rules"]]
    assert [r.because for r in report.rules] != [r["because"]
                                                for r in english.json()["rules"]]


def test_why_not_follows_accept_language(client: TestClient,
                                         examples: dict[str, Any]) -> None:
    response = client.post("/v1/advice/why-not/due_process", json=examples[CASE],
                           headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert response.headers["content-language"] == "es"
    assert response.json()["title"] == ("Presentar una queja de debido proceso"
                                       " (due process complaint)")
    response = client.post("/v1/advice/why-not/due_process?lang=en", json=examples[CASE],
                           headers={"Accept-Language": "es"})
    assert response.headers["content-language"] == "en"


def test_why_not_refuses_an_unknown_lang(client: TestClient,
                                         examples: dict[str, Any]) -> None:
    response = client.post("/v1/advice/why-not/mediation?lang=fr", json=examples[CASE])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "lang"]


def test_openapi_documents_the_why_not_language(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    post = doc["paths"]["/v1/advice/why-not/{move}"]["post"]
    params = {p["name"]: p for p in post["parameters"]}
    lang = params["lang"]
    assert lang["description"] and (lang.get("examples") or lang["schema"].get("examples"))
    assert "accept-language" in {name.lower() for name in params}
    assert "Content-Language" in post["description"]
    schema = doc["components"]["schemas"]["WhyNot"]["properties"]
    for name in ("language", "fallbacks"):
        assert schema[name]["description"] and schema[name].get("examples"), name
