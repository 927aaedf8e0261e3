"""POST /v1/advice: the advice for one case.

The advice is computed on the event loop: durable_rules never releases the GIL and the
engine serialises evaluations, so a thread-pool hop would add hand-offs and no
parallelism (the service scales with worker processes). Only ``explain=true``, which runs
the engine many times, still goes to a thread. The body is held to the
request budget (:mod:`api.limits`), then parsed and validated once (:class:`CaseRoute`,
also the route class of the letters and why-not routes); a valid case asked in the common
way is then answered without FastAPI's dependency solving (:class:`AdviceRoute`), with
the same bytes; everything else about the route (its dependencies, its 422s and 401s,
its OpenAPI) is FastAPI's, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from email.message import Message
from functools import lru_cache, partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from escalate.models import EXAMPLE_CASE, Advice, Case
from escalate.service import Escalate, choose_language, example_cases

from ..deps import API_KEY_HEADER, ServiceDep
from ..errors import ErrorMessage, InternalError
from ..language import LanguageDep, spoken
from ..limits import UTF8_ONLY, OverBudget, load_json
from ..middleware import key_matches

# The content types most clients send: JSON in UTF-8, known without parsing the header
# (any other is parsed as a MIME header, each time).
_COMMON_TYPES = ("application/json", "application/json; charset=utf-8",
                 "application/json;charset=utf-8", "application/json; charset=UTF-8")


def _is_json(content_type: str | None) -> bool:
    """Whether FastAPI would read a body of this content type as JSON."""
    if not content_type:
        return False
    if content_type in _COMMON_TYPES:
        return True
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


# The app's flag: it includes the advice router with no dependency but the API key's
# (api.main.create_app), so AdviceRoute may answer directly.
DIRECTLY = "advice_directly"


class CaseRoute(APIRoute):
    """A route whose JSON body is a :class:`Case`, held to the request budget, then
    parsed by ``Case.model_validate``.

    The budget (:mod:`api.limits`) comes first, before anything is validated: the body
    must be UTF-8 (a ``charset`` other than UTF-8 is refused too, never guessed), and its
    JSON within the bounds on keys, nesting and array items; otherwise a 422 names the
    bound. A body that is then a valid case is handed to FastAPI as the request's
    already-decoded JSON (Starlette keeps it on the request); FastAPI's validation of the
    ``Case`` body parameter accepts the instance as it is. Anything else (malformed, not
    a valid case) goes through FastAPI's usual path with the JSON already decoded, so
    every 422 reads exactly as before, and the route's dependencies and OpenAPI are
    FastAPI's own. A body with no content type is read as JSON, as FastAPI does.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def parse_then_handle(request: Request) -> Response:
            content_type = request.headers.get("content-type")
            if not content_type or _is_json(content_type):
                _check_charset(content_type)
                body = await request.body()
                if body:
                    try:
                        data = load_json(body)
                    except ValueError:
                        data = None  # malformed: FastAPI reports it as usual
                    if data is not None:
                        request._json = data
                        try:
                            case = Case.model_validate(data)
                        except ValidationError:
                            pass  # FastAPI's 422, as usual
                        else:
                            request._json = case
                            # FastAPI reads a body without a content type as bytes (its
                            # 422): only a declared JSON body is answered directly
                            answered = self.direct(request, case) if content_type else None
                            if answered is not None:
                                return answered
            return await handler(request)

        return parse_then_handle

    def direct(self, request: Request, case: Case) -> Response | None:
        """The response to a valid case without FastAPI's dependency solving, or None to
        let FastAPI's handler answer (a route class may answer its common requests
        directly, exactly as its endpoint would). None here: FastAPI answers."""
        return None


class AdviceRoute(CaseRoute):
    """The advice route: a valid case asked in the common way is answered directly.

    FastAPI solves the route's dependencies for every request (the settings, the API
    key, the service, the language: six calls and their parameters, about a fifth of a
    remembered advice's time in process). For the common request (a valid case, no query
    but ``lang``, the key when keys are configured) :meth:`direct` does what those
    dependencies and the endpoint do, with the same functions, and answers the same
    bytes and headers. Everything else goes through FastAPI: ``explain``, any other
    query, a ``lang`` the rules do not speak (its 422), a missing or wrong key (its 401),
    an app not started (its 503), dependency overrides, and an app that did not say
    (``app.state.advice_directly``, set by :func:`api.main.create_app`) that it includes
    the route with no other dependency than the API key.
    """

    def direct(self, request: Request, case: Case) -> Response | None:
        app = request.app
        if not getattr(app.state, DIRECTLY, False) or app.dependency_overrides:
            return None
        service: Escalate | None = getattr(app.state, "escalate", None)
        if service is None:
            return None
        headers = request.headers
        keys = app.state.settings.api_keys
        if keys:  # require_api_key
            key = headers.get(API_KEY_HEADER)
            if not key or not key_matches(key, keys):
                return None
        lang = None
        if request.scope["query_string"]:
            params = request.query_params.multi_items()
            if len(params) != 1 or params[0][0] != "lang" or params[0][1] not in spoken(app):
                return None
            lang = params[0][1]
        language = choose_language(lang, headers.get("accept-language"),  # LanguageDep
                                   spoken(app))
        return advice_response(service.advise(case, language))


def _check_charset(content_type: str | None) -> None:
    """Refuse a declared charset other than UTF-8 (JSON is UTF-8, RFC 8259 8.1)."""
    if not content_type or content_type in _COMMON_TYPES:
        return
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    if isinstance(charset, str) and charset.lower().replace("_", "-") not in ("utf-8",
                                                                               "utf8"):
        raise OverBudget("json_invalid", 0, UTF8_ONLY + " (charset=utf-8)")


router = APIRouter(prefix="/v1", tags=["advice"], route_class=AdviceRoute)


def advice_response(advice: Advice) -> Response:
    """The response carrying ``advice``: validated as it was built, serialised once
    (instead of FastAPI validating it again against the response model, still
    documented), in the language the ``Content-Language`` header names."""
    return Response(advice.model_dump_json(), media_type="application/json",
                    headers={"Content-Language": advice.language})


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
    "(with `explain=true` the explanation is in the same language, and what it says in "
    "English joins `fallbacks`). The output is general "
    "information, not legal advice.",
    responses={
        413: {"model": ErrorMessage, "description": "The body is over the configured limit."},
        500: {"model": InternalError, "description": "An unexpected failure (with an id)."},
    },
)
async def post_advice(
    case: Annotated[Case, Body(openapi_examples=case_examples())],
    service: ServiceDep,
    language: LanguageDep,
    explain: Annotated[bool, Query(
        description="Add `explanation`: the questions that would change the advice, "
        "ranked (facts the case left out first; questions of another concern topic last; "
        "then the next step changing, then the number of moves added or removed).",
        examples=[True])] = False,
) -> Response:
    if explain:
        # Up to `cap` engine runs: long enough that a thread lets the event loop answer
        # other requests in between (the GIL switches every few ms).
        return advice_response(await run_in_threadpool(partial(
            service.advise, case, language, explain=True)))
    # on the event loop: see the module docstring (AdviceRoute.direct answers the same)
    return advice_response(service.advise(case, language))
