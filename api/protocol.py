"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for a request's headers.

uvicorn times out idle keep-alive connections but not a client that sends its request
headers a byte at a time: such connections would stay open for ever, each holding a
socket and a buffer. Here every connection must deliver a complete request head within
``header_timeout_s`` of connecting, and each following request within that time of the
previous response; otherwise the connection is closed. (A slow *body* is timed out by
:class:`api.middleware.BodyLimitMiddleware`, which reads the body.)
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("escalate.api.protocol")
HEADER_TIMEOUT_ATTR = "escalate_header_timeout_s"


class HeaderTimeoutH11Protocol(H11Protocol):
    """:class:`H11Protocol`, closing connections whose request head is late."""

    header_timeout_s: float = 10.0

    def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.header_timeout_s = float(getattr(config, HEADER_TIMEOUT_ATTR,
                                              self.header_timeout_s))
        self._head_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle before the awaited request

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

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._head_timer is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a new request's head arrived

    def on_response_complete(self) -> None:
        before = self.cycle
        super().on_response_complete()
        if not self.transport.is_closing() and self.cycle is before:
            self._arm()  # wait for the next request's head

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def use_header_timeout(config: Config, seconds: float) -> None:
    """Make ``config`` serve with this protocol and a ``seconds`` deadline for headers.

    The deadline travels as an attribute of the config, which uvicorn hands to every
    protocol instance and pickles into every worker process.
    """
    config.http = HeaderTimeoutH11Protocol
    setattr(config, HEADER_TIMEOUT_ATTR, seconds)
