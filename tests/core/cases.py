"""Case builders and a hypothesis strategy that generates valid cases.

``case(...)`` builds one validated :class:`~escalate.models.Case` from a small base;
``valid_cases()`` draws random valid cases over every enum, boolean and optional part,
with dates placed near the edges of the filing windows so that open, closing and closed
windows all occur. ``review_cases()`` are the cases built for issue 25's second, third
and fourth reviews (``tests/data/review_cases.json``: several states and territories, a
case with no state, discipline, a 504 plan, private schools, pending proceedings, a
preschooler past the third birthday, restraint and seclusion), read in both languages by
the tests of what a family reads.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any, get_args

from hypothesis import strategies as st

from escalate.models import (
    Case,
    ManifestationResult,
    MoveId,
    Outcome,
    ResolutionOutcome,
    SchoolResponse,
    SpecialCircumstance,
    StateCode,
    Topic,
    ViolationKind,
)

AS_OF = dt.date(2026, 11, 23)  # a Monday
REVIEW_CASES = Path(__file__).resolve().parent.parent / "data" / "review_cases.json"


@cache
def review_cases() -> dict[str, dict[str, Any]]:
    """The review's cases by name, as JSON data."""
    cases = json.loads(REVIEW_CASES.read_text(encoding="utf-8"))
    assert isinstance(cases, dict) and len(cases) >= 6
    return cases
STATES: tuple[str, ...] = get_args(StateCode)
SEED_DOCUMENTS = {
    "000_c0dd2bf839966c6b.txt",
    "001_f36458208edd6cca.txt",
    "002_8efd07ff756fe2bf.txt",
    "003_37fd9ab441a04927.txt",
    "004_d13444436078de3e.txt",
}
RUNGS = ("written_concern", "request_iep_meeting", "escalate_chain_of_command", "request_iee",
         "mediation", "state_complaint", "due_process")
FORMAL_MOVES = {"request_iee", "mediation", "state_complaint", "due_process", "ocr_complaint"}


def iso(day: dt.date) -> str:
    return day.isoformat()


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (``day`` is never Feb 29 here)."""
    return day.replace(year=day.year - years)


NO_ANSWER_YET = {"topic": "other", "school_response": "none_yet"}


def case(**parts: Any) -> Case:
    """A validated case: as_of 2026-11-23, an IEP, a concern the school has not answered
    yet (the contract requires one), and whatever ``parts`` adds."""
    data: dict[str, Any] = {"as_of": iso(AS_OF), "student": {"has_iep": True},
                            "concern": NO_ANSWER_YET}
    data.update(parts)
    return Case.model_validate(data)


def history(*entries: tuple[str, str] | tuple[str, str, str]) -> list[dict[str, str]]:
    """History entries from ``(move, outcome)`` or ``(move, outcome, date)`` tuples."""
    out = []
    for entry in entries:
        item = {"move": entry[0], "outcome": entry[1]}
        if len(entry) == 3:
            item["date"] = entry[2]
        out.append(item)
    return out


# Offsets (days before as_of) that straddle every window: 30 days closing, 180 days OCR,
# one year, two years, and 10 school days.
_EDGES = [0, 1, 2, 10, 14, 29, 30, 31, 44, 45, 46, 59, 60, 61, 179, 180, 181, 335, 336,
          364, 365, 366, 367, 395, 396, 699, 700, 729, 730, 731, 732, 760, 1095, 1096]


@st.composite
def _date_before(draw: st.DrawFn, as_of: dt.date) -> dt.date:
    offset = draw(st.one_of(st.sampled_from(_EDGES), st.integers(0, 1200)))
    return as_of - dt.timedelta(days=offset)


def _around(as_of: dt.date) -> st.SearchStrategy[str | None]:
    """A date that may be after as_of (a hearing, a change still to come), or none."""
    return st.one_of(st.none(), st.integers(-30, 30).map(
        lambda days: iso(as_of + dt.timedelta(days=days))))


def _maybe_date(as_of: dt.date) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), _date_before(as_of).map(iso))


def _likely_date(as_of: dt.date) -> st.SearchStrategy[str | None]:
    """A date three times out of four."""
    date = _date_before(as_of).map(iso)
    return st.one_of(date, date, date, st.none())


_LIKELY_TRUE = st.sampled_from([True, True, True, False])
# Rungs are drawn more often than companion moves so that whole climbs occur.
_HISTORY_MOVES = st.one_of(st.sampled_from(RUNGS), st.sampled_from(RUNGS),
                           st.sampled_from([m.value for m in MoveId]))


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


@st.composite
def valid_case_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A random case as the JSON an intake form would send (always valid)."""
    as_of = draw(st.dates(dt.date(2021, 1, 1), dt.date(2030, 12, 31)))
    state = draw(st.one_of(st.none(), st.sampled_from(["NC", "WI", "LA", "CA", "HI", "NH"]),
                           st.sampled_from(STATES)))
    student = _without_none({
        "name": draw(st.one_of(st.none(), st.sampled_from(["Ana", "Ben", "Caleb"]))),
        "has_iep": draw(st.booleans()),
        "has_504_plan": draw(st.booleans()),
        "disability_suspected": draw(st.booleans()),
        "last_iep_meeting": draw(_maybe_date(as_of)),
        "needs_interpreter": draw(st.booleans()),
        # ladder.md section 16: the child's birth (a third birthday on either side of
        # as_of), early intervention, behaviour, restraint or seclusion, refused services
        "date_of_birth": draw(st.one_of(st.none(), st.integers(2 * 365, 4 * 365).map(
            lambda days: iso(as_of - dt.timedelta(days=days))))),
        "from_early_intervention": draw(st.booleans()),
        "behavior_impedes_learning": draw(st.booleans()),
        "restraint_or_seclusion": draw(st.booleans()),
        "services_refused": draw(st.booleans()),
    })
    data: dict[str, Any] = {"as_of": iso(as_of), "student": student}
    if state is not None:
        data["state"] = state
    data["concern"] = {"topic": draw(st.sampled_from([t.value for t in Topic])),
                       "school_response": draw(st.sampled_from(
                           [r.value for r in SchoolResponse])),
                       "placement_change_proposed": draw(st.booleans())}
    change_date = draw(_around(as_of))
    if change_date is not None:
        data["concern"]["placement_change_date"] = change_date
    data["history"] = draw(st.lists(st.fixed_dictionaries(
        {"move": _HISTORY_MOVES,
         "outcome": st.sampled_from([o.value for o in Outcome])},
        optional={"date": _date_before(as_of).map(iso)}), max_size=8))
    if draw(st.booleans()):
        data["evaluation"] = _without_none({
            "completed": draw(st.booleans()),
            "date": draw(_maybe_date(as_of)),
            "parent_disagrees": draw(st.booleans()),
            "eligibility_denied": draw(st.booleans()),
            "consent_date": draw(_maybe_date(as_of)),
            "consent_refused": draw(st.booleans()),
        })
    if draw(_LIKELY_TRUE):
        data["violation"] = _without_none({
            "alleged": draw(_LIKELY_TRUE),
            "date": draw(_likely_date(as_of)),
            "known_date": draw(_maybe_date(as_of)),
            "notice_date": draw(_maybe_date(as_of)),
            "kind": draw(st.one_of(st.sampled_from([k.value for k in ViolationKind]),
                                   st.none())),
        })
    if draw(st.integers(0, 3)) == 0:
        # a private placement, its reimbursement limit closing, open or closed (HI, NH)
        data["private_placement"] = _without_none({
            "reimbursement_sought": draw(_LIKELY_TRUE),
            "start_date": draw(_likely_date(as_of)),
        })
    if draw(st.integers(0, 3)) == 0:
        data["student"]["missed_annual_reviews"] = draw(st.lists(
            _date_before(as_of).map(iso), max_size=3))
    if "evaluation" in data and draw(st.integers(0, 3)) == 0:
        data["evaluation"]["missed_reevaluations"] = draw(st.lists(
            _date_before(as_of).map(iso), max_size=2))
    if draw(st.booleans()):
        data["discipline"] = _without_none({
            "days_removed": draw(st.integers(0, 30)),
            "change_of_placement_proposed": draw(st.booleans()),
            "decision_date": draw(_maybe_date(as_of)),
            "consecutive_days": draw(st.integers(0, 15)),
            "special_circumstances": draw(st.sampled_from(
                [c.value for c in SpecialCircumstance])),
            "manifestation_result": draw(st.sampled_from(
                [r.value for r in ManifestationResult])),
            "parent_disagrees_with_result": draw(st.booleans()),
            "staff_reported_behavior": draw(st.booleans()),
            "behavior_date": draw(_maybe_date(as_of)),
            "hearing_date": draw(_around(as_of)),
        })
    if draw(st.integers(0, 3)) == 0:
        data["resolution_meeting"] = _without_none({
            "held": draw(st.booleans()),
            "date": draw(_maybe_date(as_of)),
            "outcome": draw(st.one_of(st.none(), st.sampled_from(
                [o.value for o in ResolutionOutcome]))),
        })
    if draw(st.integers(0, 4)) == 0:
        data["school_closures"] = draw(st.lists(
            _date_before(as_of + dt.timedelta(days=40)).map(iso), max_size=5))
    return data


def valid_cases() -> st.SearchStrategy[Case]:
    return valid_case_dicts().map(Case.model_validate)
