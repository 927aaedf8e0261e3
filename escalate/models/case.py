"""The case that comes in: the facts of one dispute, as an intake form collects them.

Field names, move ids and enum values follow ``shared/design/contract.md`` (v1); they may
be added to, never renamed. Every model forbids unknown fields so that a typo in an
intake form is caught rather than ignored, and scalar fields are strict: a number sent as
a string is refused, not coerced, because the matching engine compares loosely and must
only ever see the types promised here.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from ruamel.yaml.error import YAMLError

from escalate.resources import MissingDataError, rules_folder
from escalate.strict import parse_yaml

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Dates a case may give. Deadlines add up to a few years to a case's dates, so dates near
# the calendar's end would overflow; nothing about a child in school lies outside this range.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
DATE_RANGE_MESSAGE = "must be a date between 1900-01-01 and 2199-12-31"


def _iso_date_only(value: Any) -> Any:
    """Accept a date or a ``YYYY-MM-DD`` string within the sane range; refuse numbers and
    other shapes."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("is not a real calendar date (YYYY-MM-DD)") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            raise PydanticCustomError("date_out_of_range", DATE_RANGE_MESSAGE)
        return value
    raise ValueError("must be a date written as YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def _integral_number(value: Any) -> Any:
    """Accept an integral float such as ``50.0`` as the integer it is: JSON does not tell
    ``50.0`` from ``50``, and JSON Schema validators count both as an ``integer``. Anything
    else (``50.5``, ``"50"``, ``true``) is left for the strict check to refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A whole number: an int, or a float with no fraction; never a string or a boolean.
WholeNumber = Annotated[StrictInt, BeforeValidator(_integral_number)]


def catalogue_moves() -> list[tuple[str, int | None]]:
    """The moves of the installed catalogue (``rules/moves.yaml``, its ``moves:`` list), in
    its order, each with its rung (None for a companion move): the one list of moves; a
    move is added there, and only there. Every reader of the move list starts here.

    A catalogue that does not read gives no moves here: the rulebook's loader, which reads
    the same file strictly, then reports the problem with its file, line and key.
    """
    try:
        raw = parse_yaml((rules_folder() / "moves.yaml").read_text(encoding="utf-8"))
    except (OSError, YAMLError, MissingDataError):
        return []
    moves = raw.get("moves") if isinstance(raw, dict) else None
    found: dict[str, int | None] = {}
    for move in moves if isinstance(moves, list) else []:
        move_id = move.get("id") if isinstance(move, dict) else None
        if isinstance(move_id, str) and move_id.isidentifier() and move_id not in found:
            rung = move.get("rung")
            found[move_id] = rung if isinstance(rung, int) else None
    return list(found.items())


def _catalogue_move_ids() -> list[str]:
    """The move ids: the rungs first, in their order, then the companion moves in the
    catalogue's order."""
    moves = catalogue_moves()
    order = {move: (rung, 0) if rung is not None else (sys.maxsize, index)
             for index, (move, rung) in enumerate(moves)}
    return sorted(order, key=order.__getitem__)


# Every move escalate knows, from the catalogue. The API's schema shows them as an enum;
# contract.md: ids are added, never renamed.
MoveId = StrEnum(  # type: ignore[misc]  # members come from the catalogue
    "MoveId", [(move, move) for move in _catalogue_move_ids()], module=__name__)
MoveId.__doc__ = ("Every move escalate knows: the rungs of the ladder, then the companion "
                  "moves.")


class Topic(StrEnum):
    """What the disagreement is about."""

    eligibility = "eligibility"
    evaluation = "evaluation"
    services = "services"
    placement = "placement"
    goals = "goals"
    implementation = "implementation"
    discipline = "discipline"
    safety = "safety"
    staffing = "staffing"
    scheduling = "scheduling"
    other = "other"


class SchoolResponse(StrEnum):
    """How the school answered the parent's concern so far."""

    none_yet = "none_yet"
    agreed = "agreed"
    partially_agreed = "partially_agreed"
    refused = "refused"
    no_response = "no_response"
    policy_claim = "policy_claim"
    needs_supervisor = "needs_supervisor"
    proposed_alternative = "proposed_alternative"
    rti_required_first = "rti_required_first"


class Outcome(StrEnum):
    """What came of a move the family already made."""

    pending = "pending"
    resolved = "resolved"
    partially_resolved = "partially_resolved"
    refused = "refused"
    no_response = "no_response"


class ViolationKind(StrEnum):
    """The kind of legal duty the district is said to have broken."""

    failure_to_implement = "failure_to_implement"
    procedural = "procedural"
    timeline = "timeline"
    evaluation = "evaluation"
    discrimination = "discrimination"
    other = "other"


class SpecialCircumstance(StrEnum):
    """Why a removal falls under 34 CFR 300.530(g): the district may remove the child to an
    interim setting for up to 45 school days whatever the manifestation result."""

    none = "none"
    weapon = "weapon"
    drugs = "drugs"
    serious_bodily_injury = "serious_bodily_injury"


class ManifestationResult(StrEnum):
    """What the manifestation determination found (34 CFR 300.530(e))."""

    not_held = "not_held"
    manifestation = "manifestation"
    not_manifestation = "not_manifestation"


StateCode = Literal[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
    "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
    "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
    "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "AS", "GU", "MP", "PR", "VI", "BIE",
]  # fmt: skip

_STRICT = ConfigDict(extra="forbid")

# Dates that name something still to come (a hearing, a change to take effect): the only
# ones a case may give after as_of.
FUTURE_DATES = frozenset({"discipline.hearing_date", "concern.placement_change_date"})


class Student(BaseModel):
    """The child the case is about. Only what changes the advice is asked for."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [{"name": "Jordan", "grade": "4", "has_iep": True,
                          "has_504_plan": False, "disability_suspected": True}]
        },
    )

    name: StrictStr | None = Field(
        None, max_length=100, description="First name, used to personalise nothing but the "
        "advice text. Optional: leave it out to keep the request anonymous.")
    grade: StrictStr | None = Field(None, max_length=20, description="Grade, e.g. 'K', '4'.")
    has_iep: StrictBool = Field(False, description="The child has an IEP now.")
    has_504_plan: StrictBool = Field(False, description="The child has a Section 504 plan now.")
    disability_suspected: StrictBool = Field(
        False, description="A disability is suspected (with or without a diagnosis).")
    last_iep_meeting: IsoDate | None = Field(
        None, description="Date of the last IEP meeting; starts the annual-review clock "
        "(34 CFR 300.324(b)(1)).", examples=["2025-10-01"])
    missed_annual_reviews: list[IsoDate] = Field(
        default_factory=list, max_length=20,
        description="Dates the annual IEP review fell due and was not held, when the family "
        "knows them (34 CFR 300.324(b)(1)). Each is a violation again: the state complaint "
        "window counts from the latest (34 CFR 300.153(c)). Without them, the dates are "
        "counted from the last IEP meeting.", examples=[["2025-10-01"]])
    needs_interpreter: StrictBool = Field(
        False, description="The parent needs an interpreter (spoken or sign language) to "
        "take part in meetings, or documents in another language (34 CFR 300.322(e), "
        "300.503(c)).", examples=[True])
    home_language: StrictStr | None = Field(
        None, max_length=40, description="The family's language when it is not English, "
        "e.g. 'Spanish'; named in the request for an interpreter.", examples=["Spanish"])
    date_of_birth: IsoDate | None = Field(
        None, description="The child's date of birth. For a child moving from early "
        "intervention (from_early_intervention), an IEP must be in place by the third "
        "birthday (34 CFR 300.124(b)).", examples=["2023-12-15"])
    from_early_intervention: StrictBool = Field(
        False, description="The child receives (or received) early intervention services "
        "under IDEA Part C and is moving to preschool special education (34 CFR "
        "300.124(b)).", examples=[True])
    services_refused: StrictBool = Field(
        False, description="The parent refused special-education services for the child. "
        "In discipline the district is then not deemed to know of a disability (34 CFR "
        "300.534(c)(1)).", examples=[True])
    behavior_impedes_learning: StrictBool = Field(
        False, description="The child's behaviour gets in the way of the child's learning or "
        "other children's: the team must consider positive behavioural supports, and a "
        "behaviour assessment and plan can be asked for at any time (34 CFR "
        "300.324(a)(2)(i)).", examples=[True])
    restraint_or_seclusion: StrictBool = Field(
        False, description="The family reports that the school restrained the child or "
        "secluded the child (shut the child in a room alone); a behaviour assessment and "
        "plan can be asked for at once (34 CFR 300.324(a)(2)(i)).", examples=[True])


class Concern(BaseModel):
    """What the parent wants and how the school has answered."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [{"topic": "services", "summary": "asked for a 1:1 aide",
                          "school_response": "proposed_alternative"}]
        },
    )

    topic: Topic = Field(..., description="What the disagreement is about.")
    summary: StrictStr | None = Field(
        None, max_length=2000, description="A short free-text summary. Never logged.")
    school_response: SchoolResponse = Field(
        ..., description="The school's answer so far: 'policy_claim' is \"we don't do that "
        "here\"; 'needs_supervisor' is \"I have to check with my supervisor\".")
    placement_change_proposed: StrictBool = Field(
        False, description="The district proposes to change the child's placement, outside "
        "discipline (for discipline use discipline.change_of_placement_proposed). During a "
        "pending due process complaint the current placement stays (34 CFR 300.518(a)).",
        examples=[True])
    placement_change_date: IsoDate | None = Field(
        None, description="The day the proposed placement change (outside discipline) is to "
        "take effect; may be after as_of. Filing for due process before it keeps the "
        "current placement (34 CFR 300.518(a)).", examples=["2026-12-07"])


class HistoryEntry(BaseModel):
    """One move the family already made, and what came of it."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [{"move": "written_concern", "date": "2026-09-01",
                          "outcome": "no_response"}]
        },
    )

    move: MoveId = Field(..., description="A move id from the catalogue (GET /v1/moves).")
    date: IsoDate | None = Field(None, description="When the move was made.")
    outcome: Outcome = Field(..., description="What came of it.")


class Evaluation(BaseModel):
    """The district's most recent evaluation of the child."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [{"completed": True, "date": "2026-05-01", "parent_disagrees": True,
                          "eligibility_denied": False}]
        },
    )

    completed: StrictBool = Field(False, description="The district finished an evaluation.")
    date: IsoDate | None = Field(None, description="When it was completed.")
    parent_disagrees: StrictBool = Field(False, description="The parent disagrees with it.")
    eligibility_denied: StrictBool = Field(
        False, description="The district found the child not eligible for an IEP.")
    consent_date: IsoDate | None = Field(
        None, description="When the parent consented to an initial evaluation that is not yet "
        "done; starts the 60-day clock (34 CFR 300.301(c)).")
    missed_reevaluations: list[IsoDate] = Field(
        default_factory=list, max_length=10,
        description="Dates the three-year reevaluation fell due and was not done, when the "
        "family knows them (34 CFR 300.303(b)(2)); the state complaint window counts from "
        "the latest. Without them, the dates are counted from the evaluation's date.",
        examples=[["2026-06-01"]])
    referral_date: IsoDate | None = Field(
        None, description="When the child was referred for an initial evaluation (the "
        "parent's written request, for example). Starts the evaluation clock in states that "
        "count from referral (Connecticut, North Carolina, Virginia); without it the consent "
        "date is used and the advice says so.", examples=["2026-09-15"])
    consent_refused: StrictBool = Field(
        False, description="The parent refused consent to an evaluation the district "
        "proposed. In discipline the district is then not deemed to know of a disability "
        "(34 CFR 300.534(c)(1)).", examples=[True])


class Violation(BaseModel):
    """A legal duty the district is said to have broken."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [{"alleged": True, "date": "2026-03-01", "kind": "failure_to_implement"}]
        },
    )

    alleged: StrictBool = Field(False, description="The parent believes the district broke "
                                "a legal duty.")
    date: IsoDate | None = Field(
        None, description="When it happened; starts the state-complaint and OCR windows.")
    known_date: IsoDate | None = Field(
        None, description="When the parent knew or should have known; starts the due-process "
        "limit. Defaults to 'date'.")
    kind: ViolationKind | None = Field(None, description="What kind of duty was broken.")
    notice_date: IsoDate | None = Field(
        None, description="When the district gave the parent written notice of the decision "
        "the parent disagrees with (its proposal or refusal, e.g. Prior Written Notice). "
        "Starts the due-process limit in states that count from it (Alaska, Wisconsin, "
        "Connecticut); without it the violation's date is used and the advice says so.",
        examples=["2026-03-05"])


class Discipline(BaseModel):
    """Removals from school this school year."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={"examples": [{"days_removed": 12,
                                         "change_of_placement_proposed": True}]},
    )

    days_removed: WholeNumber = Field(
        0, ge=0, le=366, description="School days removed this school year. Short removals "
        "that add up to more than 10 school days may be a change of placement if they form a "
        "pattern: the behaviour is much the same each time, and the length of each removal, "
        "the total time and how close together they are point that way. The district "
        "decides, case by case (34 CFR 300.536).")
    change_of_placement_proposed: StrictBool = Field(
        False, description="The district proposes to change the child's placement as "
        "discipline (a long suspension, an expulsion, an interim setting). A placement change "
        "outside discipline is concern.placement_change_proposed.")
    decision_date: IsoDate | None = Field(
        None, description="When the district decided on the removal or change of placement; "
        "starts the 10-school-day manifestation clock (34 CFR 300.530(e)).",
        examples=["2026-11-16"])
    consecutive_days: WholeNumber = Field(
        0, ge=0, le=366, description="School days of the longest single removal this year; "
        "more than 10 in a row is a change of placement (34 CFR 300.536(a)(1)).",
        examples=[11])
    special_circumstances: SpecialCircumstance = Field(
        SpecialCircumstance.none, description="The removal was for a weapon, drugs, or a "
        "serious bodily injury: the district may use an interim setting for up to 45 school "
        "days whatever the manifestation result (34 CFR 300.530(g)).", examples=["weapon"])
    manifestation_result: ManifestationResult = Field(
        ManifestationResult.not_held, description="What the manifestation determination "
        "found, if it was held (34 CFR 300.530(e)).", examples=["not_manifestation"])
    parent_disagrees_with_result: StrictBool = Field(
        False, description="The parent disagrees with the manifestation determination or "
        "the placement decision; an appeal goes to an expedited hearing (34 CFR 300.532).",
        examples=[True])
    staff_reported_behavior: StrictBool = Field(
        False, description="A teacher or other staff told the special-education director "
        "or other supervisors of specific concerns about a pattern of behaviour; gives a "
        "child not yet found eligible the discipline protections (34 CFR 300.534(b)(3)).",
        examples=[True])
    behavior_date: IsoDate | None = Field(
        None, description="The day of the behaviour the child is disciplined for. For a "
        "child not yet found eligible, the district's knowledge of a possible disability "
        "must come before it (34 CFR 300.534(b)).", examples=["2026-11-12"])
    hearing_date: IsoDate | None = Field(
        None, description="The day of the expulsion or long-term suspension hearing, if one "
        "is set; may be after as_of. The manifestation determination must come first (34 "
        "CFR 300.530(e)).", examples=["2026-12-02"])


class PrivatePlacement(BaseModel):
    """A private school or program the parents chose themselves (a unilateral placement)."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={"examples": [{"reimbursement_sought": True,
                                         "start_date": "2026-08-24"}]},
    )

    reimbursement_sought: StrictBool = Field(
        False, description="The parents ask the district to pay them back for it. Some "
        "states limit such a claim more tightly than due process in general (Hawaii: 180 "
        "days; New Hampshire: 90 days).")
    start_date: IsoDate | None = Field(
        None, description="The child's first day at the private placement; starts those "
        "limits (Hawaii counts from the first day of attendance, HAR 8-60-61(a)(2)).")


class ResolutionOutcome(StrEnum):
    """What came of a resolution meeting (34 CFR 300.510)."""

    agreement = "agreement"
    no_agreement = "no_agreement"


class ResolutionMeeting(BaseModel):
    """The resolution meeting after a due process complaint (34 CFR 300.510)."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={"examples": [{"held": True, "date": "2026-11-18",
                                         "outcome": "agreement"}]},
    )

    held: StrictBool = Field(
        False, description="The district held the resolution meeting.")
    date: IsoDate | None = Field(
        None, description="When it was held (or, for an agreement, signed): an agreement "
        "can be voided by either side within 3 business days (34 CFR 300.510(e)).",
        examples=["2026-11-18"])
    outcome: ResolutionOutcome | None = Field(
        None, description="'agreement': a written settlement was signed; it binds both sides "
        "(34 CFR 300.510(d)). 'no_agreement': the complaint goes on to the hearing.",
        examples=["agreement"])


EXAMPLE_CASE: dict[str, Any] = {
    "case_id": "intake-2291",
    "as_of": "2026-11-23",
    "state": "NC",
    "student": {"name": "Jordan", "grade": "4", "has_iep": True, "has_504_plan": False,
                "disability_suspected": True},
    "concern": {"topic": "services", "summary": "asked for a 1:1 aide",
                "school_response": "proposed_alternative"},
    "history": [
        {"move": "written_concern", "date": "2026-09-01", "outcome": "no_response"},
        {"move": "request_iep_meeting", "date": "2026-09-20", "outcome": "refused"},
    ],
    "evaluation": {"completed": True, "date": "2026-05-01", "parent_disagrees": True,
                   "eligibility_denied": False},
    "violation": {"alleged": True, "date": "2026-03-01", "kind": "failure_to_implement"},
    "discipline": {"days_removed": 0, "change_of_placement_proposed": False},
}


class Case(BaseModel):
    """A case: the facts of one dispute, as an intake form collects them."""

    model_config = ConfigDict(**_STRICT, json_schema_extra={"examples": [EXAMPLE_CASE]})

    case_id: StrictStr | None = Field(
        None, max_length=128, description="Your own reference, echoed back unchanged.")
    as_of: IsoDate = Field(
        default_factory=dt.date.today,
        description="The day the advice is for (default: today). Every deadline counts "
        "from it.")
    state: StateCode | None = Field(
        None, description="Two-letter US state or territory code; selects state deadlines.")
    student: Student = Field(default_factory=lambda: Student(),
                             description="The child the case is about.")
    concern: Concern = Field(..., description="The disagreement (required: without one "
                             "there is nothing to escalate).")
    history: list[HistoryEntry] = Field(
        default_factory=list, max_length=100,
        description="Moves already made, in any order.")
    evaluation: Evaluation | None = Field(
        None, description="The district's most recent evaluation, if there was one.")
    violation: Violation | None = Field(
        None, description="A legal duty the district is said to have broken, if any.")
    discipline: Discipline | None = Field(
        None, description="Removals from school this school year, if any.")
    school_closures: list[IsoDate] = Field(
        default_factory=list, max_length=400,
        description="Extra days the school is closed (breaks, teacher workdays, snow days), "
        "skipped when counting school days. Weekends and US federal holidays are always "
        "skipped.", examples=[["2026-12-21", "2026-12-22"]])
    private_placement: PrivatePlacement | None = Field(
        None, description="A private placement the parents chose, if they seek to be "
        "reimbursed for it.")
    resolution_meeting: ResolutionMeeting | None = Field(
        None, description="The resolution meeting after a due process complaint, if one was "
        "held, and its outcome (34 CFR 300.510).")

    @model_validator(mode="after")
    def _no_date_after_as_of(self) -> Case:
        late = [(path, value) for path, value in self.dated_fields()
                if value > self.as_of and path not in FUTURE_DATES]
        if late:
            raise ValidationError.from_exception_data(
                "Case",
                [
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "date_after_as_of",
                            "must be on or before as_of, the day the advice is for",
                        ),
                        loc=tuple(int(p) if p.isdigit() else p for p in path.split(".")),
                        input=value,
                    )
                    for path, value in late
                ],
            )
        return self

    def dated_fields(self) -> list[tuple[str, dt.date]]:
        """Every date the case gives, with its field path."""
        found: list[tuple[str, dt.date]] = []
        if self.student.last_iep_meeting:
            found.append(("student.last_iep_meeting", self.student.last_iep_meeting))
        if self.student.date_of_birth:
            found.append(("student.date_of_birth", self.student.date_of_birth))
        if self.concern.placement_change_date:
            found.append(("concern.placement_change_date", self.concern.placement_change_date))
        for i, entry in enumerate(self.history):
            if entry.date:
                found.append((f"history.{i}.date", entry.date))
        for name, dates in (("student.missed_annual_reviews",
                             self.student.missed_annual_reviews),
                            ("evaluation.missed_reevaluations",
                             self.evaluation.missed_reevaluations if self.evaluation else [])):
            found.extend((f"{name}.{i}", day) for i, day in enumerate(dates))
        for name, part in (("evaluation", self.evaluation), ("violation", self.violation),
                           ("discipline", self.discipline),
                           ("private_placement", self.private_placement),
                           ("resolution_meeting", self.resolution_meeting)):
            if part is None:
                continue
            for key, value in part:
                if isinstance(value, dt.date):
                    found.append((f"{name}.{key}", value))
        return found
