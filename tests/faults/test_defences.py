"""The engine's defensive pattern (escalate/engine.py), proven by tests that fail when it
is removed.

- No background threads: the engine's host starts none (durable_rules' timer threads read
  freed sessions and crash the process). A demonstration re-enables them to show the
  check has teeth; the real assertion is that stress runs with the pattern on never crash.
- Sessions are deleted: without ``delete_state`` every session's state stays behind and
  the 1,025th live session fails; with it, thousands of evaluations keep the count at
  zero and memory flat.

Each run is a bounded child process, so a crash is a failed test naming the signal.
"""

from __future__ import annotations

import json

import pytest

from ._support import exit_story, run_python

THREADS = """
import json, sys, threading
import escalate.engine as engine_module
from escalate import Advisor, default_rules_dir
if sys.argv[1] == "timers-on":  # put the plain durable_rules host behaviour back
    quiet = engine_module._QuietHost
    quiet._run = quiet.__bases__[0]._run
from escalate.errors import RuleFileError
before = threading.active_count()
try:
    advisor = Advisor.from_directory(default_rules_dir())
    refused = False
except RuleFileError:  # the timer threads broke an evaluation of the load's proof
    refused = True
print(json.dumps({"threads_started": threading.active_count() - before,
                  "refused": refused}))
"""


def test_the_engine_starts_no_background_threads() -> None:
    proc = run_python(THREADS, "as-shipped", timeout=60)
    assert proc.returncode == 0, exit_story(proc)
    assert json.loads(proc.stdout.splitlines()[-1]) == {"threads_started": 0,
                                                         "refused": False}


def test_demonstration_a_plain_host_would_start_timer_threads() -> None:
    """Shows the check above can fail: with the plain host's start-up, threads appear
    (and, on a busy machine, they can even break an evaluation of the load's proof, which
    then refuses the rulebook: the harm the pattern prevents)."""
    proc = run_python(THREADS, "timers-on", timeout=60)
    assert proc.returncode == 0, exit_story(proc)
    assert json.loads(proc.stdout.splitlines()[-1])["threads_started"] >= 2


STRESS = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
import escalate.engine as engine_module
from _support import case_mix
from escalate import Advisor, Case, default_rules_dir
if sys.argv[1] == "timers-on":
    quiet = engine_module._QuietHost
    quiet._run = quiet.__bases__[0]._run
count = int(sys.argv[2])
advisor = Advisor.from_directory(default_rules_dir())
cases = [Case.model_validate(c) for c in case_mix(count, seed=int(sys.argv[3]))]
expected = [advisor.advise(c).model_dump_json() for c in cases]
time.sleep(0.3)  # let timer threads (if any) start walking the sessions
with ThreadPoolExecutor(8) as pool:
    got = list(pool.map(lambda c: advisor.advise(c).model_dump_json(), cases))
print(json.dumps({"wrong": sum(g != e for g, e in zip(got, expected)),
                  "live": advisor.engine.live_sessions}))
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stress_with_the_pattern_on_never_crashes(seed: int) -> None:
    proc = run_python(STRESS, "as-shipped", "1500", str(seed), timeout=80)
    assert proc.returncode == 0, exit_story(proc)
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report == {"wrong": 0, "live": 0}


LEAK = """
import json, sys
import escalate.engine as engine_module
from _support import case_mix
from escalate import Advisor, Case, EngineError, default_rules_dir

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

if sys.argv[1] == "no-delete":  # the pattern removed: sessions are never deleted
    engine_module._QuietHost.delete_state = lambda self, *args, **kwargs: None
count = int(sys.argv[2])
advisor = Advisor.from_directory(default_rules_dir())
cases = [Case.model_validate(c) for c in case_mix(200)]
for c in cases[:50]:
    advisor.advise(c)
before, failed_at = rss(), None
for i in range(count):
    try:
        advisor.advise(cases[i % len(cases)])
    except EngineError:
        failed_at = i + 51
        break
print(json.dumps({"growth_mb": rss() - before, "failed_at": failed_at,
                  "live": advisor.engine.live_sessions}))
"""


def test_sessions_are_deleted_so_memory_stays_flat_past_1024() -> None:
    proc = run_python(LEAK, "as-shipped", "3000", timeout=80)
    assert proc.returncode == 0, exit_story(proc)
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["failed_at"] is None, "an evaluation failed past the 1,024th session"
    assert report["live"] == 0
    assert report["growth_mb"] < 15, f"RSS grew {report['growth_mb']:.0f} MB"


def test_demonstration_without_delete_state_sessions_pile_up() -> None:
    """Shows the test above can fail: skip delete_state and the engine breaks or bloats."""
    proc = run_python(LEAK, "no-delete", "1100", timeout=80)
    assert proc.returncode == 0, exit_story(proc)
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["failed_at"] is not None or report["growth_mb"] > 100, report
