"""The shipped service with one of issue 24's changes undone, to measure what it gave.

``undone(name, app)`` changes a freshly built app in place; ``python -m bench.variants
PORT`` serves the app with ``$ESCALATE_BENCH_UNDO`` undone (used by
:mod:`bench.http_speed`). Names: see :data:`IN_PROCESS` and :data:`SERVED`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

# Changes visible in process (bench.request_costs) and those only a server shows.
IN_PROCESS = {
    "routing": "FastAPI's dependency solving for every advice request",
    "logging": "the access line through a LogRecord and logging's handler chain",
}
SERVED = {"asyncio": "the asyncio event loop instead of uvloop",
          "h11": "uvicorn's h11 protocol (pure Python) instead of httptools"}


def _logged_access() -> type:
    from api.logging import (
        AccessLogMiddleware,
        access_log,
        loggable_method,
        loggable_path,
    )

    class LoggedAccess(AccessLogMiddleware):
        """The access line as before issue 24: a LogRecord through logging."""

        def observe(self, scope: Any, status: int, seconds: float) -> None:
            advisor = getattr(self.state, "advisor", None)
            access_log.info("request", extra={
                "method": loggable_method(scope["method"]), **loggable_path(scope["path"]),
                "status": status, "duration_ms": round(seconds * 1000, 2),
                "rules_version": getattr(advisor, "rules_version", None)})

    return LoggedAccess


def undone(name: str, app: Any) -> Any:
    """``app`` with the change ``name`` undone."""
    if name == "routing":
        from api.routes.advice import DIRECTLY

        setattr(app.state, DIRECTLY, False)
        return app
    if name == "logging":
        from starlette.middleware import Middleware

        from api.logging import AccessLogMiddleware

        app.user_middleware = [
            Middleware(_logged_access(), *m.args, **m.kwargs) if m.cls is AccessLogMiddleware
            else m for m in app.user_middleware]
        return app
    raise ValueError(f"unknown variant {name!r}: one of {sorted(IN_PROCESS)}")


def main(argv: list[str]) -> None:
    from api.main import create_app
    from api.server import serve
    from api.settings import load_settings

    name = os.environ.get("ESCALATE_BENCH_UNDO", "")
    loop = "asyncio" if name == "asyncio" else "auto"
    parser = "h11" if name == "h11" else "auto"
    app = create_app(load_settings())
    if name in IN_PROCESS:
        app = undone(name, app)
    serve(app, host="127.0.0.1", port=int(argv[0]), workers=1, factory=False,
          log_level="info", loop=loop, parser=parser)


if __name__ == "__main__":
    main(sys.argv[1:])
