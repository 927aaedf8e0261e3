"""The advisor: a case in, ranked advice out.

One :class:`Advisor` holds a loaded rulebook, its compiled form and its engine, built once.
:meth:`Advisor.advise` projects the case onto facts, computes the clocks
(:mod:`escalate.deadlines`), lets the engine decide which rules fire, orders the moves
(:mod:`escalate.ranking`, where the ranking is written down) and shapes the advice.

A move whose filing window has closed is never recommended: the loader gives every rule for
such a move the condition that its window is not closed, so the engine does not fire it
and nothing chains on it; :mod:`escalate.deadlines` adds a warning that says why. Nothing else
removes a recommendation: formal steps never displace the informal ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from escalate import deadlines as clocks
from escalate import ranking
from escalate.calendar import CalendarWriter
from escalate.compiler import CompiledRulebook, compile_rulebook
from escalate.conditions import render, threshold_fact
from escalate.engine import Engine
from escalate.engine_memory import EngineMemory, configured_size
from escalate.explain import Explainer
from escalate.explain.questions import load_questions
from escalate.facts import NOT_TRIED, case_facts, duty_fact, plan_of, window_fact
from escalate.letters.book import LetterBook, load_letters
from escalate.models import (
    Advice,
    AdviceWarning,
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
from escalate.resources import rules_folder
from escalate.rulebook import MoveSpec, Rule, Rulebook, SourceSpec, load
from escalate.states.clocks import thresholds
from escalate.text.reasons import CaseReasons, ReasonWriter
from escalate.text.summary import SummaryWriter

RULES_DIR_ENV = "ESCALATE_RULES_DIR"
ASSUMED_UNSPECIFIED_VIOLATION = (
    "The case says the district broke a legal duty but not which kind, so the advice reads "
    "it as an unspecified violation of IDEA, which a state complaint can raise. Say which "
    "kind (violation.kind) for advice that fits it.")
ASSUMED_UNSPECIFIED_504_VIOLATION = (
    "The case says the school broke a duty but not which kind; for a child with a 504 plan "
    "and no IEP the advice reads it as a Section 504 matter, which the Office for Civil "
    "Rights can hear. Say which kind (violation.kind) for advice that fits it.")


def default_rules_dir() -> Path:
    """The built-in rules, shipped inside the package (``rules/`` in the repository)."""
    return rules_folder()


def configured_rules_dir() -> Path:
    """The rules every entry point uses unless told otherwise: ``$ESCALATE_RULES_DIR``
    when it is set (and not blank), else the built-in rules."""
    configured = os.environ.get(RULES_DIR_ENV, "").strip()
    return Path(configured) if configured else default_rules_dir()


class Advisor:
    """A loaded, validated, compiled rulebook and its engine."""

    def __init__(self, rulebook: Rulebook, *, cache_size: int | None = None) -> None:
        self.rulebook = rulebook
        self.compiled: CompiledRulebook = compile_rulebook(rulebook)
        self.engine = Engine(self.compiled)
        # The engine's answers for recent inputs (escalate.engine_memory); a new rulebook
        # is a new Advisor, so the memory never outlives the rules it was built from.
        self.memory = EngineMemory(self.compiled, lambda fact: self.engine.evaluate(fact),
                                   configured_size() if cache_size is None else cache_size)
        self._rules = {r.id: r for r in rulebook.rules}
        # Plain reasons are built once; templated ones per case (escalate/text/reasons.py).
        self._reasons = ReasonWriter(rulebook, self.source)
        self._summary = SummaryWriter({m.id: m.title for m in rulebook.moves})
        self.letters: LetterBook = load_letters(rulebook)  # checked at start-up too
        self.calendar = CalendarWriter()
        # Why-not and "what would change it" (escalate/explain/); questions.yaml is checked
        # here, so a broken question file stops start-up and `escalate rules check`.
        self.explainer = Explainer(self, load_questions(rulebook.directory))

    @classmethod
    def from_directory(cls, rules_dir: Path | str, *, cache_size: int | None = None
                       ) -> Advisor:
        """Load, validate and compile a rules folder. Raises RuleFileError.
        ``cache_size``: how many engine answers to remember (default
        ``$ESCALATE_ENGINE_CACHE_SIZE`` or 16,384; 0 remembers none)."""
        return cls(load(rules_dir), cache_size=cache_size)

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
        facts.update((threshold_fact(name), value)
                     for name, value in thresholds(self.rulebook, case).items())
        times = clocks.compute(self.rulebook, case, facts)
        facts.update((window_fact(move), state) for move, state in times.windows.items())
        facts.update((duty_fact(clock), state) for clock, state in times.duties.items())
        return facts, times

    def advise(self, case: Case) -> Advice:
        """The advice for one validated case. Thread-safe."""
        facts, times = self.facts_for(case)
        firing = self.memory.firing(facts)

        closed = {m for m, state in times.windows.items() if state == "closed"}
        closing = {m for m, state in times.windows.items() if state == "closing"}
        by_move: dict[str, list[Rule]] = {}
        for rule_id in firing.rules_fired:
            rule = self._rules[rule_id]
            if rule.move:  # rules for a move whose window closed cannot fire (rulebook.py)
                by_move.setdefault(rule.move, []).append(rule)

        plan = str(facts["student.plan"])
        ranked = ranking.rank(self.rulebook, by_move, closing, plan)
        reasons = self._reasons.for_case(case, times.deadlines)
        recommendations = [
            self._recommendation(item, priority, times, plan, reasons)
            for priority, item in enumerate(ranked, start=1)
        ]
        return Advice(
            case_id=case.case_id,
            as_of=case.as_of,
            summary=self._summary.write(reasons.values, recommendations, times.deadlines),
            next_move=recommendations[0] if recommendations else None,
            recommendations=recommendations,
            ladder=self._ladder(facts, ranked, closed, plan),
            section_504_ladder=(
                self._ladder(facts, ranked, closed, plan, lambda m: m.section_504_step)
                if plan == ranking.SECTION_504 else []),
            deadlines=times.deadlines,
            warnings=self._assumptions(case) + times.warnings,
            trace=Trace(rules_fired=firing.rules_fired, facts_derived=firing.facts_derived),
            rules_version=self.rules_version,
        )

    def _assumptions(self, case: Case) -> list[AdviceWarning]:
        """Warnings that say how the advice read an incomplete case."""
        found = []
        if case.violation and case.violation.alleged and case.violation.kind is None:
            on_504 = plan_of(case) == ranking.SECTION_504
            found.append(AdviceWarning(
                move=None, kind="assumption",
                text=ASSUMED_UNSPECIFIED_504_VIOLATION if on_504
                else ASSUMED_UNSPECIFIED_VIOLATION,
                citation="34 CFR 104.36" if on_504 else "34 CFR 300.153(b)"))
        return found

    def _recommendation(self, item: ranking.Ranked, priority: int, times: clocks.Clocks,
                        plan: str, written: CaseReasons) -> Recommendation:
        spec = self.rulebook.move(item.move)
        rules = item.rules
        reasons = [written.rule(r) for r in rules]
        reasons += [written.exception(name)
                    for name in dict.fromkeys(r.exception for r in rules if r.exception)]
        _, how = spec.wording(plan)
        return Recommendation(
            move=MoveId(item.move), title=spec.title, rung=spec.rung, priority=priority,
            reasons=reasons, how=how,
            deadlines=[d for d in times.deadlines if d.move.value == item.move],
            rule=rules[0].id, rules=[r.id for r in rules], raised=item.raised,
            section_504_step=spec.section_504_step if plan == ranking.SECTION_504 else None,
        )

    def _ladder(self, facts: Mapping[str, Any], ranked_moves: list[ranking.Ranked],
                closed: set[str], plan: str,
                steps: Callable[[MoveSpec], int | None] = lambda m: m.rung) -> list[LadderRung]:
        """Where each step of a ladder stands: the seven IDEA rungs by default, or the five
        steps of the Section 504 track (``steps=section_504_step``).

        "next" is the first step the advice leads with; a step listed only after the next
        step (a formal step available at once, due process when the school keeps refusing)
        is "available", never "next" (ladder.md section 11). For a child on the 504 track,
        an IDEA rung that is not also a 504 step and that nothing recommends is
        "not_applicable" (ladder.md section 6).
        """
        ranked = [r.move for r in ranked_moves]
        first = next((r.move for r in ranked_moves
                      if steps(self.rulebook.move(r.move)) and r.group <= ranking.NEXT), None)
        ladder = []
        status: RungStatus
        for spec in sorted((m for m in self.rulebook.moves if steps(m)),
                           key=lambda m: steps(m) or 0):
            outcome = facts[f"history.{spec.id}"]
            if spec.id in closed:
                status = "closed"
            elif spec.id == first:
                status = "next"
            elif spec.id in ranked:
                status = "available"
            elif outcome == "resolved":
                status = "resolved"
            elif outcome != NOT_TRIED:
                status = "tried"
            elif plan == ranking.SECTION_504 and spec.section_504_step is None:
                status = "not_applicable"
            else:
                status = "ahead"
            ladder.append(LadderRung(rung=steps(spec) or 0, move=MoveId(spec.id),
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
    return _advisor_for(str(configured_rules_dir()))


def advise(case: Case | Mapping[str, Any]) -> Advice:
    """Advice for one case (a Case, or a mapping validated into one)."""
    if not isinstance(case, Case):
        case = Case.model_validate(case)
    return get_advisor().advise(case)
