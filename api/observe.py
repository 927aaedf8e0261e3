"""A pure-ASGI middleware base that sees each HTTP request end: its status and duration.

The access log (:mod:`api.logging`) and the metrics (:mod:`api.metrics`) both need the
status the client got and how long the request took, without buffering the response (a
``BaseHTTPMiddleware`` would). A subclass says what to do with them in :meth:`observe`,
which runs once the response is sent, or when the app failed before responding (status
500, what the client then sees), or when the client hung up before a response was sent
(status :data:`CLIENT_CLOSED`, 499 as nginx logs it: not a server error, and no response
goes out).
"""

from __future__ import annotations

import time

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The status logged and counted for a request whose client left before its response.
CLIENT_CLOSED = 499


class RequestObserver:
    """Wraps an ASGI app; calls :meth:`observe` once per HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status: int | None = None
        hung_up = False

        async def receive_tracking() -> Message:
            nonlocal hung_up
            message = await receive()
            if message["type"] == "http.disconnect":
                hung_up = True
            return message

        async def send_tracking(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive_tracking, send_tracking)
        except ClientDisconnect:
            hung_up = True
        finally:
            if status is None:  # no response: the client left, or the app failed
                status = CLIENT_CLOSED if hung_up else 500
            self.observe(scope, status, time.perf_counter() - start)
