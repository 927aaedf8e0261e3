"""The HTTP targets of issue 24, measured interleaved: ``python -m bench.http_speed``.

Every app is started once, each one worker pinned to the same server core (wrk on the
other); they stay up side by side (an idle server costs nothing) and the wrk runs take
turns, app after app, round after round, so that a slow spell of the shared machine
falls on all of them alike. Each app's figure is the median of its rounds (the best is
listed too). The apps:

- **escalate**: ``escalate serve`` as shipped;
- **before**: the service before issue 12 (:mod:`bench.before_app`), on the asyncio loop
  with the h11 parser, as it was served then;
- **echo**: :mod:`bench.echo_app`, served by the same runner as escalate;
- with ``--variants``, the shipped service with one of issue 24's changes undone
  (``ESCALATE_BENCH_UNDO``, read by :mod:`bench.variants`), to say what each change gave.

The targets: escalate >= 2.5x before, >= 35% of the echo, p99 < 15 ms at 8 connections.
It takes about ``apps x rounds x seconds`` plus a warm-up; keep it under a minute of load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench import load
from bench.cases import intake_stream

ROOT = load.ROOT
TARGET_BEFORE = 2.5
TARGET_ECHO = 0.35
TARGET_P99_MS = 15.0
# What each variant undoes (bench/variants.py reads ESCALATE_BENCH_UNDO).
VARIANTS = {
    "asyncio": "the event loop: asyncio instead of uvloop",
    "h11": "the HTTP parser: h11 instead of httptools",
    "routing": "FastAPI's dependency solving on the advice route",
    "logging": "the access line through a LogRecord and logging's handler chain",
}


def _command(kind: str, port: int) -> tuple[list[str], str, dict[str, str]]:
    """The command serving ``kind`` on ``port``, its readiness path, extra environment."""
    if kind == "escalate":
        return ([str(Path(sys.executable).parent / "escalate"), "serve", "--host",
                 "127.0.0.1", "--port", str(port), "--workers", "1"], "/readyz", {})
    if kind == "before":
        return ([sys.executable, "-c",
                 "from api.server import serve; serve('bench.before_app:create_before_app',"
                 f" host='127.0.0.1', port={port}, workers=1, factory=True, "
                 "log_level='info', loop='asyncio', parser='h11')"], "/readyz", {})
    if kind == "echo":
        return ([sys.executable, "-c",
                 "from api.server import serve; serve('bench.echo_app:app', "
                 f"host='127.0.0.1', port={port}, workers=1, factory=False, "
                 "log_level='info')"], "/healthz", {})
    undo = kind.removeprefix("undo-")
    return ([sys.executable, "-m", "bench.variants", str(port)], "/readyz",
            {"ESCALATE_BENCH_UNDO": undo})


@contextmanager
def serving(kind: str, cores: str | None) -> Iterator[str]:
    """Serve ``kind`` pinned to ``cores``; yield its base URL; always stop it."""
    port = load.free_port()
    load.WORK.mkdir(parents=True, exist_ok=True)
    command, ready, extra = _command(kind, port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    log_path = load.WORK / f"speed_{kind}.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(load._pinned(command, cores), cwd=ROOT, env={**env, **extra},
                                stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + load.START_TIMEOUT_S
            streak = 0
            while streak < 4:
                if proc.poll() is not None:
                    raise load.LoadError(f"{kind} exited during start-up (see {log_path})")
                if time.monotonic() > deadline:
                    raise load.LoadError(f"{kind} not ready in {load.START_TIMEOUT_S}s")
                try:
                    streak = streak + 1 if load._get(base + ready) == 200 else 0
                except (OSError, urllib.error.URLError):
                    streak = 0
                    time.sleep(0.25)
            yield base
        finally:
            load.stop_group(proc)
    log_path.unlink(missing_ok=True)


def measure(kinds: list[str], *, rounds: int, seconds: int, connections: int,
            warm_seconds: int, stream: int = 40_000,
            log: Any = print) -> dict[str, Any]:
    """Each app ``rounds`` times, interleaved; per app every run's req/s and p99."""
    wrk = load.ensure_wrk(log)
    if not wrk:
        raise load.LoadError("wrk is not available (apt-get install wrk)")
    bodies = [json.dumps(case, separators=(",", ":")).encode()
              for case in intake_stream(stream)]
    script = load.write_script(bodies)
    cores = load.cores_for_http()
    server_cores = cores["server_1"] if cores else None
    wrk_cores = cores["wrk"] if cores else None
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    with ExitStack() as stack:
        bases = {}
        for kind in kinds:
            log(f"  starting {kind}")
            bases[kind] = stack.enter_context(serving(kind, server_cores))
        offsets = dict.fromkeys(kinds, 0)
        for kind in kinds:  # every memory sees a like share of the stream first
            path = "/echo" if kind == "echo" else "/v1/advice"
            warm = warm_seconds if kind != "echo" else 1
            done = load.run_wrk(wrk, bases[kind] + path, script, connections, warm, 0,
                                wrk_cores)
            offsets[kind] = done["requests"]
        for number in range(rounds):
            log(f"  round {number + 1} of {rounds}")
            for kind in kinds:
                path = "/echo" if kind == "echo" else "/v1/advice"
                result = load.run_wrk(wrk, bases[kind] + path, script, connections,
                                      seconds, offsets[kind], wrk_cores)
                offsets[kind] += result["requests"]
                runs[kind].append(result)
    return {"runs": runs, "connections": connections, "seconds": seconds,
            "rounds": rounds, "cores": cores}


def summary(result: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per app: median and best req/s, median p99 (ms), errors."""
    out = {}
    for kind, runs in result["runs"].items():
        rates = [r["per_second"] for r in runs]
        out[kind] = {"median": statistics.median(rates), "best": max(rates),
                     "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
                     "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
                     "errors": sum(r["status_errors"] + r["timeouts"] + r["read_errors"]
                                   for r in runs)}
    return out


def targets(figures: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """The three HTTP targets of issue 24 on the medians of one run."""
    rows: list[dict[str, Any]] = []
    mine = figures.get("escalate")
    if mine is None:
        return rows
    if "before" in figures:
        ratio = mine["median"] / figures["before"]["median"]
        rows.append({"target": f"1 worker >= {TARGET_BEFORE}x the service before issue 12",
                     "figure": f"{ratio:.2f}x", "ok": ratio >= TARGET_BEFORE})
    if "echo" in figures:
        share = mine["median"] / figures["echo"]["median"]
        rows.append({"target": f"1 worker >= {TARGET_ECHO:.0%} of the echo",
                     "figure": f"{share:.0%}", "ok": share >= TARGET_ECHO})
    rows.append({"target": f"p99 < {TARGET_P99_MS:g} ms", "figure": f"{mine['p99_ms']:.1f} ms",
                 "ok": mine["p99_ms"] < TARGET_P99_MS})
    return rows


def render(result: dict[str, Any]) -> str:
    """A Markdown table of one run."""
    figures = summary(result)
    lines = [f"{result['rounds']} rounds of {result['seconds']} s per app, "
             f"{result['connections']} connections, interleaved; server and wrk pinned "
             f"to separate cores: {result['cores'] is not None}.", "",
             "| app | req/s (median) | best | vs escalate | p50 ms | p99 ms | errors |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    mine = figures.get("escalate", {}).get("median")
    for kind, f in figures.items():
        vs = f"{f['median'] / mine:.2f}x" if mine else ""
        lines.append(f"| {kind} | {f['median']:,.0f} | {f['best']:,.0f} | {vs} | "
                     f"{f['p50_ms']:.1f} | {f['p99_ms']:.1f} | {f['errors']:.0f} |")
    lines += ["", "| target | figure | verdict |", "|---|---|---|"]
    for row in targets(figures):
        lines.append(f"| {row['target']} | {row['figure']} | "
                     f"{'**pass**' if row['ok'] else '**MISS**'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_speed", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warm", type=int, default=4)
    parser.add_argument("--apps", default="before,escalate,echo",
                        help="comma-separated: before, escalate, echo, undo-<variant>")
    parser.add_argument("--variants", action="store_true",
                        help="add the shipped service with each of issue 24's changes undone")
    parser.add_argument("--json", type=Path, help="also write the raw runs here")
    args = parser.parse_args(argv)
    kinds = args.apps.split(",")
    if args.variants:
        kinds += [f"undo-{name}" for name in VARIANTS]
    load_seconds = args.rounds * args.seconds * len(kinds) + args.warm * len(kinds)
    if load_seconds > 120:
        parser.error(f"{load_seconds} s of load in all: keep each app's load under a "
                     "minute (fewer rounds or seconds)")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result = measure(kinds, rounds=args.rounds, seconds=args.seconds,
                     connections=args.connections, warm_seconds=args.warm, log=log)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
