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


# ---------------------------------------------------------------- a realistic intake stream
#
# What an intake service sees over time: most families write at the first rungs, fewer
# are in an evaluation dispute or on the formal steps, few are discipline cases. The mix
# (documented in bench/README.md) is drawn per case; each case is a new family (its own
# case_id, dates spread over the last year and a half), so repeats in what the engine
# sees come only from families being in the same situation, never from copies.

INTAKE_MIX: tuple[tuple[str, float], ...] = (
    ("first contact", 0.40),
    ("early rungs", 0.25),
    ("evaluation dispute", 0.12),
    ("section 504 only", 0.08),
    ("formal steps", 0.09),
    ("discipline", 0.06),
)
_COMMON_TOPICS = ("services", "services", "evaluation", "implementation", "placement",
                  "goals", "eligibility", "safety", "other")
_COMMON_RESPONSES = ("none_yet", "none_yet", "refused", "no_response", "partially_agreed",
                     "policy_claim", "needs_supervisor", "agreed")
_STATES = (None, None, None, "CA", "TX", "NY", "NC", "FL", "WI")


def _intake_case(rng: random.Random, index: int, kind: str) -> dict[str, Any]:
    as_of = AS_OF + dt.timedelta(days=rng.randint(0, 4))
    def past(within: int) -> str:
        return (as_of - dt.timedelta(days=rng.randint(1, within))).isoformat()
    on_504 = kind == "section 504 only"
    case: dict[str, Any] = {
        "case_id": f"intake-{index}",
        "as_of": as_of.isoformat(),
        "student": {"has_iep": not on_504 and rng.random() < 0.85,
                    "has_504_plan": on_504,
                    "disability_suspected": rng.random() < 0.3},
        "concern": {"topic": rng.choice(_COMMON_TOPICS),
                    "school_response": rng.choice(_COMMON_RESPONSES)},
    }
    if (state := rng.choice(_STATES)) is not None:
        case["state"] = state
    history: list[dict[str, Any]] = []
    if kind in ("early rungs", "section 504 only"):
        history.append({"move": "written_concern",
                        "outcome": rng.choice(["refused", "no_response", "pending"]),
                        "date": past(120)})
        if rng.random() < 0.5:
            history.append({"move": "request_iep_meeting" if not on_504
                            else "request_504_meeting",
                            "outcome": rng.choice(["refused", "no_response", "pending"]),
                            "date": past(60)})
    elif kind == "evaluation dispute":
        case["concern"]["topic"] = "evaluation"
        case["evaluation"] = {"completed": True, "parent_disagrees": True,
                              "eligibility_denied": rng.random() < 0.3, "date": past(300)}
        if rng.random() < 0.4:
            history.append({"move": "request_iee", "outcome": rng.choice(
                ["refused", "pending", "no_response"]), "date": past(90)})
    elif kind == "formal steps":
        history += [{"move": "written_concern", "outcome": "refused", "date": past(400)},
                    {"move": "request_iep_meeting", "outcome": "refused", "date": past(300)}]
        history.append({"move": rng.choice(["mediation", "state_complaint",
                                            "escalate_chain_of_command"]),
                        "outcome": rng.choice(["refused", "pending", "partially_resolved"]),
                        "date": past(200)})
        case["violation"] = {"alleged": True, "kind": rng.choice(
            ["failure_to_implement", "procedural", "timeline"]), "date": past(500)}
    elif kind == "discipline":
        case["concern"]["topic"] = "discipline"
        case["discipline"] = {"days_removed": rng.randint(1, 15),
                              "change_of_placement_proposed": rng.random() < 0.3}
    case["history"] = history
    return case


def intake_stream(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` cases as a realistic intake stream would bring them (see INTAKE_MIX); the
    same ones every run. Only valid cases (checked on a sample: a generator bug must stop
    the benchmark)."""
    rng = random.Random(seed + 1)
    kinds = [k for k, _ in INTAKE_MIX]
    weights = [w for _, w in INTAKE_MIX]
    out = [_intake_case(rng, i, rng.choices(kinds, weights)[0]) for i in range(count)]
    for case in out[:: max(1, count // 500)]:
        Case.model_validate(case)
    return out
