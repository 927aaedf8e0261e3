"""The language of the advice over HTTP: ``?lang=``, ``Accept-Language``, what is said."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_lang_es(client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/advice?lang=es", json=examples["01_new_concern"])
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    advice = response.json()
    assert advice["language"] == "es" and advice["fallbacks"] == []
    assert advice["summary"].startswith("Siguiente paso para")
    assert "no asesoría legal" in advice["disclaimer"]


def test_accept_language(client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/advice", json=examples["01_new_concern"],
                           headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.3"})
    assert response.headers["content-language"] == "es"
    assert response.json()["language"] == "es"


def test_unspoken_accept_language_gives_english(client: TestClient,
                                                examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/advice", json=examples["01_new_concern"],
                           headers={"Accept-Language": "fr-FR,de;q=0.5"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    assert response.json()["summary"].startswith("Next step for")


def test_lang_wins_over_the_header(client: TestClient,
                                   examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/advice?lang=en", json=examples["01_new_concern"],
                           headers={"Accept-Language": "es"})
    assert response.json()["language"] == "en"


def test_unknown_lang_is_a_422_naming_lang(client: TestClient,
                                           examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/advice?lang=fr", json=examples["01_new_concern"])
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["query", "lang"]
    assert "'en'" in problem["msg"] and "'es'" in problem["msg"]


def test_letter_in_spanish(client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/letters/request_iee?format=md",
                           json=examples["04_disagrees_with_evaluation"],
                           headers={"Accept-Language": "es-US,es;q=0.9"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    assert "evaluación educativa independiente" in response.text
    assert "no asesoría legal" in response.text


def test_letter_unknown_lang(client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/letters/request_iee?lang=de",
                           json=examples["04_disagrees_with_evaluation"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "lang"]


def test_calendar_in_spanish(client: TestClient, examples: dict[str, dict[str, Any]]) -> None:
    response = client.post("/v1/calendar?lang=es", json=examples["06_iep_not_implemented"])
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    assert "no asesoría legal" in response.content.decode().replace("\r\n ", "")


def test_the_move_catalogue_in_spanish(client: TestClient) -> None:
    english = client.get("/v1/moves")
    spanish = client.get("/v1/moves", headers={"Accept-Language": "es-US,es;q=0.9"})
    assert english.headers["content-language"] == "en"
    assert spanish.headers["content-language"] == "es"
    pairs = list(zip(english.json(), spanish.json(), strict=True))
    assert [e["id"] for e, _ in pairs] == [s["id"] for _, s in pairs]
    for e, s in pairs:
        assert (s["title"], s["summary"]) != (e["title"], e["summary"]), e["id"]
        assert len(s["how"]) == len(e["how"])
    iee = next(s for _, s in pairs if s["id"] == "request_iee")
    assert "evaluación educativa independiente" in iee["title"].lower()
    regulation = next(src for _, s in pairs for src in s["sources"]
                      if not src["document"] and src["citation"].startswith("34 CFR 300"))
    assert regulation["title"].startswith("Reglamento de IDEA")
    assert client.get("/v1/moves?lang=fr").status_code == 422
