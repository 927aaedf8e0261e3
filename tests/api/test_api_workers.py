"""`escalate serve --workers 2` gives, under concurrent requests, exactly the advice one
in-process call gives, for every example case."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from escalate import Advisor
from escalate.models import Case

ESCALATE_BIN = Path(sys.executable).parent / "escalate"
START_TIMEOUT_S = 90
ROUNDS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `escalate serve --workers 2` on a free local port, stopped afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    log_path = tmp_path_factory.mktemp("serve") / "stderr.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [str(ESCALATE_BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,  # its own process group, so the workers stop with it
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"escalate serve exited with {proc.returncode}: {log_path.read_text()[-2000:]}"
                )
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"escalate serve was not ready within {START_TIMEOUT_S}s")
            time.sleep(0.3)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


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
