"""Where a request's time goes inside the service, without the network.

The real app and the echo app are driven directly through ASGI in one process (the same
middlewares, routing, validation, advice and response encoding as under uvicorn, minus
the HTTP parsing and the socket). A cProfile run of the same loop (the advice runs on the
event loop, so the profiler sees it) names the functions that cost the most. The bodies
are a stream of distinct realistic cases, so the engine's memory works as in service.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.stats import percentile, short_path

Asgi = Callable[..., Any]


async def _request(app: Asgi, path: str, body: bytes) -> int:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }
    delivered = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _loop(app: Asgi, path: str, bodies: list[bytes], calls: int) -> list[float]:
    latencies = []
    for i in range(calls):
        started = time.perf_counter()
        status = await _request(app, path, bodies[i % len(bodies)])
        latencies.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status} in the ASGI loop")
    return latencies


def _summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {"mean_us": sum(ordered) / len(ordered) * 1e6,
            "p50_us": percentile(ordered, 0.5) * 1e6, "p99_us": percentile(ordered, 0.99) * 1e6}


def _phases(bodies: list[bytes], calls: int) -> dict[str, float]:
    """Mean microseconds of the library's parts of one request."""
    from escalate import Case, get_advisor

    advisor = get_advisor()
    out: dict[str, float] = {}
    cases = [Case.model_validate_json(b) for b in bodies]
    advices = [advisor.advise(c) for c in cases]
    parts: dict[str, Callable[[int], Any]] = {
        "Case.model_validate_json (parse + validate)": lambda i: Case.model_validate_json(
            bodies[i % len(bodies)]),
        "Advisor.advise (facts, clocks, engine, ranking)": lambda i: advisor.advise(
            cases[i % len(cases)]),
        "Engine.evaluate alone (advise() above mostly hits its memory)":
            lambda i: advisor.engine.evaluate(_nested[i % len(_nested)]),
        "Advice.model_dump_json (response encoding)": lambda i: advices[
            i % len(advices)].model_dump_json(),
    }
    from escalate.facts import nest

    _nested = [nest(advisor.facts_for(c)[0]) for c in cases]
    for name, fn in parts.items():
        started = time.perf_counter()
        for i in range(calls):
            fn(i)
        out[name] = (time.perf_counter() - started) / calls * 1e6
    return out


def run(bodies: list[bytes], calls: int = 2000, top: int = 16) -> dict[str, Any]:
    """The ASGI timings of both apps, the library's phases and the profile's top entries."""
    from api.main import create_app
    from api.settings import load_settings
    from bench.echo_app import app as echo_app
    from escalate import get_advisor

    real_stderr = sys.stderr
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the access log, one line a request
    try:
        app = create_app(load_settings(), advisor=get_advisor())

        async def main() -> dict[str, Any]:
            async with app.router.lifespan_context(app):
                await _loop(app, "/v1/advice", bodies, 200)
                await _loop(echo_app, "/echo", bodies, 200)
                real = _summary(await _loop(app, "/v1/advice", bodies, calls))
                echo = _summary(await _loop(echo_app, "/echo", bodies, calls))
                profile = cProfile.Profile()
                profile.enable()
                await _loop(app, "/v1/advice", bodies, calls // 2)
                profile.disable()
                return {"asgi_escalate": real, "asgi_echo": echo,
                        "profile": _top(profile, calls // 2, top)}

        result = asyncio.run(main())
    finally:
        sys.stderr.close()
        sys.stderr = real_stderr
    result["phases_us"] = _phases(bodies, calls)
    json.dumps(result)  # must be plain data
    return result


def _top(profile: cProfile.Profile, calls: int, top: int) -> list[dict[str, Any]]:

    stats = pstats.Stats(profile, stream=io.StringIO())
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    rows = []
    for (file, line, name), (_cc, ncalls, tottime, cumtime, _c) in sorted(
            raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]:
        rows.append({"function": name, "where": "(built-in)" if file == "~"
                     else f"{short_path(file)}:{line}",
                     "calls_per_request": ncalls / calls,
                     "own_share": tottime / total if total else 0.0,
                     "cumulative_us_per_request": cumtime / calls * 1e6})
    return rows
