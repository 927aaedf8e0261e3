"""The shape of ``rules/states/XX.yaml``: one file per state or territory, strictly checked.

A state file says, for each topic, which value applies in that state, from which date,
counted from which event, on what authority, and how sure we are:

- ``due_process_limit``: how long a parent has to request a due process hearing (the
  federal default is two years from when the parent knew or should have known, 34 CFR
  300.507(a)(2) and 300.511(e), "or, if the State has an explicit time limitation ..., in
  the time allowed by that State law");
- ``reimbursement_limit``: a shorter limit for a claim to be reimbursed for a unilateral
  private placement (Hawaii, New Hampshire); there is no federal counterpart;
- ``initial_evaluation``: how long the district has to finish an initial evaluation (34
  CFR 300.301(c)(1): 60 days from consent, "or, if the State establishes a timeframe
  within which the evaluation must be conducted, within that timeframe");
- ``records_access``: how long the district has to let the parent see the records (34 CFR
  300.613(a): without unnecessary delay and never more than 45 days).

The state's parent centers are in ``rules/parent_centers.yaml`` (:mod:`.centers`), which
lists every code a case may give, territories and the BIE included.

Every value carries its citation, the date it took effect, its confidence (high: the
operative text was read; medium: a reputable secondary source; low: one unclear source)
and ``checked``, what was read to confirm it. A value without any of them does not load.
``federal: true`` says explicitly that the federal default applies in that state.
Where sources disagree, ``disputed_by`` lists the other readings; the advice then uses the
earliest resulting date and says why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from escalate.strict import Problems, load_file

Confidence = Literal["high", "medium", "low"]
Unit = Literal["days", "school_days", "school_working_days", "business_days", "months",
               "years"]
Trigger = Literal[
    "knew_or_should_have_known",  # violation.known_date, else violation.date
    "occurrence",                 # violation.date: the act or omission itself
    "district_notice",            # violation.notice_date: the district's written notice,
                                  # proposal or refusal, else violation.date (assumed)
    "unilateral_placement",       # private_placement.start_date
    "consent",                    # evaluation.consent_date
    "referral",                   # evaluation.referral_date, else consent_date (assumed)
    "request",                    # the date the parent asked for the records
]

# Each topic: the federal parameter (rules/parameters.yaml) it overrides, the triggers a
# state value may name, and the federal trigger.
TOPICS: Mapping[str, tuple[str | None, tuple[str, ...], str]] = {
    "due_process_limit": ("due_process_limit",
                          ("knew_or_should_have_known", "occurrence", "district_notice"),
                          "knew_or_should_have_known"),
    "reimbursement_limit": (None, ("unilateral_placement",), "unilateral_placement"),
    "initial_evaluation": ("initial_evaluation_days", ("consent", "referral"), "consent"),
    "records_access": ("records_response_days", ("request",), "request"),
}
STATE_FILE = re.compile(r"^[A-Z]{2,3}\.yaml$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reading(_Strict):
    """Another source's reading of the same rule, which disagrees with the main one."""

    value: int = Field(ge=1)
    unit: Unit
    starts: Trigger | None = None
    effective: dt.date
    citation: str = Field(min_length=3)
    confidence: Confidence
    checked: str = Field(min_length=10)


class StateValue(_Strict):
    """One dated value of one topic in one state."""

    effective: dt.date
    federal: bool = False
    value: int | None = Field(None, ge=1)
    unit: Unit | None = None
    starts: Trigger | None = None
    citation: str = Field(min_length=3)
    confidence: Confidence
    checked: str = Field(min_length=10)
    note: str | None = None
    disputed_by: tuple[Reading, ...] = ()
    # Calendar days not counted inside a break without school longer than this many
    # school days (California: "days of school vacation in excess of five schooldays",
    # Cal. Educ. Code 56344(a)); the breaks are the case's school_closures.
    skips_breaks_over_school_days: int | None = Field(None, ge=1)
    # The clock from a referral leaves out the time taken to obtain the parent's consent
    # (Connecticut: 45 school days from referral "exclusive of the time required to obtain
    # parental consent", RCSA 10-76d-13(a); CSDE guidance of 2018-12-21): the days from the
    # referral to the consent are added when the case gives both dates.
    excludes_consent_time: bool = False

    @model_validator(mode="after")
    def _value_or_federal(self) -> StateValue:
        if self.federal and (self.value is not None or self.unit is not None):
            raise ValueError("'federal: true' takes no value or unit of its own")
        if not self.federal and (self.value is None or self.unit is None):
            raise ValueError("give 'value' and 'unit', or 'federal: true'")
        if self.skips_breaks_over_school_days is not None and self.unit != "days":
            raise ValueError("'skips_breaks_over_school_days' applies to a value in 'days'")
        if self.excludes_consent_time and self.starts != "referral":
            raise ValueError("'excludes_consent_time' applies to a value that 'starts: "
                             "referral'")
        return self


class StateFile(_Strict):
    """Everything recorded for one state or territory."""

    code: str = Field(pattern=r"^[A-Z]{2,3}$")
    name: str
    due_process_limit: tuple[StateValue, ...] = Field(min_length=1)
    reimbursement_limit: tuple[StateValue, ...] = ()
    initial_evaluation: tuple[StateValue, ...] = Field(min_length=1)
    records_access: tuple[StateValue, ...] = ()
    note: str | None = None

    def topic(self, name: str) -> tuple[StateValue, ...]:
        values: tuple[StateValue, ...] = getattr(self, name)
        return values


Report = Callable[[str, str, str | None, str | None], None]  # file, message, id, key


def load_states(directory: Path, problems: Problems) -> dict[str, StateFile]:
    """Validate every ``XX.yaml`` in ``directory`` (:mod:`escalate.strict`); each problem
    is recorded in ``problems`` naming the file, the state code and the key. A missing
    folder means no state data: the federal values apply everywhere."""
    report: Report = problems.add
    found: dict[str, StateFile] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        name = f"states/{path.name}"
        if not STATE_FILE.match(path.name):
            report(name, "unexpected file name: a state file is named by its code in "
                   "capitals, like 'WI.yaml'", None, path.name)
            continue
        spec = load_file(path, StateFile, problems, name, path.stem)
        if spec is None:
            continue
        if spec.code != path.stem:
            report(name, f"code {spec.code!r} does not match the file name", spec.code,
                   "code")
            continue
        _check_topics(name, spec, report)
        found[spec.code] = spec
    return found


def _check_topics(name: str, spec: StateFile, report: Report) -> None:
    for topic, (_, triggers, _) in TOPICS.items():
        dates: set[dt.date] = set()
        for value in spec.topic(topic):
            if value.effective in dates:
                report(name, f"{topic}: two values take effect on "
                       f"{value.effective.isoformat()}", spec.code, "effective")
            dates.add(value.effective)
            for start in (value.starts, *(r.starts for r in value.disputed_by)):
                if start is not None and start not in triggers:
                    report(name, f"{topic}: cannot start from {start!r}; accepted: "
                           + ", ".join(triggers), spec.code, "starts")
            if topic == "reimbursement_limit" and value.federal:
                report(name, "reimbursement_limit has no federal value; leave the topic "
                       "out instead", spec.code, "federal")
