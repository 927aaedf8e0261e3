"""The state coverage listing that goes out: ``GET /v1/states`` and ``escalate states``.

Each state or territory with the values escalate applies there, each with its citation,
the date it took effect, the event it counts from and how sure we are of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.advice import DISCLAIMER

ConfidenceLevel = Literal["high", "medium", "low"]
StateTopic = Literal["due_process_limit", "reimbursement_limit", "initial_evaluation",
                     "records_access"]


_READING: dict[str, Any] = {"value": 2, "unit": "years", "starts": None, "effective": "2024-08-01",
            "citation": "2024 La. Acts, HB 153",
            "confidence": "low", "checked": "2026-11-25: bill summary read ..."}
_CENTER: dict[str, Any] = {
    "name": "Wisconsin FACETS", "kind": "pti", "url": None, "area": None,
    "confidence": "medium",
    "source": "https://wasblegupdate.wasb.org/2015/08/07/wisconsin-facets-receives-federal-"
              "grant-to-help-boost-educational-role-of-parents-of-children-with-disabilities/",
    "checked": "2026-12-06: the Wisconsin Association of School Boards (2015): among 40 "
               "five-year parent training and information center grants, Wisconsin FACETS "
               "will receive a $350,726 grant.",
    "offered": True}


class StateReadingInfo(BaseModel):
    """Another source's reading that disagrees with the value used."""

    model_config = ConfigDict(json_schema_extra={"examples": [_READING]})

    value: int = Field(..., description="The length this source gives.")
    unit: str = Field(..., description="days, school_days, school_working_days (Massachusetts), "
                      "business_days, months or years.")
    starts: str | None = Field(..., description="The event it counts from, if it differs.")
    effective: dt.date = Field(..., description="The day this reading took effect.")
    citation: str = Field(..., description="The statute, regulation or source read.")
    confidence: ConfidenceLevel = Field(..., description="How sure we are of this reading.")
    checked: str = Field(..., description="What was read to check it, and when.")


class StateValueInfo(BaseModel):
    """One dated value of one topic in one state."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "topic": "due_process_limit", "effective": "2006-10-13", "federal": False,
            "value": 1, "unit": "years", "starts": "district_notice",
            "citation": "Wis. Stat. § 115.80(1)(a)1", "confidence": "high",
            "checked": "2026-11-25: statute text read ...", "note": None,
            "disputed_by": []}]},
    )

    topic: StateTopic = Field(..., description="Which clock this value sets.")
    effective: dt.date = Field(..., description="The day this value took effect.")
    federal: bool = Field(..., description="True: the federal rule applies in this state.")
    value: int = Field(..., description="The length (the federal one when 'federal').")
    unit: str = Field(..., description="days, school_days, school_working_days (Massachusetts), "
                      "business_days, months or years.")
    starts: str = Field(..., description="The event the clock counts from: "
                        "knew_or_should_have_known, occurrence, district_notice, "
                        "unilateral_placement, consent, referral or request.")
    citation: str = Field(..., description="The statute or regulation that sets it.")
    confidence: ConfidenceLevel = Field(
        ..., description="high: the operative text was read; medium: a reputable secondary "
        "source; low: one unclear source or none.")
    checked: str = Field(..., description="What was read to check this value.")
    note: str | None = Field(..., description="What the value assumes or leaves out.")
    disputed_by: list[StateReadingInfo] = Field(
        ..., description="Other sources that disagree; the advice uses the earliest date.")


class ParentCenterInfo(BaseModel):
    """The state's Parent Training and Information Center."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CENTER]})

    name: str = Field(..., description="The center's name.")
    kind: Literal["pti", "cprc"] = Field(
        "pti", description="pti: a Parent Training and Information Center (IDEA funds at "
        "least one in every state); cprc: a Community Parent Resource Center, for a "
        "community a PTI does not reach well.")
    url: str | None = Field(..., description="Its web address, only as read in `source`; "
                            "null when it was not seen.")
    area: str | None = Field(None, description="Where it is or whom it serves, when a state "
                             "has more than one center or this one serves a part of it; in "
                             "the listing's language.", examples=["Most of Southern California"])
    confidence: ConfidenceLevel = Field(..., description="How sure we are of it: high, the "
                                        "center's or the state's own page says it is the PTI; "
                                        "medium, a reputable secondary source; low, not "
                                        "verified.")
    source: str | None = Field(None, description="The address of the page read to verify it.")
    checked: str = Field(..., description="When and what was read to check it.")
    offered: bool = Field(True, description="Whether escalate points families to it (the "
                          "page, the advice's notes): false for a low-confidence center, "
                          "kept on record but not verified.")


class StateInfo(BaseModel):
    """Everything escalate applies in one state or territory."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "code": "WI", "name": "Wisconsin", "recorded": True,
            "values": [StateValueInfo.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "parent_center": _CENTER, "parent_centers": [_CENTER],
            "note": None, "disclaimer": DISCLAIMER}]},
    )

    code: str = Field(..., description="The state or territory code, e.g. 'WI'.")
    name: str = Field(..., description="Its name.")
    recorded: bool = Field(..., description="False: no state file; every federal rule "
                           "applies and nothing was checked for this state.")
    values: list[StateValueInfo] = Field(..., description="Every dated value applied there.")
    parent_center: ParentCenterInfo | None = Field(
        ..., description="The first of `parent_centers` (the one the advice names), or null "
        "when none is listed.")
    parent_centers: list[ParentCenterInfo] = Field(
        default_factory=list, description="Every parent center listed for the state or "
        "territory: its Parent Training and Information Centers and, where they serve it, "
        "Community Parent Resource Centers; each with where it was verified.")
    note: str | None = Field(..., description="What to know about the state as a whole.")
    disclaimer: str = Field(DISCLAIMER, description="Information, not legal advice.")
    language: str = Field("en", description="The language of the notes and the disclaimer: "
                          "'en' or 'es' (`lang` or `Accept-Language`). Citations, "
                          "`checked` (what was read, quoted as read) and codes stay as "
                          "they are.", examples=["es"])
    fallbacks: list[str] = Field(
        default_factory=list, description="The ids of the notes said in English because "
        "the language has no current translation of them. Empty in English.",
        examples=[["state.WI.due_process_limit.2006-10-13.note"]])


class StatesListing(BaseModel):
    """Every state and territory escalate accepts, with its values."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "states": [StateInfo.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        "rules_version": "sha256:83b35fc9...", "disclaimer": DISCLAIMER}]})

    states: list[StateInfo] = Field(..., description="Every state and territory accepted.")
    rules_version: str = Field(..., description="Identifies the loaded rules and states.")
    disclaimer: str = Field(DISCLAIMER, description="Information, not legal advice.")
    language: str = Field("en", description="The language of the notes and the disclaimer "
                          "(see StateInfo.language).", examples=["es"])
    fallbacks: list[str] = Field(
        default_factory=list, description="Every note id said in English in this listing "
        "(see StateInfo.fallbacks).", examples=[[]])
