"""POST /v1/letters/{move} and POST /v1/calendar: a letter, or the case's deadlines as a
calendar, from the same case body as POST /v1/advice.

The body is the case, as for the advice, or ``{"case": {...}, "blanks": {...}}`` with the
family's answers to the letter's blanks by name (``GET``-free: the blanks a letter leaves
are listed in the ``X-Escalate-Blanks`` header of every letter). With every blank answered
the letter is final: no brackets, no note; a PDF with blanks left is marked "draft" on
every page. The letter's format is chosen with ``?format=md|docx|pdf`` or, without it, the
``Accept`` header (``text/markdown``, the .docx media type, ``application/pdf``);
Markdown is the default. A letter for a move the advice does not recommend is still
written, and says so at its top and in the ``X-Escalate-Recommended: false`` header.
Nothing is logged or kept; errors name the field, never the value.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from starlette.concurrency import run_in_threadpool

from api.deps import AdvisorDep
from api.errors import (
    PLAIN_CASE_TAG,
    WITH_BLANKS_TAG,
    ErrorMessage,
    InternalError,
    validation_report,
)
from api.language import LanguageDep
from api.routes.advice import case_examples
from escalate.calendar import MEDIA_TYPE as CALENDAR_MEDIA_TYPE
from escalate.calendar import write_calendar
from escalate.letters import FORMATS, MAX_ANSWER, MEDIA_TYPES, BlankError, Format, write_letter
from escalate.models import EXAMPLE_CASE, Case, MoveId

router = APIRouter(prefix="/v1", tags=["letters"])

RECOMMENDED_HEADER = "X-Escalate-Recommended"
BLANKS_HEADER = "X-Escalate-Blanks"


class LetterRequest(BaseModel):
    """A case with the family's answers to the letter's blanks."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "case": EXAMPLE_CASE,
        "blanks": {"parent_name": "Ana Diaz", "parent_role": "mother",
                   "director": "Dr. Lee", "school": "Oak Hill Elementary"}}]})

    case: Case = Field(..., description="The case, as for POST /v1/advice.")
    blanks: dict[str, Annotated[str, Field(max_length=MAX_ANSWER)]] = Field(
        default_factory=dict, max_length=60,
        description="Answers to the letter's blanks, by name (the names a letter leaves "
        "are in its X-Escalate-Blanks header, or `escalate letter MOVE CASE.json "
        "--blanks-template`). Free text is printed as typed, never as markup; a choice "
        "(parent_role: mother, father, guardian) takes an option name. An empty answer "
        f"leaves the blank. Unknown names, wrong choices and answers over {MAX_ANSWER} "
        "characters are a 422 naming the blank.",
        examples=[{"parent_name": "Ana Diaz", "parent_role": "mother"}])


def _body_shape(value: Any) -> str:
    return WITH_BLANKS_TAG if isinstance(value, dict) and "case" in value else PLAIN_CASE_TAG


LetterBody = Annotated[
    Annotated[Case, Tag(PLAIN_CASE_TAG)] | Annotated[LetterRequest, Tag(WITH_BLANKS_TAG)],
    Discriminator(_body_shape)]
_BY_MEDIA_TYPE = {media.split(";")[0]: fmt for fmt, media in MEDIA_TYPES.items()}
_BY_MEDIA_TYPE["text/plain"] = "md"


def _from_accept(accept: str | None) -> Format | None | Literal[False]:
    """The format the Accept header asks for: None when it has no preference, False when
    it accepts none of ours."""
    if not accept:
        return None
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, media.lower()))
    for quality, _, media in sorted(ranked):
        if quality == 0:
            continue
        if media in _BY_MEDIA_TYPE:
            return _BY_MEDIA_TYPE[media]
        if media in ("*/*", "text/*", "application/*"):
            return None
    return False


def _unacceptable() -> JSONResponse:
    return JSONResponse(status_code=406, content={
        "detail": "the Accept header asks for no format a letter comes in; accepted: "
        + ", ".join(m.split(";")[0] for m in MEDIA_TYPES.values())
        + " (or use ?format=" + "|".join(FORMATS) + ")"})


@router.post(
    "/letters/{move}",
    operation_id="write_letter",
    summary="Write a letter for one move",
    description="The letter for `move`, filled from the case: the child, dates, concern, "
    "the reasons the move was recommended and the clock the letter starts; what the case "
    "cannot fill is a marked blank such as `[school name]`. Markdown by default; `.docx` "
    "or a tagged PDF with `?format=` or `Accept`. The `X-Escalate-Recommended` header "
    "says whether the advice recommends this move for the case (the letter says so too). "
    "In Spanish with `?lang=es` or `Accept-Language: es` (the .docx and PDF are marked "
    "`es-US`); `Content-Language` says the language the letter is in (a letter not yet "
    "translated comes in English, whole; a Spanish letter comes with its English to send, "
    "after it, each on its own page). The body is the case, or `{\"case\": ..., "
    "\"blanks\": {...}}` with the answers to the letter's blanks: with every blank "
    "answered the letter is final (no brackets, no note for the parent); a PDF with blanks "
    "left is marked as a draft on every page. `X-Escalate-Blanks` lists the blanks left. "
    "General information, not legal advice.",
    response_class=Response,
    responses={
        200: {"description": "The letter.",
              "headers": {RECOMMENDED_HEADER: {
                  "description": "'true' when the advice recommends this move for the "
                  "case, 'false' when it does not.", "schema": {"type": "string"}},
                  BLANKS_HEADER: {
                  "description": "The names of the blanks left in the letter, comma "
                  "separated (empty when the letter is final).",
                  "schema": {"type": "string"}}},
              "content": {m.split(";")[0]: {"schema": {"type": "string",
                                                       "format": "binary"}}
                          for m in MEDIA_TYPES.values()}},
        406: {"model": ErrorMessage, "description": "No accepted format."},
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
        500: {"model": InternalError, "description": "An unexpected failure (with an id)."},
    },
)
async def post_letter(
    move: Annotated[MoveId, Path(description="The move the letter is for (GET /v1/moves); "
                                 "moves done in writing have letters.")],
    body: Annotated[LetterBody, Body(openapi_examples=case_examples())],
    advisor: AdvisorDep,
    language: LanguageDep,
    format: Annotated[Literal["md", "docx", "pdf"] | None, Query(
        description="md (Markdown text), docx (editable Word document) or pdf. Overrides "
        "Accept.")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    chosen: Format | None | Literal[False] = format if format else _from_accept(accept)
    if chosen is False:
        return _unacceptable()
    fmt: Format = chosen or "md"
    if advisor.letters.get(move.value) is None:
        return JSONResponse(status_code=422, content=validation_report([{
            "type": "no_letter", "loc": ["path", "move"],
            "msg": "this move is not done in writing, so it has no letter; letters exist "
                   "for: " + ", ".join(sorted(advisor.letters.letters))}]))
    case, answers = (body.case, body.blanks) if isinstance(body, LetterRequest) else (body, {})
    try:
        letter = await run_in_threadpool(write_letter, case, move.value, fmt, advisor,
                                         language, answers)
    except BlankError as error:
        return JSONResponse(status_code=422, content=validation_report([{
            "type": "blank", "loc": ["body", "blanks", error.name], "msg": error.message}]))
    left = [b.name for b in letter.letter.left]
    if letter.letter.english is not None:
        left += [b.name for b in letter.letter.english.left if b.name not in left]
    return Response(letter.content, media_type=letter.media_type, headers={
        RECOMMENDED_HEADER: "true" if letter.recommended else "false",
        BLANKS_HEADER: ",".join(left),
        "Content-Language": letter.letter.lang,
        "Content-Disposition": f'attachment; filename="{letter.filename}"',
        "Cache-Control": "no-store",
    })


@router.post(
    "/calendar",
    operation_id="write_calendar",
    summary="The case's deadlines as a calendar",
    description="An iCalendar (.ics) file with one all-day event per deadline still ahead, "
    "each naming the step and the rule that sets it, with a reminder a week before. "
    "In Spanish with `?lang=es` or `Accept-Language: es`; `Content-Language` says the "
    "calendar's language. General information, not legal advice.",
    response_class=Response,
    responses={
        200: {"description": "The calendar.",
              "content": {"text/calendar": {"schema": {"type": "string"}}}},
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
        500: {"model": InternalError, "description": "An unexpected failure (with an id)."},
    },
)
async def post_calendar(
    case: Annotated[Case, Body(openapi_examples=case_examples())],
    advisor: AdvisorDep,
    language: LanguageDep,
) -> Response:
    ics = await run_in_threadpool(write_calendar, case, advisor, language)
    written = advisor.calendars.get(language, advisor.calendar).lang
    return Response(ics, media_type=CALENDAR_MEDIA_TYPE, headers={
        "Content-Language": written,
        "Content-Disposition": 'attachment; filename="deadlines.ics"',
        "Cache-Control": "no-store",
    })
