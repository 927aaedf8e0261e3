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
        extra="forbid",
        json_schema_extra={"examples": [{
            "id": "request_iee", "title": "Request an Independent Educational Evaluation",
            "rung": 4, "kind": "rung",
            "summary": "Ask for an evaluation by someone outside the district, at public "
                       "expense, when you disagree with the district's evaluation.",
            "how": ["Write to the director of special education stating that you disagree."],
            "sources": [{"document": "003_37fd9ab441a04927.txt", "section": None,
                         "citation": "34 CFR 300.502(b)"}]}]},
    )

    id: MoveId
    title: str
    rung: int | None
    kind: Literal["rung", "companion"]
    summary: str
    how: list[str]
    sources: list[Source]


class RuleInfo(BaseModel):
    """One loaded rule, in readable form (GET /v1/rules)."""

    model_config = ConfigDict(
        extra="forbid",
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

    id: str
    file: str
    move: MoveId | None = Field(..., description="The move recommended, or null for a rule "
                                "that derives a fact.")
    derives: str | None = Field(..., description="The fact derived, for a derivation rule.")
    exception: str | None = Field(..., description="The rung-skipping exception this rule "
                                  "encodes, if any.")
    conditions: list[str]
    unless: list[str]
    because: str
    source: Source


class RulesListing(BaseModel):
    """The loaded rulebook (GET /v1/rules)."""

    model_config = ConfigDict(extra="forbid")

    rules_version: str
    rules: list[RuleInfo]
