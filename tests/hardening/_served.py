"""``escalate serve`` in a subprocess with chosen ``ESCALATE_*`` settings, its log kept in
a file the test can read; always stopped (its whole process group)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.load import free_port, stop_group

ROOT = Path(__file__).resolve().parents[2]
ESCALATE = Path(sys.executable).parent / "escalate"


@dataclass
class Served:
    base: str
    port: int
    pid: int
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def rss_kib(self) -> int:
        """Resident memory of the server process, in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS for the server")


def _ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=2) as response:  # noqa: S310
            return int(response.status) == 200
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def served(tmp: Path, **settings: str) -> Iterator[Served]:
    """Serve with ``ESCALATE_<NAME>=value`` for each keyword (one worker)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    env.update({f"ESCALATE_{name.upper()}": value for name, value in settings.items()})
    log = tmp / f"server-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(ESCALATE), "serve", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _ready(base):
            if proc.poll() is not None:
                raise AssertionError(f"escalate serve exited: {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError("escalate serve was not ready in time")
            time.sleep(0.2)
        yield Served(base=base, port=port, pid=proc.pid, log=log)
    finally:
        stop_group(proc)
