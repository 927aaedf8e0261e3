"""POST /v1/advice: the advice for one case."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from starlette.concurrency import run_in_threadpool

from api.deps import AdvisorDep
from api.errors import ErrorMessage, InternalError
from api.language import LanguageDep
from escalate.examples import example_cases
from escalate.models import EXAMPLE_CASE, Advice, Case

router = APIRouter(prefix="/v1", tags=["advice"])


@lru_cache(maxsize=1)
def case_examples() -> dict[str, dict[str, Any]]:
    """The shipped example cases, as OpenAPI request-body examples."""
    examples: dict[str, dict[str, Any]] = {
        stem: {
            "summary": stem.split("_", 1)[-1].replace("_", " "),
            "description": f"The example case examples/{stem}.json.",
            "value": case,
        }
        for stem, case in example_cases().items()
    }
    return examples or {"contract": {"summary": "the contract's example", "value": EXAMPLE_CASE}}


@router.post(
    "/advice",
    operation_id="advise",
    response_model=Advice,
    summary="Advise on a case",
    description="Which escalation step to take next for this case, and why: ranked "
    "recommendations with reasons and sources, the seven-rung ladder, deadlines and "
    "warnings. With `explain=true` the advice also carries `explanation`: the questions "
    "whose answer would change it, each answer tried by the rules engine (at most "
    "`cap` engine runs per request; what was not tried is listed). In Spanish with "
    "`?lang=es` or `Accept-Language: es`: `language` and the `Content-Language` header say "
    "which language the advice is in, `fallbacks` lists what is still said in English "
    "(`explain=true` is answered in English for now). The output is general "
    "information, not legal advice.",
    responses={
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
        500: {"model": InternalError, "description": "An unexpected failure (with an id)."},
    },
)
async def post_advice(
    case: Annotated[Case, Body(openapi_examples=case_examples())],
    advisor: AdvisorDep,
    language: LanguageDep,
    explain: Annotated[bool, Query(
        description="Add `explanation`: the questions that would change the advice, "
        "ranked (facts the case left out first; questions of another concern topic last; "
        "then the next step changing, then the number of moves added or removed).",
        examples=[True])] = False,
) -> Response:
    # The engine is synchronous; run it off the event loop so other requests keep flowing.
    if explain:
        advice = await run_in_threadpool(advisor.explainer.advise, case)
        return Response(advice.model_dump_json(), media_type="application/json",
                        headers={"Content-Language": advice.language})
    advice = await run_in_threadpool(advisor.advise, case, language)
    # ``advice`` was validated as it was built; serialise it once, instead of letting
    # FastAPI validate it again against the response model (still documented above).
    return Response(advice.model_dump_json(), media_type="application/json",
                    headers={"Content-Language": advice.language})
