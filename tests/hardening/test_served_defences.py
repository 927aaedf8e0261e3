"""The defences against slow and oversized clients, on a real served escalate (uvicorn):
the 413 reaches a client that sends its whole body before reading; slow headers and slow
bodies are cut off and their connections closed; memory stays bounded while many slow
clients trickle bodies; every log line the server writes is JSON."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from escalate.examples import example_cases

from ._served import Served, served

CASE = json.dumps(example_cases()["02_unanswered_concern"]).encode()
WAIT_S = 30  # generous: how long a test waits for the server to act, not a measurement


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("served"), header_timeout_s="1",
                body_timeout_s="2", max_connections="40") as running:
        yield running


def _connect(server: Served) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_S)
    return sock


def _closed_by_server(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (fails if it does not
    close within WAIT_S)."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except TimeoutError as error:
        raise AssertionError("the server kept the connection open") from error
    return received


def test_a_client_that_sends_a_3mb_body_before_reading_gets_the_413(server: Served) -> None:
    """Python's urllib writes the whole body, then reads: it must read a 413, never a
    reset connection (it did in two runs of three before the drain)."""
    body = b'{"case_id": "' + b"x" * 3_000_000 + b'"}'
    for _ in range(5):
        request = urllib.request.Request(server.base + "/v1/advice", data=body,
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=WAIT_S)  # noqa: S310
        assert refused.value.code == 413
        assert "over the limit" in json.loads(refused.value.read())["detail"]


def test_slow_headers_are_cut_off(server: Served) -> None:
    with _connect(server) as sock:
        sock.sendall(b"POST /v1/advice HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        assert _closed_by_server(sock) == b""


def test_slow_headers_on_a_kept_alive_connection_are_cut_off(server: Served) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while b'{"status":"ok"}' not in first:
            chunk = sock.recv(65536)
            assert chunk, "the server closed a healthy keep-alive connection"
            first += chunk
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # the next request's head, unfinished
        assert _closed_by_server(sock) == b""


def test_a_slow_body_gets_408_and_the_connection_is_closed(server: Served) -> None:
    with _connect(server) as sock:
        sock.sendall(b"POST /v1/advice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 100000\r\n\r\n{\"case_id\": \"")
        answer = _closed_by_server(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"did not arrive within" in answer


def _trickle(server: Served, size: int, stop_at: float) -> bytes:
    """Send a body of ``size`` bytes slowly: most of it at once, then a byte at a time
    until the server answers or closes."""
    with _connect(server) as sock:
        sock.sendall(b"POST /v1/advice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                     + f"\r\nContent-Length: {size}\r\n\r\n".encode())
        sent = 0
        try:
            sock.sendall(b" " * (size - 1000))
            sent = size - 1000
            sock.settimeout(0.2)
            while sent < size and time.monotonic() < stop_at:
                sock.sendall(b" ")
                sent += 1
                try:
                    answer = sock.recv(65536)
                except TimeoutError:
                    continue
                if not answer:
                    return b""  # closed
                sock.settimeout(WAIT_S)
                return answer + _closed_by_server(sock)  # the whole answer
        except (BrokenPipeError, ConnectionResetError):
            return b""
        sock.settimeout(WAIT_S)
        return _closed_by_server(sock)


def test_many_slow_bodies_keep_memory_bounded_and_are_all_closed(server: Served) -> None:
    """300 connections each trickling a 1 MB body once raised memory from 109 to 383 MB.
    Now each is cut off (408), or refused at once past the connection cap (503); memory
    grows by at most what the cap allows: max_connections bodies of max_body_bytes."""
    before = server.rss_kib()
    peak = before
    clients = 120
    stop_at = time.monotonic() + WAIT_S
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(_trickle, server, 1_000_000, stop_at) for _ in range(clients)]
        while not all(f.done() for f in futures):
            peak = max(peak, server.rss_kib())
            time.sleep(0.1)
        answers = [f.result() for f in futures]
    cap_kib = 40 * 1_048_576 // 1024
    print(f"rss before {before} KiB, peak {peak} KiB")
    assert peak - before < cap_kib + 64 * 1024, (before, peak)
    statuses = {a[:12] for a in answers}
    assert statuses <= {b"HTTP/1.1 408", b"HTTP/1.1 503", b""}, statuses
    assert any(a.startswith(b"HTTP/1.1 408") for a in answers)
    # And the service still answers afterwards.
    request = urllib.request.Request(server.base + "/v1/advice", data=CASE,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT_S) as response:  # noqa: S310
        assert response.status == 200


def test_every_log_line_is_json(tmp_path: Path) -> None:
    with served(tmp_path) as running:
        urllib.request.urlopen(running.base + "/healthz", timeout=WAIT_S).close()  # noqa: S310
        log = running.log
    text = log.read_text()
    lines = [line for line in text.splitlines() if line.strip()]
    assert any("uvicorn" in json.loads(line)["logger"] for line in lines), text[:2000]
    for line in lines:
        entry = json.loads(line)
        assert {"time", "level", "logger", "message"} <= set(entry), line


def test_a_client_without_a_key_that_sends_a_3mb_body_gets_the_401(tmp_path: Path) -> None:
    """The key is checked before the body is read; the body is then drained (bounded),
    so the client reads the 401 instead of a reset connection."""
    body = b"x" * 3_000_000
    with served(tmp_path, api_keys="right-key") as running:
        for key in (None, "wrong-key"):
            headers = {"Content-Type": "application/json"}
            if key:
                headers["X-API-Key"] = key
            request = urllib.request.Request(running.base + "/v1/advice", data=body,
                                             headers=headers)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=WAIT_S)  # noqa: S310
            assert refused.value.code == 401


def test_past_the_connection_cap_a_connection_gets_503_at_once(tmp_path: Path) -> None:
    holders = []
    with served(tmp_path, max_connections="10", max_connections_per_client="0",
                body_timeout_s="20") as running:
        try:
            for _ in range(10):  # the cap: each holds a slot, its body unsent
                sock = _connect(running)
                sock.sendall(b"POST /v1/advice HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             b"application/json\r\nContent-Length: 10\r\n\r\n")
                holders.append(sock)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(running.base + "/healthz", timeout=WAIT_S)  # noqa: S310
            assert refused.value.code == 503
            headers = refused.value.headers
            assert headers["Retry-After"] and headers["Cache-Control"] == "no-store"
            assert headers["X-Content-Type-Options"] == "nosniff"
        finally:
            for sock in holders:
                sock.close()
        # Once they are gone, the service answers again.
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                with urllib.request.urlopen(running.base + "/healthz",  # noqa: S310
                                            timeout=WAIT_S) as ok:
                    assert ok.status == 200
                    break
            except urllib.error.HTTPError as error:
                assert error.code == 503 and time.monotonic() < deadline
                time.sleep(0.2)
