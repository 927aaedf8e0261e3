"""Small pure-ASGI middlewares: the request-body limit and the disclaimer header."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from escalate import DISCLAIMER

NOTICE_HEADER = "X-Escalate-Notice"
NOTICE = DISCLAIMER.split(".")[0] + "."  # "General information, not legal advice."


class BodyTooLarge(Exception):
    """The request body is over the limit."""


class BodyLimitMiddleware:
    """Refuse a request body over ``max_bytes`` with 413, before anything parses it.

    A declared ``Content-Length`` over the limit is refused without reading the body. A
    body without one (chunked) is read here, counting bytes, and refused as soon as it
    passes the limit; a body within the limit is handed on unchanged.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        try:
            messages = await self._read_body(receive)
        except BodyTooLarge:
            await self._refuse(scope, receive, send)
            return
        if messages is None:  # the client went away before sending its body
            return

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> list[Message] | None:
        """Every ``http.request`` message of the body, or None on disconnect."""
        messages: list[Message] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                raise BodyTooLarge
            messages.append(message)
            if not message.get("more_body", False):
                return messages

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            status_code=413,
            content={"detail": f"request body is over the limit of {self.max_bytes} bytes"},
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class NoticeHeaderMiddleware:
    """Add the one-line disclaimer to every response as the ``X-Escalate-Notice`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_notice(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[NOTICE_HEADER] = NOTICE
            await send(message)

        await self.app(scope, receive, send_with_notice)
