"""The advisor: a case in, ranked advice out.

One :class:`Advisor` holds a loaded rulebook, its compiled form and its engine, built once.
:meth:`Advisor.advise` projects the case onto facts, computes the clocks, lets the engine
decide which rules fire, and then shapes the advice:

Ranking (``shared/design/ladder.md`` section 1). Least adversarial first, as the move
catalogue lists them, in four groups:

1. urgent: moves recommended under the discipline-or-safety exception, and moves whose
   filing window closes within 30 days;
2. the next rung of the ordinary climb: the least adversarial rung recommended by a rule
   that is not an exception;
3. moves raised by the other exceptions (IEE on a disputed evaluation, a state complaint
   for a broken legal duty, due process when the school refuses), available at once;
4. everything else, companion moves included.

A move whose filing window has closed is never recommended: the loader gives every rule for
such a move the condition that its window is not closed, so the engine does not fire it
and nothing chains on it; :mod:`escalate.deadlines` adds a warning that says why. Nothing else
removes a recommendation: formal steps never displace the informal ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from escalate import deadlines as clocks
from escalate.calendar import CalendarWriter
from escalate.compiler import CompiledRulebook, compile_rulebook
from escalate.conditions import render
from escalate.engine import Engine
from escalate.facts import NOT_TRIED, case_facts, window_fact
from escalate.letters.book import LetterBook, load_letters
from escalate.models import (
    Advice,
    Case,
    LadderRung,
    MoveId,
    MoveInfo,
    Recommendation,
    RuleInfo,
    RulesListing,
    RungStatus,
    Source,
    Trace,
)
from escalate.rulebook import Rule, Rulebook, SourceSpec, load
from escalate.text.reasons import CaseReasons, ReasonWriter
from escalate.text.summary import SummaryWriter

RULES_DIR_ENV = "ESCALATE_RULES_DIR"


def default_rules_dir() -> Path:
    """The built-in rules: ``rules/`` at the top of the project."""
    return Path(__file__).resolve().parent.parent / "rules"


class Advisor:
    """A loaded, validated, compiled rulebook and its engine."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.compiled: CompiledRulebook = compile_rulebook(rulebook)
        self.engine = Engine(self.compiled)
        self._rules = {r.id: r for r in rulebook.rules}
        # Plain reasons are built once; templated ones per case (escalate/text/reasons.py).
        self._reasons = ReasonWriter(rulebook, self.source)
        self._summary = SummaryWriter({m.id: m.title for m in rulebook.moves})
        self.letters: LetterBook = load_letters(rulebook)  # checked at start-up too
        self.calendar = CalendarWriter()
        self._rungs = sorted((m for m in rulebook.moves if m.rung), key=lambda m: m.rung or 0)

    @classmethod
    def from_directory(cls, rules_dir: Path | str) -> Advisor:
        """Load, validate and compile a rules folder. Raises RuleFileError."""
        return cls(load(rules_dir))

    def source(self, spec: SourceSpec) -> Source:
        """A rule's source as the advice shows it, with the title a person reads."""
        return Source(document=spec.document, section=spec.section, citation=spec.citation,
                      title=self.rulebook.source_title(spec))

    @property
    def rules_version(self) -> str:
        return self.rulebook.version

    # ------------------------------------------------------------ advice

    def facts_for(self, case: Case) -> tuple[dict[str, Any], clocks.Clocks]:
        """The flat facts the engine sees for ``case``, and the case's clocks."""
        facts: dict[str, Any] = case_facts(case)
        times = clocks.compute(self.rulebook, case, facts)
        facts.update((window_fact(move), state) for move, state in times.windows.items())
        return facts, times

    def advise(self, case: Case) -> Advice:
        """The advice for one validated case. Thread-safe."""
        facts, times = self.facts_for(case)
        firing = self.engine.evaluate(self.compiled.engine_fact(facts))

        closed = {m for m, state in times.windows.items() if state == "closed"}
        closing = {m for m, state in times.windows.items() if state == "closing"}
        by_move: dict[str, list[Rule]] = {}
        for rule_id in firing.rules_fired:
            rule = self._rules[rule_id]
            if rule.move:  # rules for a move whose window closed cannot fire (rulebook.py)
                by_move.setdefault(rule.move, []).append(rule)

        next_rung = self._next_rung(by_move, closing)

        def group(move: str) -> int:
            return self._group(move, by_move[move], closing, next_rung)

        ranked_moves = sorted(by_move, key=lambda m: (group(m), self.rulebook.rank(m)))
        reasons = self._reasons.for_case(case, times.deadlines)
        recommendations = [
            self._recommendation(move, by_move[move], priority, group(move) in (0, 2), times,
                                 reasons)
            for priority, move in enumerate(ranked_moves, start=1)
        ]
        return Advice(
            case_id=case.case_id,
            as_of=case.as_of,
            summary=self._summary.write(reasons.values, recommendations, times.deadlines),
            next_move=recommendations[0] if recommendations else None,
            recommendations=recommendations,
            ladder=self._ladder(facts, ranked_moves, closed),
            deadlines=times.deadlines,
            warnings=times.warnings,
            trace=Trace(rules_fired=firing.rules_fired, facts_derived=firing.facts_derived),
            rules_version=self.rules_version,
        )

    def _urgent(self, rules: list[Rule]) -> bool:
        return any(r.exception and self.rulebook.exceptions[r.exception].urgent
                   for r in rules)

    def _next_rung(self, by_move: Mapping[str, list[Rule]], closing: set[str]) -> str | None:
        candidates = [
            m for m, rules in by_move.items()
            if self.rulebook.move(m).rung is not None and m not in closing
            and not self._urgent(rules) and any(r.exception is None for r in rules)
        ]
        return min(candidates, key=self.rulebook.rank) if candidates else None

    def _group(self, move: str, rules: list[Rule], closing: set[str],
               next_rung: str | None) -> int:
        """The ranking group of a move (see the module docstring)."""
        if move in closing or self._urgent(rules):
            return 0
        if move == next_rung:
            return 1
        if any(r.exception for r in rules):
            return 2
        return 3

    def _recommendation(self, move: str, rules: list[Rule], priority: int, raised: bool,
                        times: clocks.Clocks, written: CaseReasons) -> Recommendation:
        spec = self.rulebook.move(move)
        reasons = [written.rule(r) for r in rules]
        reasons += [written.exception(name)
                    for name in dict.fromkeys(r.exception for r in rules if r.exception)]
        return Recommendation(
            move=MoveId(move), title=spec.title, rung=spec.rung, priority=priority,
            reasons=reasons, how=list(spec.how),
            deadlines=[d for d in times.deadlines if d.move.value == move],
            rule=rules[0].id, rules=[r.id for r in rules], raised=raised,
        )

    def _ladder(self, facts: Mapping[str, Any], ranked: list[str],
                closed: set[str]) -> list[LadderRung]:
        first_rung = next((m for m in ranked if self.rulebook.move(m).rung), None)
        ladder = []
        status: RungStatus
        for spec in self._rungs:
            outcome = facts[f"history.{spec.id}"]
            if spec.id in closed:
                status = "closed"
            elif spec.id == first_rung:
                status = "next"
            elif spec.id in ranked:
                status = "available"
            elif outcome == "resolved":
                status = "resolved"
            elif outcome != NOT_TRIED:
                status = "tried"
            else:
                status = "ahead"
            ladder.append(LadderRung(rung=spec.rung or 0, move=MoveId(spec.id),
                                     title=spec.title, status=status))
        return ladder

    # ------------------------------------------------------------ catalogues

    def moves(self) -> list[MoveInfo]:
        """The move catalogue, least adversarial first."""
        return [
            MoveInfo(id=MoveId(m.id), title=m.title, rung=m.rung,
                     kind="rung" if m.rung else "companion", summary=" ".join(m.summary.split()),
                     how=list(m.how), sources=[self.source(s) for s in m.sources])
            for m in self.rulebook.moves
        ]

    def rules(self) -> RulesListing:
        """The loaded rules in readable form."""
        return RulesListing(rules_version=self.rules_version, rules=[
            RuleInfo(id=r.id, file=r.file, move=MoveId(r.move) if r.move else None,
                     derives=r.derive, exception=r.exception, conditions=render(r.when),
                     unless=render(r.unless) if r.unless else [], because=r.because,
                     source=self.source(r.source))
            for r in self.rulebook.rules
        ])


@lru_cache(maxsize=1)
def _advisor_for(rules_dir: str) -> Advisor:
    return Advisor.from_directory(rules_dir)


def get_advisor() -> Advisor:
    """The process-wide advisor, built once from ``$ESCALATE_RULES_DIR`` or the built-in
    rules."""
    return _advisor_for(os.environ.get(RULES_DIR_ENV) or str(default_rules_dir()))


def advise(case: Case | Mapping[str, Any]) -> Advice:
    """Advice for one case (a Case, or a mapping validated into one)."""
    if not isinstance(case, Case):
        case = Case.model_validate(case)
    return get_advisor().advise(case)
