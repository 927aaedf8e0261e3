"""The catalogues: the moves and the loaded rules, as ``GET /v1/moves`` and
``GET /v1/rules`` show them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.advice import Source
from escalate.models.case import MoveId


class MoveInfo(BaseModel):
    """One move in the catalogue (GET /v1/moves)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "id": "request_iee", "title": "Request an Independent Educational Evaluation",
            "rung": 4, "kind": "rung",
            "summary": "Ask for an evaluation by someone outside the district, at public "
                       "expense, when you disagree with the district's evaluation.",
            "how": ["Write to the director of special education stating that you disagree."],
            "sources": [{"document": "003_37fd9ab441a04927.txt", "section": None,
                         "citation": "34 CFR 300.502(b)"}]}]},
    )

    id: MoveId = Field(..., description="The move's id, as used in a case's history.")
    title: str = Field(..., description="The move's name, in plain words.")
    rung: int | None = Field(..., description="1-7 for ladder moves, null for companions.")
    kind: Literal["rung", "companion"] = Field(
        ..., description="'rung': a step on the ladder; 'companion': made alongside one.")
    summary: str = Field(..., description="What the move is and when it helps.")
    how: list[str] = Field(..., description="How to make it, step by step.")
    sources: list[Source] = Field(..., description="Where the move comes from.")


class RuleInfo(BaseModel):
    """One loaded rule, in readable form (GET /v1/rules)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "id": "iee.disagrees_with_evaluation", "file": "04_request_iee.yaml",
            "move": "request_iee", "derives": None, "exception": "evaluation_disagreement",
            "conditions": ["evaluation.completed is true",
                           "evaluation.parent_disagrees is true",
                           "history.request_iee is not_tried"],
            "unless": [],
            "because": "A parent who disagrees with the district's evaluation may ask for "
                       "an independent one at public expense.",
            "source": {"document": "003_37fd9ab441a04927.txt", "section": None,
                       "citation": "34 CFR 300.502(b)"}}]},
    )

    id: str = Field(..., description="The rule's id.")
    file: str = Field(..., description="The rule file it comes from.")
    move: MoveId | None = Field(..., description="The move recommended, or null for a rule "
                                "that derives a fact.")
    derives: str | None = Field(..., description="The fact derived, for a derivation rule.")
    exception: str | None = Field(..., description="The rung-skipping exception this rule "
                                  "encodes, if any.")
    conditions: list[str] = Field(..., description="When it applies, in readable form.")
    unless: list[str] = Field(..., description="When it does not, in readable form.")
    because: str = Field(..., description="The reason it gives, in plain words.")
    source: Source = Field(..., description="Where that reason comes from.")


class RulesListing(BaseModel):
    """The loaded rulebook (GET /v1/rules)."""

    rules_version: str = Field(..., description="sha256 of the loaded rule and parameter "
                               "files; with an organization's local rules, followed by "
                               "'+local:' and a short hash of them.")
    rules: list[RuleInfo] = Field(..., description="Every loaded rule, in file order.")
