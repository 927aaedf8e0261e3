"""GET /v1/moves and GET /v1/rules list what the loaded rulebook knows."""

from __future__ import annotations

from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.models import MoveId


def test_moves_lists_the_seven_rungs_in_order_then_companions(client: TestClient) -> None:
    response = client.get("/v1/moves")
    assert response.status_code == 200
    moves = response.json()
    rungs = [m for m in moves if m["kind"] == "rung"]
    assert [m["rung"] for m in rungs] == [1, 2, 3, 4, 5, 6, 7]
    assert [m["id"] for m in rungs] == [
        "written_concern",
        "request_iep_meeting",
        "escalate_chain_of_command",
        "request_iee",
        "mediation",
        "state_complaint",
        "due_process",
    ]
    assert all(m["rung"] is None for m in moves if m["kind"] == "companion")
    assert {m["id"] for m in moves} <= set(MoveId)
    for move in moves:
        assert move["title"] and move["summary"]


def test_moves_are_the_advisors_catalogue(client: TestClient, advisor: Advisor) -> None:
    expected = [m.model_dump(mode="json") for m in advisor.moves()]
    assert client.get("/v1/moves").json() == expected


def test_rules_lists_every_loaded_rule_with_a_source_and_the_version(
    client: TestClient, advisor: Advisor
) -> None:
    response = client.get("/v1/rules")
    assert response.status_code == 200
    listing = response.json()
    assert listing["rules_version"] == advisor.rules_version
    assert listing == advisor.rules().model_dump(mode="json")
    assert listing["rules"], "no rules loaded"
    ids = [rule["id"] for rule in listing["rules"]]
    assert len(ids) == len(set(ids))
    for rule in listing["rules"]:
        source = rule["source"]
        assert source["document"] or source["citation"], rule["id"]
