"""A caseload at once: the shapes of ``escalate triage`` and POST /v1/triage.

A :class:`TriageRow` is one case's line of the list an intake worker reads each morning,
made of parts of that case's single :class:`~escalate.models.Advice` (the first step, its
deadlines and warnings, unchanged) plus the nearest date that matters, whose it is, and an
urgency (:mod:`escalate.triage` computes them). A :class:`TriageInvalid` names a line that
was not a case by its number only, never by its content. A :class:`TriageSummary` counts
the caseload. Response models may grow, never lose or rename a field (contract).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.advice import DISCLAIMER, AdviceWarning, Deadline
from escalate.models.case import MoveId

Urgency = Literal["urgent", "high", "watch", "routine"]
URGENCIES: tuple[Urgency, ...] = ("urgent", "high", "watch", "routine")
DateKind = Literal["family_window_closing", "district_late", "proceeding_pending"]
InvalidKind = Literal["not_json", "over_budget", "not_a_case"]


class NearestDate(BaseModel):
    """The nearest date that matters to a case, and whose it is."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "family_window_closing", "owner": "family", "move": "state_complaint",
        "due": "2026-11-28", "days_left": 5, "citation": "34 CFR 300.153(c)",
        "clock": "state_complaint_window"}]})

    kind: DateKind = Field(
        ..., description="'family_window_closing': a filing window of the family still open "
        "(or passed, counted from a date the case did not give: ask an attorney now); "
        "'district_late': a duty the district or the state owes, past its date; "
        "'proceeding_pending': a duty the district or the state owes that is still running "
        "(a request, complaint or hearing pending with them, or a review coming due).")
    owner: Literal["family", "district", "state"] = Field(
        ..., description="Whose clock it is (as the advice's deadline says).")
    move: MoveId = Field(..., description="The move the date belongs to.")
    due: dt.date = Field(..., description="The date (YYYY-MM-DD), as in the advice.")
    days_left: int = Field(..., description="Days from as_of to due; negative once passed.")
    citation: str = Field(..., description="The regulation or statute that sets the date.")
    clock: str | None = Field(None, description="The clock's id, as in the advice.")


class TriageRow(BaseModel):
    """One case of the caseload: its next move, nearest date, urgency and warnings."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "line": 3, "case_id": "intake-2291", "as_of": "2026-11-23",
        "next_move": "state_complaint", "next_move_title": "File a state complaint",
        "urgency": "urgent",
        "nearest": NearestDate.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
        "deadlines": [], "warnings": []}]})

    line: int = Field(..., ge=1, description="The case's line number in the input (1 first).")
    case_id: str | None = Field(..., description="The case_id sent (null when none was sent).")
    as_of: dt.date = Field(..., description="The day the advice is for.")
    next_move: MoveId | None = Field(..., description="The advice's first step (its "
                                     "next_move), or null when nothing is recommended.")
    next_move_title: str | None = Field(..., description="That step's title, in the "
                                        "advice's language.")
    urgency: Urgency = Field(
        ..., description="'urgent': a family window closes within 7 days (or may already "
        "have closed: ask an attorney now); 'high': a family window closes within 30 days, "
        "or the district or state is late; 'watch': a duty of the district or state is "
        "running; 'routine': none of these.")
    nearest: NearestDate | None = Field(
        ..., description="The nearest date that matters: a family window closing within 30 "
        "days first, then the district's or state's lateness (the longest late first), then "
        "the soonest other open window or running duty; null when the case has none.")
    deadlines: list[Deadline] = Field(..., description="Every date of the advice, unchanged.")
    warnings: list[AdviceWarning] = Field(..., description="The advice's warnings, unchanged.")


class TriageInvalid(BaseModel):
    """A line that is not a case, named by its number only (its content is never echoed)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"line": 7,
                                                                "error": "not_a_case"}]})

    line: int = Field(..., ge=1, description="The line's number in the input (1 first).")
    error: InvalidKind = Field(
        ..., description="'not_json': the line is not a JSON object; 'over_budget': it is "
        "larger or deeper than any case; 'not_a_case': it is JSON but not a valid case (POST "
        "it alone to /v1/advice to see which field).")


class TriageSummary(BaseModel):
    """The caseload counted."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "cases": 120, "invalid": 2, "closing_within_7": 3, "closing_within_30": 11,
        "districts_late": 9, "as_of": "2026-11-23"}]})

    cases: int = Field(..., description="Valid cases triaged.")
    invalid: int = Field(..., description="Lines skipped because they are not a case.")
    closing_within_7: int = Field(..., description="Cases with a family window that closes "
                                  "within 7 days (0 to 7 days left).")
    closing_within_30: int = Field(..., description="Cases with a family window that closes "
                                   "within 30 days (0 to 30 days left; includes the 7-day ones).")
    districts_late: int = Field(..., description="Cases where the district or the state is "
                                "late with a duty it owes.")
    as_of: dt.date | None = Field(None, description="The day every case was triaged for, "
                                  "when one was asked for (null: each case's own as_of).")
    disclaimer: str = Field(DISCLAIMER, description="Always present: general information, "
                            "not legal advice.")


class TriageLine(BaseModel):
    """One line of POST /v1/triage's NDJSON answer: exactly one of its fields is set. The
    first line is the summary, then one row per case (most urgent first), then the invalid
    lines (by number)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"row": TriageRow.model_config["json_schema_extra"]["examples"][0]},  # type: ignore[index]
        {"invalid": {"line": 7, "error": "not_a_case"}}]})

    summary: TriageSummary | None = Field(None, description="The caseload counted (first "
                                          "line only).")
    row: TriageRow | None = Field(None, description="One case's row.")
    invalid: TriageInvalid | None = Field(None, description="A line that is not a case, "
                                          "by number only.")
