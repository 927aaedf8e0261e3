"""Reloading the rules while serving, only when the scenarios pass.

A reload is asked for by ``SIGHUP`` (to the process; under ``escalate serve --workers N``
to the supervisor, which passes it on to every worker) or by ``POST /admin/reload``
(:mod:`api.routes.admin`, with one of the operators' keys, ``ESCALATE_ADMIN_KEYS``).

What a reload does, in this worker, in a thread of its own (never on the event loop):

1. builds a **candidate** with :func:`build_candidate`, the one function start-up uses
   too (the lifespan in :mod:`api.main` and ``escalate serve``'s check): the whole rules
   folder loaded, checked and proven, letters, translations, calendar words, questions;
2. runs the organization's scenarios (``ESCALATE_SCENARIOS_DIR``, read afresh) and the
   built-in ones against the candidate, through the real app in process
   (:func:`api.main.candidate_client`), exactly as ``escalate scenarios run`` does;
3. only if the candidate was built and every scenario passed, **swaps** it in: one
   assignment of ``app.state.escalate``, the reference every request reads once
   (:func:`api.deps.get_escalate`). A request in flight finishes on the rules it started
   with; the next one gets the new rules. Otherwise the serving rules are left alone.

Whatever the outcome, it is kept as :attr:`Reloader.last` (``/readyz`` shows it: the
failed scenarios by file, name and line, or the rule file's problem), logged (never the
text of a scenario's failure: what the advice said is not logged), and counted in
``escalate_rules_reloads_total{outcome}``. One reload runs at a time per worker: a
request for another meanwhile is refused (``POST /admin/reload`` answers 409), never
queued.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import State

from escalate.errors import RuleFileError
from escalate.service import Escalate, ScenarioCheck, check_scenarios

from . import heap
from .logging import LOGGER_NAME
from .settings import Settings

log = logging.getLogger(LOGGER_NAME)

RELOAD_SIGNAL = signal.SIGHUP
# Set by escalate serve's supervisor (api.server.Supervisor) for its workers: the process
# that passes a reload on to every worker. Not a setting (no ESCALATE_ prefix).
SUPERVISOR_ENV = "_ESCALATE_SUPERVISOR_PID"

Outcome = Literal["accepted", "rules_refused", "scenarios_failed", "scenarios_unreadable",
                  "failed"]
OUTCOMES: tuple[Outcome, ...] = ("accepted", "rules_refused", "scenarios_failed",
                                 "scenarios_unreadable", "failed")


def build_candidate(settings: Settings) -> Escalate:
    """The library's face for ``settings``, started: the one way the service builds it,
    at start-up and at every reload. Raises :class:`~escalate.errors.RuleFileError`
    naming the file, id and key of a problem."""
    return Escalate.from_directory(settings.rules_dir, local=settings.local_rules,
                                   cache_size=settings.engine_cache_size)


class FailedScenarioInfo(BaseModel):
    """A scenario that failed against the candidate rules."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "file": "/srv/scenarios/oregon.feature",
        "scenario": "Oregon allows two years for due process", "line": 12,
        "step": 'Then the deadline for "due process" is 2028-03-01'}]})

    file: str = Field(..., description="The feature file.")
    scenario: str = Field(..., description="The scenario's name.")
    line: int = Field(..., description="The line of the step that failed.")
    step: str = Field(..., description="The step that failed, as written.")


class ReloadReport(BaseModel):
    """The outcome of one reload of the rules in this worker."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "outcome": "scenarios_failed",
        "started": "2026-12-06T17:40:02.120000Z",
        "finished": "2026-12-06T17:40:19.882000Z",
        "rules_version": "sha256:" + "3f1c9a0e5b7d2c4a" * 4,
        "candidate_rules_version": "sha256:" + "9b0d4e1f7a2c6e83" * 4,
        "scenarios_run": 231,
        "failed_scenarios": [{"file": "/srv/scenarios/oregon.feature",
                              "scenario": "Oregon allows two years for due process",
                              "line": 12, "step": 'Then the deadline for "due process" is '
                                                  "2028-03-01"}],
        "problem": None,
    }]})

    outcome: Outcome = Field(..., description=(
        "accepted: the new rules passed every scenario and now answer; rules_refused: "
        "the rule files did not load (problem names file, id and key); scenarios_failed: "
        "a scenario failed against them (failed_scenarios); scenarios_unreadable: a "
        "feature file could not be read (problem); failed: the reload itself failed "
        "(problem names the error's kind). Every outcome but accepted leaves the rules "
        "that answered before answering still."))
    started: dt.datetime = Field(..., description="When the reload began (UTC).")
    finished: dt.datetime = Field(..., description="When it ended (UTC).")
    rules_version: str = Field(..., description="The rules answering after the reload.")
    candidate_rules_version: str | None = Field(
        None, description="The rules the reload loaded (null: they did not load).")
    scenarios_run: int = Field(0, description="Scenarios run against the candidate, the "
                               "organization's and the built-in ones.")
    failed_scenarios: list[FailedScenarioInfo] = Field(
        default_factory=list, description="Each scenario that failed, by file, name and "
        "line.")
    problem: str | None = Field(None, description="Why the candidate was refused, when "
                                "no scenario says it.")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Reloader:
    """The reloads of one app: at most one at a time, each in a thread of its own."""

    def __init__(self, state: State, settings: Settings,
                 client_for: Callable[[Escalate], AbstractContextManager[Any]]) -> None:
        """``client_for(candidate)``: a client of the real app answering with the
        candidate, in process (:func:`api.main.candidate_client`, given by the app that
        builds this reloader, so that this module needs no import of it)."""
        self.state = state
        self.settings = settings
        self._client_for = client_for
        self.last: ReloadReport | None = None
        self._busy = threading.Lock()

    @property
    def running(self) -> bool:
        return self._busy.locked()

    def start(self) -> Future[ReloadReport] | None:
        """Begin a reload in a new thread; None (nothing started) when one is running."""
        if not self._busy.acquire(blocking=False):
            return None
        future: Future[ReloadReport] = Future()
        future.set_running_or_notify_cancel()  # a caller giving up does not cancel it

        def work() -> None:
            try:
                report = self._reload()
            except BaseException as error:  # noqa: BLE001 - handed to whoever waits
                self._busy.release()
                future.set_exception(error)
            else:
                self._busy.release()  # free before anyone hears of it: may ask again
                future.set_result(report)

        threading.Thread(target=work, name="escalate-reload", daemon=True).start()
        return future

    def on_signal(self) -> None:
        """SIGHUP: start a reload, or say that one is already running."""
        if self.start() is None:
            log.warning("reload asked for by signal while one is running; ignored")

    async def reload(self) -> ReloadReport | None:
        """Run a reload and wait for its report; None when one is already running."""
        future = self.start()
        if future is None:
            return None
        report: ReloadReport = await asyncio.wrap_future(future)
        return report

    # ---------------------------------------------------------------- the work

    def _reload(self) -> ReloadReport:
        started = _now()
        serving: Escalate = self.state.escalate
        log.info("reloading the rules", extra={"rules_version": serving.rules_version})
        try:
            candidate = build_candidate(self.settings)
        except RuleFileError as error:  # names file, id and key: no case is involved
            return self._refused(started, serving, "rules_refused", None, problem=str(error))
        except Exception as error:  # noqa: BLE001 - the old rules keep answering
            return self._refused(started, serving, "failed", None,
                                 problem=f"the rules could not be built: "
                                 f"{type(error).__name__}")
        try:
            check = self._scenarios(candidate)
        except Exception as error:  # noqa: BLE001
            return self._refused(started, serving, "failed", candidate,
                                 problem=f"the scenarios could not be run: "
                                 f"{type(error).__name__}")
        if check.unreadable is not None:
            return self._refused(started, serving, "scenarios_unreadable", candidate,
                                 problem=check.unreadable)
        if not check.passed:
            return self._refused(started, serving, "scenarios_failed", candidate,
                                 check=check)
        # The swap: one assignment is what requests read. The advisor (logs, metrics) and
        # the languages (read once, from the advisor's folder) follow it.
        self.state.escalate = candidate
        self.state.advisor = candidate.advisor
        self.state.languages = None
        previous = serving.rules_version
        del serving  # the old rules: only their version is kept, for the log
        if getattr(self.state, "settle_heap", False):
            heap.resettle()  # the old rules' cycles freed, the new ones settled (api.heap)
        report = ReloadReport(outcome="accepted", started=started, finished=_now(),
                              rules_version=candidate.rules_version,
                              candidate_rules_version=candidate.rules_version,
                              scenarios_run=check.run)
        log.info("reloaded: the new rules passed every scenario and now answer",
                 extra={"rules_version": candidate.rules_version,
                        "previous_rules_version": previous,
                        "scenarios_run": check.run})
        return self._record(report)

    def _scenarios(self, candidate: Escalate) -> ScenarioCheck:
        folders = [self.settings.scenarios_dir] if self.settings.scenarios_dir else []
        with self._client_for(candidate) as client:
            return check_scenarios(folders, client)

    def _refused(self, started: dt.datetime, serving: Escalate, outcome: Outcome,
                 candidate: Escalate | None, *, problem: str | None = None,
                 check: ScenarioCheck | None = None) -> ReloadReport:
        failed = [FailedScenarioInfo(file=f.file, scenario=f.scenario, line=f.line,
                                     step=f.step) for f in (check.failed if check else ())]
        report = ReloadReport(
            outcome=outcome, started=started, finished=_now(),
            rules_version=serving.rules_version,
            candidate_rules_version=candidate.rules_version if candidate else None,
            scenarios_run=check.run if check else 0, failed_scenarios=failed,
            problem=problem)
        log.warning("reload refused: the rules that answered before still answer",
                    extra={"outcome": outcome, "rules_version": serving.rules_version,
                           "candidate_rules_version": report.candidate_rules_version,
                           "problem": problem,
                           "failed_scenarios": [f"{f.file}:{f.line}: {f.scenario}"
                                                for f in failed]})
        return self._record(report)

    def _record(self, report: ReloadReport) -> ReloadReport:
        self.last = report
        metrics = getattr(self.state, "metrics", None)
        if metrics is not None:
            metrics.reloads.labels(report.outcome).inc()
        return report


def supervisor_pid() -> int | None:
    """The pid of escalate serve's supervisor when this process is one of its workers."""
    value = os.environ.get(SUPERVISOR_ENV, "")
    return int(value) if value.isdigit() and int(value) == os.getppid() else None


def install_signal(reloader: Reloader) -> bool:
    """Reload on SIGHUP, when this is the process's main thread (as under uvicorn; a test
    client's app runs elsewhere and is reloaded through its endpoint). True if done.

    A SIGHUP that came while the process was starting was held (:func:`signal_held`):
    it is delivered now, and reloads."""
    if threading.current_thread() is not threading.main_thread():
        return False
    asyncio.get_running_loop().add_signal_handler(RELOAD_SIGNAL, reloader.on_signal)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {RELOAD_SIGNAL})
    return True


def hold_signal() -> None:
    """Hold SIGHUP in this thread (blocked: kept pending, never lost) until the app
    handles it (:func:`install_signal`): until then its default would end the process.
    A process started meanwhile inherits it held, as escalate serve's workers do."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {RELOAD_SIGNAL})


@contextmanager
def signal_held() -> Iterator[None]:
    """SIGHUP held meanwhile in this thread, then delivered if it came (the supervisor
    starts its workers so)."""
    hold_signal()
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {RELOAD_SIGNAL})


def remove_signal() -> None:
    asyncio.get_running_loop().remove_signal_handler(RELOAD_SIGNAL)
