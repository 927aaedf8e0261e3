"""Shared helpers for the fault tests: synthetic cases, subprocess runs, a served app.

Everything that could crash the interpreter (durable_rules is a C extension) runs in a
child process, so that a segfault shows up as a failed test naming the signal instead
of a dead test run. Every child and every server is bounded in time and stopped.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from bench.load import free_port, serving
from escalate.models import MoveId, Outcome, SchoolResponse, Topic, ViolationKind

__all__ = ["escalate_server", "free_port"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ESCALATE_BIN = Path(sys.executable).parent / "escalate"
AS_OF = dt.date(2026, 11, 23)


def synthetic_case(rng: random.Random, index: int) -> dict[str, Any]:
    """A random valid case (synthetic facts; no real child's data)."""
    def date(days: int = 700) -> str:
        return (AS_OF - dt.timedelta(days=rng.randint(0, days))).isoformat()

    case: dict[str, Any] = {
        "case_id": f"fault-{index}",
        "as_of": AS_OF.isoformat(),
        "student": {"has_iep": rng.random() < 0.6, "has_504_plan": rng.random() < 0.2,
                    "disability_suspected": rng.random() < 0.5},
    }
    case["concern"] = {"topic": rng.choice(list(Topic)).value,
                       "school_response": rng.choice(list(SchoolResponse)).value}
    case["history"] = [
        {"move": rng.choice(list(MoveId)).value, "outcome": rng.choice(list(Outcome)).value,
         "date": date()}
        for _ in range(rng.choice([0, 1, 2, 3, 5]))
    ]
    if rng.random() < 0.4:
        case["evaluation"] = {"completed": rng.random() < 0.7,
                              "parent_disagrees": rng.random() < 0.5,
                              "eligibility_denied": rng.random() < 0.3}
    if rng.random() < 0.4:
        case["violation"] = {"alleged": rng.random() < 0.8, "date": date(1100),
                             "kind": rng.choice(list(ViolationKind)).value}
    if rng.random() < 0.3:
        case["discipline"] = {"days_removed": rng.randint(0, 30),
                              "change_of_placement_proposed": rng.random() < 0.4}
    return case


# A case that gives the engine nothing to act on, and one that sets off as much as it can.
QUIET_CASE: dict[str, Any] = {
    "case_id": "quiet", "as_of": AS_OF.isoformat(),
    "concern": {"topic": "other", "school_response": "none_yet"},
    "history": [{"move": "written_concern", "date": "2026-11-16", "outcome": "pending"}]}
LOUD_CASE: dict[str, Any] = {
    "case_id": "loud",
    "as_of": AS_OF.isoformat(),
    "student": {"has_iep": True, "has_504_plan": True, "disability_suspected": True},
    "concern": {"topic": "discipline", "school_response": "refused"},
    "history": [
        {"move": "written_concern", "date": "2026-08-01", "outcome": "no_response"},
        {"move": "request_iep_meeting", "date": "2026-08-20", "outcome": "refused"},
        {"move": "escalate_chain_of_command", "date": "2026-09-10", "outcome": "refused"},
    ],
    "evaluation": {"completed": True, "parent_disagrees": True, "eligibility_denied": True},
    "violation": {"alleged": True, "date": "2026-06-01", "kind": "discrimination"},
    "discipline": {"days_removed": 14, "change_of_placement_proposed": True},
}


def case_mix(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` distinct cases: mostly random, every tenth quiet or loud (distinct ids)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % 10 == 3:
            out.append({**QUIET_CASE, "case_id": f"quiet-{i}"})
        elif i % 10 == 7:
            out.append({**LOUD_CASE, "case_id": f"loud-{i}"})
        else:
            out.append(synthetic_case(rng, i))
    return out


def exit_story(proc: subprocess.CompletedProcess[str]) -> str:
    """How a child ended, naming the signal if it was killed by one."""
    code = proc.returncode
    how = (f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}")
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
    return f"{how}\n{tail}"


def run_python(code: str, *args: str, timeout: float = 60,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (with these helpers importable as ``_support``)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    full_env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT)])
    full_env["PYTHONFAULTHANDLER"] = "1"
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                          env=full_env, capture_output=True, text=True, timeout=timeout)


def escalate_server(workers: int) -> AbstractContextManager[str]:
    """``escalate serve`` on a free local port (bench.load.serving); yields its base URL
    once every worker answers; always stopped."""
    return serving("escalate", workers)

