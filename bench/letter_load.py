"""Advice latency with PDF letters rendering beside it (issue 20): the served service's
POST /v1/advice p50/p99 alone, then while clients keep asking for PDF letters, which
render in the bounded process pool (api/render.py) and never on the event loop.

Reported as figures and the ratio loaded / alone, with the letters' own throughput and
how many were refused 503 (the pool full). Never asserted in tests.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from typing import Any
from urllib.parse import urlparse

from bench import load
from bench.cases import shipped_cases

LETTER_PATH = "/v1/letters/written_concern?format=pdf"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def _connection(base: str) -> http.client.HTTPConnection:
    url = urlparse(base)
    return http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)


def _post(conn: http.client.HTTPConnection, path: str, body: bytes) -> int:
    conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status


def _advice_latencies(base: str, bodies: list[bytes], seconds: float) -> list[float]:
    """Milliseconds of each POST /v1/advice, one keep-alive connection, for ``seconds``."""
    conn = _connection(base)
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
        started = time.perf_counter()
        status = _post(conn, "/v1/advice", bodies[i % len(bodies)])
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise load.LoadError(f"advice answered {status} under letter load")
        i += 1
    conn.close()
    return latencies


def _letters(base: str, body: bytes, stop: threading.Event, counts: dict[int, int],
             lock: threading.Lock) -> None:
    conn = _connection(base)
    while not stop.is_set():
        try:
            status = _post(conn, LETTER_PATH, body)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = _connection(base)
            continue
        with lock:
            counts[status] = counts.get(status, 0) + 1
        if status == 503:
            time.sleep(0.05)  # as a client honouring Retry-After would, only sooner
    conn.close()


def measure(seconds: float, letter_clients: int = 4) -> dict[str, Any]:
    """Advice p50/p99 alone and with ``letter_clients`` clients asking for PDF letters."""
    cases = shipped_cases()
    bodies = [json.dumps(case).encode() for case in cases]
    letter_body = json.dumps(cases[0]).encode()
    with load.serving("escalate", 1) as base:
        warm = _connection(base)
        _post(warm, LETTER_PATH, letter_body)  # start the render process
        warm.close()
        _advice_latencies(base, bodies, 1.0)  # warm the engine's memory
        alone = _advice_latencies(base, bodies, seconds)
        stop, lock = threading.Event(), threading.Lock()
        counts: dict[int, int] = {}
        threads = [threading.Thread(target=_letters, args=(base, letter_body, stop, counts,
                                                           lock), daemon=True)
                   for _ in range(letter_clients)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        loaded = _advice_latencies(base, bodies, seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    figures = {
        "alone": {"n": len(alone), "p50": _percentile(alone, 0.5),
                  "p99": _percentile(alone, 0.99)},
        "loaded": {"n": len(loaded), "p50": _percentile(loaded, 0.5),
                   "p99": _percentile(loaded, 0.99)},
        "letter_clients": letter_clients,
        "letters": {str(k): v for k, v in sorted(counts.items())},
        "letters_per_s": counts.get(200, 0) / seconds,
        "seconds": seconds,
    }
    return figures
