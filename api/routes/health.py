"""GET /healthz (the process is up) and GET /readyz (the rules are loaded); both answer
HEAD too (same status, no body), for probes that only look at the status, as every GET
route does (api.middleware.HeadAsGetMiddleware)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AdvisorDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Liveness: the process answers."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"] = Field("ok", description="Always 'ok': the process answers.")


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

    status: Literal["ready"] = Field("ready", description="Always 'ready' in a 200 "
                                     "answer.")
    rules_version: str = Field(..., description="sha256 of the loaded rule and parameter files.")


@router.get("/healthz", operation_id="healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    operation_id="readyz",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"description": "The rules are not loaded yet."}},
)
async def readyz(advisor: AdvisorDep) -> Readiness:
    return Readiness(rules_version=advisor.rules_version)
