"""GET /v1/states and GET /v1/states/{code}: each state's deadlines, cited and rated."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from escalate.models import StateInfo, StatesListing
from escalate.service import STATE_CODES

from ..deps import ServiceDep
from ..errors import ErrorMessage
from ..language import LanguageDep

LANGUAGE_NOTE = (
    " In Spanish with `?lang=es` or `Accept-Language: es`: the notes and the disclaimer; "
    "`language` and the `Content-Language` header say which language, `fallbacks` lists "
    "any note still said in English. Citations and `checked` stay as written.")

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.get(
    "/states",
    operation_id="list_states",
    response_model=StatesListing,
    summary="List each state's deadlines",
    description="Every state and territory a case may name, with the values escalate "
    "applies there: the due-process limit and the event it counts from, any limit on "
    "reimbursement claims, the initial-evaluation and records clocks, and the Parent "
    "Training and Information Center, each with its citation, the date it took effect, "
    "what was read to check it and a confidence (high, medium, low). 'federal: true' "
    "marks a state where the federal rule applies." + LANGUAGE_NOTE,
)
async def list_states(service: ServiceDep, language: LanguageDep,
                      response: Response) -> StatesListing:
    response.headers["Content-Language"] = language
    return service.states(language)


@router.get(
    "/states/{code}",
    operation_id="get_state",
    response_model=StateInfo,
    summary="One state's deadlines",
    description="The values escalate applies in one state or territory (two- or "
    "three-letter code, e.g. WI, DC, PR, BIE; any case), each with its citation and "
    "confidence." + LANGUAGE_NOTE,
    responses={404: {"model": ErrorMessage, "description": "No state has that code."}},
)
async def get_state(code: str, service: ServiceDep, language: LanguageDep,
                    response: Response) -> StateInfo:
    response.headers["Content-Language"] = language
    info = service.state(code, language)
    if info is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            "code: no state or territory has that code; accepted: " + ", ".join(STATE_CODES))
    return info
