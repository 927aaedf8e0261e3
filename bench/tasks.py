"""The in-process measurements, each run in a fresh process: ``python -m bench.tasks``.

The parent (``bench/__main__.py``) starts one process per task with a time limit, so a
rulebook that makes durable_rules hang or crash ends that task, not the benchmark, and
every memory figure comes from a process that did nothing else. Each task prints one
JSON object on its last line of output.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from bench.cases import generated_cases, intake_stream, shipped_cases
from bench.stats import CPU, Timing, measure, short_path, time_interleaved
from escalate import Advisor, Case, EngineError, EscalateError
from escalate.compiler import CompiledRulebook, Firing, reference_evaluation
from escalate.engine import orjson_in_use, use_orjson
from escalate.facts import nest
from escalate.letters import letters_for

RESULT_MARK = "BENCH-RESULT "


def rss_kib() -> int:
    """This process's resident set size (VmRSS), in KiB."""
    with open("/proc/self/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("VmRSS not found in /proc/self/status")


def pin_to_one_core() -> int | None:
    """Run this process on one core only; returns that core's number."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def _flatten(nested: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class ReferenceEngine:
    """Stands in for the engine inside an Advisor: the same compiled conditions, evaluated
    by :func:`reference_evaluation` (the floor). It takes the nested facts the engine takes
    and flattens them back, a cost of a few microseconds charged to the floor."""

    live_sessions = 0

    def __init__(self, compiled: CompiledRulebook) -> None:
        self.compiled = compiled

    def evaluate(self, facts: Mapping[str, Any]) -> Firing:
        return reference_evaluation(self.compiled, _flatten(facts))


def _timing(t: Timing) -> dict[str, float]:
    return {"calls": t.calls, "seconds": t.seconds, "per_second": t.per_second,
            "p50_us": t.p50_us, "p99_us": t.p99_us}


def _prepared(advisor: Advisor, raw: list[dict[str, Any]]) -> dict[str, list[Any]]:
    cases = [Case.model_validate(c) for c in raw]
    flat = [advisor.facts_for(c)[0] for c in cases]
    return {"cases": cases, "flat": flat, "nested": [nest(f) for f in flat]}


def _agreement(advisor: Advisor, data: dict[str, list[Any]]) -> tuple[int, int]:
    """How many cases the engine and the reference evaluation agree on (same rules fired).

    Raises EngineError, with how many cases failed, if the engine fails on any case.
    """
    same = failed = 0
    message = ""
    for flat, nested in zip(data["flat"], data["nested"], strict=True):
        try:
            engine = advisor.engine.evaluate(nested)
        except EngineError as error:
            failed += 1
            message = str(error)
            continue
        reference = reference_evaluation(advisor.compiled, flat)
        same += sorted(engine.rules_fired) == sorted(reference.rules_fired)
    if failed:
        raise EngineError(f"it loads, but the engine fails on {failed} of {len(data['flat'])} "
                          f"cases ({message})")
    return same, len(data["flat"])


def _fired(advisor: Advisor, data: dict[str, list[Any]]) -> float:
    return sum(len(reference_evaluation(advisor.compiled, f).rules_fired)
               for f in data["flat"]) / max(1, len(data["flat"]))


def _profile(advisor: Advisor, cases: list[Case], calls: int, top: int) -> list[dict[str, Any]]:
    """The functions where advise() spends its own time (cProfile, by total time)."""
    profile = cProfile.Profile()
    profile.enable()
    for i in range(calls):
        advisor.advise(cases[i % len(cases)])
    profile.disable()
    stats = pstats.Stats(profile, stream=io.StringIO())
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)  # type: ignore[attr-defined]
    for (file, line, name), (_cc, ncalls, tottime, cumtime, _callers) in entries[:top]:
        where = "(built-in)" if file == "~" else f"{short_path(file)}:{line}"
        rows.append({"function": name, "where": where, "calls_per_advice": ncalls / calls,
                     "own_share": tottime / total if total else 0.0,
                     "cumulative_us_per_advice": cumtime / calls * 1e6})
    return rows


# ---------------------------------------------------------------- tasks


def task_inproc(rules_dir: str, seconds: float, generated: int) -> dict[str, Any]:
    """The engine against the reference evaluation of the same compiled rules, on shipped
    and generated cases, pinned to one core (the engine's memory is not involved)."""
    core = pin_to_one_core()
    advisor = Advisor.from_directory(rules_dir)
    sets = {"shipped": shipped_cases(), "generated": generated_cases(generated)}
    out: dict[str, Any] = {"core": core, "rules": len(advisor.rulebook.rules),
                           "engine_rules": len(advisor.compiled.rules), "sets": {},
                           "orjson": orjson_in_use()}
    for name, raw in sets.items():
        data = _prepared(advisor, raw)
        same, total = _agreement(advisor, data)
        compiled = advisor.compiled
        engine = _timing(measure(advisor.engine.evaluate, data["nested"],
                                 min_seconds=seconds, clock=CPU))
        use_orjson(False)
        try:
            engine_json = _timing(measure(advisor.engine.evaluate, data["nested"],
                                          min_seconds=seconds, clock=CPU))
        finally:
            use_orjson(True)
        out["sets"][name] = {
            "cases": len(raw),
            "agreement": [same, total],
            "mean_rules_fired": _fired(advisor, data),
            "engine": engine,
            "engine_stdlib_json": engine_json,
            "reference": _timing(measure(partial(reference_evaluation, compiled),
                                         data["flat"], min_seconds=seconds, clock=CPU)),
        }
    out["live_sessions"] = advisor.engine.live_sessions
    return out


def _distinct_inputs(advisor: Advisor, cases: list[Case], limit: int) -> list[Case]:
    """The first ``limit`` cases whose engine inputs are all different."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for case in cases:
        key = advisor.compiled.engine_key(advisor.facts_for(case)[0])
        if key not in seen:
            seen.add(key)
            out.append(case)
            if len(out) == limit:
                break
    return out


def _repeats_within(advisor: Advisor, cases: list[Case], window: int) -> float:
    """Share of cases whose engine input occurred among the ``window`` cases before."""
    last: dict[tuple[Any, ...], int] = {}
    repeats = 0
    for i, case in enumerate(cases):
        key = advisor.compiled.engine_key(advisor.facts_for(case)[0])
        repeats += key in last and i - last[key] <= window
        last[key] = i
    return repeats / max(1, len(cases))


def _remembering(advisor: Advisor, run: Any) -> dict[str, Any]:
    """``run()``'s timing with the hit rate the engine's memory had during it."""
    before = advisor.memory.stats
    timing = _timing(run())
    after = advisor.memory.stats
    asked = (after.hits - before.hits) + (after.misses - before.misses)
    return {**timing, "hit_rate": (after.hits - before.hits) / asked if asked else 0.0}


def task_streams(rules_dir: str, seconds: float, distinct: int, warm: int,
                 measured: int) -> dict[str, Any]:
    """``advise()`` on three streams, each against the plain-Python floor and against
    advise() as it was before the engine's memory and orjson (\"today\"), one core."""
    core = pin_to_one_core()
    advisor = Advisor.from_directory(rules_dir)  # as shipped: memory on, orjson on
    today = Advisor(advisor.rulebook, cache_size=0)
    floor = Advisor(advisor.rulebook, cache_size=0)
    floor.engine = ReferenceEngine(floor.compiled)  # type: ignore[assignment]

    def validated(raw: list[dict[str, Any]]) -> list[Case]:
        return [Case.model_validate(c) for c in raw]

    generated = validated(generated_cases(int(distinct * 1.6)))
    intake = validated(intake_stream(warm + measured))
    streams: dict[str, dict[str, Any]] = {
        "distinct": {"cases": _distinct_inputs(advisor, generated, distinct), "warm": []},
        "realistic": {"cases": intake[warm:], "warm": intake[:warm]},
        "shipped": {"cases": validated(shipped_cases()), "warm": [], "loop": True},
    }
    out: dict[str, Any] = {"core": core, "memory_size": advisor.memory.stats.size,
                           "streams": {}}
    for name, stream in streams.items():
        cases: list[Case] = stream["cases"]
        looping = stream.get("loop", False)

        def timed(fn: Any, cases: list[Case] = cases) -> Timing:
            return measure(fn, cases, min_seconds=seconds, clock=CPU)

        advisor.memory.clear()
        for case in stream["warm"]:
            advisor.advise(case)
        result: dict[str, Any] = {"cases": len(cases), "warm": len(stream["warm"])}
        if looping:
            result["advise"] = _remembering(advisor, lambda: timed(advisor.advise))
            use_orjson(False)
            try:
                result["today"] = _timing(timed(today.advise))
            finally:
                use_orjson(True)
            result["floor"] = _timing(timed(floor.advise))
        else:
            # the three configurations take turns over the stream (bench/stats.py)
            before = advisor.memory.stats
            timings = time_interleaved(
                {"advise": advisor.advise, "today": today.advise, "floor": floor.advise},
                cases, around={"today": lambda on: use_orjson(not on)})
            after = advisor.memory.stats
            asked = (after.hits - before.hits) + (after.misses - before.misses)
            result.update((name, _timing(t)) for name, t in timings.items())
            result["advise"]["hit_rate"] = ((after.hits - before.hits) / asked
                                            if asked else 0.0)
        out["streams"][name] = result
    out["realistic_repeats"] = {
        str(window): _repeats_within(advisor, intake, window) for window in (4096, 16384)}
    out["realistic_distinct"] = len({advisor.compiled.engine_key(advisor.facts_for(c)[0])
                                     for c in intake})
    advisor.memory.clear()
    for case in intake[:warm]:
        advisor.advise(case)
    out["profile"] = _profile(advisor, intake[warm:], calls=min(3000, measured), top=14)
    out["live_sessions"] = advisor.engine.live_sessions
    return out


def task_scale(rules_dir: str, seconds: float, generated: int) -> dict[str, Any]:
    """Load a (generated) rulebook and time the same cases against it."""
    pin_to_one_core()
    started = time.perf_counter()
    try:  # memory off: this measures what the engine costs at each size
        advisor = Advisor.from_directory(rules_dir, cache_size=0)
    except EscalateError as error:
        return {"error": f"does not load: {error}", "stage": "load"}
    load_s = time.perf_counter() - started
    data = _prepared(advisor, shipped_cases() + generated_cases(generated))
    try:
        same, total = _agreement(advisor, data)
    except EngineError as error:
        return {"error": str(error), "stage": "evaluate", "rules": len(advisor.rulebook.rules),
                "engine_rules": len(advisor.compiled.rules)}
    compiled = advisor.compiled
    return {
        "rules": len(advisor.rulebook.rules),
        "engine_rules": len(advisor.compiled.rules),
        "load_seconds": load_s,
        "agreement": [same, total],
        "mean_rules_fired": _fired(advisor, data),
        "engine": _timing(measure(advisor.engine.evaluate, data["nested"],
                                  min_seconds=seconds, clock=CPU)),
        "reference": _timing(measure(lambda f: reference_evaluation(compiled, f), data["flat"],
                                     min_seconds=seconds, clock=CPU)),
        "advise": _timing(measure(advisor.advise, data["cases"], min_seconds=seconds, clock=CPU)),
        "rss_kib": rss_kib(),
    }


def task_memory(rules_dir: str, evaluations: int, warmup: int) -> dict[str, Any]:
    """RSS before any evaluation, once the engine's memory is full (distinct generated
    cases), and over ``evaluations`` advise() calls on the realistic stream after that."""
    pin_to_one_core()
    advisor = Advisor.from_directory(rules_dir)
    size = advisor.memory.stats.size
    filler = [Case.model_validate(c) for c in generated_cases(int(size * 1.4) + 1000)]
    stream = [Case.model_validate(c) for c in intake_stream(min(evaluations, 25_000))]
    before = rss_kib()
    filled = 0
    for case in filler:
        advisor.advise(case)
        filled += 1
        if advisor.memory.stats.entries >= size:
            break
    after_fill = rss_kib()
    checkpoints = []
    step = max(1, evaluations // 5)
    started = time.perf_counter()
    for i in range(evaluations):
        advisor.advise(stream[i % len(stream)])
        if (i + 1) % step == 0:
            checkpoints.append([i + 1, rss_kib()])
    seconds = time.perf_counter() - started
    stats = advisor.memory.stats
    return {"evaluations": evaluations, "fill_evaluations": filled,
            "memory_entries": stats.entries, "memory_size": size,
            "rss_before_kib": before, "rss_after_fill_kib": after_fill,
            "rss_after_kib": rss_kib(), "checkpoints": checkpoints, "seconds": seconds,
            "live_sessions": advisor.engine.live_sessions}


def _plain_reasons(advisor: Advisor) -> Advisor:
    """The same rulebook with every templated reason frozen to its generic wording: the
    baseline for what templated reasons cost."""
    from escalate.models import Reason

    plain = Advisor(advisor.rulebook)
    writer = plain._reasons
    for key, (text, source) in list(writer._templated.items()):
        writer._fixed[key] = Reason(text=text.fallback, source=source)
    writer._templated.clear()
    return plain


def task_letters(rules_dir: str, seconds: float, generated: int) -> dict[str, Any]:
    """Templated reasons against plain ones, and a letter per format against the advice
    it is built on, pinned to one core."""
    from escalate.letters import FORMATS, write_letter

    core = pin_to_one_core()
    advisor = Advisor.from_directory(rules_dir)
    plain = _plain_reasons(advisor)
    out: dict[str, Any] = {"core": core, "reasons": {}, "letters": {}}
    for name, raw in (("shipped", shipped_cases()), ("generated", generated_cases(generated))):
        cases = [Case.model_validate(c) for c in raw]
        out["reasons"][name] = {
            "cases": len(cases),
            "plain": _timing(measure(plain.advise, cases, min_seconds=seconds, clock=CPU)),
            "templated": _timing(measure(advisor.advise, cases, min_seconds=seconds,
                                         clock=CPU)),
        }
    cases = [Case.model_validate(c) for c in shipped_cases()]
    moves = sorted(letters_for(advisor).letters.letters)
    pairs = [(case, moves[i % len(moves)]) for i, case in enumerate(cases * 2)]
    out["letters"]["pairs"] = len(pairs)
    out["letters"]["advise"] = _timing(measure(advisor.advise, [c for c, _ in pairs],
                                               min_seconds=seconds, clock=CPU))
    for fmt in FORMATS:
        out["letters"][fmt] = _timing(measure(
            lambda pair, fmt=fmt: write_letter(pair[0], pair[1], fmt, advisor), pairs,
            min_seconds=seconds, min_calls=len(pairs), warmup=4, clock=CPU))
    return out


def task_asgi(calls: int) -> dict[str, Any]:
    """The service's request path driven through ASGI, without the network."""
    from bench import asgi

    bodies = [json.dumps(c).encode() for c in intake_stream(calls * 3)]
    return asgi.run(bodies, calls=calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tasks")
    parser.add_argument("task", choices=["inproc", "streams", "scale", "memory", "asgi",
                                         "letters", "explain"])
    parser.add_argument("--rules", required=True)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--generated", type=int, default=1000)
    parser.add_argument("--evaluations", type=int, default=50_000)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--distinct", type=int, default=3000)
    parser.add_argument("--warm", type=int, default=10_000)
    parser.add_argument("--measured", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.task == "inproc":
        result = task_inproc(args.rules, args.seconds, args.generated)
    elif args.task == "streams":
        result = task_streams(args.rules, args.seconds, args.distinct, args.warm,
                              args.measured)
    elif args.task == "scale":
        result = task_scale(args.rules, args.seconds, args.generated)
    elif args.task == "asgi":
        result = task_asgi(args.evaluations)
    elif args.task == "letters":
        result = task_letters(args.rules, args.seconds, args.generated)
    elif args.task == "explain":  # issue 13: explain=true, per shipped example
        from bench import explain

        pin_to_one_core()
        result = explain.run(args.rules, args.seconds, min_calls=100)
    else:
        result = task_memory(args.rules, args.evaluations, args.warmup)
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
