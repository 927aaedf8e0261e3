"""GET /v1/moves: the catalogue of moves the advice can recommend."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AdvisorDep
from escalate.models import MoveInfo

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.get(
    "/moves",
    operation_id="list_moves",
    response_model=list[MoveInfo],
    summary="List the moves",
    description="Every move escalate knows: the seven ladder rungs, then the companion "
    "moves, each with what it is, how to make it and its sources.",
)
async def list_moves(advisor: AdvisorDep) -> list[MoveInfo]:
    return advisor.moves()
