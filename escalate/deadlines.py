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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from escalate import conditions as cond
from escalate.days import add_length
from escalate.facts import NO_DATE, NO_DUTY, OVERDUE, RUNNING, Scalar, duty_fact
from escalate.i18n.sources import clock_sentences, flat
from escalate.i18n.words import Words
from escalate.models import AdviceWarning, Case, Deadline, MoveId
from escalate.rulebook import ParameterSpec, Rulebook
from escalate.states import clocks as state_clocks
from escalate.text.variables import day_count

CLOSING_PARAMETER = "window_closing_days"


@dataclass(frozen=True)
class Clocks:
    """Every deadline that applies to a case, and the state of each filing window."""

    deadlines: list[Deadline]
    windows: dict[str, str]
    warnings: list[AdviceWarning]
    duties: dict[str, str]


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
    part = {"violation": case.violation, "evaluation": case.evaluation,
            "student": case.student, "discipline": case.discipline,
            "resolution_meeting": case.resolution_meeting}[group]
    value = getattr(part, rest, None) if part is not None else None
    return value if isinstance(value, dt.date) else None


def compute(rulebook: Rulebook, case: Case, facts: Mapping[str, Scalar],
            words: Words | None = None) -> Clocks:
    """Every deadline in ``rules/deadlines.yaml`` that the case's dates start, labelled
    and warned about in the language of ``words`` (English by default).

    Clocks are computed in file order, so that a clock may start from an earlier one's due
    date; a clock whose ``only_if`` names a duty sees the duties computed before it.
    """
    say = words or Words()
    closing_days, _ = parameter_value(rulebook.parameters[CLOSING_PARAMETER], case.as_of,
                                      None)
    closures = frozenset(case.school_closures)
    deadlines: list[Deadline] = []
    windows: dict[str, str] = {}
    warnings: list[AdviceWarning] = []
    duties: dict[str, str] = {}
    due_dates: dict[str, dt.date] = {}
    seen: dict[str, Scalar] = dict(facts)
    for spec in rulebook.deadlines:
        if spec.owner != "family":
            duties[spec.id] = NO_DUTY
            seen[duty_fact(spec.id)] = NO_DUTY
        only_if = rulebook.deadline_conditions.get(spec.id)
        applies = only_if is None or cond.holds(only_if, seen, set())
        start = _date_of(case, spec.starts, due_dates) if applies else None
        if start is None and applies and spec.fallback:
            start = _date_of(case, spec.fallback, due_dates)
        if spec.closes_move:
            windows.setdefault(spec.move, NO_DATE)
        state = state_clocks.state_clock(rulebook, case, spec, start, say) if applies else None
        if state is not None:
            start = state.start
        if start is None:
            continue
        param = rulebook.parameters[spec.length]
        amount, reference = parameter_value(param, start, case.state)
        due, unit = add_length(start, amount, param.unit, closures), param.unit
        if state is not None:
            due, unit, reference = state.due, state.unit, state.citation
        due_dates[spec.id] = due
        days_left = (due - case.as_of).days
        label = say.say(f"deadline.{spec.id}.label", spec.label)
        if unit in DAY_NOTES:
            label += say.say(f"text.clocks.day_notes.{unit}", DAY_NOTES[unit])
        confidence = state.confidence if state else None
        note = state.note if state else None
        if spec.owner != "family":
            duty = OVERDUE if days_left < 0 else RUNNING
            duties[spec.id] = duty
            seen[duty_fact(spec.id)] = duty
            deadlines.append(Deadline(
                move=MoveId(spec.move), label=label, due=due, days_left=days_left,
                citation=reference, status="overdue" if duty == OVERDUE else "open",
                owner=spec.owner, confidence=confidence, note=note))
            if duty == OVERDUE:
                warnings.append(AdviceWarning(
                    move=MoveId(spec.move), kind="duty_overdue", citation=reference,
                    text=_fill(say.say(f"deadline.{spec.id}.overdue", spec.overdue or ""),
                               due, -days_left, case.as_of, say)))
            continue
        status: Literal["open", "closing", "closed"] = (
            "closed" if days_left < 0 else "closing" if days_left <= closing_days else "open")
        deadlines.append(Deadline(move=MoveId(spec.move), label=label, due=due,
                                  days_left=days_left, citation=reference, status=status,
                                  owner=spec.owner, confidence=confidence, note=note))
        if not spec.closes_move:
            continue
        windows[spec.move] = status
        title = say.say(f"move.{spec.move}.title", rulebook.move(spec.move).title)
        title = title[:1].lower() + title[1:]  # "file a civil-rights (OCR) complaint"
        if status == "closed":
            warnings.append(AdviceWarning(
                move=MoveId(spec.move), kind="window_closed", citation=reference,
                text=say.say("text.clocks.window_closed", WINDOW_CLOSED).format(
                    step=title, due=say.date(due), days=day_count(-days_left, say.lang),
                    as_of=say.date(case.as_of))))
        elif status == "closing":
            warnings.append(AdviceWarning(
                move=MoveId(spec.move), kind="window_closing", citation=reference,
                text=say.say("text.clocks.window_closing", WINDOW_CLOSING).format(
                    step=title, due=say.date(due), days=day_count(days_left, say.lang))))
    extra, extra_warnings = state_clocks.reimbursement_deadlines(rulebook, case, closing_days,
                                                                 say)
    return Clocks(deadlines + extra, windows, warnings + extra_warnings, duties)


# The sentences clocks produce, as templates (placeholders in braces), from
# escalate/text/clocks.yaml (translated in rules/locales/<lang>.yaml, ids text.clocks.*).
DAY_NOTES = {key.split(".", 1)[1]: text for key, text in clock_sentences().items()
             if key.startswith("day_notes.")}
WINDOW_CLOSED = flat(clock_sentences()["window_closed"])
WINDOW_CLOSING = flat(clock_sentences()["window_closing"])


def _fill(template: str, due: dt.date, days_late: int, as_of: dt.date, say: Words) -> str:
    """An overdue duty's sentence from its ``overdue`` template in deadlines.yaml."""
    return " ".join(template.split()).format(due=say.date(due), days=say.number(days_late),
                                              as_of=say.date(as_of))
