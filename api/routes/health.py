"""GET /healthz (the process is up) and GET /readyz (the rules are loaded, whether PDF
letters can be made here, and how the last reload of the rules went); both answer HEAD
too (same status, no body), for probes that only look at the status, as every GET route
does (api.middleware.HeadAsGetMiddleware)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ..deps import ServiceDep
from ..reload import ReloadReport

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
                    "pdf_letters": True,
                    "reloading": False,
                    "last_reload": None,
                }
            ]
        }
    )

    status: Literal["ready"] = Field("ready", description="Always 'ready' in a 200 "
                                     "answer.")
    rules_version: str = Field(..., description="sha256 of the loaded rule and parameter "
                               "files; with an organization's local rules, followed by "
                               "'+local:' and a short hash of them.")
    pdf_letters: bool = Field(
        ..., description="Whether this instance can make PDF letters: checked once at "
        "start-up by rendering a one-line PDF, never per request. false: the system "
        "libraries PDF letters need (Pango, HarfBuzz's subsetter, a font) are missing; "
        "advice and the other letter formats still work, and the service's log names "
        "what is missing. The container image ships them.")
    reloading: bool = Field(
        False, description="Whether this worker is reloading its rules now (SIGHUP or POST "
        "/admin/reload): the rules of rules_version answer until the new ones pass every "
        "scenario.")
    last_reload: ReloadReport | None = Field(
        None, description="The last reload of the rules in this worker since it started "
        "(null: none): its outcome, and when refused why (the failed scenarios by file, "
        "name and line, or the rule file's problem). A refused reload leaves the rules "
        "that answered before answering.")


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
async def readyz(request: Request, service: ServiceDep) -> Readiness:
    check = getattr(request.app.state, "pdf_check", None)
    # the one start-up check (done once per process; only the first probe may wait for it)
    pdf_letters = check is not None and await check is None
    reloader = getattr(request.app.state, "reloader", None)
    return Readiness(rules_version=service.rules_version, pdf_letters=pdf_letters,
                     reloading=reloader is not None and reloader.running,
                     last_reload=reloader.last if reloader is not None else None)
