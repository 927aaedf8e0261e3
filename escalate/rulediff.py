"""What a change of rules does to a caseload: each case advised under two rulebooks, and
what changes.

An organization about to change a rule, a parameter or a state value (or to reload the
service on a candidate rules folder) wants to know which of its open cases would be told
something else. :func:`diff_lines` reads a caseload the way triage does (one case a line,
JSON Lines: :func:`escalate.triage.parse`, so a line that is not a case is named by its
number only, never echoed), advises each case under the old and the new rules, and keeps a
:class:`~escalate.models.rulediff.CaseChange` for each case whose advice differs.

**What counts as a change** (:func:`canonical`): everything the advice says to a person,
the steps and their order, their reasons, sources and how-to, the deadlines, the warnings,
the ladders, the summary. Not compared, because it differs whenever the rules do or is the
engine's audit rather than advice: ``rules_version``, the ``trace`` (which rules fired),
and the ids of the rules behind each step (a rule renamed, or a second rule for the same
step, changes no word the family reads; a new reason does, and is compared).

**What is said about it** (:func:`compare`): the first step old and new; the steps added
or no longer advised, or the same steps in another order; the dates added, gone, moved or
in another status (a date is "the same date" when its move, owner and clock are); the
warnings added, gone or reworded (the same warning: its kind, move and citation); the
rungs whose status changed; the steps whose reasons, sources or how-to read differently
(a parameter is often quoted in a reason: "within 45 days"); and ``other`` when anything
else changed (a date's wording, the Section 504 track, the summary alone), so that every
changed case has something to say. :func:`collect` can leave wording aside
(``wording=False``): a case then counts as changed only when its steps, dates, warnings
or ladder do (:func:`substantive`).

:class:`~escalate.triage.Pool` spreads the work over processes, each worker building both
advisors once. Computing only: the words are in ``escalate/text/cli.yaml`` (``diff_*``),
said by ``escalate/cli/rulediff.py``. The output is general information, not legal advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from escalate.advisor import Advisor
from escalate.errors import CaseError
from escalate.i18n.formats import ENGLISH
from escalate.models import Advice, AdviceWarning, Case, Deadline
from escalate.models.rulediff import (
    CaseChange,
    DeadlineChange,
    DiffSummary,
    RungChange,
    StepChange,
    StepRef,
    WarningChange,
)
from escalate.models.triage import TriageInvalid
from escalate.triage import Line, parse

Advise = Callable[[Case, str], Advice]


@dataclass(frozen=True)
class Same:
    """A valid case whose advice the new rules leave as it was."""

    line: int


Result = CaseChange | Same | TriageInvalid

# Parts of the advice that are not what it says to a person (module docstring).
NOT_COMPARED = frozenset({"rules_version", "trace", "explanation"})
RULE_IDS = frozenset({"rule", "rules"})
# What a step says that is itemised elsewhere (its place, its dates) or not compared.
ITEMISED_IN_STEP = RULE_IDS | {"priority", "deadlines"}


def _step(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k not in RULE_IDS}


def canonical(advice: Advice) -> dict[str, Any]:
    """What the advice says to a person, as plain data: two advices say the same when
    their canonical forms are equal (module docstring)."""
    data = advice.model_dump(mode="json", exclude=set(NOT_COMPARED))
    data["recommendations"] = [_step(r) for r in data["recommendations"]]
    if data["next_move"] is not None:
        data["next_move"] = _step(data["next_move"])
    return data


def _deadline_key(d: Deadline) -> tuple[str, str, str]:
    return d.move, d.owner, d.clock or d.label


def _warning_key(w: AdviceWarning) -> tuple[str, str, str]:
    return w.kind, w.move or "", w.citation


def _pair(old: Sequence[Any], new: Sequence[Any],
          key: Callable[[Any], object]) -> tuple[list[Any], list[Any], list[tuple[Any, Any]]]:
    """Items only in ``old``, only in ``new``, and the pairs with the same key (the n-th
    of a key in one with the n-th of it in the other)."""
    left: dict[object, list[int]] = {}
    for index, item in enumerate(old):
        left.setdefault(key(item), []).append(index)
    added, pairs = [], []
    for item in new:
        found = left.get(key(item))
        if found:
            pairs.append((old[found.pop(0)], item))
        else:
            added.append(item)
    removed = [old[i] for i in sorted(i for indices in left.values() for i in indices)]
    return removed, added, pairs


def _steps(old: Advice, new: Advice, change: CaseChange) -> None:
    first_old, first_new = old.next_move, new.next_move
    if (first_old.move if first_old else None) != (first_new.move if first_new else None):
        change.first_step = StepChange(
            old=first_old.move if first_old else None, new=first_new.move if first_new else None,
            old_title=first_old.title if first_old else None,
            new_title=first_new.title if first_new else None)
    moves_old = [r.move for r in old.recommendations]
    moves_new = [r.move for r in new.recommendations]
    change.steps_added = [StepRef(move=r.move, title=r.title) for r in new.recommendations
                          if r.move not in moves_old]
    change.steps_removed = [StepRef(move=r.move, title=r.title) for r in old.recommendations
                            if r.move not in moves_new]
    common = set(moves_old) & set(moves_new)
    change.order_changed = ([m for m in moves_old if m in common]
                            != [m for m in moves_new if m in common])


def _dates(old: Advice, new: Advice, change: CaseChange) -> bool:
    """The dates' changes; whether a date found in both reads differently (its wording)."""
    removed, added, pairs = _pair(old.deadlines, new.deadlines, _deadline_key)
    change.deadlines_removed, change.deadlines_added = removed, added
    worded = False
    for a, b in pairs:
        if (a.due, a.status) != (b.due, b.status):
            change.deadlines_changed.append(DeadlineChange(
                move=b.move, owner=b.owner, clock=b.clock, label=b.label, old_due=a.due,
                new_due=b.due, old_status=a.status, new_status=b.status))
        elif a != b:
            worded = True
    return worded


def _warnings(old: Advice, new: Advice, change: CaseChange) -> None:
    removed, added, pairs = _pair(old.warnings, new.warnings, _warning_key)
    change.warnings_removed, change.warnings_added = removed, added
    change.warnings_changed = [WarningChange(old=a, new=b) for a, b in pairs if a != b]


def _ladder(old: Advice, new: Advice, change: CaseChange) -> bool:
    """The rungs whose status changed; whether the ladders differ otherwise."""
    before = {r.rung: r for r in old.ladder}
    for rung in new.ladder:
        was = before.get(rung.rung)
        if was is not None and was.move == rung.move and was.status != rung.status:
            change.ladder_changed.append(RungChange(rung=rung.rung, move=rung.move,
                                                    title=rung.title, old=was.status,
                                                    new=rung.status))
    return [(r.rung, r.move) for r in old.ladder] != [(r.rung, r.move) for r in new.ladder]


def substantive(change: CaseChange) -> bool:
    """Whether the steps, dates, warnings or ladder change (not only wording)."""
    return bool(change.first_step or change.steps_added or change.steps_removed
                or change.order_changed or change.deadlines_added
                or change.deadlines_removed or change.deadlines_changed
                or change.warnings_added or change.warnings_removed
                or change.warnings_changed or change.ladder_changed)


def _reworded(old: Advice, new: Advice) -> list[StepRef]:
    """The steps in both whose reasons, sources, how-to, summary or title read
    differently."""
    said = {r.move: r.model_dump(exclude=set(ITEMISED_IN_STEP)) for r in old.recommendations}
    return [StepRef(move=r.move, title=r.title) for r in new.recommendations
            if r.move in said and said[r.move] != r.model_dump(exclude=set(ITEMISED_IN_STEP))]


def compare(old: Advice, new: Advice, line: int) -> CaseChange | None:
    """What the new advice changes for the case on ``line``, or None when it says the
    same (:func:`canonical`)."""
    if canonical(old) == canonical(new):
        return None
    change = CaseChange(line=line, case_id=new.case_id, as_of=new.as_of)
    _steps(old, new, change)
    worded = _dates(old, new, change)
    _warnings(old, new, change)
    reshaped = _ladder(old, new, change)
    change.steps_reworded = _reworded(old, new)
    change.other = (worded or reshaped or old.section_504_ladder != new.section_504_ladder
                    or not (substantive(change) or change.steps_reworded))
    return change


def diff_lines(advise_old: Advise, advise_new: Advise, lines: Iterable[Line],
               as_of: dt.date | None = None, lang: str = ENGLISH) -> list[Result]:
    """Each numbered line compared, or named as invalid; blank lines are skipped. A case
    either rulebook refuses (a CaseError, as POST /v1/advice's 422) is an invalid line."""
    out: list[Result] = []
    for number, text in lines:
        if not text.strip():
            continue
        case = parse(text, as_of)
        if isinstance(case, str):
            out.append(TriageInvalid(line=number, error=case))
            continue
        try:
            old, new = advise_old(case, lang), advise_new(case, lang)
        except CaseError:
            out.append(TriageInvalid(line=number, error="not_a_case"))
            continue
        change = compare(old, new, number)
        out.append(Same(number) if change is None else change)
    return out


@dataclass
class RuleDiff:
    """A caseload compared: the changed cases by line, the invalid lines, the counts."""

    changes: list[CaseChange]
    invalid: list[TriageInvalid]
    summary: DiffSummary
    unchanged: list[int] = field(default_factory=list)


def _dated(c: CaseChange) -> bool:
    return bool(c.deadlines_added or c.deadlines_removed or c.deadlines_changed)


def _warned(c: CaseChange) -> bool:
    return bool(c.warnings_added or c.warnings_removed or c.warnings_changed)


def collect(results: Iterable[Result], old_version: str, new_version: str,
            as_of: dt.date | None = None, disclaimer: str | None = None, *,
            wording: bool = True) -> RuleDiff:
    """The results in line order, and counted. Without ``wording``, a case whose steps,
    dates, warnings and ladder stay the same counts as unchanged, whatever its words."""
    changes: list[CaseChange] = []
    invalid: list[TriageInvalid] = []
    same: list[int] = []
    for r in results:
        if isinstance(r, CaseChange) and (wording or substantive(r)):
            changes.append(r)
        elif isinstance(r, CaseChange):
            same.append(r.line)
        elif isinstance(r, TriageInvalid):
            invalid.append(r)
        else:
            same.append(r.line)
    changes.sort(key=lambda c: c.line)
    invalid.sort(key=lambda i: i.line)
    summary = DiffSummary(
        cases=len(changes) + len(same), changed=len(changes), unchanged=len(same),
        first_step_changed=sum(c.first_step is not None for c in changes),
        deadlines_changed=sum(_dated(c) for c in changes),
        warnings_changed=sum(_warned(c) for c in changes),
        invalid=len(invalid), wording=wording, old_rules_version=old_version,
        new_rules_version=new_version, as_of=as_of)
    if disclaimer:
        summary.disclaimer = disclaimer
    return RuleDiff(changes, invalid, summary, sorted(same))


# ------------------------------------------------------------------ the process pool

_WORKERS: tuple[Advisor, Advisor] | None = None


def start_worker(old_dir: str, new_dir: str) -> None:
    """A worker's start: the advisors of both rules folders, built once."""
    global _WORKERS  # noqa: PLW0603 - two advisors per worker process
    _WORKERS = Advisor.from_directory(old_dir), Advisor.from_directory(new_dir)


def work(chunk: Sequence[Line], as_of: dt.date | None, lang: str) -> list[Result]:
    """A worker's chunk of lines, compared."""
    assert _WORKERS is not None, "the worker was started with its advisors"
    old, new = _WORKERS
    return diff_lines(old.advise, new.advise, chunk, as_of, lang)
