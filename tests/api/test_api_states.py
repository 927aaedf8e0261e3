"""GET /v1/states and GET /v1/states/{code}: each state's values with citation and
confidence, the federal default said explicitly, and unknown codes refused with the
accepted ones."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_states_lists_every_state_with_cited_rated_values(client: TestClient) -> None:
    response = client.get("/v1/states")
    assert response.status_code == 200
    listing = response.json()
    assert "not legal advice" in listing["disclaimer"]
    by_code = {s["code"]: s for s in listing["states"]}
    assert {"WI", "AK", "TX", "DC", "PR", "GU"} <= set(by_code)
    for state in listing["states"]:
        for value in state["values"]:
            assert value["citation"] and value["effective"] and value["checked"]
            assert value["confidence"] in ("high", "medium", "low")
    wisconsin = [v for v in by_code["WI"]["values"] if v["topic"] == "due_process_limit"]
    assert wisconsin == [{**wisconsin[0], "value": 1, "unit": "years",
                          "starts": "district_notice", "federal": False,
                          "confidence": "high"}]
    assert by_code["GU"]["recorded"] is False and by_code["GU"]["values"] == []


def test_one_state_shows_its_dated_values_and_the_federal_default(client: TestClient) -> None:
    texas = client.get("/v1/states/tx").json()
    limits = [(v["effective"], v["value"]) for v in texas["values"]
              if v["topic"] == "due_process_limit"]
    assert limits == [("2006-10-13", 1), ("2022-09-01", 2)]
    virginia = client.get("/v1/states/VA").json()
    federal = [v for v in virginia["values"] if v["topic"] == "due_process_limit"]
    assert federal[0]["federal"] is True and federal[0]["value"] == 2
    louisiana = client.get("/v1/states/LA").json()
    dp = [v for v in louisiana["values"] if v["topic"] == "due_process_limit"][0]
    assert dp["value"] == 1 and dp["disputed_by"][0]["value"] == 2


def test_an_unknown_code_is_refused_with_the_accepted_codes(client: TestClient) -> None:
    response = client.get("/v1/states/ZZ")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.startswith("code:") and "WI" in detail and "ZZ" not in detail
