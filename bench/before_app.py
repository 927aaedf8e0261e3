"""The service as it was before issue 12, for a same-run baseline of the HTTP figures.

The same app (``api.main.create_app``: middlewares, dependencies, error handlers), with
what issue 12 changed undone: no memory of engine answers (``engine_cache_size=0``),
durable_rules' internal JSON by the standard module (``use_orjson(False)``), and a
``POST /v1/advice`` that lets FastAPI parse the body (``json.loads`` then validation) and
hops to the thread pool for the advice, as the route did. It is registered ahead of the
real route, so it is the one that answers. Served by ``api.server.serve`` like the rest.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, FastAPI, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep
from api.main import create_app
from api.settings import load_settings
from escalate.engine import use_orjson
from escalate.models import Case


async def post_advice_before(case: Annotated[Case, Body()], service: ServiceDep) -> Response:
    advice = await run_in_threadpool(service.advise, case)
    return Response(advice.model_dump_json(), media_type="application/json")


def create_before_app() -> FastAPI:
    """The pre-issue-12 service (see the module docstring)."""
    use_orjson(False)
    app = create_app(load_settings(engine_cache_size=0))
    app.router.routes.insert(0, APIRoute("/v1/advice", post_advice_before, methods=["POST"]))
    return app
