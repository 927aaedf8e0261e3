"""uvicorn's HTTP/1.1 protocol with the service's connection defences.

The protocol is uvicorn's httptools one (a C parser, llhttp) when httptools is installed
(it is a dependency), else its h11 one; both carry the same defences
(:class:`DefendedProtocol`), and :func:`use_defences` picks. With httptools, the request
head is also held to the size h11 allows (``h11_max_incomplete_event_size``, 16 KiB by
default): llhttp itself sets no bound, h11 answers 400 past it, and so does this.

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

try:  # uvicorn's httptools protocol, when httptools is installed (it is a dependency)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

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
MAX_HEAD_BYTES = 16 * 1024  # h11's own default bound on an incomplete head


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


class DefendedProtocol(asyncio.Protocol):
    """The defences, mixed into uvicorn's protocols (h11 or httptools): a header
    deadline, connection caps (total and per address) checked on connecting."""

    # what the uvicorn protocol it is mixed into provides
    config: Config
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    connections: set[Any]
    limit_concurrency: int | None

    def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)  # type: ignore[call-arg]
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
        super().on_response_complete()  # type: ignore[misc]
        # wait for the next request's head, unless one is already in (pipelined)
        if not self.transport.is_closing() and self.cycle is before \
                and not getattr(self, "pipeline", None):
            self._arm()

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



class HeaderTimeoutH11Protocol(DefendedProtocol, H11Protocol):
    """uvicorn's h11 protocol with the defences, and the service's headers on its 400."""

    def send_400_response(self, msg: str) -> None:
        """uvicorn's 400 for a request it cannot parse, with the service's headers."""
        headers = [(b"content-type", b"text/plain; charset=utf-8"),
                   (b"connection", b"close"), *SAFE_HEADERS]
        event = h11.Response(status_code=400, headers=headers, reason=STATUS_PHRASES[400])
        self.transport.write(self.conn.send(event) or b"")
        self.transport.write(self.conn.send(h11.Data(data=msg.encode("ascii"))) or b"")
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        self.transport.close()


class HeadTooLarge(Exception):
    """A request head over the bound (raised in a parser callback: uvicorn answers 400)."""


if HttpToolsProtocol is not None:

    class HeaderTimeoutHttpToolsProtocol(DefendedProtocol, HttpToolsProtocol):
        """uvicorn's httptools protocol with the defences, its request head bounded as
        h11 bounds it, and the service's headers on its 400."""

        def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
            super().__init__(config, *args, **kwargs)
            self.max_head = config.h11_max_incomplete_event_size or MAX_HEAD_BYTES
            self._head_bytes = 0

        def on_message_begin(self) -> None:
            self._head_bytes = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)  # ": " and CRLF
            super().on_header(name, value)

        def _count(self, size: int) -> None:
            self._head_bytes += size
            if self._head_bytes > self.max_head:
                # llhttp stops and reports a callback error: uvicorn answers 400
                raise HeadTooLarge(f"request head over {self.max_head} bytes")

        def send_400_response(self, msg: str) -> None:
            """uvicorn's 400 for a request it cannot parse, with the service's headers."""
            body = msg.encode("ascii")
            head = [b"HTTP/1.1 400 Bad Request",
                    b"content-type: text/plain; charset=utf-8",
                    b"content-length: " + str(len(body)).encode(),
                    b"connection: close",
                    *(name + b": " + value for name, value in SAFE_HEADERS)]
            self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
            self.transport.close()
else:  # pragma: no cover - httptools is a dependency
    HeaderTimeoutHttpToolsProtocol = None  # type: ignore[assignment,misc]


def protocol_class(parser: str = "auto") -> type[DefendedProtocol]:
    """The protocol the service serves with: httptools' when installed (``parser``
    "auto"), else, or with "h11", h11's."""
    if parser != "h11" and HeaderTimeoutHttpToolsProtocol is not None:
        return HeaderTimeoutHttpToolsProtocol
    return HeaderTimeoutH11Protocol


def use_defences(config: Config, *, header_timeout_s: float, max_connections: int,
                 max_per_client: int, exempt: list[str] | None = None,
                 parser: str = "auto") -> None:
    """Make ``config`` serve with this protocol and these limits.

    The limits travel as an attribute of the config, which uvicorn hands to every
    protocol instance and pickles into every worker process (each worker counts its own
    connections).
    """
    config.http = protocol_class(parser)
    config.limit_concurrency = None
    setattr(config, DEFENCES_ATTR, Defences(header_timeout_s=header_timeout_s,
                                            max_connections=max_connections,
                                            max_per_client=max_per_client,
                                            exempt=frozenset(exempt or ())))
