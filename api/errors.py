"""How errors become responses, without ever repeating what the client sent.

- Invalid input is a 422 whose ``detail`` is FastAPI's usual list of ``{type, loc, msg}``:
  ``loc`` names the field and ``msg`` says what is accepted. Pydantic's ``input`` (the
  value sent) is dropped, and of ``ctx`` only the schema's own limits are kept, because
  case facts are about children. Only the first :data:`MAX_LISTED_ERRORS` problems are
  listed, with ``error_count`` saying how many there were, so that an error is never much
  bigger than the request that caused it.
- A case the library cannot advise on (:class:`~escalate.errors.CaseError`) is a 422 too.
- Anything unexpected is a 500 carrying a fresh error id; the log line has the same id,
  the error's type and the code locations, never its message (which may quote case data).
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from escalate.errors import CaseError, did_you_mean

from .limits import UTF8_ONLY, OverBudget
from .render import RenderBusy

log = logging.getLogger("escalate.api.errors")

# ctx keys that state the schema's limits, never the input. (Allowed values are already
# spelled out in msg, so ctx's "expected" would only repeat them.)
_SAFE_CTX_KEYS = frozenset({"ge", "gt", "le", "lt", "min_length", "max_length", "multiple_of"})

_INTERNAL_DETAIL = (
    "internal error: the advice could not be produced; quote the error id when reporting it"
)

# FastAPI's answer to a body it cannot even decode (e.g. bytes that are not UTF-8).
_UNPARSABLE_BODY = "There was an error parsing the body"

MAX_LISTED_ERRORS = 20


class ValidationProblem(BaseModel):
    """One problem with one field."""

    model_config = ConfigDict(
        title="ValidationError",
        json_schema_extra={"examples": [{"type": "extra_forbidden",
                                         "loc": ["body", "student", "nmae"],
                                         "msg": "Extra inputs are not permitted"}]},
    )

    type: str = Field(..., description="A machine-readable kind of problem, e.g. "
                      "'missing', 'enum', 'extra_forbidden', 'json_invalid'.")
    loc: list[str | int] = Field(..., description="Where: 'body', then the field names "
                                 "and list positions down to the field at fault.")
    msg: str = Field(..., description="What the field accepts. Never repeats the value sent.")
    ctx: dict[str, int | float | str] | None = Field(
        None, description="The schema's own limits that were broken (e.g. 'le'), when any.")


class ValidationReport(BaseModel):
    """The request was refused: each listed problem names a field (loc) and says what it
    accepts (msg). The values sent are never repeated."""

    model_config = ConfigDict(
        title="HTTPValidationError",
        json_schema_extra={"examples": [{
            "detail": [{"type": "enum", "loc": ["body", "concern", "topic"],
                        "msg": "Input should be 'eligibility', 'evaluation', ... or 'other'"}],
            "error_count": 1}]},
    )

    detail: list[ValidationProblem] = Field(
        ..., max_length=MAX_LISTED_ERRORS,
        description=f"The first {MAX_LISTED_ERRORS} problems found, in order.")
    error_count: int = Field(..., ge=1, description="How many problems were found in all; "
                             "more than are listed when it exceeds the list's length.")


def validation_report(problems: list[dict[str, Any]]) -> dict[str, Any]:
    """A 422 body: the first problems and how many there were."""
    return {"detail": problems[:MAX_LISTED_ERRORS], "error_count": len(problems)}


class ErrorMessage(BaseModel):
    """An error that is not about one field: what went wrong, in one sentence."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"detail": "request body is over the limit of 1048576 bytes"}]
        }
    )

    detail: str = Field(..., description="What went wrong and what to do about it.")


class InternalError(BaseModel):
    """An unexpected failure inside the service. Quote the error id when reporting it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": _INTERNAL_DETAIL,
                    "error_id": "0b5c3c1e-6a9f-4d43-9d2f-3c0f1d1f8e2a",
                }
            ]
        }
    )

    detail: str = Field(..., description="What happened, without any case data.")
    error_id: str = Field(..., description="A fresh id that also appears in the service log.")


# The tags of the two shapes a letter's body may take (api/routes/letters.py): kept out of
# the field paths an error names.
PLAIN_CASE_TAG = "plain_case"
WITH_BLANKS_TAG = "case_with_blanks"


def _clean_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic/FastAPI error without the value the client sent."""
    msg = error.get("msg", "invalid value") + did_you_mean(error)
    loc = list(error.get("loc", ()))
    if loc[:2] in (["body", PLAIN_CASE_TAG], ["body", WITH_BLANKS_TAG]):
        loc = ["body", *loc[2:]]  # a letter's body: the field paths are the case's own
    clean: dict[str, Any] = {
        "type": error.get("type", "value_error"),
        "loc": loc,
        "msg": msg,
    }
    ctx = error.get("ctx")
    if isinstance(ctx, dict):
        safe = {k: v for k, v in ctx.items() if k in _SAFE_CTX_KEYS}
        if safe:
            clean["ctx"] = {k: v if isinstance(v, int | float) else str(v) for k, v in safe.items()}
    return clean


def clean_errors(errors: Sequence[Any], limit: int | None = None) -> list[dict[str, Any]]:
    """The errors of a validation failure (the first ``limit`` of them, when given), with
    the client's values removed."""
    chosen = [e for e in errors if isinstance(e, dict)][:limit]
    return [_clean_error(dict(e)) for e in chosen]


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    content = {"detail": clean_errors(errors, MAX_LISTED_ERRORS), "error_count": len(errors)}
    return JSONResponse(status_code=422, content=content)


async def _case_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CaseError)
    loc = ["body", *(int(p) if p.isdigit() else p for p in exc.field_path.split("."))]
    detail = [{"type": "case_error", "loc": loc, "msg": exc.message}]
    return JSONResponse(status_code=422, content=validation_report(detail))


def budget_problem(exc: OverBudget, loc: Sequence[str | int] = ("body",)) -> dict[str, Any]:
    """The one problem of a request over its budget: the bound's kind, where, what is
    accepted, and the bound itself (``ctx.le``)."""
    problem: dict[str, Any] = {"type": exc.kind, "loc": list(loc), "msg": exc.message}
    if exc.limit:
        problem["ctx"] = {"le": exc.limit}
    return problem


def budget_response(exc: OverBudget) -> JSONResponse:
    """A request over its budget (:mod:`api.limits`): 413 for bytes, else 422, as a
    validation report naming the bound."""
    if exc.status == 413:
        return JSONResponse(status_code=413, content={"detail": exc.message})
    return JSONResponse(status_code=422, content=validation_report([budget_problem(exc)]))


async def _over_budget(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OverBudget)
    return budget_response(exc)


async def _render_busy(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RenderBusy)
    return JSONResponse(status_code=503, content={"detail": exc.message},
                        headers={"Retry-After": str(exc.retry_after)})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
        # A body that is not even text is malformed JSON, like any other.
        detail = [
            {
                "type": "json_invalid",
                "loc": ["body"],
                "msg": UTF8_ONLY,
            }
        ]
        return JSONResponse(status_code=422, content=validation_report(detail))
    return JSONResponse(
        status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(CaseError, _case_error)
    app.add_exception_handler(OverBudget, _over_budget)
    app.add_exception_handler(RenderBusy, _render_busy)
    app.add_exception_handler(StarletteHTTPException, _http_error)


def log_internal_error(exc: BaseException, request_path: str) -> str:
    """Log ``exc`` under a fresh error id, by type and code location only; return the id."""
    error_id = str(uuid.uuid4())
    frames = [
        f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__)
    ]
    log.error(
        "internal error",
        extra={
            "error_id": error_id,
            "error_type": type(exc).__qualname__,
            "path": request_path,
            "stack": frames,
        },
    )
    return error_id


class InternalErrorMiddleware:
    """Turn any exception that escapes the app into a 500 with an error id; a client
    that hung up (``ClientDisconnect``) is not one (the observers log and count it 499).

    A pure ASGI middleware, so that the exception is handled here and not re-raised to
    the server (whose own log would print the exception's message).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except ClientDisconnect:  # the client hung up mid-body: nobody to answer, no fault
            return
        except Exception as exc:
            error_id = log_internal_error(exc, scope.get("path", ""))
            if started:  # too late to change the status; the server closes the connection
                return
            body = InternalError(detail=_INTERNAL_DETAIL, error_id=error_id)
            response = JSONResponse(status_code=500, content=body.model_dump())
            await response(scope, receive, send)
