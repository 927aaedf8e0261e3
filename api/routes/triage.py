"""POST /v1/triage: a caseload at once, NDJSON in, NDJSON out, most urgent first.

The body is one case a line (JSON Lines). It is held to the request's budget before any
work: the body bound of the settings (413, :mod:`api.middleware`), UTF-8, and at most
:data:`api.limits.MAX_TRIAGE_LINES` cases (422 naming the bound); each line to the bounds
of one case's JSON (keys, nesting, items), or it is named ``over_budget``. The triage
itself (:meth:`escalate.service.Escalate.triage`: one advice per case) runs in the thread
pool, off the event loop; the answer is streamed a line at a time: the summary, each case's
row, then the lines that are not a case, by number only (their content is never echoed).
The output is general information, not legal advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.message import Message
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from escalate.models import TriageLine
from escalate.service import Triage

from ..deps import ServiceDep
from ..errors import ErrorMessage
from ..language import LanguageDep
from ..limits import NDJSON_TYPES, OverBudget, check_json, decode_utf8, triage_lines

router = APIRouter(prefix="/v1", tags=["triage"])
MEDIA_TYPE = "application/x-ndjson"


class NDJSONResponse(StreamingResponse):
    """A streamed JSON Lines answer (its media type documents the route in OpenAPI)."""

    media_type = MEDIA_TYPE
EXAMPLE_BODY = (
    '{"case_id": "a-1", "as_of": "2026-11-23", "concern": {"topic": "services", '
    '"school_response": "refused"}}\n'
    '{"case_id": "a-2", "as_of": "2026-11-23", "concern": {"topic": "discipline", '
    '"school_response": "no_response"}, "discipline": {"days_removed": 12}}\n')


def _media_type(content_type: str | None) -> None:
    """Refuse a body declared as something other than NDJSON (none: read as NDJSON)."""
    if not content_type:
        return
    message = Message()
    message["content-type"] = content_type
    if message.get_content_type() not in NDJSON_TYPES and \
            message.get_content_type() != "text/plain":
        raise OverBudget("content_type", 0, "the body must be JSON Lines, one case a line: "
                         "Content-Type " + ", ".join(NDJSON_TYPES) + " or text/plain")


def _stream(result: Triage) -> Iterator[bytes]:
    """One :class:`TriageLine` a line: its one field, each model serialised whole (its
    null fields too, as POST /v1/advice gives them)."""
    yield b'{"summary":' + result.summary.model_dump_json().encode() + b"}\n"
    for row in result.rows.json():  # each row's model_dump_json, kept packed
        yield b'{"row":' + row + b"}\n"
    for invalid in result.invalid:
        yield b'{"invalid":' + invalid.model_dump_json().encode() + b"}\n"


@router.post(
    "/triage",
    operation_id="triage",
    summary="Triage a caseload",
    description="A caseload at once, for intake tools: the body is one case a line (JSON "
    "Lines, `application/x-ndjson`), each a case as POST /v1/advice takes it. The answer is "
    "JSON Lines too, streamed, each line an object with one field: first `summary` (how many "
    "family windows close within 7 and 30 days, how many districts are late), then one "
    "`row` per case, most urgent first (its next move, nearest date that matters and whose "
    "it is, urgency, and the advice's own deadlines and warnings, as POST /v1/advice gives "
    "them), then one `invalid` per line that is not a case, by line number only (its "
    "content is never echoed; POST it alone to /v1/advice to see which field). Urgency: "
    "'urgent' (a family window closes within 7 days, or may have closed), 'high' (within "
    "30 days, or the district or state is late), 'watch' (a duty of the district or state "
    "is running), 'routine'. At most 2,000 cases per request, within the body limit. "
    "`as_of` triages every case for that day (default: each case's own). Added in v1.2 "
    "(additive). The output is general information, not legal advice.",
    response_class=NDJSONResponse,
    responses={
        200: {"model": TriageLine, "description": "JSON Lines: one `TriageLine` a line."},
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
    },
    openapi_extra={"requestBody": {"required": True, "content": {
        MEDIA_TYPE: {"schema": {"type": "string", "description": "One case (the Case "
                                "schema) a line."},
                     "example": EXAMPLE_BODY}}}},
)
async def post_triage(
    request: Request,
    service: ServiceDep,
    language: LanguageDep,
    as_of: Annotated[dt.date | None, Query(
        description="The day to triage every case for, YYYY-MM-DD (default: each case's "
        "own as_of, else today).", examples=["2026-11-23"])] = None,
) -> NDJSONResponse:
    _media_type(request.headers.get("content-type"))
    lines = triage_lines(decode_utf8(await request.body()))  # bounded before the work
    result = await run_in_threadpool(partial(service.triage, lines, as_of=as_of,
                                             lang=language, check=check_json))
    return NDJSONResponse(_stream(result), media_type=MEDIA_TYPE,
                             headers={"Content-Language": language})

