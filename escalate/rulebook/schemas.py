"""The shapes of the rules folder's files (moves, parameters, deadlines, rule files),
validated strictly: an unknown key is an error."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# ---------------------------------------------------------------- file schemas

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    document: str | None = None
    section: str | None = None
    citation: str | None = None


class ExceptionSpec(_Strict):
    title: str
    # where the moves it recommends are listed (escalate/ranking.py, first to last)
    rank: Literal["closing", "first", "urgent", "lead", "at_once", "available"] = "at_once"
    because: str
    source: SourceSpec


class PlanWording(_Strict):
    """A move's summary and how-to for children on another plan (ladder.md section 6:
    a 504 family is told '504 plan', '504 team', '504 coordinator', never 'IEP')."""

    summary: str | None = None
    how: list[str] | None = Field(None, min_length=1)


class MoveSpec(_Strict):
    id: str
    title: str
    rung: int | None = Field(None, ge=1)  # the rungs are numbered 1, 2, ... in the catalogue
    section_504_step: int | None = Field(None, ge=1, le=5)
    climb: bool = False  # may be the next step of the climb though it is no rung
    summary: str
    how: list[str] = Field(min_length=1)
    sources: list[SourceSpec] = Field(min_length=1)
    for_plan: dict[Literal["iep", "section_504", "none"], PlanWording] = Field(
        default_factory=dict)

    def wording(self, plan: str) -> tuple[str, list[str]]:
        """The summary and how-to for a child on ``plan``."""
        variant = self.for_plan.get(plan)  # type: ignore[call-overload]
        summary = variant.summary if variant and variant.summary else self.summary
        how = variant.how if variant and variant.how else self.how
        return " ".join(summary.split()), list(how)


class MovesFile(_Strict):
    documents: dict[str, str]
    regulations: dict[str, str] = Field(default_factory=dict)
    exceptions: dict[str, ExceptionSpec]
    moves: list[MoveSpec]


class StateOverride(_Strict):
    reference: str
    values: dict[dt.date, int]
    note: str | None = None


class ParameterSpec(_Strict):
    description: str
    unit: str
    reference: str
    values: dict[dt.date, int] = Field(min_length=1)
    states: dict[str, StateOverride] = Field(default_factory=dict)
    note: str | None = None


class ParametersFile(_Strict):
    parameters: dict[str, ParameterSpec]


class DeadlineSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    move: str
    label: str
    starts: str
    fallback: str | None = None
    length: str
    owner: Literal["family", "district", "state"] = "family"
    closes_move: bool = False
    recurs: bool = False
    missed: str | None = None
    only_if: dict[str, Any] | None = None
    overdue: str | None = None
    note: str | None = None


class DeadlinesFile(_Strict):
    deadlines: list[DeadlineSpec]


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    move: str | None = None
    derive: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    exception: str | None = None
    when: dict[str, Any]
    unless: dict[str, Any] | None = None
    because: str = Field(min_length=10)
    source: SourceSpec


class RuleFileSpec(_Strict):
    title: str
    about: str | None = None
    rules: list[RuleSpec] = Field(min_length=1)


