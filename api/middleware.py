"""Small pure-ASGI middlewares: the API-key gate, the request-body limit (with its
timeout and lingering drain), and the headers every response carries."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from escalate.models import DISCLAIMER

NOTICE_HEADER = "X-Escalate-Notice"
NOTICE = DISCLAIMER.split(".")[0] + "."  # "General information, not legal advice."
API_KEY_HEADER = "X-API-Key"
GUARDED_PREFIX = "/v1/"
STATIC_PREFIX = "/docs-assets/"


def key_matches(key: str, allowed: Sequence[str]) -> bool:
    """Whether ``key`` is one of ``allowed``, comparing every key in constant time so that
    timing does not reveal how much of one matched."""
    matched = False
    for candidate in allowed:
        matched |= hmac.compare_digest(key.encode(), candidate.encode())
    return matched


async def discard_body(receive: Receive, limit: int) -> bool:
    """Read and throw away up to ``limit`` bytes of the request body; True when the body
    ended (or the client left) within that. Memory stays flat: nothing is kept."""
    drained = 0
    while drained <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return True
        drained += len(message.get("body", b""))
        if not message.get("more_body", False):
            return True
    return False


def _has_body(scope: Scope) -> bool:
    """Whether a body is on its way (declared, or chunked), and not held back until the
    server answers ``Expect: 100-continue``."""
    headers = dict(scope.get("headers", []))
    if headers.get(b"expect", b"").lower() == b"100-continue":
        return False
    return _content_length(scope) not in (None, 0) or b"transfer-encoding" in headers


class ApiKeyMiddleware:
    """Refuse a ``/v1/`` request without one of ``keys`` in ``X-API-Key`` with 401, from its
    headers alone: before its body is read or parsed, so an unauthenticated client learns
    nothing about its body (not even that it is malformed JSON) and costs no parsing.

    The body is then read and thrown away, up to ``drain_bytes`` and within ``timeout_s``
    (as for a 413), so that a client that sends its whole body before reading gets the
    401 rather than a reset connection.

    With no keys configured the service runs open and this middleware is not installed.
    """

    def __init__(self, app: ASGIApp, keys: Sequence[str], drain_bytes: int = 0,
                 timeout_s: float | None = None) -> None:
        self.app = app
        self.keys = list(keys)
        self.drain_bytes = drain_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GUARDED_PREFIX) \
                or scope["method"] == "OPTIONS":  # CORS preflights carry no key
            await self.app(scope, receive, send)
            return
        sent = [v for k, v in scope.get("headers", []) if k == API_KEY_HEADER.lower().encode()]
        key = sent[0].decode("latin-1") if sent else ""
        if key and key_matches(key, self.keys):
            await self.app(scope, receive, send)
            return
        detail = (f"the {API_KEY_HEADER} header does not match any key this service accepts"
                  if key else
                  f"this service needs an API key: send it in the {API_KEY_HEADER} header")
        headers = {"WWW-Authenticate": API_KEY_HEADER}
        if _has_body(scope):
            try:
                async with asyncio.timeout(self.timeout_s):
                    ended = await discard_body(receive, self.drain_bytes)
            except TimeoutError:
                ended = False
            if not ended:
                headers["Connection"] = "close"
        response = JSONResponse(status_code=401, content={"detail": detail}, headers=headers)
        await response(scope, receive, send)


class BodyTooLarge(Exception):
    """The request body is over the limit; ``more`` says whether more of it is coming."""

    def __init__(self, more: bool) -> None:
        super().__init__("request body over the limit")
        self.more = more


class BodyLimitMiddleware:
    """Refuse a request body over ``max_bytes`` with 413, before anything parses it, and
    one that takes longer than ``timeout_s`` to arrive with 408.

    A declared ``Content-Length`` over the limit is refused without keeping the body. A
    body without one (chunked) is read here, counting bytes, and refused as soon as it
    passes the limit; a body within the limit is handed on unchanged.

    Before a 413 is sent, up to ``drain_bytes`` more of the body are read and thrown away
    (a lingering close, as nginx does): a client that writes its whole body before reading
    (most do) has then finished sending and reads the 413, instead of having its
    connection reset by a close while its data is still unread. Memory stays bounded: the
    drained bytes are never kept, and the drain shares the body's time limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, drain_bytes: int = 0,
                 timeout_s: float | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.drain_bytes = drain_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        try:
            async with asyncio.timeout(self.timeout_s):
                if declared is not None and declared > self.max_bytes:
                    if _has_body(scope):  # not when it waits for 100-continue
                        await discard_body(receive, self.drain_bytes)
                    await self._refuse(scope, receive, send)
                    return
                try:
                    messages = await self._read_body(receive)
                except BodyTooLarge as too_large:
                    if too_large.more:
                        await discard_body(receive, self.drain_bytes)
                    await self._refuse(scope, receive, send)
                    return
        except TimeoutError:
            await self._too_slow(scope, receive, send)
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
                raise BodyTooLarge(more=message.get("more_body", False))
            messages.append(message)
            if not message.get("more_body", False):
                return messages

    async def _too_slow(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            status_code=408,
            content={"detail": f"the request body did not arrive within {self.timeout_s:g} "
                               "seconds"},
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)

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
    """Add the one-line disclaimer to every response as the ``X-Escalate-Notice`` header,
    with ``X-Content-Type-Options: nosniff`` and, except on the docs' static assets,
    ``Cache-Control: no-store`` (advice is about a child: no cache may keep it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_notice(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[NOTICE_HEADER] = NOTICE
                headers["X-Content-Type-Options"] = "nosniff"
                if not scope["path"].startswith(STATIC_PREFIX):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_notice)


class RequestLimitMiddleware:
    """Answer a request 503 with ``Retry-After`` at once when ``max_requests`` are already
    in progress in this worker, so that bodies in memory and work queued stay bounded
    (idle connections are capped apart, and cheaply: :mod:`api.protocol`)."""

    def __init__(self, app: ASGIApp, max_requests: int) -> None:
        self.app = app
        self.max_requests = max_requests
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_progress >= self.max_requests:
            response = JSONResponse(status_code=503, headers={"Retry-After": "1"}, content={
                "detail": f"the service is at its limit of {self.max_requests} requests in "
                          "progress; try again shortly"})
            await response(scope, receive, send)
            return
        self.in_progress += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1


class HeadAsGetMiddleware:
    """``HEAD`` on any ``GET`` route, the page's ``/`` included: the ``GET`` answer's
    status and headers, without its body (RFC 9110 9.3.2). FastAPI's routes answer only
    the methods they declare; this answers HEAD for all of them, and a 405's ``Allow``
    that lists GET lists HEAD too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"

        async def send_head(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                headers = MutableHeaders(scope=message)
                allowed = [m.strip() for m in headers.get("allow", "").split(",") if m.strip()]
                if "GET" in allowed and "HEAD" not in allowed:
                    headers["Allow"] = ", ".join([*allowed, "HEAD"])
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"} if head else scope, receive, send_head)
