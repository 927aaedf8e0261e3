"""The served OpenAPI document shows the whole v1 contract (shared/design/contract.md):
its field names, enum values and move ids, with a description and an example on every
model, and the shipped example cases as request examples."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.models import Case

# Straight from contract.md: these names are the contract and must never disappear.
CASE_FIELDS = {
    "case_id",
    "as_of",
    "state",
    "student",
    "concern",
    "history",
    "evaluation",
    "violation",
    "discipline",
}
STUDENT_FIELDS = {"name", "grade", "has_iep", "has_504_plan", "disability_suspected"}
CONCERN_FIELDS = {"topic", "summary", "school_response"}
HISTORY_FIELDS = {"move", "date", "outcome"}
EVALUATION_FIELDS = {"completed", "date", "parent_disagrees", "eligibility_denied"}
VIOLATION_FIELDS = {"alleged", "date", "known_date", "kind"}
DISCIPLINE_FIELDS = {"days_removed", "change_of_placement_proposed"}
ADVICE_FIELDS = {
    "case_id",
    "as_of",
    "next_move",
    "recommendations",
    "ladder",
    "deadlines",
    "warnings",
    "trace",
    "rules_version",
    "disclaimer",
}
RECOMMENDATION_FIELDS = {"move", "title", "rung", "priority", "reasons", "how", "deadlines", "rule"}
REASON_FIELDS = {"text", "source"}
SOURCE_FIELDS = {"document", "section", "citation"}
LADDER_FIELDS = {"rung", "move", "title", "status"}
DEADLINE_FIELDS = {"move", "label", "due", "days_left", "citation"}
TRACE_FIELDS = {"rules_fired", "facts_derived"}

TOPICS = {
    "eligibility",
    "evaluation",
    "services",
    "placement",
    "goals",
    "implementation",
    "discipline",
    "safety",
    "staffing",
    "scheduling",
    "other",
}
SCHOOL_RESPONSES = {
    "none_yet",
    "agreed",
    "partially_agreed",
    "refused",
    "no_response",
    "policy_claim",
    "needs_supervisor",
    "proposed_alternative",
    "rti_required_first",
}
OUTCOMES = {"pending", "resolved", "partially_resolved", "refused", "no_response"}
VIOLATION_KINDS = {
    "failure_to_implement",
    "procedural",
    "timeline",
    "evaluation",
    "discrimination",
    "other",
}
# the contract's statuses, and not_applicable (added for the Section 504 track, issue 8)
LADDER_STATUSES = {"tried", "resolved", "next", "available", "ahead", "closed",
                   "not_applicable"}
RUNG_MOVES = {
    "written_concern",
    "request_iep_meeting",
    "escalate_chain_of_command",
    "request_iee",
    "mediation",
    "state_complaint",
    "due_process",
}


@pytest.fixture(scope="module")
def doc(advisor: Any) -> dict[str, Any]:
    from api.main import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(), advisor=advisor)) as client:
        document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"][name]
    return found


def ref_name(prop: dict[str, Any]) -> str:
    """The component a property points to, through anyOf/items wrappers."""
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        for option in prop.get(key, []):
            if option.get("type") != "null":
                return ref_name(option)
    if "items" in prop:
        return ref_name(prop["items"])
    raise AssertionError(f"no $ref in {prop}")


def enum_of(doc: dict[str, Any], prop: dict[str, Any]) -> set[str]:
    if "enum" in prop:
        return set(prop["enum"])
    for key in ("anyOf", "oneOf"):
        for option in prop.get(key, []):
            if option.get("type") != "null":
                return enum_of(doc, option)
    return set(schema(doc, ref_name(prop))["enum"])


def props(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = schema(doc, name)["properties"]
    return found


def test_the_advice_endpoint_takes_a_case_and_returns_advice(doc: dict[str, Any]) -> None:
    post = doc["paths"]["/v1/advice"]["post"]
    body = post["requestBody"]["content"]["application/json"]
    assert ref_name(body["schema"]) == "Case"
    ok = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref_name(ok) == "Advice"
    assert {"200", "413", "422", "500"} <= set(post["responses"])
    for path in ("/v1/moves", "/v1/rules", "/healthz", "/readyz"):
        assert "get" in doc["paths"][path], path


def test_case_fields_match_the_contract(doc: dict[str, Any]) -> None:
    case = props(doc, "Case")
    assert set(case) >= CASE_FIELDS
    assert schema(doc, "Case").get("additionalProperties") is False
    for field, model, expected in [
        ("student", "Student", STUDENT_FIELDS),
        ("concern", "Concern", CONCERN_FIELDS),
        ("history", "HistoryEntry", HISTORY_FIELDS),
        ("evaluation", "Evaluation", EVALUATION_FIELDS),
        ("violation", "Violation", VIOLATION_FIELDS),
        ("discipline", "Discipline", DISCIPLINE_FIELDS),
    ]:
        assert ref_name(case[field]) == model
        assert set(props(doc, model)) >= expected, model
        assert schema(doc, model).get("additionalProperties") is False, model
    assert set(schema(doc, "Concern")["required"]) >= {"topic", "school_response"}


def test_case_enums_match_the_contract(doc: dict[str, Any]) -> None:
    concern = props(doc, "Concern")
    assert enum_of(doc, concern["topic"]) == TOPICS
    assert enum_of(doc, concern["school_response"]) == SCHOOL_RESPONSES
    history = props(doc, "HistoryEntry")
    assert enum_of(doc, history["outcome"]) == OUTCOMES
    assert enum_of(doc, history["move"]) >= RUNG_MOVES
    assert enum_of(doc, props(doc, "Violation")["kind"]) == VIOLATION_KINDS


def test_advice_fields_match_the_contract(doc: dict[str, Any]) -> None:
    advice = props(doc, "Advice")
    assert set(advice) >= ADVICE_FIELDS
    assert ref_name(advice["next_move"]) == "Recommendation"
    assert ref_name(advice["recommendations"]) == "Recommendation"
    for model, expected in [
        ("Recommendation", RECOMMENDATION_FIELDS),
        ("Reason", REASON_FIELDS),
        ("Source", SOURCE_FIELDS),
        ("LadderRung", LADDER_FIELDS),
        ("Deadline", DEADLINE_FIELDS),
        ("Trace", TRACE_FIELDS),
    ]:
        assert set(props(doc, model)) >= expected, model
    assert enum_of(doc, props(doc, "LadderRung")["status"]) == LADDER_STATUSES
    moves = enum_of(doc, props(doc, "Recommendation")["move"])
    assert moves >= RUNG_MOVES
    assert moves == enum_of(doc, props(doc, "HistoryEntry")["move"])


def test_move_ids_in_the_document_are_the_catalogues(
    doc: dict[str, Any], client: TestClient
) -> None:
    served = {m["id"] for m in client.get("/v1/moves").json()}
    assert set(schema(doc, "MoveId")["enum"]) == served


def test_every_model_has_a_description_and_an_example(doc: dict[str, Any]) -> None:
    for name, model in doc["components"]["schemas"].items():
        assert model.get("description"), f"{name} has no description"
        if "enum" in model:
            continue  # an enum's values are its examples
        assert model.get("examples") or model.get("example"), f"{name} has no example"


def test_model_examples_are_valid(doc: dict[str, Any], advisor: Advisor) -> None:
    """What /docs shows as an answer is one the service could give: each example reads
    back unchanged (no field the model drops or defaults), the advice example carries the
    disclaimer, its next move is its first recommendation and every reason cites a source,
    and the rules the examples name are rules of the shipped rulebook."""
    from escalate.models import DISCLAIMER, Advice, RulesListing

    for name, model in (("Advice", Advice), ("RulesListing", RulesListing), ("Case", Case)):
        example = schema(doc, name)["examples"][0]
        read = model.model_validate(example).model_dump(mode="json", exclude_unset=True)
        assert read == example, name
    advice = Advice.model_validate(schema(doc, "Advice")["examples"][0])
    assert advice.disclaimer == DISCLAIMER and "not legal advice" in advice.disclaimer
    assert advice.recommendations and advice.next_move == advice.recommendations[0]
    assert all(r.source.document or r.source.citation
               for rec in advice.recommendations for r in rec.reasons)
    listing = RulesListing.model_validate(schema(doc, "RulesListing")["examples"][0])
    shipped = {r.id for r in advisor.rulebook.rules}
    named = {r.id for r in listing.rules} | {rec.rule for rec in advice.recommendations}
    assert named and named <= shipped, named - shipped


def test_request_examples_are_the_shipped_example_cases(
    doc: dict[str, Any], examples: dict[str, dict[str, Any]]
) -> None:
    body = doc["paths"]["/v1/advice"]["post"]["requestBody"]["content"]["application/json"]
    served = {name: example["value"] for name, example in body["examples"].items()}
    assert served == examples
    for case in served.values():
        Case.model_validate(case)
