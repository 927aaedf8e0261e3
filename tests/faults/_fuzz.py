"""Hypothesis strategies for JSON-ish case bodies, and the fuzz run itself.

The run is started in a child process by ``test_bad_input.py``: a crash in the C engine
must fail the test, not end the test run.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from escalate import Advice, Advisor, Case, default_rules_dir
from escalate.models import MoveId, Outcome, SchoolResponse, Topic, ViolationKind

HUGE = "x" * 300_000
ENUM_WORDS = sorted({*(m.value for m in MoveId), *(o.value for o in Outcome),
                     *(s.value for s in SchoolResponse), *(t.value for t in Topic),
                     *(k.value for k in ViolationKind), "NC", "CA"})

leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(ENUM_WORDS), st.sampled_from(["true", "false", "12", "1e3", "-1", ""]),
    st.sampled_from(["2026-01-01", "2026-02-30", "2027-01-01", "01/02/2026"]),
    st.just(HUGE),
)
anything = st.recursive(
    leaf, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12), inner, max_size=5), max_leaves=25)
dates = st.dates(min_value=__import__("datetime").date(2020, 1, 1),
                 max_value=__import__("datetime").date(2026, 11, 23)).map(str)


def _part(fields: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A sub-object whose fields are each a plausible value or anything at all."""
    return st.one_of(
        st.fixed_dictionaries({}, optional={k: st.one_of(v, v, v, anything) for k, v in
                                            fields.items()}),
        anything)


# The contract requires a concern with its topic and the school's response; most bodies carry
# a valid one so that the fuzz reaches the engine, the rest anything at all.
_valid_concern = st.fixed_dictionaries(
    {"topic": st.sampled_from([t.value for t in Topic]),
     "school_response": st.sampled_from([s.value for s in SchoolResponse])},
    optional={"summary": st.text(max_size=30), "placement_change_proposed": st.booleans()})

case_bodies = st.fixed_dictionaries({"concern": st.one_of(_valid_concern, _valid_concern,
                                                          anything)}, optional={
    "case_id": st.one_of(st.text(max_size=20), anything),
    "as_of": st.one_of(st.just("2026-11-23"), dates, anything),
    "state": st.one_of(st.sampled_from(["NC", "CA", "XX", "nc"]), anything),
    "student": _part({"has_iep": st.booleans(), "has_504_plan": st.booleans(),
                      "disability_suspected": st.booleans(), "name": st.text(max_size=8),
                      "grade": st.text(max_size=3), "last_iep_meeting": dates}),
    "history": st.one_of(st.lists(_part({"move": st.sampled_from([m.value for m in MoveId]),
                                         "outcome": st.sampled_from([o.value for o in Outcome]),
                                         "date": dates}), max_size=4), anything),
    "evaluation": _part({"completed": st.booleans(), "parent_disagrees": st.booleans(),
                         "eligibility_denied": st.booleans(), "date": dates,
                         "consent_date": dates}),
    "violation": _part({"alleged": st.booleans(), "date": dates, "known_date": dates,
                        "kind": st.sampled_from([k.value for k in ViolationKind])}),
    "discipline": _part({"days_removed": st.integers(-5, 400),
                         "change_of_placement_proposed": st.booleans(), "decision_date": dates}),
    "extra_field": anything,
})
bodies = st.one_of(case_bodies, case_bodies, case_bodies, anything)


def run(examples: int) -> dict[str, int]:
    """Fuzz ``Case.model_validate_json`` then ``advise``; count what happened."""
    advisor = Advisor.from_directory(default_rules_dir())
    seen = {"refused": 0, "advised": 0}

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=bodies)
    def check(body: Any) -> None:
        text = json.dumps(body)
        try:
            case = Case.model_validate_json(text)
        except ValidationError:
            seen["refused"] += 1
            return
        advice = advisor.advise(case)  # any exception here fails the run
        assert isinstance(advice, Advice)
        assert advisor.engine.live_sessions == 0
        seen["advised"] += 1

    check()
    return seen
