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

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from escalate.models import EXAMPLE_CASE, Case, MoveId
from escalate.service import (
    CALENDAR_MEDIA_TYPE,
    FORMATS,
    MAX_ANSWER,
    MEDIA_TYPES,
    BlankError,
    Escalate,
    Format,
    LetterFile,
)

from ..deps import ServiceDep
from ..errors import (
    PLAIN_CASE_TAG,
    WITH_BLANKS_TAG,
    ErrorMessage,
    InternalError,
    validation_report,
)
from ..language import LanguageDep
from ..render import render_pool
from .advice import CaseRoute, case_examples

router = APIRouter(prefix="/v1", tags=["letters"], route_class=CaseRoute)

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


# The 200's content, per format. application/octet-stream comes first, standing for any of
# them as bytes: client generators read a response by its first content type they know
# (openapi-python-client reads text/* as text and skips the PDF and .docx types), so that
# every format reaches a generated client whole. The server answers an Accept of
# application/octet-stream as one with no preference (the format then comes from
# ?format=, Markdown by default), labelled with the format's own media type.
LETTER_CONTENT: dict[str, Any] = {
    "application/octet-stream": {"schema": {
        "type": "string", "format": "binary",
        "description": "The letter in the format asked for (?format= or Accept), as bytes."}},
    "text/markdown": {"schema": {"type": "string", "description": "The letter in Markdown "
                                 "(UTF-8 text)."}},
    MEDIA_TYPES["docx"]: {"schema": {"type": "string", "format": "binary",
                                     "description": "The letter as an editable .docx."}},
    "application/pdf": {"schema": {"type": "string", "format": "binary",
                                   "description": "The letter as a tagged PDF."}},
}


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
        if media in ("*/*", "text/*", "application/*", "application/octet-stream"):
            return None
    return False


async def write_letter_off_loop(request: Request, case: Case, move: str, fmt: Format,
                                service: Escalate, lang: str,
                                answers: Mapping[str, str] | None = None) -> LetterFile:
    """The letter, as :meth:`escalate.service.Escalate.letter` writes it, its document
    rendered off the event loop: composed on the loop (the engine's advice, the templates,
    the family's answers to its blanks: bounded work of a millisecond or so, like the
    advice itself, where a thread-pool hop would add hand-offs and no parallelism; see
    :mod:`api.routes.advice`), then rendered in the app's bounded render pool
    (:mod:`api.render`: PDF and .docx in its processes, after the budget is checked;
    Markdown is the composed text). Raises BlankError on an answer the letter cannot
    take."""
    letter = service.compose_letter(case, move, lang=lang, blanks=answers)
    draft = "" if letter.final else letter.draft_mark
    content = await render_pool(request.app.state).render(
        service.letter_markdown(letter), letter.subject, fmt, letter.lang, draft,
        letter.langs)
    return LetterFile(letter, fmt, content)


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
    "A PDF or .docx letter longer or more structured than a letter needs (from a very "
    "long or list-like answer) is refused with 422 naming the bound; when every renderer "
    "is busy the answer is 503 with `Retry-After`. General information, not legal advice.",
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
              "content": LETTER_CONTENT},
        406: {"model": ErrorMessage, "description": "No accepted format."},
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
        500: {"model": InternalError, "description": "An unexpected failure (with an id)."},
    },
)
async def post_letter(
    move: Annotated[MoveId, Path(description="The move the letter is for (GET /v1/moves); "
                                 "moves done in writing have letters.")],
    body: Annotated[LetterBody, Body(openapi_examples=case_examples())],
    service: ServiceDep,
    language: LanguageDep,
    request: Request,
    format: Annotated[Literal["md", "docx", "pdf"] | None, Query(
        description="md (Markdown text), docx (editable Word document) or pdf. Overrides "
        "Accept.")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    chosen: Format | None | Literal[False] = format if format else _from_accept(accept)
    if chosen is False:
        return _unacceptable()
    fmt: Format = chosen or "md"
    if not service.has_letter(move.value):
        return JSONResponse(status_code=422, content=validation_report([{
            "type": "no_letter", "loc": ["path", "move"],
            "msg": "this move is not done in writing, so it has no letter; letters exist "
                   "for: " + ", ".join(service.letter_moves())}]))
    case, answers = (body.case, body.blanks) if isinstance(body, LetterRequest) else (body, {})
    try:
        letter = await write_letter_off_loop(request, case, move.value, fmt, service,
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
    service: ServiceDep,
    language: LanguageDep,
) -> Response:
    # on the event loop: a case's few deadlines, about a millisecond (see the advice route)
    ics = service.calendar(case, language)
    written = service.calendar_language(language)
    return Response(ics, media_type=CALENDAR_MEDIA_TYPE, headers={
        "Content-Language": written,
        "Content-Disposition": 'attachment; filename="deadlines.ics"',
        "Cache-Control": "no-store",
    })
