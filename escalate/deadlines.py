"""Deadlines, filing windows and the district's duties, computed from ``as_of`` and the
case's own dates.

``rules/deadlines.yaml`` says which date starts which clock, which parameter gives its
length, and whose clock it is (``owner``):

- the **family's** clocks are filing windows (``closes_move``): once one has passed, the
  move is not recommended and a warning says why; with 30 days or fewer left (the
  ``window_closing_days`` parameter) the move is ranked first and a warning says so;
- the **district's** (and the **state's**) clocks are duties it owes the child (ladder.md
  section 7: the annual review, 34 CFR 300.324(b)(1); the reevaluation, 300.303(b)(2); the
  initial evaluation, 300.301(c); records, 300.613(a); the resolution meeting, 300.510(a)
  and 300.532(c)(3); the manifestation determination, 300.530(e); the state complaint
  decision, 300.152(a)). Each yields a ``duty.<id>`` fact (``none``, ``running`` or
  ``overdue``) that rules test. A duty past its date is the district's lateness, worded so,
  never a right the family has lost.

A clock may start from another clock's due date (``starts: deadline.<id>``), as the state
complaint window for a missed duty starts on the day the duty fell due (300.153(c)).

School days skip weekends, US federal holidays (the ``holidays`` library) and any closures
the case lists; the label says so, since the service does not know the district's own
calendar.

A state's own rule (``rules/states/XX.yaml``) replaces the federal length, and may count
from another event; :mod:`escalate.states.clocks` decides that, and adds each deadline's
confidence and note, and the state's limits on reimbursement claims.

Computing is apart from wording: :func:`compute` returns data (each deadline's dates,
status and note sentences; each warning's kind and dates), the same in every language and
all that the rules' facts need; :mod:`escalate.text.deadlines` turns it into the labels,
notes and warnings the advice shows, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from escalate import conditions as cond
from escalate.days import add_length
from escalate.facts import (
    ASSUMED,
    CLOSED,
    CLOSING,
    GIVEN,
    MAY_BE_CLOSED,
    NO_DATE,
    NO_DUTY,
    NOT_STARTED,
    OVERDUE,
    REIMBURSEMENT_CLOCK,
    RUNNING,
    Scalar,
    duty_fact,
)
from escalate.i18n.sources import clock_sentences, flat
from escalate.models import Case
from escalate.rulebook import DeadlineSpec, ParameterSpec, Rulebook
from escalate.states import clocks as state_clocks
from escalate.states.clocks import Noted, Sentence
from escalate.states.schema import Confidence

CLOSING_PARAMETER = "window_closing_days"
# The move a state's limit on a reimbursement claim belongs to (HRS 302A-443(a)(2);
# RSA 186-C:16-b, II): a claim made by due process.
DUE_PROCESS = "due_process"
NO_START = "none"


Status = Literal["open", "closing", "closed", "may_be_closed", "overdue"]


@dataclass(frozen=True)
class Timed:
    """One deadline that applies to a case, as data: the clock (``clock``: its id in
    deadlines.yaml, or ``reimbursement_limit``), the move it belongs to, its due date and
    days left on ``as_of``, its status, whose clock it is, the citation and confidence of
    its length, the unit it counts in, whether its start was given or assumed, and its
    note's sentences (not yet said; :mod:`escalate.text.deadlines` says them)."""

    clock: str
    move: str
    due: dt.date
    days_left: int
    status: Status
    owner: str
    citation: str
    confidence: Confidence | None = None
    unit: str = ""
    start: str = GIVEN
    note: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Alert:
    """A warning a clock calls for, as data: its kind (``window_closed``,
    ``window_may_be_closed``, ``window_closing``, ``duty_overdue``,
    ``reimbursement_limit_closed``, ``reimbursement_limit_closing``), the clock and move,
    the citation, the due date and the days left (negative once passed)."""

    kind: str
    clock: str
    move: str
    citation: str
    due: dt.date
    days_left: int


@dataclass(frozen=True)
class Clocks:
    """Every deadline that applies to a case, and the state of each clock, as data.

    ``states`` and ``starts`` are the facts the rules test (ladder.md section 12):
    ``clock.<id>`` (not_started, running, closing, closed, may_be_closed, overdue) and
    ``clock_start.<id>`` (given, assumed, none). ``windows`` sums the family's clocks up by
    move (``window.<move>``) and ``duties`` the district's (``duty.<id>``). ``timed`` and
    ``alerts`` are the deadlines and warnings the advice shows, in its order, worded by
    :func:`escalate.text.deadlines.word`.
    """

    timed: list[Timed]
    windows: dict[str, str]
    alerts: list[Alert]
    duties: dict[str, str]
    states: dict[str, str] = field(default_factory=dict)
    starts: dict[str, str] = field(default_factory=dict)


def _only_if(dnf: cond.Dnf | None) -> Callable[[Mapping[str, Scalar]], bool] | None:
    return cond.predicate(dnf) if dnf is not None else None


@dataclass(frozen=True)
class _Plan:
    """What every case's clocks share, read once per rulebook: each clock with its
    ``only_if`` condition, whose clock each is, the moves with a filing window, and the
    facts every clock starts from (not started; a duty not yet owed), in file order."""

    clocks: tuple[tuple[DeadlineSpec, Callable[[Mapping[str, Scalar]], bool] | None], ...]
    specs: Mapping[str, DeadlineSpec]
    owners: Mapping[str, str]
    windowed: tuple[str, ...]
    not_started: Mapping[str, str]
    no_starts: Mapping[str, str]
    no_duties: Mapping[str, str]
    no_duty_facts: Mapping[str, str]


_PLANS: dict[int, tuple[Rulebook, _Plan]] = {}
_PLANS_KEPT = 8


def _plan(rulebook: Rulebook) -> _Plan:
    """The rulebook's :class:`_Plan`, made on its first case (a few rulebooks are kept,
    each with the rulebook itself, so an id is never mistaken for another's)."""
    found = _PLANS.get(id(rulebook))
    if found is not None and found[0] is rulebook:
        return found[1]
    specs = rulebook.deadlines
    duties = [spec.id for spec in specs if spec.owner != "family"]
    plan = _Plan(
        clocks=tuple((spec, _only_if(rulebook.deadline_conditions.get(spec.id)))
                     for spec in specs),
        specs={spec.id: spec for spec in specs},
        owners={spec.id: spec.owner for spec in specs},
        windowed=tuple(dict.fromkeys(spec.move for spec in specs if spec.closes_move)),
        not_started=dict.fromkeys((spec.id for spec in specs), NOT_STARTED),
        no_starts=dict.fromkeys((spec.id for spec in specs), NO_START),
        no_duties=dict.fromkeys(duties, NO_DUTY),
        no_duty_facts=dict.fromkeys((duty_fact(d) for d in duties), NO_DUTY))
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(rulebook)] = (rulebook, plan)
    return plan


def deadline_spec(rulebook: Rulebook, clock: str) -> DeadlineSpec:
    """The clock ``clock`` of ``rules/deadlines.yaml``."""
    return _plan(rulebook).specs[clock]


def parameter_value(param: ParameterSpec, on: dt.date, state: str | None) -> tuple[int, str]:
    """The value in force on ``on`` (state override first) and its reference."""
    values, reference = param.values, param.reference
    if state and state in param.states:
        override = param.states[state]
        values, reference = override.values, override.reference
    in_force = [d for d in values if d <= on]
    key = max(in_force) if in_force else min(values)
    return values[key], reference


def _date_of(case: Case, source: str, earlier: Mapping[str, dt.date]) -> dt.date | None:
    """The case's date named by ``source`` (see rulebook.DATE_SOURCES), or the due date
    of an earlier clock (``deadline.<id>``)."""
    group, _, rest = source.partition(".")
    if group == "deadline":
        return earlier.get(rest)
    if group == "history":
        move = rest.rsplit(".", 1)[0]
        dates = [e.date for e in case.history if e.move.value == move and e.date]
        return max(dates) if dates else None
    value = _field(case, source)
    return value if isinstance(value, dt.date) else None


def _field(case: Case, source: str) -> object:
    """The value of the case field ``source`` names (``student.last_iep_meeting``), or
    None when its part is absent."""
    group, _, rest = source.partition(".")
    part = {"violation": case.violation, "evaluation": case.evaluation,
            "student": case.student, "discipline": case.discipline,
            "resolution_meeting": case.resolution_meeting}[group]
    return getattr(part, rest, None) if part is not None else None


def _missed_dates(case: Case, spec: DeadlineSpec, first_due: dt.date | None, amount: int,
                  unit: str, closures: frozenset[dt.date]) -> list[dt.date]:
    """Every date on or before ``as_of`` on which a duty fell due and was not done.

    A recurring duty (``recurs``: the annual review, 34 CFR 300.324(b)(1); the
    reevaluation, 300.303(b)(2)) falls due again one length after each missed date; the
    case may also list missed dates itself (the field named by ``missed``, e.g.
    ``student.missed_annual_reviews``), counted when they come after the first due date.
    A one-time duty is missed once, on its due date.
    """
    missed: set[dt.date] = set()
    due = first_due
    while due is not None and due < case.as_of:
        missed.add(due)
        if not spec.recurs:
            break
        due = add_length(due, amount, unit, closures)
    if spec.missed:
        listed = _dates_of(case, spec.missed)
        missed.update(d for d in listed if d < case.as_of
                      and (first_due is None or d >= first_due))
    return sorted(missed)


def _dates_of(case: Case, source: str) -> list[dt.date]:
    """The list of dates a case field holds (``student.missed_annual_reviews``)."""
    value = _field(case, source)
    return [d for d in value if isinstance(d, dt.date)] if isinstance(value, list) else []


def _aggregate(states: list[tuple[str, bool]]) -> str:
    """A move's window (``window.<move>``) from its family clocks' states, each with
    whether that clock closes the move: open while any clock keeps it open, closed only
    when a clock that closes the move closed on the case's own dates and none is open."""
    found = {state for state, _ in states}
    for state, window in ((CLOSING, CLOSING), (MAY_BE_CLOSED, MAY_BE_CLOSED),
                          (RUNNING, "open")):
        if state in found:
            return window
    if any(state == CLOSED and closes for state, closes in states):
        return CLOSED
    return NO_DATE


def compute(rulebook: Rulebook, case: Case, facts: Mapping[str, Scalar]) -> Clocks:
    """Every deadline in ``rules/deadlines.yaml`` that the case's dates start, the warnings
    they call for, and the state of each clock on ``as_of`` (ladder.md section 12), as
    data: nothing here is worded.

    Clocks are computed in file order, so that a clock may start from an earlier one's due
    date; a clock whose ``only_if`` names a duty sees the duties computed before it.

    - A clock that counts from a date the case does not give (its ``fallback``, or a date
      a state clock assumed) starts from an *assumed* date; a family window passed on one
      is ``may_be_closed``, never ``closed``: the move stays available, with a warning to
      ask an attorney now.
    - A family window that counts from a duty the district has still not done (``starts:
      deadline.<duty>``) is a continuing failure: it counts from the latest date the duty
      was missed (34 CFR 300.153(c)) and is not closed while the duty is undone.
    """
    closing_days, _ = parameter_value(rulebook.parameters[CLOSING_PARAMETER], case.as_of,
                                      None)
    closures = frozenset(case.school_closures)
    timed: list[Timed] = []
    alerts: list[Alert] = []
    plan = _plan(rulebook)
    duties: dict[str, str] = dict(plan.no_duties)
    states: dict[str, str] = dict(plan.not_started)
    starts: dict[str, str] = dict(plan.no_starts)
    family: dict[str, list[tuple[str, bool]]] = {move: [] for move in plan.windowed}
    window_alerts: list[Alert] = []
    due_dates: dict[str, dt.date] = {}
    missed: dict[str, list[dt.date]] = {}
    owners = plan.owners
    windowed = plan.windowed
    seen: dict[str, Scalar] = dict(facts)
    seen.update(plan.no_duty_facts)
    for spec, only_if in plan.clocks:
        if only_if is not None and not only_if(seen):
            continue
        start = _date_of(case, spec.starts, due_dates)
        basis = GIVEN
        after = spec.starts.partition(".")[2] if spec.starts.startswith("deadline.") else ""
        continuing = bool(after) and owners.get(after) != "family" and bool(missed.get(after))
        if after:
            basis = starts.get(after, GIVEN)
        if continuing:
            # the latest date the duty was missed (300.153(c)), not the first
            start = missed[after][-1]
        if start is None and spec.fallback:
            start = _date_of(case, spec.fallback, due_dates)
            basis = ASSUMED
        param = rulebook.parameters[spec.length]
        state = state_clocks.state_clock(rulebook, case, spec, start)
        if state is not None:
            start = state.start
            if state.own_start:
                basis = ASSUMED if state.assumed else GIVEN
            elif state.assumed:
                basis = ASSUMED
        if start is None:
            if spec.owner != "family" and spec.recurs:
                # no start date in the case, but missed dates it lists itself
                listed = _missed_dates(case, spec, None, 0, param.unit, closures)
                if listed:
                    # overdue since the first of them
                    due, reference = listed[0], param.reference
                    timed.append(Timed(spec.id, spec.move, due, (due - case.as_of).days,
                                       "overdue", spec.owner, reference))
                    alerts.append(Alert("duty_overdue", spec.id, spec.move, reference, due,
                                        (due - case.as_of).days))
                    duties[spec.id] = states[spec.id] = seen[duty_fact(spec.id)] = OVERDUE
                    starts[spec.id], missed[spec.id], due_dates[spec.id] = (
                        GIVEN, listed, listed[0])
            continue
        amount, reference = parameter_value(param, start, case.state)
        due, unit = add_length(start, amount, param.unit, closures), param.unit
        if state is not None:
            due, unit, reference = state.due, state.unit, state.citation
        note: tuple[Sentence, ...] = state.note if state else ()
        if continuing and due < case.as_of:
            # still undone: the failure goes on today, so the window counts from as_of
            due = add_length(case.as_of, amount, param.unit, closures)
        if continuing:
            note += (Noted(CONTINUING_ID, CONTINUING, (("missed", missed[after][-1]),)),)
        due_dates[spec.id] = due
        days_left = (due - case.as_of).days
        starts[spec.id] = basis
        confidence = state.confidence if state else None
        if spec.owner != "family":
            duty = OVERDUE if days_left < 0 else RUNNING
            duties[spec.id] = states[spec.id] = duty
            seen[duty_fact(spec.id)] = duty
            if duty == OVERDUE:
                missed[spec.id] = _missed_dates(case, spec, due, amount, unit, closures)
            timed.append(Timed(spec.id, spec.move, due, days_left,
                               "overdue" if duty == OVERDUE else "open", spec.owner,
                               reference, confidence, unit, basis, note))
            if duty == OVERDUE:
                alerts.append(Alert("duty_overdue", spec.id, spec.move, reference, due,
                                    days_left))
            continue
        status: Literal["open", "closing", "closed", "may_be_closed"] = (
            ("closed" if basis == GIVEN else "may_be_closed") if days_left < 0
            else "closing" if days_left <= closing_days else "open")
        states[spec.id] = RUNNING if status == "open" else status
        timed.append(Timed(spec.id, spec.move, due, days_left, status, spec.owner, reference,
                           confidence, unit, basis, note))
        if spec.move not in windowed:
            # a family clock that is no filing window (the days either side may void a
            # resolution agreement, 300.510(e)): shown, never a window of its move
            continue
        family.setdefault(spec.move, []).append((states[spec.id], spec.closes_move))
        if status != "open":
            window_alerts.append(Alert(WINDOW_ALERTS[status], spec.id, spec.move, reference,
                                       due, days_left))
    limit = state_clocks.reimbursement_limit(rulebook, case, closing_days)
    extra: list[Alert] = []
    if limit is not None:
        # closes the reimbursement claim only, never due process as a whole
        move = DUE_PROCESS
        timed.append(Timed(REIMBURSEMENT_CLOCK, move, limit.due, limit.days_left,
                           limit.status, "family", limit.citation, limit.confidence,
                           note=limit.note))
        clock = RUNNING if limit.status == "open" else limit.status
        states[REIMBURSEMENT_CLOCK], starts[REIMBURSEMENT_CLOCK] = clock, GIVEN
        family.setdefault(move, []).append((clock, False))
        if limit.status != "open":
            extra.append(Alert(f"reimbursement_limit_{limit.status}", REIMBURSEMENT_CLOCK,
                               move, limit.citation, limit.due, limit.days_left))
    states.setdefault(REIMBURSEMENT_CLOCK, NOT_STARTED)
    starts.setdefault(REIMBURSEMENT_CLOCK, NO_START)
    windows = {move: _aggregate(found) for move, found in family.items()}
    # "passed, so this step is not recommended" only where no other clock keeps it open
    alerts.extend(a for a in window_alerts
                  if a.kind != "window_closed" or windows.get(a.move) == CLOSED)
    return Clocks(timed, windows, alerts + extra, duties, states, starts)


# The warning a family window's state calls for.
WINDOW_ALERTS = {"closed": "window_closed", MAY_BE_CLOSED: "window_may_be_closed",
                 "closing": "window_closing"}
# The sentence a continuing failure's window adds to its note (escalate/text/clocks.yaml).
CONTINUING_ID = "text.clocks.continuing"
CONTINUING = flat(clock_sentences()["continuing"])
