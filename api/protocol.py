"""uvicorn's HTTP/1.1 protocol (h11) with the service's connection defences.

- **A deadline for a request's headers.** uvicorn times out idle keep-alive connections
  but not a client that sends its request headers a byte at a time: such connections
  would stay open for ever. Here every connection must deliver a complete request head
  within ``header_timeout_s`` of connecting, and each following request within that
  time of the previous response; otherwise the connection is closed. (A slow *body* is
  timed out by :class:`api.middleware.BodyLimitMiddleware`, which reads the body.)
- **Connection fairness.** uvicorn's own cap (``limit_concurrency``) counts idle
  connections with busy ones and answers *every* request with 503 once it is reached:
  140 idle connections from one address locked everyone out. Here the cap on open
  connections (``max_connections``, high: an idle connection costs a few KB) is checked
  when a connection is made, with a cap per client address
  (``max_connections_per_client``) so that one address cannot take every slot; a
  connection past either is answered 503 with ``Retry-After`` at once and closed, and
  costs nothing more. Requests in progress have their own cap
  (:class:`api.middleware.RequestLimitMiddleware`). Addresses in ``trusted_proxies``
  (a proxy carries many clients' connections) are not capped per address.
- **uvicorn's own answers carry the service's headers**: its 400 for a request it
  cannot parse says ``Cache-Control: no-store`` and ``X-Content-Type-Options: nosniff``
  like every other response.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import STATUS_PHRASES, H11Protocol

log = logging.getLogger("escalate.api.protocol")
DEFENCES_ATTR = "escalate_defences"

# The headers every response of the service carries (api.middleware adds them to the
# app's; these are for the answers uvicorn and this protocol write themselves).
SAFE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]
REFUSED_RETRY_AFTER_S = 1
REFUSED_LINGER_S = 1.0  # read and drop what a refused client sends, then close


@dataclass
class Defences:
    """The connection limits, handed to every protocol instance through the config."""

    header_timeout_s: float = 10.0
    max_connections: int = 1024
    max_per_client: int = 0  # 0: no cap per address
    exempt: frozenset[str] = frozenset()
    open_by_address: Counter[str] = field(default_factory=Counter)

    def __getstate__(self) -> dict[str, Any]:  # pickled into each worker: counts stay home
        return {**self.__dict__, "open_by_address": Counter()}


def _refusal(reason: str) -> bytes:
    """A whole 503 response, written straight to a connection that is refused."""
    body = f"Service Unavailable: {reason}; try again shortly\n".encode()
    head = [b"HTTP/1.1 503 Service Unavailable",
            b"content-type: text/plain; charset=utf-8",
            b"content-length: " + str(len(body)).encode(),
            b"retry-after: " + str(REFUSED_RETRY_AFTER_S).encode(),
            b"connection: close",
            *(name + b": " + value for name, value in SAFE_HEADERS)]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class HeaderTimeoutH11Protocol(H11Protocol):
    """:class:`H11Protocol` with a header deadline, connection caps (total and per
    address) checked on connecting, and the service's headers on its own 400."""

    def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.defences: Defences = getattr(config, DEFENCES_ATTR, None) or Defences()
        self.header_timeout_s = self.defences.header_timeout_s
        self.limit_concurrency = None  # checked here, on connecting (see the docstring)
        self._head_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle before the awaited request
        self._address: str | None = None  # counted against its address while open
        self._refused = False

    # -- header deadline

    def _arm(self) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        self._head_timer = self.loop.call_later(self.header_timeout_s, self._head_late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_late(self) -> None:
        self._head_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            log.warning("closed a connection: its request headers did not arrive in time",
                        extra={"header_timeout_s": self.header_timeout_s})
            self.transport.close()

    # -- connection caps

    def _refuse(self, transport: asyncio.Transport, reason: str) -> None:
        """Answer 503 at once, stop sending, drop what the client still sends for a
        moment (so that it reads the 503 rather than a reset), then close."""
        self._refused = True
        self.transport = transport
        transport.write(_refusal(reason))
        if transport.can_write_eof():
            transport.write_eof()
        self.loop.call_later(REFUSED_LINGER_S, transport.close)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        defences = self.defences
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else None
        if len(self.connections) >= defences.max_connections:
            log.warning("refused a connection: the connection cap is reached",
                        extra={"max_connections": defences.max_connections})
            self._refuse(transport, "too many connections")
            return
        capped = defences.max_per_client > 0 and address is not None \
            and address not in defences.exempt
        if capped and address is not None:
            if defences.open_by_address[address] >= defences.max_per_client:
                log.warning("refused a connection: its address has too many open",
                            extra={"max_connections_per_client": defences.max_per_client})
                self._refuse(transport, "too many connections from this address")
                return
            defences.open_by_address[address] += 1
            self._address = address
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # a refused connection's request is read and dropped
        super().data_received(data)
        if self._head_timer is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a new request's head arrived

    def on_response_complete(self) -> None:
        before = self.cycle
        super().on_response_complete()
        if not self.transport.is_closing() and self.cycle is before:
            self._arm()  # wait for the next request's head

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        if self._address is not None:
            counts = self.defences.open_by_address
            counts[self._address] -= 1
            if counts[self._address] <= 0:
                del counts[self._address]
            self._address = None
        self._disarm()
        super().connection_lost(exc)

    # -- uvicorn's own answers

    def send_400_response(self, msg: str) -> None:
        """uvicorn's 400 for a request it cannot parse, with the service's headers."""
        headers = [(b"content-type", b"text/plain; charset=utf-8"),
                   (b"connection", b"close"), *SAFE_HEADERS]
        event = h11.Response(status_code=400, headers=headers, reason=STATUS_PHRASES[400])
        self.transport.write(self.conn.send(event) or b"")
        self.transport.write(self.conn.send(h11.Data(data=msg.encode("ascii"))) or b"")
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        self.transport.close()


def use_defences(config: Config, *, header_timeout_s: float, max_connections: int,
                 max_per_client: int, exempt: list[str] | None = None) -> None:
    """Make ``config`` serve with this protocol and these limits.

    The limits travel as an attribute of the config, which uvicorn hands to every
    protocol instance and pickles into every worker process (each worker counts its own
    connections).
    """
    config.http = HeaderTimeoutH11Protocol
    config.limit_concurrency = None
    setattr(config, DEFENCES_ATTR, Defences(header_timeout_s=header_timeout_s,
                                            max_connections=max_connections,
                                            max_per_client=max_per_client,
                                            exempt=frozenset(exempt or ())))
