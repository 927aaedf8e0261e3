"""Cases to measure with: the shipped examples and deterministic generated ones.

Generated cases are valid :class:`~escalate.models.Case` dicts drawn from a seeded
random generator, so every run measures the same cases. They are synthetic: no real
child's facts are used anywhere in the benchmark.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from escalate.examples import example_cases
from escalate.models import Case, MoveId, Outcome, SchoolResponse, Topic, ViolationKind

AS_OF = dt.date(2026, 11, 23)
SEED = 20261123


def _date(rng: random.Random, within_days: int = 800) -> str:
    return (AS_OF - dt.timedelta(days=rng.randint(0, within_days))).isoformat()


def generated_case(rng: random.Random, index: int) -> dict[str, Any]:
    """One random valid case (every optional part present or not, at random)."""
    case: dict[str, Any] = {
        "case_id": f"gen-{index}",
        "as_of": AS_OF.isoformat(),
        "state": rng.choice([None, "NC", "CA", "NY", "TX"]),
        "student": {
            "has_iep": rng.random() < 0.6,
            "has_504_plan": rng.random() < 0.2,
            "disability_suspected": rng.random() < 0.5,
        },
    }
    if rng.random() < 0.4:
        case["student"]["last_iep_meeting"] = _date(rng, 500)
    case["concern"] = {"topic": rng.choice(list(Topic)).value,  # the contract requires one
                       "school_response": rng.choice(list(SchoolResponse)).value}
    case["history"] = [
        {"move": rng.choice(list(MoveId)).value, "outcome": rng.choice(list(Outcome)).value,
         **({"date": _date(rng)} if rng.random() < 0.8 else {})}
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4, 6]))
    ]
    if rng.random() < 0.4:
        case["evaluation"] = {"completed": rng.random() < 0.7,
                              "parent_disagrees": rng.random() < 0.5,
                              "eligibility_denied": rng.random() < 0.3,
                              **({"date": _date(rng)} if rng.random() < 0.5 else {})}
    if rng.random() < 0.4:
        case["violation"] = {"alleged": rng.random() < 0.8,
                             "kind": rng.choice(list(ViolationKind)).value,
                             **({"date": _date(rng, 1200)} if rng.random() < 0.7 else {})}
    if rng.random() < 0.3:
        case["discipline"] = {"days_removed": rng.randint(0, 30),
                              "change_of_placement_proposed": rng.random() < 0.4}
    return case


def generated_cases(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` distinct valid cases, the same ones every run."""
    rng = random.Random(seed)
    out = [generated_case(rng, i) for i in range(count)]
    for case in out:
        Case.model_validate(case)  # a generator bug must stop the benchmark, not skew it
    return out


def shipped_cases() -> list[dict[str, Any]]:
    """The example cases in ``examples/``."""
    return list(example_cases().values())
