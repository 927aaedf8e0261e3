"""PDF and .docx letters are rendered off the event loop, in a bounded pool of processes.

Rendering a PDF takes WeasyPrint tens to hundreds of milliseconds of CPU and tens of MB;
on the event loop (or in its threads, which share the GIL) it would hold up every advice
request of the worker. Here each document goes to a process of a small pool
(``pebble.ProcessPool``: a well-kept pool that, unlike ``concurrent.futures``, can stop a
document that runs too long by ending its process, and replaces the process):

- at most ``render_workers`` documents render at once, each process at a lower CPU
  priority than the service (``os.nice``), so advice keeps its latency beside PDF load;
- at most ``render_queue`` more wait; beyond that a request is refused at once with 503
  and ``Retry-After`` (:class:`RenderBusy`), instead of queueing without end;
- a document that takes longer than ``render_timeout_s`` is stopped (its process ended
  and replaced) and the request gets 503 and ``Retry-After``;
- a process is replaced after ``render_max_tasks`` documents, so that memory a renderer
  keeps is given back.

Before anything is sent to the pool, the letter's Markdown is held to its budget
(:func:`api.limits.check_letter`). Markdown letters are text already and never go to
the pool. The pool is one per process, started on first use (processes are spawned, not
forked from the running service) and shared by the apps of that process; each app counts
its own documents in flight.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from pebble import ProcessExpired, ProcessPool

from escalate.service import Format
from escalate.service import render_letter as render

from .limits import check_letter

log = logging.getLogger("escalate.api.render")

RENDER_NICENESS = 5
RETRY_AFTER_S = 5

_pools: dict[tuple[int, int], ProcessPool] = {}
_pools_lock = threading.Lock()


class RenderBusy(Exception):
    """The render pool cannot take this document now (full, too slow, or its process
    died); the request gets 503 with ``Retry-After``. The message names the bound."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER_S) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _warm() -> None:
    """Each render process: a lower CPU priority than the service, and the renderers
    imported once rather than on its first document."""
    os.nice(RENDER_NICENESS)
    import docx  # noqa: F401
    import weasyprint  # noqa: F401


def _shared_pool(workers: int, max_tasks: int) -> ProcessPool:
    with _pools_lock:
        pool = _pools.get((workers, max_tasks))
        if pool is None:
            pool = ProcessPool(max_workers=workers, max_tasks=max_tasks, initializer=_warm,
                               context=multiprocessing.get_context("spawn"))
            _pools[(workers, max_tasks)] = pool
        return pool


@atexit.register
def _stop_pools() -> None:
    with _pools_lock:
        for pool in _pools.values():
            pool.stop()  # type: ignore[no-untyped-call]
        _pools.clear()


class RenderPool:
    """One app's way to the process's render pool, with the app's own limit on documents
    in flight (rendering plus waiting)."""

    def __init__(self, workers: int, queue: int, timeout_s: float, max_tasks: int) -> None:
        self.workers = workers
        self.capacity = workers + queue
        self.timeout_s = timeout_s
        self.max_tasks = max_tasks
        self.in_flight = 0

    async def render(self, markdown: str, title: str, fmt: Format, lang: str,
                     draft: str = "", langs: Sequence[str] = ()) -> bytes:
        """The letter as bytes in ``fmt``; Markdown at once, PDF and .docx in the pool.

        Raises :class:`api.limits.OverBudget` for a letter over its budget and
        :class:`RenderBusy` when the pool cannot render it now."""
        if fmt == "md":
            return render(markdown, title, fmt, lang, draft, langs)
        check_letter(markdown)
        if self.in_flight >= self.capacity:
            raise RenderBusy(f"every letter renderer is busy ({self.workers} rendering, "
                             f"{self.capacity - self.workers} waiting); try again shortly")
        self.in_flight += 1
        try:
            pool = _shared_pool(self.workers, self.max_tasks)
            future = pool.schedule(render, args=(markdown, title, fmt, lang, draft,
                                                 tuple(langs)),
                                   timeout=self.timeout_s)
            try:
                content: bytes = await asyncio.wrap_future(future)
            except asyncio.CancelledError:  # the client left: free the renderer
                future.cancel()  # type: ignore[no-untyped-call]
                raise
            except FutureTimeout:
                log.warning("letter render timed out", extra={"format": fmt,
                                                              "timeout_s": self.timeout_s})
                raise RenderBusy(f"the letter did not render within {self.timeout_s:g} "
                                 "seconds; try again shortly") from None
            except ProcessExpired as exc:
                log.error("letter render process died", extra={"format": fmt,
                                                               "exitcode": exc.exitcode})
                raise RenderBusy("the letter renderer stopped; try again shortly") from None
            return content
        finally:
            self.in_flight -= 1


def render_pool(state: Any) -> RenderPool:
    """The app's render pool, made from its settings on first use."""
    pool: RenderPool | None = getattr(state, "render_pool", None)
    if pool is None:
        settings = state.settings
        pool = RenderPool(settings.render_workers, settings.render_queue,
                          settings.render_timeout_s, settings.render_max_tasks)
        state.render_pool = pool
    return pool
