"""Deadlines and filing windows, computed from ``as_of`` and the case's own dates.

``rules/deadlines.yaml`` says which date starts which clock and which parameter gives its
length; ``rules/parameters.yaml`` gives the length, dated and with state overrides (a
state's due-process limit replaces the federal two years, for example). A clock that
``closes_move`` is a filing window: once it has passed, the move is not recommended and
a warning says why; with 30 days or fewer left (the ``window_closing_days`` parameter),
the move is ranked first and a warning says so.

School days are counted as weekdays: the service does not know a district's calendar,
and the label says so.

A state's own rule (``rules/states/XX.yaml``) replaces the federal length, and may count
from another event; :mod:`escalate.states.clocks` decides that, and adds each deadline's
confidence and note, and the state's limits on reimbursement claims.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from escalate import conditions as cond
from escalate.facts import NO_DATE, Scalar
from escalate.models import AdviceWarning, Case, Deadline, MoveId
from escalate.rulebook import ParameterSpec, Rulebook
from escalate.states import clocks as state_clocks

CLOSING_PARAMETER = "window_closing_days"


@dataclass(frozen=True)
class Clocks:
    """Every deadline that applies to a case, and the state of each filing window."""

    deadlines: list[Deadline]
    windows: dict[str, str]
    warnings: list[AdviceWarning]


def parameter_value(param: ParameterSpec, on: dt.date, state: str | None) -> tuple[int, str]:
    """The value in force on ``on`` (state override first) and its reference."""
    values, reference = param.values, param.reference
    if state and state in param.states:
        override = param.states[state]
        values, reference = override.values, override.reference
    in_force = [d for d in values if d <= on]
    key = max(in_force) if in_force else min(values)
    return values[key], reference


def add_length(start: dt.date, amount: int, unit: str) -> dt.date:
    """``start`` plus ``amount`` of ``unit`` (days, school_days, years)."""
    if unit == "years":
        return start + relativedelta(years=amount)
    if unit == "school_days":
        day, left = start, amount
        while left > 0:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day
    return start + dt.timedelta(days=amount)


def _date_of(case: Case, source: str) -> dt.date | None:
    """The case's date named by ``source`` (see rulebook.DATE_SOURCES)."""
    group, _, rest = source.partition(".")
    if group == "history":
        move = rest.rsplit(".", 1)[0]
        dates = [e.date for e in case.history if e.move.value == move and e.date]
        return max(dates) if dates else None
    part = {"violation": case.violation, "evaluation": case.evaluation,
            "student": case.student, "discipline": case.discipline}[group]
    value = getattr(part, rest, None) if part is not None else None
    return value if isinstance(value, dt.date) else None



def compute(rulebook: Rulebook, case: Case, facts: Mapping[str, Scalar]) -> Clocks:
    """Every deadline in ``rules/deadlines.yaml`` that the case's dates start."""
    closing_days, _ = parameter_value(rulebook.parameters[CLOSING_PARAMETER], case.as_of,
                                      None)
    deadlines: list[Deadline] = []
    windows: dict[str, str] = {}
    warnings: list[AdviceWarning] = []
    for spec in rulebook.deadlines:
        only_if = rulebook.deadline_conditions.get(spec.id)
        applies = only_if is None or cond.holds(only_if, facts, set())
        start = _date_of(case, spec.starts) if applies else None
        if start is None and applies and spec.fallback:
            start = _date_of(case, spec.fallback)
        if spec.closes_move:
            windows.setdefault(spec.move, NO_DATE)
        state = state_clocks.state_clock(rulebook, case, spec, start) if applies else None
        if state is not None:
            start = state.start
        if start is None:
            continue
        param = rulebook.parameters[spec.length]
        amount, reference = parameter_value(param, start, case.state)
        due, unit = add_length(start, amount, param.unit), param.unit
        if state is not None:
            due, unit, reference = state.due, state.unit, state.citation
        days_left = (due - case.as_of).days
        status: Literal["open", "closing", "closed"] = (
            "closed" if days_left < 0 else "closing" if days_left <= closing_days else "open")
        label = spec.label + (state_clocks.phrase("weekdays")
                              if unit in state_clocks.WEEKDAY_UNITS else "")
        deadlines.append(Deadline(move=MoveId(spec.move), label=label, due=due,
                                  days_left=days_left, citation=reference, status=status,
                                  confidence=state.confidence if state else None,
                                  note=state.note if state else None))
        if not spec.closes_move:
            continue
        windows[spec.move] = status
        title = rulebook.move(spec.move).title.lower()
        if status == "closed":
            warnings.append(AdviceWarning(
                move=MoveId(spec.move), kind="window_closed", citation=reference,
                text=f"The time limit to {title} passed on {due.isoformat()} "
                     f"({-days_left} days before {case.as_of.isoformat()}), so this step is "
                     "not recommended. Ask an attorney or advocate whether an exception "
                     "applies."))
        elif status == "closing":
            warnings.append(AdviceWarning(
                move=MoveId(spec.move), kind="window_closing", citation=reference,
                text=f"Only {days_left} days are left to {title}: the time limit ends on "
                     f"{due.isoformat()}."))
    extra, extra_warnings = state_clocks.reimbursement_deadlines(rulebook, case, closing_days)
    return Clocks(deadlines + extra, windows, warnings + extra_warnings)
