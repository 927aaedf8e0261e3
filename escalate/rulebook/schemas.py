"""The shapes of the rules folder's files (moves, parameters, deadlines, rule files),
validated strictly: an unknown key is an error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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


class SituationWording(_Strict):
    """A move's title, summary and how-to in one situation a rule names (``wording:``):
    a behaviour plan after a manifestation finding brings the child's return
    (34 CFR 300.530(f)); asked for because behaviour impedes learning, with no removal,
    it does not (300.324(a)(2)(i)). What it leaves out is the move's own."""

    title: str | None = None
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
    # the wording for a situation a rule that recommends this move names (``wording:``),
    # in the order the advice prefers them when rules name several
    for_situation: dict[str, SituationWording] = Field(default_factory=dict)

    def wording(self, plan: str) -> tuple[str, list[str]]:
        """The summary and how-to for a child on ``plan``."""
        variant = self.for_plan.get(plan)  # type: ignore[call-overload]
        summary = variant.summary if variant and variant.summary else self.summary
        how = variant.how if variant and variant.how else self.how
        return " ".join(summary.split()), list(how)

    def situation(self, named: Iterable[str | None]) -> str | None:
        """The situation the move is worded for, given the ``wording`` the rules that
        recommend it name: the first of its ``for_situation`` that one of them names, else
        None (its own wording)."""
        names = set(named)
        return next((name for name in self.for_situation if name in names), None)


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
    # the situation of its move's wording this rule recommends it in (the move's
    # ``for_situation``); without it, the move's own title, summary and how-to
    wording: str | None = None


class RuleFileSpec(_Strict):
    title: str
    about: str | None = None
    rules: list[RuleSpec] = Field(min_length=1)


