"""The advice that goes out: ranked recommendations, the ladder, deadlines and warnings.

Response models may grow (contract: responses only gain fields), never lose or rename one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.case import MoveId

if TYPE_CHECKING:  # resolved in escalate/models/__init__.py (explain.py imports this module)
    from escalate.models.explain import Explanation

DISCLAIMER = (
    "General information, not legal advice. escalate suggests steps from published "
    "guidance and the IDEA regulations; it does not know your state's full rules or your "
    "child's whole situation. For advice on your case, talk to a special-education "
    "attorney, an advocate, or your state's Parent Training and Information Center."
)


class Source(BaseModel):
    """Where a reason comes from: a seed article and section, a regulation, or both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"document": "001_f36458208edd6cca.txt",
                                         "section": "Follow the Chain of Command",
                                         "citation": None}]},
    )

    document: str | None = Field(None, description="Seed article file name.")
    section: str | None = Field(None, description="Heading inside the article.")
    citation: str | None = Field(None, description="Regulation or statute, e.g. "
                                 "'34 CFR 300.502(b)'.")


class Reason(BaseModel):
    """One reason for a recommendation, with its source."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "text": "The IEP meeting was refused, so the next step is someone with more "
                    "authority.",
            "source": {"document": "001_f36458208edd6cca.txt",
                       "section": "Follow the Chain of Command", "citation": None}}]},
    )

    text: str
    source: Source


class Deadline(BaseModel):
    """A date that matters to the case, computed from ``as_of`` and the case's dates."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "move": "state_complaint", "label": "State complaint window closes",
            "due": "2027-03-01", "days_left": 98, "citation": "34 CFR 300.153(c)",
            "status": "open"}]},
    )

    move: MoveId
    label: str
    due: dt.date
    days_left: int = Field(..., description="Days from as_of to due; negative once passed.")
    citation: str
    status: Literal["open", "closing", "closed", "overdue"] = Field(
        "open", description="For the family's filing windows: 'open', 'closing' (30 days "
        "or fewer left) or 'closed' (passed). For a duty the district or state owes: "
        "'open' while it runs, 'overdue' once its date has passed: the district's lateness, "
        "not a right the family has lost.", examples=["overdue"])
    owner: Literal["family", "district", "state"] = Field(
        "family", description="Whose clock it is: the family's filing window, or a duty the "
        "district (or the state) owes.", examples=["district"])
    confidence: Literal["high", "medium", "low"] | None = Field(
        None, description="How sure we are of the state value this deadline uses: 'high' "
        "(the statute or regulation text was read), 'medium' (a reputable secondary "
        "source), 'low' (one unclear source). Null when no state value is involved.",
        examples=["medium"])
    note: str | None = Field(
        None, description="What the deadline assumed and how far to trust it: the federal "
        "rule applying in a state with no override, a start date the case did not give, "
        "sources that disagree, and 'check this date against <citation>' with the state's "
        "Parent Training and Information Center for a medium- or low-confidence value.",
        examples=["Check this date against La. R.S. 17:1946(B)(1) before relying on it: "
                  "our confidence in this value is medium."])


class Recommendation(BaseModel):
    """One recommended move, with its reasons, how-to and deadlines."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "move": "escalate_chain_of_command", "title": "Go up the chain of command",
            "rung": 3, "priority": 1,
            "reasons": [Reason.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "how": ["Email the director of special services, copying the case manager."],
            "deadlines": [], "rule": "chain_of_command.after_failed_meeting",
            "rules": ["chain_of_command.after_failed_meeting"], "raised": False}]},
    )

    move: MoveId
    title: str
    rung: int | None = Field(..., description="1-7 for ladder moves, null for companions.")
    priority: int = Field(..., ge=1, description="1 is the move to make first.")
    reasons: list[Reason] = Field(..., min_length=1)
    how: list[str]
    deadlines: list[Deadline]
    rule: str = Field(..., description="Id of the first rule that recommended this move.")
    rules: list[str] = Field(..., description="Ids of every rule that recommended it.")
    raised: bool = Field(
        False, description="Ranked ahead of the ladder order by an exception that skips "
        "rungs, or by a window closing within 30 days.")


RungStatus = Literal["tried", "resolved", "next", "available", "ahead", "closed"]


class LadderRung(BaseModel):
    """Where one rung of the ladder stands for this case."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"rung": 1, "move": "written_concern",
                                         "title": "Put the concern in writing",
                                         "status": "tried"}]},
    )

    rung: int
    move: MoveId
    title: str
    status: RungStatus = Field(
        ..., description="tried, resolved, next, available (may be taken now, out of "
        "order), ahead, closed (its window has passed).")


class AdviceWarning(BaseModel):
    """Something the family must know that is not a recommendation (a window closing or
    closed)."""

    model_config = ConfigDict(
        extra="forbid",
        title="Warning",
        json_schema_extra={"examples": [{
            "move": "state_complaint", "kind": "window_closed",
            "text": "The one-year window for a state complaint closed on 2026-03-01.",
            "citation": "34 CFR 300.153(c)"}]},
    )

    move: MoveId | None
    kind: Literal["window_closed", "window_closing", "duty_overdue", "assumption",
                  "reimbursement_limit_closed", "reimbursement_limit_closing"] = Field(
        ..., description="'window_closed'/'window_closing': the family's filing window; "
        "'duty_overdue': the district or state is late with something it owes; "
        "'assumption': how the advice read an incomplete case; "
        "'reimbursement_limit_closed'/'..._closing': a state's shorter limit on a claim for "
        "reimbursement of a private placement (Hawaii, New Hampshire), which closes that "
        "claim only.", examples=["duty_overdue"])
    text: str
    citation: str


class Trace(BaseModel):
    """What the engine did: the rules that fired and the facts they derived."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"rules_fired": ["written_concern.not_yet_in_writing"],
                                         "facts_derived": ["concern_unresolved"]}]},
    )

    rules_fired: list[str]
    facts_derived: list[str]


class Advice(BaseModel):
    """The advice for one case: ranked recommendations, the ladder, deadlines, warnings."""

    model_config = ConfigDict(extra="forbid")

    case_id: str | None
    as_of: dt.date
    next_move: Recommendation | None = Field(
        ..., description="The first recommendation, or null when nothing is recommended.")
    recommendations: list[Recommendation]
    ladder: list[LadderRung]
    deadlines: list[Deadline]
    warnings: list[AdviceWarning]
    trace: Trace
    rules_version: str = Field(..., description="sha256 of the loaded rule and parameter "
                               "files.")
    disclaimer: str = DISCLAIMER
    explanation: Explanation | None = Field(
        None, description="Only with POST /v1/advice?explain=true (null otherwise): the "
        "questions whose answer would change this advice, each answer re-run through the "
        "rules engine, ranked.")
