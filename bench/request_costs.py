"""What each of issue 24's changes saves per request, in process: ``python -m
bench.request_costs``.

The shipped app, the same app with one change undone (:mod:`bench.variants`) and the echo
app are driven through ASGI in one process, without the network (as :mod:`bench.asgi`),
on the realistic intake stream. The apps take turns every ``block`` requests (another
app first each time) and each request is timed in the thread's CPU time, so another
process taking the core is charged to no app and a slow spell falls on all alike; the
garbage collector runs between blocks, not within them. Optionally a cProfile of the shipped app's
requests names what is left. The event loop and the HTTP parser are not in this picture
(no server): :mod:`bench.http_speed` measures those, over the network.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import os
import pstats
import sys
import time
from typing import Any

from bench.asgi import _request
from bench.cases import intake_stream
from bench.stats import percentile, short_path


def _apps(names: list[str]) -> dict[str, Any]:
    from api.main import create_app
    from api.settings import load_settings
    from bench import variants
    from bench.echo_app import app as echo_app
    from escalate import get_advisor

    apps: dict[str, Any] = {}
    for name in names:
        if name == "echo":
            apps[name] = echo_app
        elif name == "shipped":
            apps[name] = create_app(load_settings(), advisor=get_advisor())
        else:
            apps[name] = variants.undone(name.removeprefix("undo-"),
                                         create_app(load_settings(), advisor=get_advisor()))
    return apps


async def _timed(app: Any, path: str, body: bytes) -> int:
    started = time.thread_time_ns()
    status = await _request(app, path, body)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return time.thread_time_ns() - started


def run(names: list[str], calls: int, block: int, profile: bool) -> dict[str, Any]:
    bodies = [json.dumps(c, separators=(",", ":")).encode() for c in intake_stream(calls)]
    real_stderr = sys.stderr
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the access log, one line a request
    try:
        apps = _apps(names)

        async def main() -> dict[str, Any]:
            times: dict[str, list[int]] = {name: [] for name in apps}
            async with _lifespans(apps):
                for name, app in apps.items():  # warm-up: every memory sees the stream
                    path = "/echo" if name == "echo" else "/v1/advice"
                    for body in bodies[: calls // 2]:
                        await _timed(app, path, body)
                order = list(apps)
                for number, start in enumerate(range(0, calls, block)):
                    turn = order[number % len(order):] + order[:number % len(order)]
                    for name in turn:  # each block, another app goes first
                        path = "/echo" if name == "echo" else "/v1/advice"
                        gc.collect()
                        gc.disable()  # a collection is charged to no app in particular
                        try:
                            for body in bodies[start:start + block]:
                                times[name].append(await _timed(apps[name], path, body))
                        finally:
                            gc.enable()
                top: list[dict[str, Any]] = []
                if profile and "shipped" in apps:
                    prof = cProfile.Profile()
                    prof.enable()
                    for body in bodies[: calls // 2]:
                        await _request(apps["shipped"], "/v1/advice", body)
                    prof.disable()
                    top = _top(prof, calls // 2, 22)
            return {"times": times, "profile": top}

        result = asyncio.run(main())
    finally:
        sys.stderr.close()
        sys.stderr = real_stderr
    out: dict[str, Any] = {"calls": calls, "block": block, "apps": {}, "profile":
                           result["profile"]}
    for name, values in result["times"].items():
        ordered = sorted(values)
        out["apps"][name] = {"mean_us": sum(ordered) / len(ordered) / 1000,
                             "p50_us": percentile(ordered, 0.5) / 1000,
                             "p99_us": percentile(ordered, 0.99) / 1000}
    return out


class _lifespans:
    """Every app's lifespan, entered together."""

    def __init__(self, apps: dict[str, Any]) -> None:
        self.contexts = [app.router.lifespan_context(app) for app in apps.values()]

    async def __aenter__(self) -> None:
        for context in self.contexts:
            await context.__aenter__()

    async def __aexit__(self, *exc: object) -> None:
        for context in reversed(self.contexts):
            await context.__aexit__(None, None, None)


def _top(profile: cProfile.Profile, calls: int, top: int) -> list[dict[str, Any]]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    return [{"function": name, "where": "(built-in)" if file == "~"
             else f"{short_path(file)}:{line}", "calls_per_request": ncalls / calls,
             "own_share": tottime / total if total else 0.0,
             "cumulative_us_per_request": cumtime / calls * 1e6}
            for (file, line, name), (_cc, ncalls, tottime, cumtime, _c) in sorted(
                raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]]


def render(result: dict[str, Any]) -> str:
    apps = result["apps"]
    base = apps.get("shipped", {}).get("mean_us")
    lines = [f"{result['calls']:,} requests per app through ASGI, taking turns every "
             f"{result['block']}; thread CPU time per request.", "",
             "| app | mean µs | p50 µs | p99 µs | vs shipped |", "|---|--:|--:|--:|--:|"]
    for name, f in apps.items():
        vs = f"{f['mean_us'] / base:.2f}x" if base else ""
        lines.append(f"| {name} | {f['mean_us']:.0f} | {f['p50_us']:.0f} | "
                     f"{f['p99_us']:.0f} | {vs} |")
    if result["profile"]:
        lines += ["", "| function | where | calls/request | own share | cumulative µs |",
                  "|---|---|--:|--:|--:|"]
        for r in result["profile"]:
            lines.append(f"| `{r['function']}` | {r['where']} | {r['calls_per_request']:.1f} "
                         f"| {r['own_share']:.1%} | {r['cumulative_us_per_request']:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_costs",
                                     description=__doc__)
    parser.add_argument("--apps", default="shipped,echo",
                        help="comma-separated: shipped, echo, undo-<variant>")
    parser.add_argument("--variants", action="store_true",
                        help="add the shipped app with each in-process change undone")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--block", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", type=str)
    args = parser.parse_args(argv)
    names = args.apps.split(",")
    if args.variants:
        from bench.variants import IN_PROCESS

        names += [f"undo-{name}" for name in IN_PROCESS]
    os.environ.setdefault("PYTHONHASHSEED", "0")
    result = run(names, args.calls, args.block, args.profile)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1)
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
