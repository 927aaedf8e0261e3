"""A caseload at once: one row per case, most urgent first, and the caseload counted.

An advocacy organization has hundreds of open cases whose advice changes every day as the
clocks run. :func:`triage` reads a caseload (one case a line, JSON Lines) and gives, for
each valid case, a :class:`~escalate.models.triage.TriageRow` built from that case's own
advice, unchanged (its first step, its deadlines and warnings), plus:

- **the nearest date that matters**, and whose it is (:func:`nearest`): a family filing
  window closing within 30 days (``window_closing_days``, ladder section 11: the move is
  ranked first) comes first, since a right is lost when it passes; then a duty the
  district or the state owes that is past its date (its lateness, ladder section 7), the
  longest late first; then the soonest other open window or running duty;
- **the urgency** (:func:`urgency`): ``urgent`` when a family window closes within 7 days
  or may already have closed (the advice says: ask an attorney now); ``high`` when one
  closes within 30 days or the district or state is late; ``watch`` while a duty of the
  district or state runs; ``routine`` otherwise.

Rows are sorted by urgency, then by the nearest date's days left (none last), then by line.
A caseload of 100,000 cases must not hold 100,000 cases, nor 100,000 row objects: lines are
read as they are triaged, and each row is kept packed (:class:`Packed`: its sort key, the
three facts the summary counts, and its JSON, about half a kilobyte against two or more as
an object) until it is read (:class:`Rows`, a sequence of rows built one at a time).
A line that is not a case (not JSON, over the budget of one case, or not a valid case) is a
:class:`~escalate.models.triage.TriageInvalid` naming its number only: its content is never
echoed, logged or kept. Nothing stops the run.

:class:`Pool` spreads the work over processes (durable_rules holds the GIL, so threads
would not help): the workers are forked from a forkserver that built the advisor once
(:mod:`escalate.triage_server`), and take chunks of lines. The workers share what their
engines decided: with each chunk a worker is handed the answers the other workers' engines
gave since its last chunk (:meth:`~escalate.engine_memory.EngineMemory.learn`), so an
engine input is decided about once per caseload however many workers share it (without
this, on 6,000 lines of the realistic intake stream two workers asked their engines 24%
more often than one process, and spent about 13% more CPU a case). Computing
only: the words of the table and the page are in :mod:`escalate.text.triage`. The output is
general information, not legal advice.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple, overload

from pydantic import ValidationError

from escalate.advisor import Advisor
from escalate.engine_memory import Learned
from escalate.errors import CaseError
from escalate.i18n.formats import ENGLISH
from escalate.models import Advice, Case, Deadline
from escalate.models.triage import (
    URGENCIES,
    InvalidKind,
    NearestDate,
    TriageInvalid,
    TriageRow,
    TriageSummary,
    Urgency,
)

# Days left within which a family window makes a case urgent (a working week and its
# weekend), and within which it counts as closing (the advice's own 'closing' status and
# its ranking use the 30 days of rules/parameters.yaml `window_closing_days`).
URGENT_DAYS = 7
CLOSING_DAYS = 30
# A line longer than this is no case (a full case is a few KB; the API's body bound is
# the same order): it is named over_budget, never parsed.
MAX_LINE_CHARS = 64 * 1024
# Lines handed to a worker at once.
CHUNK = 64

Line = tuple[int, str]
Result = TriageRow | TriageInvalid
Check = Callable[[Any], None]


def _family_window(d: Deadline) -> bool:
    """A family filing window still to act on: open, closing, or passed when counted from
    a date standing in for one the case did not give (may_be_closed)."""
    return d.owner == "family" and (
        (d.status in ("open", "closing") and d.days_left >= 0) or d.status == "may_be_closed")


def _date(d: Deadline, kind: Any) -> NearestDate:
    return NearestDate(kind=kind, owner=d.owner, move=d.move, due=d.due,
                       days_left=d.days_left, citation=d.citation, clock=d.clock)


def nearest(advice: Advice) -> NearestDate | None:
    """The nearest date that matters to the advice, and whose it is (module docstring)."""
    windows = sorted((d for d in advice.deadlines if _family_window(d)),
                     key=lambda d: d.days_left)
    late = sorted((d for d in advice.deadlines
                   if d.owner != "family" and d.status == "overdue"), key=lambda d: d.days_left)
    running = [d for d in advice.deadlines
               if d.owner != "family" and d.status == "open" and d.days_left >= 0]
    if windows and windows[0].days_left <= CLOSING_DAYS:
        return _date(windows[0], "family_window_closing")
    if late:
        return _date(late[0], "district_late")
    upcoming = sorted([(d.days_left, 0, d) for d in windows[:1]]
                      + [(d.days_left, 1, d) for d in running], key=lambda t: t[:2])
    if not upcoming:
        return None
    _, order, chosen = upcoming[0]
    return _date(chosen, "family_window_closing" if order == 0 else "proceeding_pending")


def _closing_within(advice: Advice, days: int) -> bool:
    return any(d.owner == "family" and d.status in ("open", "closing")
               and 0 <= d.days_left <= days for d in advice.deadlines)


def _late(advice: Advice) -> bool:
    return any(d.owner != "family" and d.status == "overdue" for d in advice.deadlines)


def urgency(advice: Advice) -> Urgency:
    """How soon the case needs a person (module docstring)."""
    if _closing_within(advice, URGENT_DAYS) or any(
            d.owner == "family" and d.status == "may_be_closed" for d in advice.deadlines):
        return "urgent"
    if _closing_within(advice, CLOSING_DAYS) or _late(advice):
        return "high"
    if any(d.owner != "family" and d.status == "open" for d in advice.deadlines):
        return "watch"
    return "routine"


def row(advice: Advice, line: int) -> TriageRow:
    """The triage row of one case's advice (its parts copied, unchanged)."""
    first = advice.next_move
    return TriageRow(line=line, case_id=advice.case_id, as_of=advice.as_of,
                     next_move=first.move if first else None,
                     next_move_title=first.title if first else None,
                     urgency=urgency(advice), nearest=nearest(advice),
                     deadlines=list(advice.deadlines), warnings=list(advice.warnings))


def parse(text: str, as_of: dt.date | None = None,
          check: Check | None = None) -> Case | InvalidKind:
    """The case on one line, or why it is not one (never what it says). ``as_of``: the day
    to triage it for, replacing its own; ``check``: a bound on the decoded JSON (the API's
    budget), raising any exception to refuse it."""
    if len(text) > MAX_LINE_CHARS:
        return "over_budget"
    try:
        data = json.loads(text)
    except RecursionError:
        return "over_budget"
    except ValueError:
        return "not_json"
    if not isinstance(data, dict):
        return "not_json"
    if check is not None:
        try:
            check(data)
        except Exception:  # noqa: BLE001 - any refusal of the budget, named by kind only
            return "over_budget"
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    try:
        return Case.model_validate(data)
    except ValidationError:
        return "not_a_case"


def triage_lines(advise: Callable[[Case, str], Advice], lines: Iterable[Line],
                 as_of: dt.date | None = None, lang: str = ENGLISH,
                 check: Check | None = None) -> list[Result]:
    """Each numbered line as its row, or as an invalid line; blank lines are skipped."""
    out: list[Result] = []
    for number, text in lines:
        if not text.strip():
            continue
        case = parse(text, as_of, check)
        if isinstance(case, str):
            out.append(TriageInvalid(line=number, error=case))
            continue
        try:
            advice = advise(case, lang)
        except CaseError:  # a case the advice refuses (as POST /v1/advice does, with a 422)
            out.append(TriageInvalid(line=number, error="not_a_case"))
            continue
        out.append(row(advice, number))
    return out


def packed_lines(advise: Callable[[Case, str], Advice], lines: Iterable[Line],
                 as_of: dt.date | None = None, lang: str = ENGLISH,
                 check: Check | None = None) -> list[TriageInvalid | Packed]:
    """As :func:`triage_lines`, each row packed (what a worker sends its parent)."""
    return [r if isinstance(r, TriageInvalid) else pack(r)
            for r in triage_lines(advise, lines, as_of, lang, check)]


KINDS = ("family_window_closing", "district_late", "proceeding_pending")


def sort_key(r: TriageRow) -> tuple[int, int, int, int]:
    """Most urgent first; then by whose the nearest date is (a family window, a district
    late, a duty running, none); then its days left; then the line."""
    if r.nearest is None:
        return URGENCIES.index(r.urgency), len(KINDS), 0, r.line
    return URGENCIES.index(r.urgency), KINDS.index(r.nearest.kind), r.nearest.days_left, r.line


def _row_closing(r: TriageRow, days: int) -> bool:
    return any(d.owner == "family" and d.status in ("open", "closing")
               and 0 <= d.days_left <= days for d in r.deadlines)


class Packed(NamedTuple):
    """A row as the parent keeps it: what sorts and counts it, and its JSON (the row's
    ``model_dump_json``), read back into a :class:`TriageRow` only when it is read."""

    key: tuple[int, int, int, int]
    closing_7: bool
    closing_30: bool
    late: bool
    json: bytes


def pack(r: TriageRow) -> Packed:
    """The row packed (:class:`Packed`)."""
    return Packed(sort_key(r), _row_closing(r, URGENT_DAYS), _row_closing(r, CLOSING_DAYS),
                  any(d.owner != "family" and d.status == "overdue" for d in r.deadlines),
                  r.model_dump_json().encode())


class Rows(Sequence[TriageRow]):
    """The rows of a caseload, most urgent first, each built from its packed form when it
    is read (so a long caseload is held as bytes, not as objects)."""

    def __init__(self, packed: list[Packed]) -> None:
        self._packed = packed

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> TriageRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[TriageRow]: ...
    def __getitem__(self, index: int | slice) -> TriageRow | list[TriageRow]:
        if isinstance(index, slice):
            return [TriageRow.model_validate_json(p.json) for p in self._packed[index]]
        return TriageRow.model_validate_json(self._packed[index].json)

    def __iter__(self) -> Iterator[TriageRow]:
        return (TriageRow.model_validate_json(p.json) for p in self._packed)

    def json(self) -> Iterator[bytes]:
        """Each row's ``model_dump_json``, in order, without building the row."""
        return (p.json for p in self._packed)

    def dumps(self) -> Iterator[Any]:
        """Each row's ``model_dump(mode="json")``, in order, without building the row."""
        return (json.loads(p.json) for p in self._packed)


@dataclass
class Triage:
    """A caseload triaged: rows most urgent first, invalid lines by number, the counts."""

    rows: Rows = field(default_factory=lambda: Rows([]))
    invalid: list[TriageInvalid] = field(default_factory=list)
    summary: TriageSummary = field(default_factory=lambda: TriageSummary(
        cases=0, invalid=0, closing_within_7=0, closing_within_30=0, districts_late=0))


def collect(results: Iterable[Result | Packed], as_of: dt.date | None = None,
            disclaimer: str | None = None) -> Triage:
    """The results sorted, and counted; consumed as they come, each row kept packed."""
    packed: list[Packed] = []
    invalid: list[TriageInvalid] = []
    for r in results:
        if isinstance(r, TriageInvalid):
            invalid.append(r)
        else:
            packed.append(pack(r) if isinstance(r, TriageRow) else r)
    packed.sort(key=lambda p: p.key)
    invalid.sort(key=lambda i: i.line)
    summary = TriageSummary(
        cases=len(packed), invalid=len(invalid),
        closing_within_7=sum(p.closing_7 for p in packed),
        closing_within_30=sum(p.closing_30 for p in packed),
        districts_late=sum(p.late for p in packed), as_of=as_of)
    if disclaimer:
        summary.disclaimer = disclaimer
    return Triage(Rows(packed), invalid, summary)


def numbered(lines: Iterable[str]) -> Iterator[Line]:
    """Lines numbered from 1, as read from a file."""
    return ((n, text) for n, text in enumerate(lines, start=1))


def chunks(lines: Iterable[Line], size: int = CHUNK) -> Iterator[list[Line]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ------------------------------------------------------------------ the process pool

_WORKER: Advisor | None = None


def _start_worker(rules_dir: str) -> None:
    """A worker's start: the advisor the forkserver built (:mod:`escalate.triage_server`),
    else its own, built once."""
    global _WORKER  # noqa: PLW0603 - one advisor per worker process
    from escalate import triage_server

    _WORKER = triage_server.ready(rules_dir) or Advisor.from_directory(rules_dir)


def _start_forkserver(context: Any, rules_dir: str) -> None:
    """Start the forkserver, if it is not running yet, with the advisor of ``rules_dir``
    built in it (:mod:`escalate.triage_server`); the variable that names the folder is
    set only while it starts."""
    from multiprocessing import forkserver

    from escalate.triage_server import RULES_ENV

    context.set_forkserver_preload(["escalate.triage", "escalate.triage_server"])
    before = os.environ.get(RULES_ENV)
    os.environ[RULES_ENV] = rules_dir
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ[RULES_ENV]
        else:
            os.environ[RULES_ENV] = before


# Engine answers handed between workers: each batch with the rulebook version that gave it.
Answers = list[tuple[str, list[Learned]]]


def _work_sharing(chunk: Sequence[Line], as_of: dt.date | None, lang: str,
                  learn: Answers) -> tuple[list[TriageInvalid | Packed], Answers]:
    """A triage worker's chunk: its lines triaged, taking in first the answers the other
    workers' engines gave
    (``learn``; only those of this worker's rulebook version: a worker that built its
    own advisor from a folder changed meanwhile shares nothing with the others), and
    handing back the ones this worker's engine gave for the chunk."""
    assert _WORKER is not None, "the worker was started with its advisor"
    memory, version = _WORKER.memory, _WORKER.rules_version
    memory.keep_journal()
    for given, answers in learn:
        if given == version:
            memory.learn(answers)
    done = packed_lines(_WORKER.advise, chunk, as_of, lang)
    found = memory.take_journal()
    return done, [(version, found)] if found else []


# What a worker does with a chunk of lines, for a day and a language (module-level, so a
# worker finds it by name).
Work = Callable[[Sequence[Line], dt.date | None, str], list[Any]]
# Chunks in flight per worker: enough that a worker never waits for the next one.
DEPTH = 3


class Pool:
    """Worker processes, each with its advisor, triaging chunks of lines; at most a few
    chunks per worker are in flight, so memory stays flat however long the caseload.

    Each worker is a process of its own executor, so that the pool knows which worker
    does which chunk: the next chunk goes to the worker with the fewest in flight, and
    carries the engine answers the other workers found since that worker's last chunk
    (the triage's own workers only; see the module).

    The same pool serves other work over a caseload (:mod:`escalate.rulediff` compares
    two rulebooks): ``rules_dir`` may then be several folders, handed to ``start`` (which
    builds what each worker keeps), and ``work`` is done on each chunk. Without ``work``,
    the workers are the triage's own: started with the forkserver's advisor, sharing
    their engines' answers."""

    def __init__(self, rules_dir: str | tuple[str, ...], jobs: int, *,
                 start: Callable[..., None] = _start_worker,
                 work: Work | None = None) -> None:
        # forkserver: a worker is forked from a clean server process that has imported
        # the library once (never a copy of a parent's engine or threads), and ends with
        # os._exit, not a full interpreter teardown (with spawn, 10 s on a loaded machine);
        # the forkserver builds the advisor once and every worker is forked with it ready
        context = multiprocessing.get_context("forkserver")
        if work is None:
            if not isinstance(rules_dir, str):
                raise TypeError("the triage's own workers read one rules folder")
            folders: tuple[str, ...] = (str(Path(rules_dir).resolve()),)
            _start_forkserver(context, folders[0])
            start = _start_worker
        else:
            folders = (rules_dir,) if isinstance(rules_dir, str) else rules_dir
            context.set_forkserver_preload(sorted({"escalate.triage", work.__module__}))
        self._executors = [ProcessPoolExecutor(max_workers=1, mp_context=context,
                                               initializer=start, initargs=folders)
                           for _ in range(jobs)]
        self._work = work

    def run(self, lines: Iterable[Line], as_of: dt.date | None, lang: str,
            progress: Callable[[int], None] | None = None) -> Iterator[Any]:
        """Every line's result (in no particular order); ``progress`` is told how many
        lines each finished chunk held."""
        jobs = len(self._executors)
        pending: dict[Future[Any], tuple[int, int]] = {}  # its worker, its lines
        in_flight = [0] * jobs
        # what each worker's engine has not yet been told: the others' answers
        untold: list[Answers] = [[] for _ in range(jobs)]
        source = chunks(lines)
        exhausted = False
        while pending or not exhausted:
            while not exhausted:
                worker = min(range(jobs), key=in_flight.__getitem__)
                if in_flight[worker] >= DEPTH:
                    break
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                executor = self._executors[worker]
                future: Future[Any]
                if self._work is None:
                    learn, untold[worker] = untold[worker], []
                    future = executor.submit(_work_sharing, chunk, as_of, lang, learn)
                else:
                    future = executor.submit(self._work, chunk, as_of, lang)
                pending[future] = (worker, len(chunk))
                in_flight[worker] += 1
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                worker, size = pending.pop(future)
                in_flight[worker] -= 1
                outcome = future.result()
                result: list[Any] = outcome
                if self._work is None:
                    result, learned = outcome
                    for other in range(jobs):
                        if other != worker:
                            untold[other].extend(learned)
                if progress is not None:
                    progress(size)
                yield from result

    def close(self) -> None:
        for executor in self._executors:
            executor.shutdown(wait=False, cancel_futures=True)
        for executor in self._executors:
            executor.shutdown(cancel_futures=True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
