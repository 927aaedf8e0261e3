"""Many threads, thousands of distinct cases: every case gets exactly its own advice.

The stress runs in a child process, so that a crash in the C engine is a failed test
that names the signal, not a dead test run.
"""

from __future__ import annotations

import json

from ._support import exit_story, run_python

STRESS = """
import json, random, sys
from concurrent.futures import ThreadPoolExecutor
from _support import case_mix
from escalate import Advisor, Case, EngineError, default_rules_dir

count, threads = int(sys.argv[1]), int(sys.argv[2])
advisor = Advisor.from_directory(default_rules_dir())
cases = [Case.model_validate(c) for c in case_mix(count)]
expected = [advisor.advise(c).model_dump_json() for c in cases]  # one thread, first
recommended = [len(json.loads(e)["recommendations"]) for e in expected]

jobs = list(range(count)) + [-1] * (count // 20)  # -1: a fact the engine must refuse
random.Random(3).shuffle(jobs)
got = [None] * count
refused = []

def work(i):
    if i < 0:
        try:
            advisor.engine.evaluate({"student": {"has_iep": [True]}})
        except EngineError:
            refused.append(1)
        return
    got[i] = advisor.advise(cases[i]).model_dump_json()

with ThreadPoolExecutor(threads) as pool:
    list(pool.map(work, jobs))
wrong = sum(1 for g, e in zip(got, expected) if g != e)
print(json.dumps({"wrong": wrong, "distinct": len(set(expected)), "refused": len(refused),
                  "bad_jobs": jobs.count(-1), "min_recs": min(recommended),
                  "max_recs": max(recommended), "live": advisor.engine.live_sessions}))
"""


def test_sixteen_threads_each_get_their_own_advice() -> None:
    proc = run_python(STRESS, "2000", "16", timeout=80)
    assert proc.returncode == 0, exit_story(proc)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    # The mix really holds cases that match nothing and cases that match a lot.
    assert report["min_recs"] == 0
    assert report["max_recs"] >= 6
    assert report["distinct"] == 2000  # every answer is its own (case ids differ)
    assert report["wrong"] == 0, f"{report['wrong']} of 2000 cases got advice that differs " \
        "from the single-threaded run"
    assert report["refused"] == report["bad_jobs"]  # refusals did not disturb anyone
    assert report["live"] == 0
