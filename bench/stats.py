"""Timing helpers: run a function over inputs, per-call latencies, rates and percentiles."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def measure(fn: Callable[[Any], Any], inputs: Sequence[Any], *, min_seconds: float,
            min_calls: int = 0, max_calls: int = 10_000_000, warmup: int = 50) -> Timing:
    """Call ``fn`` on ``inputs`` in turn until both minimums are met (bounded by max_calls).

    Each call is timed on its own (``perf_counter_ns``, well under a microsecond of
    overhead); the rate is calls over the wall time of the whole loop.
    """
    for i in range(min(warmup, len(inputs) * 2)):
        fn(inputs[i % len(inputs)])
    latencies: list[int] = []
    clock = time.perf_counter_ns
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


def time_each(fn: Callable[[Any], Any], inputs: Sequence[Any]) -> Timing:
    """Call ``fn`` once on each input, in order (a stream: nothing is repeated that the
    stream does not repeat itself), timing each call."""
    latencies: list[int] = []
    clock = time.perf_counter_ns
    started = clock()
    for item in inputs:
        t0 = clock()
        fn(item)
        latencies.append(clock() - t0)
    seconds = (clock() - started) / 1e9
    latencies.sort()
    return Timing(len(inputs), seconds, percentile(latencies, 0.50) / 1e3,
                  percentile(latencies, 0.99) / 1e3)
