"""The served protocol and event loop (issue 24): uvicorn's httptools protocol on uvloop
when they are installed (they are dependencies), with the same defences as the h11 one.

On a real served escalate: the start-up line names the event loop; a request head over
h11's bound (16 KiB) is answered 400 with the service's headers and closed, one under it
is served; pipelined requests are all answered, and the header deadline still closes the
connection once they are. The slow-client defences are tested on the same server by
tests/hardening/test_served_defences.py and test_served_fairness.py.
"""

from __future__ import annotations

import importlib.util
import json
import socket
from collections.abc import Iterator

import pytest

from api.protocol import HeaderTimeoutH11Protocol, protocol_class

from ._served import Served, served

WAIT_S = 30  # how long a test waits for the server to act, not a measurement


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("protocol"), header_timeout_s="1") as running:
        yield running


def _exchange(server: Served, request: bytes) -> bytes:
    """Send ``request``; everything the server sends until it closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_S) as sock:
        sock.sendall(request)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        except TimeoutError as error:
            raise AssertionError("the server kept the connection open") from error
    return received


def _get(header_bytes: int) -> bytes:
    return (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * header_bytes
            + b"\r\nConnection: close\r\n\r\n")


def test_the_start_up_line_names_the_event_loop(server: Served) -> None:
    lines = [json.loads(line) for line in server.log_text().splitlines()
             if line.startswith("{")]
    [loaded] = [line for line in lines if line["message"] == "rules loaded"]
    expected = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    assert loaded["event_loop"] == expected


def test_the_parser_is_httptools_when_installed() -> None:
    if importlib.util.find_spec("httptools"):
        assert protocol_class() is not HeaderTimeoutH11Protocol
        assert protocol_class().__name__ == "HeaderTimeoutHttpToolsProtocol"
    else:
        assert protocol_class() is HeaderTimeoutH11Protocol


def test_a_head_over_the_bound_gets_400_with_the_service_headers(server: Served) -> None:
    answer = _exchange(server, _get(20 * 1024))
    head = answer.split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 400")
    assert b"cache-control: no-store" in head and b"x-content-type-options: nosniff" in head


def test_a_head_under_the_bound_is_served(server: Served) -> None:
    assert _exchange(server, _get(12 * 1024)).startswith(b"HTTP/1.1 200")


def test_pipelined_requests_are_all_answered_then_the_deadline_closes(
        server: Served) -> None:
    one = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = _exchange(server, one * 3)  # kept alive: closed by the header deadline
    assert answer.count(b"HTTP/1.1 200") == 3
