"""The HTTP measurement: ``wrk`` against the real service and against the echo baseline.

Both are served by uvicorn on 127.0.0.1, on a free port, with the same worker count; each
server runs in its own process group, is given a bounded time to start, and is always
stopped (SIGTERM, then SIGKILL) when its measurement ends or fails.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "_work"
START_TIMEOUT_S = 60
WRK_MARK = "WRKJSON "
# wrk runs at this nice value where the process may raise its priority (as root). On a
# 2-core machine two workers share a core with wrk; at equal priority the scheduler lets a
# busy worker hold that core while wrk waits to send the next requests, so the other
# worker idles for want of load and the figure measures the generator, not the service.
WRK_NICE = -10
# The process group of each server being served, by base URL (for its CPU time).
_GROUPS: dict[str, int] = {}
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class LoadError(RuntimeError):
    """A server or the load generator did not do what the measurement needs."""


def ensure_wrk(log: Any = print) -> str | None:
    """The path of ``wrk``, installing Debian's package if it is missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if not apt:
        log("wrk is not installed and apt-get is not available")
        return None
    log("wrk is not installed; installing Debian's wrk package with apt-get")
    try:
        policy = subprocess.run(["apt-cache", "policy", "wrk"], capture_output=True,
                                text=True, timeout=60)
        if "Candidate:" not in policy.stdout or "Candidate: (none)" in policy.stdout:
            subprocess.run([apt, "update", "-qq"], capture_output=True, timeout=300,
                           check=False)
        subprocess.run([apt, "install", "-y", "-qq", "wrk"], capture_output=True, timeout=300,
                       check=False, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except (OSError, subprocess.SubprocessError) as error:
        log(f"could not install wrk: {type(error).__name__}")
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def post_json(url: str, body: bytes, timeout: float = 10.0) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), json.loads(error.read() or b"null")


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (uvicorn and its workers): TERM, then KILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def cores_for_http() -> dict[str, str] | None:
    """Which cores the server and wrk are pinned to (taskset lists), or None when the
    machine does not allow it (fewer than 2 usable cores, or no taskset)."""
    if not hasattr(os, "sched_getaffinity") or not shutil.which("taskset"):
        return None
    usable = sorted(os.sched_getaffinity(0))
    if len(usable) < 2:
        return None
    return {"wrk": str(usable[0]), "server_1": str(usable[1]),
            "server_2": f"{usable[0]},{usable[1]}"}


def _pinned(command: list[str], cores: str | None) -> list[str]:
    return ["taskset", "-c", cores, *command] if cores else command


def _prioritised(command: list[str]) -> list[str]:
    """``command`` under ``nice -n WRK_NICE`` where this process may raise a priority
    (root), else as it is."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("nice"):
        return ["nice", "-n", str(WRK_NICE), *command]
    return command


def wrk_priority() -> int:
    """The nice value wrk runs at (0: the default, when it cannot be raised)."""
    return WRK_NICE if _prioritised(["x"]) != ["x"] else 0


def group_cpu_seconds(base: str) -> float | None:
    """The CPU time (user + system) used so far by the live processes of the server
    serving ``base`` (its process group: the supervisor and every worker), from /proc;
    None when it cannot be read."""
    group = _GROUPS.get(base)
    if group is None or not os.path.isdir("/proc"):
        return None
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / _TICK


@contextmanager
def serving(kind: str, workers: int, cores: str | None = None) -> Iterator[str]:
    """Serve ``kind`` ("escalate", "before" or "echo") with ``workers`` workers, pinned to
    ``cores`` (a taskset list) when given; yield its base URL.

    Ready means the readiness URL answered on ``workers * 4`` fresh connections in a row,
    so that every worker has most likely started accepting.
    """
    port = free_port()
    WORK.mkdir(parents=True, exist_ok=True)
    log_path = WORK / f"server_{kind}_{workers}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    if kind == "escalate":
        command = [str(Path(sys.executable).parent / "escalate"), "serve", "--host",
                   "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        ready = "/readyz"
    elif kind == "before":
        # The service as it was before issue 12 (bench/before_app.py), same runner.
        command = [sys.executable, "-c",
                   "from api.server import serve; serve('bench.before_app:create_before_app',"
                   f" host='127.0.0.1', port={port}, workers={workers}, factory=True, "
                   "log_level='info', loop='asyncio', parser='h11')"]  # as served then
        ready = "/readyz"
    else:
        # The same runner as `escalate serve` (api.server.serve), so the baseline gets the
        # same uvicorn configuration, socket handling and worker count.
        command = [sys.executable, "-c",
                   "from api.server import serve; serve('bench.echo_app:app', "
                   f"host='127.0.0.1', port={port}, workers={workers}, factory=False, "
                   "log_level='info')"]
        ready = "/healthz"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(_pinned(command, cores), cwd=ROOT, env=env, stdout=log_file,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            streak = 0
            while streak < workers * 4:
                if proc.poll() is not None:
                    raise LoadError(f"{kind} server exited with status {proc.returncode} "
                                    f"during start-up (see {log_path})")
                if time.monotonic() > deadline:
                    raise LoadError(f"{kind} server not ready within {START_TIMEOUT_S}s")
                try:
                    streak = streak + 1 if _get(base + ready) == 200 else 0
                except (OSError, urllib.error.URLError):
                    streak = 0
                    time.sleep(0.25)
            _GROUPS[base] = proc.pid
            yield base
        finally:
            _GROUPS.pop(base, None)
            stop_group(proc)
    log_path.unlink(missing_ok=True)  # the access log is scratch; keep it only on failure


def write_script(bodies: list[bytes]) -> Path:
    """A wrk Lua script that POSTs ``bodies`` (one JSON document a line in a file next to
    it) in turn, from the offset given after ``--``, and prints a JSON summary."""
    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / "bodies.jsonl"
    data.write_bytes(b"\n".join(bodies) + b"\n")
    path = WORK / "post.lua"
    path.write_text(f"""-- generated by bench/load.py
local requests = {{}}
local i = 0

init = function(args)
  for body in io.lines("{data}") do
    requests[#requests + 1] = wrk.format("POST", nil,
      {{["Content-Type"] = "application/json"}}, body)
  end
  i = (tonumber(args[1]) or 0) % #requests
end

request = function()
  i = i % #requests + 1
  return requests[i]
end

done = function(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    '{WRK_MARK}{{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "status_errors": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
""", encoding="utf-8")
    return path


def run_wrk(wrk: str, url: str, script: Path, connections: int, seconds: int,
            offset: int = 0, cores: str | None = None) -> dict[str, Any]:
    """One wrk run (one thread, pinned to ``cores`` when given), starting at body
    ``offset``; its summary, plus the share of a core wrk itself used."""
    command = _prioritised(_pinned([wrk, "-t", "1", "-c", str(connections), "-d",
                                    f"{seconds}s", "--timeout", "10s", "--latency", "-s",
                                    str(script), url, "--", str(offset)], cores))
    base = "/".join(url.split("/", 3)[:3])  # the server's base URL (scheme://host:port)
    server_before = group_cpu_seconds(base)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = group_cpu_seconds(base)
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARK):
            result: dict[str, Any] = json.loads(line[len(WRK_MARK):])
            result["per_second"] = result["requests"] / (result["duration_us"] / 1e6)
            result["connections"] = connections
            result["wrk_core_share"] = ((after.ru_utime - used.ru_utime)
                                        + (after.ru_stime - used.ru_stime)) / wall
            if server_before is not None and server_after is not None:
                # the cores the server's processes used during the run (wrk's start and
                # stop included: a slight underestimate of the busy share)
                result["server_cores_used"] = (server_after - server_before) / wall
            return result
    raise LoadError(f"wrk gave no summary (exit {done.returncode}): {done.stderr.strip()[:300]}")


def check_answers(base: str, bodies: list[bytes], expected: list[Any]) -> int:
    """POST each body once; count answers identical to the in-process advice."""
    same = 0
    for body, want in zip(bodies, expected, strict=True):
        status, got = post_json(base + "/v1/advice", body)
        same += status == 200 and got == want
    return same


def memory_counts(base: str, workers: int) -> tuple[float, float]:
    """The engine memory's (hits, misses) so far, summed over the workers: /metrics is
    asked on fresh connections until every worker (by its pid) has answered."""
    seen: dict[str, tuple[float, float]] = {}
    for _ in range(workers * 20):
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:  # noqa: S310
            text = response.read().decode()
        pid = re.search(r'^escalate_worker_info\{pid="(\d+)"\}', text, re.M)
        counts = []
        for name in ("hits", "misses"):
            match = re.search(rf"^escalate_engine_cache_{name}_total (\S+)$", text, re.M)
            counts.append(float(match.group(1)) if match else 0.0)
        seen[pid.group(1) if pid else "?"] = (counts[0], counts[1])
        if len(seen) >= workers:
            break
    return sum(h for h, _ in seen.values()), sum(m for _, m in seen.values())


# Each measurement is the better of TRIES consecutive wrk runs: on a shared machine another
# job taking the server's core for a moment otherwise decides the figure.
TRIES = 2

# (app, workers, connection counts): the runs, in order; one server start per app and count.
PLAN: tuple[tuple[str, int, tuple[int, ...]], ...] = (
    ("before", 1, (8, 32)),
    ("escalate", 1, (1, 8, 32)),
    ("echo", 1, (8, 32)),
    ("escalate", 2, (8, 32)),
    ("echo", 2, (8, 32)),
)


def measure_http(wrk: str, bodies: list[bytes], checks: list[tuple[bytes, Any]], *,
                 seconds: int, warm_seconds: int, log: Any = print) -> dict[str, Any]:
    """Every run of :data:`PLAN`, server and wrk pinned to separate cores where possible.

    The bodies are a stream; each run continues where the previous one on the same
    server stopped, so the engine's memory sees the stream as an intake service would.
    The service is warmed up for ``warm_seconds`` per worker first (so that each worker's
    memory holds a comparable share of the stream); the hit rate of each run is read from
    every worker's /metrics.
    """
    script = write_script(bodies)
    cores = cores_for_http()
    rows: list[dict[str, Any]] = []
    checked: dict[str, int] = {}
    for kind, workers, connections in PLAN:
        server_cores = cores[f"server_{workers}"] if cores else None
        wrk_cores = cores["wrk"] if cores else None
        log(f"  http: {kind} with {workers} worker(s)")
        path = "/echo" if kind == "echo" else "/v1/advice"
        with serving(kind, workers, server_cores) as base:
            if kind != "echo":
                checked[f"{kind} x{workers}"] = check_answers(
                    base, [b for b, _ in checks], [e for _, e in checks])
            warm = warm_seconds * workers if kind == "escalate" else 2
            offset = run_wrk(wrk, base + path, script, 8, warm, 0, wrk_cores)["requests"]
            for conns in connections:
                tries = []
                for _ in range(TRIES):
                    counts = memory_counts(base, workers) if kind == "escalate" else None
                    result = run_wrk(wrk, base + path, script, conns, seconds, offset,
                                     wrk_cores)
                    offset += result["requests"]
                    if counts is not None:
                        hits, misses = memory_counts(base, workers)
                        asked = (hits - counts[0]) + (misses - counts[1])
                        result["hit_rate"] = (hits - counts[0]) / asked if asked else None
                    tries.append(result)
                best = max(tries, key=lambda r: r["per_second"])
                best.update(app=kind, workers=workers, server_cores=server_cores,
                            wrk_cores=wrk_cores, tries=[r["per_second"] for r in tries])
                rows.append(best)
    return {"rows": rows, "checked": checked, "checks": len(checks), "cores": cores,
            "wrk_nice": wrk_priority()}
