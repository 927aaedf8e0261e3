"""The advice: the answer to POST /v1/advice and ``escalate advise``, made of the parts in
:mod:`escalate.models.advice` and, when asked for, the explanation of
:mod:`escalate.models.explain` (this module imports both; neither imports it)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from escalate.models.advice import (
    DISCLAIMER,
    AdviceWarning,
    Deadline,
    LadderRung,
    Recommendation,
    Trace,
)
from escalate.models.explain import Explanation


class Advice(BaseModel):
    """The advice for one case: ranked recommendations, the ladder, deadlines, warnings."""

    case_id: str | None = Field(..., description="The case_id sent, echoed back unchanged "
                                "(null when none was sent).")
    as_of: dt.date = Field(..., description="The day the advice is for (YYYY-MM-DD).")
    summary: str = Field(
        "", description="Two or three plain sentences: what to do now, why, and the nearest "
        "date that matters. Added in v1.1 (additive).",
        examples=["Next step for Jordan: go up the chain of command. The IEP meeting on "
                  "2026-09-20 ended in refusal. The nearest date that matters is "
                  "2027-03-01, 98 days from 2026-11-23, for the step \"File a state "
                  "complaint\" (34 CFR 300.153(c))."])
    next_move: Recommendation | None = Field(
        ..., description="The first recommendation, or null when nothing is recommended.")
    recommendations: list[Recommendation] = Field(
        ..., description="Every recommended move, the one to make first (priority 1) first.")
    ladder: list[LadderRung] = Field(..., description="Every rung of the ladder and where "
                                     "it stands for this case.")
    section_504_ladder: list[LadderRung] = Field(
        default_factory=list, description="For a child with a Section 504 plan and no IEP: "
        "the five steps of the Section 504 track (written concern, 504 meeting, 504 "
        "coordinator and grievance, Section 504 hearing, OCR complaint), 'rung' being the "
        "step number. Empty for other children.",
        examples=[[{"rung": 1, "move": "written_concern",
                    "title": "Put the concern in writing", "status": "tried"},
                   {"rung": 2, "move": "request_504_meeting",
                    "title": "Request a 504 meeting", "status": "next"}]])
    deadlines: list[Deadline] = Field(..., description="Every date that matters to the case.")
    warnings: list[AdviceWarning] = Field(
        ..., description="Windows closing or closed, duties overdue, reimbursement limits, "
        "and the assumptions the advice made.")
    trace: Trace = Field(..., description="What the engine did, for auditing the advice.")
    rules_version: str = Field(..., description="sha256 of the loaded rule and parameter "
                               "files; with an organization's local rules, followed by "
                               "'+local:' and a short hash of them.")
    disclaimer: str = Field(DISCLAIMER, description="Always present: general information, "
                            "not legal advice.")
    language: str = Field(
        "en", description="The language the advice is written in: 'en' or 'es' (chosen by "
        "`lang` or `Accept-Language`). Dates inside sentences are written for it; the "
        "fields that are data (`due`, `as_of`, ids) stay as they are.", examples=["es"])
    fallbacks: list[str] = Field(
        default_factory=list, description="The ids of the texts this advice says in English "
        "because the language has no current translation of them (each a whole sentence or "
        "title, never mixed with the language). Empty in English.",
        examples=[["rule.request_iee.disagree_with_evaluation.because"]])
    explanation: Explanation | None = Field(
        None, description="Only with POST /v1/advice?explain=true (null otherwise): the "
        "questions whose answer would change this advice, each answer re-run through the "
        "rules engine, ranked.")
