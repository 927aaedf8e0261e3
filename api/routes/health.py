"""GET /healthz (the process is up) and GET /readyz (the rules are loaded)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AdvisorDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Liveness: the process answers."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Readiness: the rulebook is loaded and the engine is built."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ready",
                    "rules_version": "sha256:" + "3f1c9a0e5b7d2c4a" * 4,
                }
            ]
        }
    )

    status: Literal["ready"] = "ready"
    rules_version: str = Field(..., description="sha256 of the loaded rule and parameter files.")


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"description": "The rules are not loaded yet."}},
)
async def readyz(advisor: AdvisorDep) -> Readiness:
    return Readiness(rules_version=advisor.rules_version)
