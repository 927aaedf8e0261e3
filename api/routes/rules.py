"""GET /v1/rules: the loaded rulebook, in readable form."""

from __future__ import annotations

from fastapi import APIRouter

from escalate.models import RulesListing

from ..deps import ServiceDep

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.get(
    "/rules",
    operation_id="list_rules",
    response_model=RulesListing,
    summary="List the loaded rules",
    description="Every rule loaded at start-up: its id, the move it recommends, its "
    "conditions in readable form, its reason and source, and the rules_version.",
)
async def list_rules(service: ServiceDep) -> RulesListing:
    return service.rules()
