"""GET /metrics: the service's counters in the Prometheus text format (prometheus-client).

What is counted, per worker process:

- ``escalate_http_requests_total{method, route, status}`` and
  ``escalate_http_request_duration_seconds{method, route}`` (a histogram): ``route`` is
  the route's template (``/v1/advice``), or ``unmatched`` for any path no route serves;
  ``method`` is one of the HTTP methods (:data:`KNOWN_METHODS`), or ``other`` for any
  other name a client makes up; so a client cannot create label values, and the
  exposition stays the same size whatever is sent. Nothing about a request's body, query
  or headers is ever a label. A request whose client hung up before its response is
  counted with status 499 (:data:`api.observe.CLIENT_CLOSED`), not as a server error.
- ``escalate_engine_cache_hits_total`` / ``_misses_total`` / ``_entries`` / ``_size``:
  the engine's memory (:mod:`escalate.engine_memory`), read when scraped. Counts only:
  no case, fact or answer is exported.
- ``escalate_rules_reloads_total{outcome}``: reloads of the rules (:mod:`api.reload`) by
  outcome (``accepted``, ``rules_refused``, ``scenarios_failed``,
  ``scenarios_unreadable``, ``failed``); ``escalate_rules_info{rules_version}`` (always
  1): the rules this worker answers with now.
- ``escalate_worker_info{pid}``: which worker process answered, and the client library's
  standard ``process_*`` and ``python_*`` metrics of that process.

**Several workers.** Each worker keeps its own registry and answers for itself: the
workers share one port (``escalate serve --workers N``), so a scrape reaches whichever
worker the kernel gives the connection, and ``escalate_worker_info`` says which. For
service-wide totals sum over the ``pid`` series, or run one worker per container (as the
Kubernetes manifest does) and let Prometheus scrape each. (prometheus-client's
multiprocess mode was not used: it cannot export the engine-memory gauges, which are
read from the live advisor, and it needs a shared directory to be managed across
restarts.)

The endpoint is not under ``/v1/`` (no API key, like ``/healthz``) and not in the
OpenAPI document: it is for operators, not part of the advice contract.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    Info,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from starlette.datastructures import State
from starlette.types import ASGIApp, Scope

from .observe import RequestObserver
from .reload import OUTCOMES

METRICS_PATH = "/metrics"
UNMATCHED = "unmatched"
OTHER_METHOD = "other"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
                           "TRACE", "CONNECT"})
# Latency buckets (seconds) around an advice request's few milliseconds.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
           2.5)


class _EngineMemoryCollector(Collector):
    """The engine memory's counts, read from the app's advisor at scrape time."""

    def __init__(self, state: State) -> None:
        self.state = state

    def collect(self) -> Iterable[Metric]:
        memory = getattr(getattr(self.state, "advisor", None), "memory", None)
        if memory is None:
            return
        stats = memory.stats
        yield CounterMetricFamily("escalate_engine_cache_hits",
                                  "Engine answers served from memory.", value=stats.hits)
        yield CounterMetricFamily("escalate_engine_cache_misses",
                                  "Engine inputs the engine decided (not in memory).",
                                  value=stats.misses)
        yield GaugeMetricFamily("escalate_engine_cache_entries",
                                "Engine answers remembered now.", value=stats.entries)
        yield GaugeMetricFamily("escalate_engine_cache_size",
                                "Most engine answers remembered (0: memory off).",
                                value=stats.size)


class _RulesCollector(Collector):
    """The rules answering now, read from the app's face at scrape time."""

    def __init__(self, state: State) -> None:
        self.state = state

    def collect(self) -> Iterable[Metric]:
        version = getattr(getattr(self.state, "escalate", None), "rules_version", None)
        if version is None:
            return
        info = GaugeMetricFamily("escalate_rules_info", "The rules this worker answers with "
                                 "now (always 1).", labels=["rules_version"])
        info.add_metric([str(version)], 1)
        yield info


class Metrics:
    """One app's registry and the instruments the middleware feeds."""

    def __init__(self, state: State) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("escalate_http_requests", "HTTP requests answered.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("escalate_http_request_duration_seconds",
                                 "Time from a request's start to its response's end.",
                                 ["method", "route"], buckets=BUCKETS,
                                 registry=self.registry)
        Info("escalate_worker", "The worker process that answered this scrape.",
             registry=self.registry).info({"pid": str(os.getpid())})
        self.reloads = Counter("escalate_rules_reloads", "Reloads of the rules, by outcome "
                               "(accepted, or why refused).", ["outcome"],
                               registry=self.registry)
        for outcome in OUTCOMES:
            self.reloads.labels(outcome)
        self.registry.register(_EngineMemoryCollector(state))
        self.registry.register(_RulesCollector(state))
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsMiddleware(RequestObserver):
    """Count every HTTP request and time it, labelled by route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        super().__init__(app)
        self.metrics = metrics
        # each label set's counter and histogram, looked up once (labels() takes a lock
        # and checks the values on every call); bounded as the label values are
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or UNMATCHED
        method = scope["method"] if scope["method"] in KNOWN_METHODS else OTHER_METHOD
        series = self._series.get((method, route, status))
        if series is None:
            series = self._series[(method, route, status)] = (
                self.metrics.requests.labels(method, route, str(status)),
                self.metrics.latency.labels(method, route))
        series[0].inc()
        series[1].observe(seconds)


router = APIRouter()


@router.get(METRICS_PATH, include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The Prometheus text exposition of this worker's metrics."""
    found: Metrics = request.app.state.metrics
    return Response(found.render(), media_type=CONTENT_TYPE_LATEST)
