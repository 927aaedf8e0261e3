"""Builds the FastAPI app; nothing else lives here.

``create_app(settings)`` wires the settings, the engine (built once in the lifespan),
the routers, the error handlers and the middlewares. ``uvicorn --factory
api.main:create_app`` builds one app per worker process; ``api.main:app`` is the same,
built lazily on first access.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from escalate import __version__
from escalate.errors import RuleFileError
from escalate.models import DISCLAIMER
from escalate.service import Advisor, Escalate, pdf_problem, rules_folder

from . import heap
from .deps import require_api_key
from .docs import install_docs
from .errors import ErrorMessage, InternalErrorMiddleware, install_error_handlers
from .logging import LOGGER_NAME, AccessLogMiddleware, configure_logging
from .metrics import Metrics, MetricsMiddleware
from .metrics import router as metrics_router
from .middleware import (
    ApiKeyMiddleware,
    BodyLimitMiddleware,
    HeadAsGetMiddleware,
    NoticeHeaderMiddleware,
    RequestLimitMiddleware,
)
from .openapi import add_model_examples
from .pages.framing import DEFAULT as NO_FRAMING
from .pages.framing import FrameAncestorsMiddleware
from .reload import Reloader, build_candidate, install_signal, remove_signal
from .routes import (
    admin,
    advice,
    health,
    letters,
    moves,
    pages,
    rules,
    states,
    triage,
    why_not,
)
from .settings import Settings, load_settings

log = logging.getLogger(LOGGER_NAME)

DESCRIPTION = f"""\
escalate tells a parent or advocate, from the facts of a US special-education (IEP)
dispute, which escalation step to take next and why, with deadlines and sources.

**{DISCLAIMER}**
"""


def _log_pdf_problem(check: asyncio.Future[str | None]) -> None:
    problem = check.result()
    if problem is not None:
        log.warning("PDF letters are unavailable here; advice and the other formats work",
                    extra={"error": problem})


# What any operation may answer because of the service's limits (api.settings, api.limits).
SERVICE_RESPONSES: dict[int | str, dict[str, Any]] = {
    408: {"model": ErrorMessage, "description": "The request body did not arrive within "
          "the configured time (ESCALATE_BODY_TIMEOUT_S); the connection is closed."},
    503: {"model": ErrorMessage, "description": "The service is at a limit (requests in "
          "progress, connections, letter renderers) or not ready yet; retry after the "
          "seconds in Retry-After.",
          "headers": {"Retry-After": {"description": "Seconds to wait before retrying.",
                                      "schema": {"type": "integer"}}}},
}


def create_served_app() -> FastAPI:
    """The app as each worker of ``escalate serve`` runs it: :func:`create_app` from the
    environment, its heap settled once started (:mod:`api.heap`)."""
    return create_app(settle_heap=True)


def create_app(settings: Settings | None = None, *,
               advisor: Escalate | Advisor | None = None,
               settle_heap: bool = False) -> FastAPI:
    """Build the service.

    ``settings`` default to the ``ESCALATE_*`` environment (a bad value raises
    :class:`~api.settings.SettingsError`). The engine is built from ``settings.rules_dir``
    when the app starts; a rulebook that does not load stops start-up with its message.
    ``advisor`` replaces that engine with a ready one, or a started
    :class:`~escalate.service.Escalate` (for embedding and tests; ``escalate serve``).
    The routes reach the library through its face, ``app.state.escalate``; a reload
    of the rules replaces it only when the new rules pass the scenarios (api.reload).
    ``settle_heap`` (a process that serves, api.server): once started, and after each
    reload, the heap built is kept out of the garbage collector's full passes (api.heap).
    """
    settings = settings if settings is not None else load_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if isinstance(advisor, Escalate):
            app.state.escalate = advisor
        elif advisor is not None:
            app.state.escalate = Escalate.around(advisor)
        else:
            try:
                app.state.escalate = build_candidate(settings)
            except RuleFileError as exc:
                log.critical(
                    "the rulebook did not load; not starting",
                    extra={"rules_dir": str(settings.rules_dir),
                           "local_rules": str(settings.local_rules or ""), "error": str(exc)},
                )
                raise
        for line in app.state.escalate.local_changes():  # each local override, said
            log.warning("local rules: %s", line.strip())
        app.state.advisor = app.state.escalate.advisor  # its version and memory: logs, metrics
        log.info("rules loaded", extra={
            "rules_version": app.state.advisor.rules_version,
            # which event loop serves (uvloop's when installed: api.server)
            "event_loop": type(asyncio.get_running_loop()).__module__.split(".")[0]})
        # One PDF rendered once per process (cached), in a thread, while the worker
        # already serves: /readyz says whether PDF letters work here (it waits for this
        # one check the first time) instead of the first letter finding out.
        app.state.pdf_check = asyncio.get_running_loop().run_in_executor(None, pdf_problem)
        app.state.pdf_check.add_done_callback(_log_pdf_problem)
        # A reload (SIGHUP, POST /admin/reload) swaps app.state.escalate only when the new
        # rules pass the scenarios (api.reload).
        app.state.reloader = Reloader(
            app.state, settings, lambda service: candidate_client(service, settings))
        on_signal = install_signal(app.state.reloader)
        if settle_heap:
            log.info("heap settled", extra={"objects_frozen": heap.settle()})
        yield
        if on_signal:
            remove_signal()
        app.state.advisor = app.state.escalate = None

    app = FastAPI(
        title="escalate",
        version=__version__,  # the package's; the API's own version is the /v1/ in paths
        summary="The next escalation step in a US special-education (IEP) dispute.",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served from packaged assets by api.docs, not from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.settle_heap = settle_heap  # api.heap: after start-up and each reload
    app.state.advisor = app.state.escalate = None
    app.state.pdf_check = None  # the start-up check of PDF letters (lifespan)
    app.state.reloader = None  # reloads of the rules (lifespan; api.reload)
    app.state.metrics = Metrics(app.state)

    # The key scheme is part of the contract whether or not this deployment sets keys, so
    # that a generated client can always send one; require_api_key lets everything through
    # when no key is configured.
    for router in (advice.router, why_not.router, letters.router, moves.router,
                   rules.router, states.router, triage.router):
        app.include_router(
            router,
            dependencies=[Depends(require_api_key)],
            responses={401: {"model": ErrorMessage,
                             "description": "Missing or wrong X-API-Key (only when the "
                             "deployment sets ESCALATE_API_KEYS)."}, **SERVICE_RESPONSES},
        )
    # AdviceRoute answers a valid case directly, doing what require_api_key and the
    # route's own dependencies do: true only because the routers are included as above.
    setattr(app.state, advice.DIRECTLY, True)
    app.include_router(health.router, responses=SERVICE_RESPONSES)
    app.include_router(admin.router)  # operators' keys of its own (ESCALATE_ADMIN_KEYS)
    if settings.pages:  # the web page for people: no API key (see api.routes.pages)
        # a broken page-text file or template stops start-up, naming it; the page speaks
        # the languages of the rules folder (one folder each in its locales/)
        pages.check(advisor.rulebook.directory if advisor is not None
                    else rules_folder(settings.rules_dir, settings.local_rules))
        pages.install(app)
    app.include_router(metrics_router)
    install_docs(app)
    install_error_handlers(app)

    # Each middleware wraps those added before it, so the last one added is the outermost:
    # the access log sees every final status, including 413s and 500s.
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       drain_bytes=settings.drain_bytes, timeout_s=settings.body_timeout_s)
    if settings.api_keys:  # outside the body limit: the key is checked before any body
        app.add_middleware(ApiKeyMiddleware, keys=settings.api_keys,
                           drain_bytes=settings.drain_bytes, timeout_s=settings.body_timeout_s)
    app.add_middleware(InternalErrorMiddleware)
    app.add_middleware(RequestLimitMiddleware, max_requests=settings.max_requests)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    if settings.pages and settings.frame_ancestors != NO_FRAMING:
        app.add_middleware(FrameAncestorsMiddleware, policy=pages.CONTENT_SECURITY_POLICY,
                           sources=settings.frame_ancestors)
    app.add_middleware(NoticeHeaderMiddleware)
    app.add_middleware(AccessLogMiddleware, state=app.state)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)

    add_model_examples(app, open_deployment=not settings.api_keys)
    return app


_app: FastAPI | None = None


def __getattr__(name: str) -> Any:
    """``api.main.app``: the app built from the environment, on first access."""
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@contextmanager
def candidate_client(service: Escalate, settings: Settings) -> Iterator[Any]:
    """A client of the real app answering with ``service`` (a reload's candidate), built
    with ``settings`` but without keys and without the web page (whose words are the
    serving app's): nothing leaves the process, nothing the serving app holds changes."""
    with warnings.catch_warnings():  # Starlette's nag about httpx: httpx is what it drives
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    quiet = settings.model_copy(update={"api_keys": [], "admin_keys": [], "pages": False})
    app = create_app(quiet, advisor=service)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
