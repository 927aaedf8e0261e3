"""The advice that goes out: ranked recommendations, the ladder, deadlines and warnings.

Response models may grow (contract: responses only gain fields), never lose or rename one.
So, unlike the case models, they do not forbid unknown fields: their published schema
allows additional properties, and a client generated from it keeps working when a field is
added (clients should ignore fields they do not know).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.case import MoveId

DISCLAIMER = (
    "General information, not legal advice. escalate suggests steps from published "
    "guidance and the IDEA regulations; it does not know your state's full rules or your "
    "child's whole situation. For advice on your case, talk to a special-education "
    "attorney, an advocate, or your state's Parent Training and Information Center."
)


class Source(BaseModel):
    """Where a reason comes from: a seed article and section, a regulation, or both."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"document": "001_f36458208edd6cca.txt",
                                         "section": "Follow the Chain of Command",
                                         "citation": None,
                                         "title": "IEP Advocacy Moves for Parents – Part 1"}]},
    )

    document: str | None = Field(None, description="Seed article file name.")
    section: str | None = Field(None, description="Heading inside the article.")
    citation: str | None = Field(None, description="Regulation or statute, e.g. "
                                 "'34 CFR 300.502(b)'.")
    title: str | None = Field(
        None, description="What a person reads: the article's title, or for a citation "
        "alone the regulation's short name. Added in v1.1 (additive).",
        examples=["IEP Advocacy Moves for Parents – Part 1"])


class Reason(BaseModel):
    """One reason for a recommendation, with its source."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "text": "The IEP meeting was refused, so the next step is someone with more "
                    "authority.",
            "source": {"document": "001_f36458208edd6cca.txt",
                       "section": "Follow the Chain of Command", "citation": None}}]},
    )

    text: str = Field(..., description="The reason, in plain words.")
    source: Source = Field(..., description="Where the reason comes from.")


class Deadline(BaseModel):
    """A date that matters to the case, computed from ``as_of`` and the case's dates."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "move": "state_complaint", "label": "State complaint window closes",
            "due": "2027-03-01", "days_left": 98, "citation": "34 CFR 300.153(c)",
            "status": "open"}]},
    )

    move: MoveId = Field(..., description="The move this date belongs to.")
    label: str = Field(..., description="What the date is, in plain words.")
    due: dt.date = Field(..., description="The date (YYYY-MM-DD).")
    days_left: int = Field(..., description="Days from as_of to due; negative once passed.")
    citation: str = Field(..., description="The regulation or statute that sets the date.")
    status: Literal["open", "closing", "closed", "may_be_closed", "overdue"] = Field(
        "open", description="For the family's filing windows: 'open', 'closing' (30 days "
        "or fewer left), 'closed' (passed, counted from the case's own dates) or "
        "'may_be_closed' (passed, but counted from another date of the case that stood in "
        "for one it does not give: ask an attorney now). For a duty the district or state owes: "
        "'open' while it runs, 'overdue' once its date has passed: the district's lateness, "
        "not a right the family has lost.", examples=["overdue"])
    owner: Literal["family", "district", "state"] = Field(
        "family", description="Whose clock it is: the family's filing window, or a duty the "
        "district (or the state) owes.", examples=["district"])
    clock: str | None = Field(
        None, description="The clock's id (rules/deadlines.yaml, or 'reimbursement_limit'), "
        "as the rules' clock.<id> facts name it.", examples=["due_process_limit"])
    start: Literal["given", "assumed"] | None = Field(
        None, description="Whether the clock counts from a date the case gave ('given') or "
        "from another of its dates standing in for one it does not give ('assumed').",
        examples=["given"])
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
        json_schema_extra={"examples": [{
            "move": "escalate_chain_of_command", "title": "Go up the chain of command",
            "rung": 3, "priority": 1,
            "reasons": [Reason.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "how": ["Email the director of special services, copying the case manager."],
            "deadlines": [], "rule": "chain_of_command.after_failed_meeting",
            "rules": ["chain_of_command.after_failed_meeting"], "raised": False}]},
    )

    move: MoveId = Field(..., description="The move's id (see GET /v1/moves).")
    title: str = Field(..., description="The move's name, in plain words.")
    rung: int | None = Field(..., description="1-7 for ladder moves, null for companions.")
    priority: int = Field(..., ge=1, description="1 is the move to make first.")
    reasons: list[Reason] = Field(..., min_length=1, description="Why this move, each "
                                  "reason with its source.")
    summary: str | None = Field(
        None, description="What the move is, in plain words and in the wording for the "
        "child's plan (a Section 504 family reads '504 coordinator', never 'IEP').",
        examples=["Write to the next person up, usually the director of special services."])
    how: list[str] = Field(..., description="How to make the move, step by step.")
    deadlines: list[Deadline] = Field(..., description="The dates that apply to this move.")
    rule: str = Field(..., description="Id of the first rule that recommended this move.")
    rules: list[str] = Field(..., description="Ids of every rule that recommended it.")
    raised: bool = Field(
        False, description="Ranked ahead of the ladder order by an exception that skips "
        "rungs, or by a window closing within 30 days.")
    section_504_step: int | None = Field(
        None, description="For a child with a Section 504 plan and no IEP: the move's step "
        "(1-5) on the Section 504 track (written concern, 504 meeting, 504 coordinator and "
        "grievance, Section 504 hearing, OCR). Null otherwise.", examples=[2])


RungStatus = Literal["tried", "resolved", "next", "available", "ahead", "closed",
                     "not_applicable"]


class LadderRung(BaseModel):
    """Where one rung of the ladder stands for this case."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rung": 1, "move": "written_concern",
                                         "title": "Put the concern in writing",
                                         "status": "tried"}]},
    )

    rung: int = Field(..., description="The rung's place on the ladder: 1 (least "
                      "adversarial) to 7.")
    move: MoveId = Field(..., description="The move on this rung.")
    title: str = Field(..., description="The move's name, in plain words.")
    status: RungStatus = Field(
        ..., description="tried, resolved, next, available (may be taken now, out of "
        "order), ahead, closed (its window has passed), not_applicable (an IDEA rung that "
        "is not open to a child with a 504 plan and no IEP).")


class AdviceWarning(BaseModel):
    """Something the family must know that is not a recommendation (a window closing or
    closed)."""

    model_config = ConfigDict(
        title="Warning",
        json_schema_extra={"examples": [{
            "move": "state_complaint", "kind": "window_closed",
            "text": "The one-year window for a state complaint closed on 2026-03-01.",
            "citation": "34 CFR 300.153(c)"}]},
    )

    move: MoveId | None = Field(..., description="The move the warning is about, if any.")
    kind: Literal["window_closed", "window_closing", "window_may_be_closed", "duty_overdue",
                  "assumption", "reimbursement_limit_closed",
                  "reimbursement_limit_closing"] = Field(
        ..., description="'window_closed'/'window_closing': the family's filing window; "
        "'window_may_be_closed': a window that passed counted from a date the case did not "
        "give (the move stays recommended: ask an attorney now); "
        "'duty_overdue': the district or state is late with something it owes; "
        "'assumption': how the advice read an incomplete case; "
        "'reimbursement_limit_closed'/'..._closing': a state's shorter limit on a claim for "
        "reimbursement of a private placement (Hawaii, New Hampshire), which closes that "
        "claim only.", examples=["duty_overdue"])
    text: str = Field(..., description="The warning, in plain words.")
    citation: str = Field(..., description="The regulation or statute behind it.")


class Trace(BaseModel):
    """What the engine did: the rules that fired and the facts they derived."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rules_fired": ["written_concern.not_yet_in_writing"],
                                         "facts_derived": ["concern_unresolved"]}]},
    )

    rules_fired: list[str] = Field(..., description="Ids of the rules that fired.")
    facts_derived: list[str] = Field(..., description="Names of the facts the rules "
                                     "derived.")
