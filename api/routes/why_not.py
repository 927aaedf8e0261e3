"""POST /v1/advice/why-not/{move}: why a move is, or is not, recommended for a case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Response, status
from starlette.concurrency import run_in_threadpool

from escalate.models import Case, MoveId, WhyNot

from ..deps import ServiceDep
from ..errors import ErrorMessage, InternalError
from ..language import LanguageDep
from .advice import CaseRoute, case_examples

router = APIRouter(prefix="/v1", tags=["advice"], route_class=CaseRoute)

_MOVES = [m.value for m in MoveId]


@router.post(
    "/advice/why-not/{move}",
    operation_id="why_not",
    response_model=WhyNot,
    summary="Why a move is not recommended",
    description="For one move (an id from GET /v1/moves) and a case: whether the rules "
    "engine recommends it, and every rule that could recommend it, each alternative of "
    "its conditions split into those that held and those that did not (in the words of "
    "GET /v1/rules), with the derived facts that were missing and why, a closed filing "
    "window, and the exception or 'unless' gate in the way. In Spanish with `?lang=es` or "
    "`Accept-Language: es`: the title, summary, reasons, warnings and disclaimer come in "
    "it, `language` and the `Content-Language` header say which language the report is "
    "in, and `fallbacks` lists what is still said in English (the conditions are the "
    "rules' own expressions and stay as they are). The output is general information, "
    "not legal advice.",
    responses={
        404: {"model": ErrorMessage, "description": "No move has this id; the message "
              "lists the accepted ids."},
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
        500: {"model": InternalError, "description": "An unexpected failure (with an id)."},
    },
)
async def post_why_not(
    move: Annotated[str, Path(description="A move id from GET /v1/moves; any other is "
                              "refused with 404 listing the accepted ids.",
                              examples=["due_process"], json_schema_extra={"enum": _MOVES})],
    case: Annotated[Case, Body(openapi_examples=case_examples())],
    service: ServiceDep,
    language: LanguageDep,
) -> Response:
    if move not in _MOVES:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            "move: no move has this id; accepted: " + ", ".join(_MOVES))
    report = await run_in_threadpool(service.why_not, case, MoveId(move), None,
                                     language)
    return Response(report.model_dump_json(), media_type="application/json",
                    headers={"Content-Language": report.language})
