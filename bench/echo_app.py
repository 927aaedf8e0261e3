"""The HTTP baseline: a trivial FastAPI app that parses a JSON body and returns it.

It is served exactly as the real service is (uvicorn, same worker count, no access log,
no server header), so that the difference between the two is what escalate itself costs:
validation, advice, its middlewares and its response.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, FastAPI

app = FastAPI(title="echo (benchmark baseline)")


@app.post("/echo")
async def echo(body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    return body


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
