"""Who may show the web page inside a frame: ``ESCALATE_FRAME_ANCESTORS``.

The pages answer with a strict Content-Security-Policy whose ``frame-ancestors 'none'``
(with ``X-Frame-Options: DENY`` for older browsers) keeps any other site from framing
them, the default. An intake tool that wants to embed the page names its origin in the
setting; this middleware then writes those sources into the pages' policy, and sets
``X-Frame-Options`` to what it can say (``SAMEORIGIN`` for ``'self'`` alone; otherwise it
is dropped, as browsers that read ``frame-ancestors`` ignore it and it cannot name other
origins). Only the pages' own policy is touched: the API and the docs keep theirs.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT = "'none'"
_DIRECTIVE = "frame-ancestors 'none'"


class FrameAncestorsMiddleware:
    """Rewrite the pages' ``frame-ancestors`` to ``sources`` (a CSP source list)."""

    def __init__(self, app: ASGIApp, policy: str, sources: str) -> None:
        self.app = app
        self.policy = policy  # the pages' Content-Security-Policy, as they send it
        self.framed = policy.replace(_DIRECTIVE, f"frame-ancestors {sources}")
        self.frame_options = "SAMEORIGIN" if sources == "'self'" else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-security-policy") == self.policy:
                    headers["content-security-policy"] = self.framed
                    if self.frame_options:
                        headers["x-frame-options"] = self.frame_options
                    elif "x-frame-options" in headers:
                        del headers["x-frame-options"]
            await send(message)

        await self.app(scope, receive, send_framed)
