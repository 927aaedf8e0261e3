"""GET /v1/states in Spanish: the notes and the disclaimer in the chosen language, said
back in ``language`` and ``Content-Language``; English unchanged."""

from __future__ import annotations

from fastapi.testclient import TestClient

WI_NOTE = "state.WI.due_process_limit.2006-10-13.note"


def _due_process_note(state: dict[str, object]) -> str:
    values = state["values"]
    assert isinstance(values, list)
    return next(v["note"] for v in values if v["topic"] == "due_process_limit")


def test_one_state_in_spanish(client: TestClient) -> None:
    response = client.get("/v1/states/WI", params={"lang": "es"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    state = response.json()
    assert state["language"] == "es" and state["fallbacks"] == []
    assert _due_process_note(state).startswith("Si el distrito nunca le dio el aviso")
    assert "no asesoría legal" in state["disclaimer"]
    assert state["values"][0]["citation"] == "Wis. Stat. § 115.80(1)(a)1"  # as written


def test_the_listing_follows_accept_language(client: TestClient) -> None:
    response = client.get("/v1/states", headers={"Accept-Language": "es-US,es;q=0.9"})
    assert response.headers["content-language"] == "es"
    listing = response.json()
    assert listing["language"] == "es" and listing["fallbacks"] == []
    by_code = {s["code"]: s for s in listing["states"]}
    assert "se usa el comienzo más temprano" in _due_process_note(by_code["OR"])
    notes = [v["note"] for s in listing["states"] for v in s["values"] if v["note"]]
    assert notes and not any(" the " in n for n in notes)


def test_english_is_unchanged_and_a_bad_lang_is_refused(client: TestClient) -> None:
    english = client.get("/v1/states/WI")
    assert english.headers["content-language"] == "en"
    state = english.json()
    assert state["language"] == "en" and state["fallbacks"] == []
    assert _due_process_note(state) == (
        "If the district never gave notice of the right to request a hearing, the year runs "
        "from when it does (same subdivision).")
    refused = client.get("/v1/states/WI", params={"lang": "fr"})
    assert refused.status_code == 422 and "lang" in refused.text
