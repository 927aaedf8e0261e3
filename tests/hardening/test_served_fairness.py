"""Connection fairness on a real served escalate (uvicorn), on loopback: one address
holding many idle connections cannot lock other clients out (140 idle connections once
made every request a 503 for 30 s); its connections past the per-address cap are
answered 503 at once; a proxy named in trusted_proxies is not capped."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

from ._served import Served, served

WAIT_S = 30  # generous: how long a test waits for the server to act, not a measurement
IDLE = 300
PER_CLIENT = 16


def _idle_from(server: Served, address: str) -> socket.socket:
    """A connection from ``address`` (another loopback address) that sends nothing."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(WAIT_S)
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


def _answer(sock: socket.socket, request: bytes | None = None) -> bytes:
    if request:
        sock.sendall(request)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_many_idle_connections_from_one_address_leave_other_clients_answered(
        tmp_path: Path) -> None:
    with served(tmp_path, max_connections_per_client=str(PER_CLIENT),
                header_timeout_s="60") as running:
        idle: list[socket.socket] = []
        try:
            for _ in range(IDLE):
                idle.append(_idle_from(running, "127.0.0.2"))
            # Past the cap, that address is answered 503 at once and let go.
            refused = _answer(idle[-1])
            assert refused.startswith(b"HTTP/1.1 503"), refused[:200]
            assert b"retry-after:" in refused.lower()
            # Everyone else is answered as usual.
            for _ in range(50):
                with urllib.request.urlopen(running.base + "/healthz",  # noqa: S310
                                            timeout=WAIT_S) as response:
                    assert response.status == 200
            # And the connections within the cap still serve that address.
            held = _answer(idle[0], b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert held.startswith(b"HTTP/1.1 200"), held[:200]
        finally:
            for sock in idle:
                sock.close()


def test_uvicorns_own_400_carries_no_store_and_nosniff(tmp_path: Path) -> None:
    with served(tmp_path) as running:
        sock = socket.create_connection(("127.0.0.1", running.port), timeout=WAIT_S)
        try:
            answer = _answer(sock, b"GET /\x00 NOT HTTP\r\n\r\n").lower()
        finally:
            sock.close()
    assert answer.startswith(b"http/1.1 400"), answer[:200]
    assert b"cache-control: no-store" in answer and b"x-content-type-options: nosniff" in answer


def test_a_trusted_proxy_is_not_capped_per_address(tmp_path: Path) -> None:
    with served(tmp_path, max_connections_per_client="2", trusted_proxies="127.0.0.3",
                header_timeout_s="60") as running:
        held = [_idle_from(running, "127.0.0.3") for _ in range(6)]
        try:
            answer = _answer(held[-1], b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        finally:
            for sock in held:
                sock.close()
