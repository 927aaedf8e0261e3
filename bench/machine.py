"""A short description of the machine the benchmark ran on, and how much more work its
two cores do together than one (:func:`cpu_scaling`)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from typing import Any

from bench import load


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> list[tuple[str, str]]:
    """(label, value) pairs for the results table."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return [
        ("CPU", _cpu_model()),
        ("cores", f"{os.cpu_count()} logical ({usable} usable by this process)"),
        ("RAM", _ram_gib()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
        ("durable-rules", _version("durable-rules")),
        ("fastapi / uvicorn / pydantic",
         f"{_version('fastapi')} / {_version('uvicorn')} / {_version('pydantic')}"),
    ]


SPIN = ("import time\nt = time.perf_counter()\nn = 0\nwhile time.perf_counter() - t < {s}:\n"
        "    for i in range(10000):\n        n += 1\nprint(n)\n")


def cpu_scaling(seconds: float) -> dict[str, Any]:
    """How much more pure-Python work two busy cores do than one: the same spin loop
    alone on one core, then on two cores at once (each pinned). Two vCPUs that share a
    physical core give well under 2x; the 2-worker figures cannot do better."""
    cores = load.cores_for_http()
    if not cores:
        return {"error": "cannot pin to two cores here"}
    code = SPIN.format(s=seconds)

    def spin(core: str) -> subprocess.Popen[str]:
        return subprocess.Popen(["taskset", "-c", core, sys.executable, "-c", code],
                                stdout=subprocess.PIPE, text=True)

    # the better of the two cores alone (a shared machine may slow one of them)
    alone = max(int(spin(core).communicate()[0]) for core in (cores["wrk"], cores["server_1"]))
    pair = [spin(cores["wrk"]), spin(cores["server_1"])]
    together = sum(int(p.communicate()[0]) for p in pair)
    return {"alone": alone, "together": together, "factor": together / alone}
