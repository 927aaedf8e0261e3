"""Timing helpers: run a function over inputs, per-call latencies, rates and percentiles."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timing:
    """What one measured loop gave."""

    calls: int
    seconds: float
    p50_us: float
    p99_us: float

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return 0.0
    rank = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[rank]


# The clock of the in-process figures: the CPU time of the calling thread. The process is
# pinned to one core that other work on a shared machine may also take; wall time would
# charge those moments to whichever configuration happened to run then, CPU time charges
# each configuration only its own work (interpreter, engine, garbage collection alike).
CPU = time.thread_time_ns
WALL = time.perf_counter_ns


def measure(fn: Callable[[Any], Any], inputs: Sequence[Any], *, min_seconds: float,
            min_calls: int = 0, max_calls: int = 10_000_000, warmup: int = 50,
            clock: Callable[[], int] = WALL) -> Timing:
    """Call ``fn`` on ``inputs`` in turn until both minimums are met (bounded by max_calls).

    Each call is timed on its own (``clock``: wall time by default, well under a
    microsecond of overhead); the rate is calls over the ``clock`` time of the whole loop.
    """
    for i in range(min(warmup, len(inputs) * 2)):
        fn(inputs[i % len(inputs)])
    latencies: list[int] = []
    started = clock()
    deadline = started + int(min_seconds * 1e9)
    calls = 0
    while calls < max_calls:
        for item in inputs:
            t0 = clock()
            fn(item)
            latencies.append(clock() - t0)
        calls += len(inputs)
        if calls >= min_calls and clock() >= deadline:
            break
    seconds = (clock() - started) / 1e9
    latencies.sort()
    return Timing(calls, seconds, percentile(latencies, 0.50) / 1e3,
                  percentile(latencies, 0.99) / 1e3)


def time_interleaved(runs: Mapping[str, Callable[[Any], Any]], inputs: Sequence[Any], *,
                     chunk: int = 200, clock: Callable[[], int] = CPU,
                     around: Mapping[str, Callable[[bool], None]] | None = None
                     ) -> dict[str, Timing]:
    """Several configurations over the same stream, a chunk at a time each in turn.

    Each configuration sees every input once, in stream order (its own memory fills as the
    stream's would), but the configurations take turns every ``chunk`` inputs: a slow
    spell of the machine falls on all of them alike, so their ratio holds where two runs
    one after the other would not. ``around[name](True)`` is called before each of that
    configuration's turns and ``around[name](False)`` after it (a switch such as the
    JSON library durable_rules uses).
    """
    latencies: dict[str, list[int]] = {name: [] for name in runs}
    totals = dict.fromkeys(runs, 0)
    for start in range(0, len(inputs), chunk):
        part = inputs[start:start + chunk]
        for name, fn in runs.items():
            switch = (around or {}).get(name)
            if switch:
                switch(True)
            try:
                own = latencies[name]
                began = clock()
                for item in part:
                    t0 = clock()
                    fn(item)
                    own.append(clock() - t0)
                totals[name] += clock() - began
            finally:
                if switch:
                    switch(False)
    out = {}
    for name, own in latencies.items():
        own.sort()
        out[name] = Timing(len(own), totals[name] / 1e9, percentile(own, 0.50) / 1e3,
                           percentile(own, 0.99) / 1e3)
    return out


def short_path(path: str) -> str:
    """A source path without the machine-specific prefix."""
    found = re.search(r"(?:site-packages|python3\.\d+)/(.+)$", path)
    if found:
        return found.group(1)
    root = str(Path(__file__).resolve().parent.parent) + "/"
    return path[len(root):] if path.startswith(root) else Path(path).name
