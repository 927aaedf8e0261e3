"""`escalate serve --workers 2` gives, under concurrent requests, exactly the advice one
in-process call gives, for every example case; its workers share the keep-alive
connections, a worker that dies is replaced and SIGTERM stops them all; and /healthz
answers while advice requests are in flight."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.load import free_port, serving, stop_group
from escalate import Advisor
from escalate.models import Case

ROUNDS = 4


@pytest.fixture(scope="module")
def two_workers() -> Iterator[str]:
    """Base URL of `escalate serve --workers 2` on a free local port, stopped afterwards."""
    with serving("escalate", 2) as base:
        yield base


def test_two_workers_give_the_in_process_advice_under_concurrency(
    two_workers: str, advisor: Advisor, examples: dict[str, dict[str, Any]]
) -> None:
    expected = {
        stem: advisor.advise(Case.model_validate(case)).model_dump(mode="json")
        for stem, case in examples.items()
    }
    jobs = [stem for _ in range(ROUNDS) for stem in examples]

    with httpx.Client(base_url=two_workers, timeout=60) as http:

        def ask(stem: str) -> tuple[str, int, Any]:
            response = http.post("/v1/advice", json=examples[stem])
            return stem, response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(ask, jobs))

        versions = {http.get("/readyz").json()["rules_version"] for _ in range(8)}

    assert len(results) == len(jobs)
    for stem, status, body in results:
        assert status == 200, (stem, body)
        assert body == expected[stem], stem
    assert versions == {advisor.rules_version}


# ------------------------------------------------------------ sharing the load

def _worker_of(connection: http.client.HTTPConnection) -> str:
    """The pid of the worker that answers on this (keep-alive) connection."""
    connection.request("GET", "/metrics")
    response = connection.getresponse()
    text = response.read().decode()
    assert response.status == 200
    found = re.search(r'escalate_worker_info\{pid="(\d+)"\}', text)
    assert found, "no escalate_worker_info in /metrics"
    return found.group(1)


def _workers_answering(port: int, connections: int = 32) -> list[str]:
    opened = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)
              for _ in range(connections)]
    try:
        first = [_worker_of(c) for c in opened]
        again = [_worker_of(c) for c in opened]
    finally:
        for connection in opened:
            connection.close()
    assert first == again  # each connection stayed open (keep-alive) on its worker
    return first


def test_keep_alive_connections_are_spread_over_the_workers(two_workers: str) -> None:
    port = int(two_workers.rsplit(":", 1)[1])
    answering = _workers_answering(port)
    assert len(set(answering)) == 2, answering


def test_a_dead_worker_is_replaced_and_the_server_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    with open(tmp_path / "server.log", "wb") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "escalate"), "serve", "--port", str(port),
             "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        workers = _wait_for(lambda: set(_workers_answering(port)), lambda w: len(w) == 2)
        victim = sorted(workers)[0]
        os.kill(int(victim), signal.SIGKILL)
        after = _wait_for(lambda: set(_workers_answering(port)),
                          lambda w: len(w) == 2 and victim not in w)
        assert len(after & workers) == 1  # the survivor kept serving
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert client.post("/v1/advice", json=CASE).status_code == 200

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        for pid in after:
            with pytest.raises(ProcessLookupError):
                os.kill(int(pid), 0)
    finally:
        stop_group(server)


def _wait_for(probe: Any, done: Any, seconds: float = 90) -> Any:
    """Call ``probe`` until ``done(result)``; fails after ``seconds`` (a liveness bound,
    not a timing claim)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = probe()
            if done(result):
                return result
        except (OSError, http.client.HTTPException):
            pass
        assert time.monotonic() < deadline, "the server did not get there"
        time.sleep(0.5)


# ------------------------------------------------------------ no hop

CASE = {"as_of": "2026-11-23", "student": {"has_iep": True},
        "concern": {"topic": "services", "school_response": "refused"}}


def test_healthz_answers_while_advice_requests_are_in_flight() -> None:
    """The advice runs on the event loop; between requests the loop still serves others."""
    with serving("escalate", 1) as base:
        stop = threading.Event()
        done: list[int] = []

        def keep_asking() -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                while not stop.is_set():
                    done.append(client.post("/v1/advice", json=CASE).status_code)

        askers = [threading.Thread(target=keep_asking) for _ in range(6)]
        for asker in askers:
            asker.start()
        try:
            _wait_for(lambda: len(done), lambda n: n >= 30)
            before = len(done)
            with httpx.Client(base_url=base, timeout=30) as client:
                health = [client.get("/healthz").status_code for _ in range(20)]
            during = len(done) - before
        finally:
            stop.set()
            for asker in askers:
                asker.join(timeout=60)
    assert health == [200] * 20
    assert during > 0  # advice kept being answered while /healthz was asked
    assert set(done) == {200}
