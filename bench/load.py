"""The HTTP measurement: ``wrk`` against the real service and against the echo baseline.

Both are served by uvicorn on 127.0.0.1, on a free port, with the same worker count; each
server runs in its own process group, is given a bounded time to start, and is always
stopped (SIGTERM, then SIGKILL) when its measurement ends or fails.
"""

from __future__ import annotations

import json
import os
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


@contextmanager
def serving(kind: str, workers: int) -> Iterator[str]:
    """Serve ``kind`` ("escalate" or "echo") with ``workers`` workers; yield its base URL.

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
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file,
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
            yield base
        finally:
            stop_group(proc)
    log_path.unlink(missing_ok=True)  # the access log is scratch; keep it only on failure


def _lua_string(text: str) -> str:
    level = "=" * 4
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def write_script(bodies: list[bytes]) -> Path:
    """A wrk Lua script that POSTs ``bodies`` in turn and prints a JSON summary."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "post.lua"
    entries = ",\n".join(f"  {_lua_string(b.decode())}" for b in bodies)
    path.write_text(f"""-- generated by bench/load.py
local bodies = {{
{entries}
}}
local requests = {{}}
local i = 0

init = function(args)
  for n, body in ipairs(bodies) do
    requests[n] = wrk.format("POST", nil, {{["Content-Type"] = "application/json"}}, body)
  end
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


def run_wrk(wrk: str, url: str, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    """One wrk run (one thread, so the load generator takes as little CPU as it can)."""
    command = [wrk, "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "--latency", "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARK):
            result: dict[str, Any] = json.loads(line[len(WRK_MARK):])
            result["per_second"] = result["requests"] / (result["duration_us"] / 1e6)
            result["connections"] = connections
            return result
    raise LoadError(f"wrk gave no summary (exit {done.returncode}): {done.stderr.strip()[:300]}")


def check_answers(base: str, bodies: list[bytes], expected: list[Any]) -> int:
    """POST each body once; count answers identical to the in-process advice."""
    same = 0
    for body, want in zip(bodies, expected, strict=True):
        status, got = post_json(base + "/v1/advice", body)
        same += status == 200 and got == want
    return same


def measure_http(wrk: str, bodies: list[bytes], expected: list[Any], *,
                 workers_list: tuple[int, ...], connections: tuple[int, ...], seconds: int,
                 log: Any = print) -> list[dict[str, Any]]:
    """Every (app, workers, connections) combination; one server start per app and count."""
    script = write_script(bodies)
    rows: list[dict[str, Any]] = []
    for workers in workers_list:
        for kind, path in (("escalate", "/v1/advice"), ("echo", "/echo")):
            log(f"  http: {kind} with {workers} worker(s)")
            with serving(kind, workers) as base:
                checked = check_answers(base, bodies, expected) if kind == "escalate" else None
                run_wrk(wrk, base + path, script, 8, 2)  # warm-up, not recorded
                for conns in connections:
                    result = run_wrk(wrk, base + path, script, conns, seconds)
                    result.update(app=kind, workers=workers, checked=checked)
                    rows.append(result)
    return rows
