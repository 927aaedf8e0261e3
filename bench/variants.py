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
IN_PROCESS = {"routing": "FastAPI's dependency solving for every advice request"}
SERVED = {"asyncio": "the asyncio event loop instead of uvloop"}


def undone(name: str, app: Any) -> Any:
    """``app`` with the change ``name`` undone."""
    if name == "routing":
        from api.routes.advice import DIRECTLY

        setattr(app.state, DIRECTLY, False)
        return app
    raise ValueError(f"unknown variant {name!r}: one of {sorted(IN_PROCESS)}")


def main(argv: list[str]) -> None:
    from api.main import create_app
    from api.server import serve
    from api.settings import load_settings

    name = os.environ.get("ESCALATE_BENCH_UNDO", "")
    loop = "asyncio" if name == "asyncio" else "auto"
    app = create_app(load_settings())
    if name in IN_PROCESS:
        app = undone(name, app)
    serve(app, host="127.0.0.1", port=int(argv[0]), workers=1, factory=False,
          log_level="info", loop=loop)


if __name__ == "__main__":
    main(sys.argv[1:])
