"""GET /v1/moves: the catalogue of moves the advice can recommend."""

from __future__ import annotations

from fastapi import APIRouter, Response

from escalate.models import MoveInfo

from ..deps import ServiceDep
from ..language import LanguageDep

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.get(
    "/moves",
    operation_id="list_moves",
    response_model=list[MoveInfo],
    summary="List the moves",
    description="Every move escalate knows: the seven ladder rungs, then the companion "
    "moves, each with what it is, how to make it and its sources. In Spanish with "
    "`?lang=es` or `Accept-Language: es`; `Content-Language` says the language (a text not "
    "translated yet is given in English, whole).",
)
async def list_moves(service: ServiceDep, language: LanguageDep,
                     response: Response) -> list[MoveInfo]:
    response.headers["Content-Language"] = language
    return service.moves(language)
