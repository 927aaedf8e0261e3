"""A pure-ASGI middleware base that sees each HTTP request end: its status and duration.

The access log (:mod:`api.logging`) and the metrics (:mod:`api.metrics`) both need the
status the client got and how long the request took, without buffering the response (a
``BaseHTTPMiddleware`` would). A subclass says what to do with them in :meth:`observe`,
which runs once the response is sent, or when the app failed before responding (status
500, what the client then sees).
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
        status = 500  # what the client sees if the app fails before responding

        async def send_tracking(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        finally:
            self.observe(scope, status, time.perf_counter() - start)
