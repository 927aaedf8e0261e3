"""``python -m bench`` (``make bench``): run every measurement and write bench/results.md.

Each in-process measurement runs in its own process with a time limit; each HTTP server
runs in its own process group and is always stopped. Options shorten the run for a quick
look (``--quick``) or skip parts (``--no-http``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import letter_load, load, report, rulebooks, triage
from bench.cases import generated_cases, intake_stream, shipped_cases
from bench.machine import cpu_scaling, describe
from bench.tasks import RESULT_MARK

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
RESULTS = ROOT / "bench" / "results.md"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_task(args: list[str], timeout: float) -> dict[str, Any]:
    """Run ``python -m bench.tasks ARGS`` in a fresh process; its JSON result, or an error."""
    command = [sys.executable, "-m", "bench.tasks", *args]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f}s (stopped)"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK):])
            return result
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    if done.returncode < 0:
        return {"error": f"crashed with signal {-done.returncode}: {last[:300]}"}
    return {"error": f"exit status {done.returncode}: {last[:300]}"}


def scaling(quick: bool) -> dict[str, Any]:
    """The same cases against 1x, 3x and 10x rulebooks, and the largest size that loads."""
    seconds = "0.5" if quick else "1.5"
    out: dict[str, Any] = {"sizes": [], "limit": None}
    base = run_task(["scale", "--rules", str(RULES), "--seconds", seconds,
                     "--generated", "300"], 120)
    out["sizes"].append({"flavour": "real", "copies": 1, **base})
    for flavour in ("same-facts", "distinct-facts"):
        for copies in (3, 10):
            log(f"  scale: {flavour} x{copies}")
            folder = rulebooks.build(RULES, copies, flavour)
            result = run_task(["scale", "--rules", str(folder), "--seconds", seconds,
                               "--generated", "300"], 180)
            out["sizes"].append({"flavour": flavour, "copies": copies, **result})
    out["limit"] = probe_limit(quick)
    return out


def probe_limit(quick: bool) -> dict[str, Any]:
    """The largest multiple (up to 40x) of the real rulebook that loads and evaluates every
    test case (13 shipped + 300 generated) without an engine error."""
    def loads(copies: int) -> tuple[bool, str]:
        folder = rulebooks.build(RULES, copies, "distinct-facts")
        result = run_task(["scale", "--rules", str(folder), "--seconds", "0",
                           "--generated", "300"], 120)
        return "error" not in result, result.get("error", "")

    tried: list[dict[str, Any]] = []
    low, high = 1, 40 if not quick else 30  # since issue 23 a load proves the rules: 5x is refused
    ok, error = loads(high)
    tried.append({"copies": high, "loads": ok, "error": error})
    if ok:
        return {"largest_loading": high, "smallest_failing": None, "tried": tried}
    first_error = error
    while high - low > 1:
        middle = (low + high) // 2
        log(f"  scale: probing {middle}x")
        ok, error = loads(middle)
        tried.append({"copies": middle, "loads": ok, "error": error})
        if ok:
            low = middle
        else:
            high, first_error = middle, error
    return {"largest_loading": low, "smallest_failing": high, "error": first_error,
            "tried": tried}


HTTP_STREAM = 80_000  # bodies of the realistic intake stream (longer than a run ever asks)


def http(quick: bool) -> dict[str, Any]:
    wrk = load.ensure_wrk(log)
    if not wrk:
        return {"error": "wrk is not available and could not be installed (apt-get install "
                "wrk, as root); the HTTP figures were not measured"}
    from escalate import Advisor, Case

    advisor = Advisor.from_directory(RULES)
    stream = intake_stream(HTTP_STREAM // 4 if quick else HTTP_STREAM)
    bodies = [json.dumps(case, separators=(",", ":")).encode() for case in stream]
    raw = shipped_cases() + generated_cases(37) + stream[:20]
    checks = [(json.dumps(case).encode(),
               advisor.advise(Case.model_validate(case)).model_dump(mode="json"))
              for case in raw]
    try:
        result = load.measure_http(wrk, bodies, checks, seconds=2 if quick else 4,
                                   warm_seconds=2 if quick else 5, log=log)
    except (load.LoadError, OSError, subprocess.SubprocessError) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return {**result, "bodies": len(bodies), "wrk": wrk}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs, for a quick look")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    started = time.monotonic()
    results: dict[str, Any] = {"machine": describe(), "load_before": loadavg(),
                               "started": time.strftime("%Y-%m-%d %H:%M %Z")}
    seconds = "0.5" if args.quick else "1.5"
    log("machine: what two busy cores give")
    results["cpu_scaling"] = cpu_scaling(1.0 if args.quick else 2.0)
    log("in-process: engine against reference (pinned to one core)")
    results["inproc"] = run_task(["inproc", "--rules", str(RULES), "--seconds",
                                  "0.5" if args.quick else "1", "--generated", "1000"], 300)
    log("in-process: advise() on three streams (pinned to one core)")
    results["streams"] = run_task(
        ["streams", "--rules", str(RULES), "--seconds", seconds, "--distinct",
         "1000" if args.quick else "3000", "--warm", "3000" if args.quick else "10000",
         "--measured", "3000" if args.quick else "10000"], 400)
    log("in-process: templated reasons, letters per format")
    results["letters"] = run_task(["letters", "--rules", str(RULES), "--seconds",
                                   "0.5" if args.quick else "1", "--generated", "1000"], 600)
    log("in-process: explain=true per shipped example (pinned to one core)")
    results["explain"] = run_task(["explain", "--rules", str(RULES), "--seconds",
                                   "0.5" if args.quick else "1"], 600)
    log("in-process: rulebook size")
    results["scaling"] = scaling(args.quick)
    evaluations = "5000" if args.quick else "50000"
    log(f"memory: engine memory filled, then {evaluations} evaluations")
    results["memory"] = run_task(["memory", "--rules", str(RULES), "--evaluations",
                                  evaluations], 400)
    log("service: request path through ASGI, profiled")
    results["asgi"] = run_task(["asgi", "--rules", str(RULES), "--evaluations",
                                "600" if args.quick else "2000"], 180)
    if args.no_http:
        results["http"] = {"error": "skipped (--no-http)"}
    else:
        log("service: HTTP load with wrk")
        results["http"] = http(args.quick)
        results["http_seconds"] = 2 if args.quick else 4
        results["http_warm_seconds"] = 2 if args.quick else 5
    log("service: advice latency beside PDF letters")
    try:
        results["letter_load"] = letter_load.measure(2.0 if args.quick else 5.0)
    except (load.LoadError, OSError, subprocess.SubprocessError) as error:
        results["letter_load"] = {"error": f"{type(error).__name__}: {error}"}
    log("triage: one core against every core, then a caseload end to end")
    results["triage"] = triage.measure(RULES, args.quick, log)
    results["load_after"] = loadavg()
    results["minutes"] = (time.monotonic() - started) / 60
    results["quick"] = args.quick
    (ROOT / "bench" / "_work").mkdir(exist_ok=True)
    (ROOT / "bench" / "_work" / "results.json").write_text(json.dumps(results, indent=1))
    text = report.render(results)
    args.output.write_text(text, encoding="utf-8")
    log(f"wrote {args.output} in {results['minutes']:.1f} min")
    print(report.summary(results))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
