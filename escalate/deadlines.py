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
from escalate.i18n.words import Words
from escalate.models import AdviceWarning, Case, Deadline, MoveId
from escalate.rulebook import DeadlineSpec, ParameterSpec, Rulebook
from escalate.states import clocks as state_clocks
from escalate.text.variables import day_count

CLOSING_PARAMETER = "window_closing_days"
NO_START = "none"


@dataclass(frozen=True)
class Clocks:
    """Every deadline that applies to a case, and the state of each clock.

    ``states`` and ``starts`` are the facts the rules test (ladder.md section 12):
    ``clock.<id>`` (not_started, running, closing, closed, may_be_closed, overdue) and
    ``clock_start.<id>`` (given, assumed, none). ``windows`` sums the family's clocks up by
    move (``window.<move>``) and ``duties`` the district's (``duty.<id>``).
    """

    deadlines: list[Deadline]
    windows: dict[str, str]
    warnings: list[AdviceWarning]
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


def compute(rulebook: Rulebook, case: Case, facts: Mapping[str, Scalar],
            words: Words | None = None) -> Clocks:
    """Every deadline in ``rules/deadlines.yaml`` that the case's dates start, labelled
    and warned about in the language of ``words`` (English by default), and the state of
    each clock on ``as_of`` (ladder.md section 12).

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
    say = words or Words()
    closing_days, _ = parameter_value(rulebook.parameters[CLOSING_PARAMETER], case.as_of,
                                      None)
    closures = frozenset(case.school_closures)
    deadlines: list[Deadline] = []
    warnings: list[AdviceWarning] = []
    plan = _plan(rulebook)
    duties: dict[str, str] = dict(plan.no_duties)
    states: dict[str, str] = dict(plan.not_started)
    starts: dict[str, str] = dict(plan.no_starts)
    family: dict[str, list[tuple[str, bool]]] = {move: [] for move in plan.windowed}
    window_warnings: list[tuple[str, list[AdviceWarning]]] = []
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
        state = state_clocks.state_clock(rulebook, case, spec, start, say)
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
                    _overdue(spec, listed, case, rulebook, say, deadlines, warnings)
                    duties[spec.id] = states[spec.id] = seen[duty_fact(spec.id)] = OVERDUE
                    starts[spec.id], missed[spec.id], due_dates[spec.id] = (
                        GIVEN, listed, listed[0])
            continue
        amount, reference = parameter_value(param, start, case.state)
        due, unit = add_length(start, amount, param.unit, closures), param.unit
        if state is not None:
            due, unit, reference = state.due, state.unit, state.citation
        note = state.note if state else None
        if continuing and due < case.as_of:
            # still undone: the failure goes on today, so the window counts from as_of
            due = add_length(case.as_of, amount, param.unit, closures)
        if continuing:
            note = " ".join(filter(None, [note, say.say(
                "text.clocks.continuing", CONTINUING).format(
                    missed=say.date(missed[after][-1]))]))
        due_dates[spec.id] = due
        days_left = (due - case.as_of).days
        starts[spec.id] = basis
        label = say.say(f"deadline.{spec.id}.label", spec.label)
        if unit in DAY_NOTES:
            label += say.say(f"text.clocks.day_notes.{unit}", DAY_NOTES[unit])
        confidence = state.confidence if state else None
        if spec.owner != "family":
            duty = OVERDUE if days_left < 0 else RUNNING
            duties[spec.id] = states[spec.id] = duty
            seen[duty_fact(spec.id)] = duty
            if duty == OVERDUE:
                missed[spec.id] = _missed_dates(case, spec, due, amount, unit, closures)
            deadlines.append(Deadline(
                move=MoveId(spec.move), label=label, due=due, days_left=days_left,
                citation=reference, status="overdue" if duty == OVERDUE else "open",
                owner=spec.owner, confidence=confidence, note=note, clock=spec.id,
                start=basis))
            if duty == OVERDUE:
                warnings.append(_late(spec, due, reference, case, say))
            continue
        status: Literal["open", "closing", "closed", "may_be_closed"] = (
            ("closed" if basis == GIVEN else "may_be_closed") if days_left < 0
            else "closing" if days_left <= closing_days else "open")
        states[spec.id] = RUNNING if status == "open" else status
        deadlines.append(Deadline(move=MoveId(spec.move), label=label, due=due,
                                  days_left=days_left, citation=reference, status=status,
                                  owner=spec.owner, confidence=confidence, note=note,
                                  clock=spec.id, start=basis))
        if spec.move not in windowed:
            # a family clock that is no filing window (the days either side may void a
            # resolution agreement, 300.510(e)): shown, never a window of its move
            continue
        family.setdefault(spec.move, []).append((states[spec.id], spec.closes_move))
        window_warnings.append((spec.move, _window_warnings(
            rulebook, spec.move, status, due, days_left, reference, case, say)))
    extra, extra_warnings = state_clocks.reimbursement_deadlines(rulebook, case, closing_days,
                                                                 say)
    for deadline in extra:
        # closes the reimbursement claim only, never due process as a whole
        clock = RUNNING if deadline.status == "open" else deadline.status
        states[REIMBURSEMENT_CLOCK], starts[REIMBURSEMENT_CLOCK] = clock, GIVEN
        family.setdefault(deadline.move.value, []).append((clock, False))
    states.setdefault(REIMBURSEMENT_CLOCK, NOT_STARTED)
    starts.setdefault(REIMBURSEMENT_CLOCK, NO_START)
    windows = {move: _aggregate(found) for move, found in family.items()}
    # "passed, so this step is not recommended" only where no other clock keeps it open
    warnings.extend(w for move, found in window_warnings for w in found
                    if w.kind != "window_closed" or windows.get(move) == CLOSED)
    return Clocks(deadlines + extra, windows, warnings + extra_warnings, duties, states,
                  starts)


def _overdue(spec: DeadlineSpec, listed: list[dt.date], case: Case, rulebook: Rulebook,
             say: Words, deadlines: list[Deadline], warnings: list[AdviceWarning]) -> None:
    """A recurring duty the case says was missed on ``listed`` dates, with no start date
    of its own: overdue since the first of them."""
    due = listed[0]
    days_left = (due - case.as_of).days
    reference = rulebook.parameters[spec.length].reference
    deadlines.append(Deadline(
        move=MoveId(spec.move), label=say.say(f"deadline.{spec.id}.label", spec.label),
        due=due, days_left=days_left, citation=reference, status="overdue",
        owner=spec.owner, clock=spec.id, start=GIVEN))
    warnings.append(_late(spec, due, reference, case, say))


def _late(spec: DeadlineSpec, due: dt.date, reference: str, case: Case,
          say: Words) -> AdviceWarning:
    """The warning for a duty past ``due``: its ``overdue`` sentence, worded as the
    duty-holder's lateness."""
    return AdviceWarning(
        move=MoveId(spec.move), kind="duty_overdue", citation=reference,
        text=_fill(say.say(f"deadline.{spec.id}.overdue", spec.overdue or ""), due,
                   (case.as_of - due).days, case.as_of, say))


def _window_warnings(rulebook: Rulebook, move: str, status: str, due: dt.date,
                     days_left: int, reference: str, case: Case, say: Words
                     ) -> list[AdviceWarning]:
    """The warning a family window's state calls for: closed, may be closed, closing."""
    if status == "open":
        return []
    title = say.say(f"move.{move}.title", rulebook.move(move).title)
    title = title[:1].lower() + title[1:]  # "file a civil-rights (OCR) complaint"
    if status == "closed":
        return [AdviceWarning(
            move=MoveId(move), kind="window_closed", citation=reference,
            text=say.say("text.clocks.window_closed", WINDOW_CLOSED).format(
                step=title, due=say.date(due), days=day_count(-days_left, say.lang),
                as_of=say.date(case.as_of)))]
    if status == MAY_BE_CLOSED:
        return [AdviceWarning(
            move=MoveId(move), kind="window_may_be_closed", citation=reference,
            text=say.say("text.clocks.window_may_be_closed", WINDOW_MAY_BE_CLOSED).format(
                step=title, due=say.date(due)))]
    return [AdviceWarning(
        move=MoveId(move), kind="window_closing", citation=reference,
        text=say.say("text.clocks.window_closing", WINDOW_CLOSING).format(
            step=title, due=say.date(due), days=day_count(days_left, say.lang)))]


# The sentences clocks produce, as templates (placeholders in braces), from
# escalate/text/clocks.yaml (translated in rules/locales/<lang>.yaml, ids text.clocks.*).
DAY_NOTES = {key.split(".", 1)[1]: text for key, text in clock_sentences().items()
             if key.startswith("day_notes.")}
WINDOW_CLOSED = flat(clock_sentences()["window_closed"])
WINDOW_CLOSING = flat(clock_sentences()["window_closing"])
WINDOW_MAY_BE_CLOSED = flat(clock_sentences()["window_may_be_closed"])
CONTINUING = flat(clock_sentences()["continuing"])


def _fill(template: str, due: dt.date, days_late: int, as_of: dt.date, say: Words) -> str:
    """An overdue duty's sentence from its ``overdue`` template in deadlines.yaml."""
    return " ".join(template.split()).format(due=say.date(due), days=say.number(days_late),
                                              as_of=say.date(as_of))
