"""What a change of rules does to a caseload: the shapes of ``escalate rules diff``.

Each valid case of the caseload is advised under the old rules and under the new ones;
a :class:`CaseChange` says, for a case whose advice differs, what a person would notice:
the first step, the steps added or no longer advised, the deadlines added, gone, moved or
changed in status, the warnings added, gone or reworded, the ladder's rungs whose status
changed, and whether anything else the advice says changed (reasons, how-to, wording).
A :class:`DiffSummary` counts them. Lines that are not a case are
:class:`~escalate.models.triage.TriageInvalid`, named by number only.
:mod:`escalate.rulediff` computes them. Models may grow, never lose or rename a field.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from escalate.models.advice import DISCLAIMER, AdviceWarning, Deadline, RungStatus
from escalate.models.case import MoveId


class StepChange(BaseModel):
    """The first step, before and after (null: nothing recommended)."""

    old: MoveId | None = Field(..., description="The first step under the old rules.")
    new: MoveId | None = Field(..., description="The first step under the new rules.")
    old_title: str | None = Field(..., description="Its title, in the advice's language.")
    new_title: str | None = Field(..., description="Its title, in the advice's language.")


class StepRef(BaseModel):
    """A move, and its title in the advice's language."""

    move: MoveId = Field(..., description="The move's id (see GET /v1/moves).")
    title: str = Field(..., description="Its title, in the advice's language.")


class DeadlineChange(BaseModel):
    """A date of the advice found under both rules (same move, owner and clock) whose day
    or status changed."""

    move: MoveId = Field(..., description="The move the date belongs to.")
    owner: str = Field(..., description="Whose clock it is: family, district or state.")
    clock: str | None = Field(..., description="The clock's id, as in the advice.")
    label: str = Field(..., description="What the date is (as the new advice says it).")
    old_due: dt.date = Field(..., description="The date under the old rules.")
    new_due: dt.date = Field(..., description="The date under the new rules.")
    old_status: str = Field(..., description="Its status under the old rules.")
    new_status: str = Field(..., description="Its status under the new rules.")


class WarningChange(BaseModel):
    """A warning found under both rules (same kind, move and citation) that reads
    differently."""

    old: AdviceWarning = Field(..., description="The warning under the old rules.")
    new: AdviceWarning = Field(..., description="The warning under the new rules.")


class RungChange(BaseModel):
    """A rung of the ladder whose status changed."""

    rung: int = Field(..., description="The rung's place on the ladder (1 to 7).")
    move: MoveId = Field(..., description="The move on this rung.")
    title: str = Field(..., description="The move's name, in the advice's language.")
    old: RungStatus = Field(..., description="Its status under the old rules.")
    new: RungStatus = Field(..., description="Its status under the new rules.")


class CaseChange(BaseModel):
    """One case whose advice the new rules change, and what changes."""

    line: int = Field(..., ge=1, description="The case's line number in the input (1 first).")
    case_id: str | None = Field(..., description="The case_id sent (null when none was sent).")
    as_of: dt.date = Field(..., description="The day the advice is for.")
    first_step: StepChange | None = Field(
        None, description="The first step, when it changes (null: the same first step).")
    steps_added: list[StepRef] = Field(default_factory=list, description="Moves the new "
                                       "rules recommend and the old ones did not.")
    steps_removed: list[StepRef] = Field(default_factory=list, description="Moves the old "
                                         "rules recommended and the new ones do not.")
    order_changed: bool = Field(False, description="The same moves, in another order.")
    deadlines_added: list[Deadline] = Field(default_factory=list,
                                            description="Dates only the new advice has.")
    deadlines_removed: list[Deadline] = Field(default_factory=list,
                                              description="Dates only the old advice had.")
    deadlines_changed: list[DeadlineChange] = Field(
        default_factory=list, description="Dates in both whose day or status changed.")
    warnings_added: list[AdviceWarning] = Field(
        default_factory=list, description="Warnings only the new advice has.")
    warnings_removed: list[AdviceWarning] = Field(
        default_factory=list, description="Warnings only the old advice had.")
    warnings_changed: list[WarningChange] = Field(
        default_factory=list, description="Warnings in both that read differently.")
    ladder_changed: list[RungChange] = Field(
        default_factory=list, description="Rungs of the ladder whose status changed.")
    steps_reworded: list[StepRef] = Field(
        default_factory=list, description="Moves recommended under both whose reasons, "
        "sources, how-to or summary read differently (a number in a reason, a new reason).")
    other: bool = Field(
        False, description="Something else the advice says changed: the wording of a "
        "date, the advice's summary alone, the Section 504 track.")


class DiffSummary(BaseModel):
    """The caseload counted."""

    cases: int = Field(..., description="Valid cases compared.")
    changed: int = Field(..., description="Cases whose advice changes.")
    unchanged: int = Field(..., description="Cases whose advice is the same.")
    first_step_changed: int = Field(..., description="Cases whose first step changes.")
    deadlines_changed: int = Field(..., description="Cases with a date added, gone, moved "
                                   "or in another status.")
    warnings_changed: int = Field(..., description="Cases with a warning added, gone or "
                                  "reworded.")
    invalid: int = Field(..., description="Lines skipped because they are not a case.")
    wording: bool = Field(True, description="Whether a change of wording alone (a reason, "
                          "a how-to step, a date's label) counts as a change; false with "
                          "`--ignore-wording`: only steps, dates, warnings and the ladder "
                          "count.")
    old_rules_version: str = Field(..., description="rules_version of the old rules.")
    new_rules_version: str = Field(..., description="rules_version of the new rules.")
    as_of: dt.date | None = Field(None, description="The day every case was advised for, "
                                  "when one was asked for (null: each case's own as_of).")
    disclaimer: str = Field(DISCLAIMER, description="Always present: general information, "
                            "not legal advice.")
