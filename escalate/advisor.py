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
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar

from escalate import deadlines as clocks
from escalate import ranking
from escalate.compiler import CompiledRulebook, compile_rulebook
from escalate.conditions import render, threshold_fact
from escalate.engine import Engine
from escalate.engine_memory import EngineMemory, configured_size
from escalate.facts import (
    NOT_TRIED,
    REIMBURSEMENT_CLOCK,
    case_facts,
    clock_fact,
    duty_fact,
    plan_of,
    start_fact,
    window_fact,
)
from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH
from escalate.i18n.locale import Locale, load_locales
from escalate.i18n.sources import ASSUMPTIONS
from escalate.i18n.words import Words
from escalate.models import (
    DISCLAIMER,
    Advice,
    AdviceWarning,
    Case,
    Deadline,
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
from escalate.proof import proven_engine
from escalate.resources import rules_folder
from escalate.rulebook import MoveSpec, Rule, Rulebook, SourceSpec, cited, load
from escalate.states.clocks import thresholds
from escalate.text.deadlines import shown
from escalate.text.deadlines import word as clock_words
from escalate.text.glosses import read_advice
from escalate.text.reasons import CaseReasons, ReasonWriter
from escalate.text.summary import SummaryWriter

RULES_DIR_ENV = "ESCALATE_RULES_DIR"
T = TypeVar("T")
ASSUMED_UNSPECIFIED_VIOLATION = ASSUMPTIONS["unspecified_violation"]
ASSUMED_UNSPECIFIED_504_VIOLATION = ASSUMPTIONS["unspecified_504_violation"]
# The kinds of fact names an advisor makes once (Advisor._fact_names).
THRESHOLD, WINDOW, DUTY, CLOCK, START, HISTORY = (
    "threshold", "window", "duty", "clock", "start", "history")


def default_rules_dir() -> Path:
    """The built-in rules, shipped inside the package (``rules/`` in the repository)."""
    return rules_folder()


def configured_rules_dir() -> Path:
    """The rules every entry point uses unless told otherwise: ``$ESCALATE_RULES_DIR``
    when it is set (and not blank), else the built-in rules."""
    configured = os.environ.get(RULES_DIR_ENV, "").strip()
    return Path(configured) if configured else default_rules_dir()


class Advisor:
    """A loaded, validated, compiled rulebook, its engine and its translations: the
    advice. Letters, calendars and explanations are built beside it, from what they need
    (:mod:`escalate.service` puts them together); :meth:`part` keeps them, one per
    advisor, without this module knowing them."""

    def __init__(self, rulebook: Rulebook, *, locales: Mapping[str, Locale] | None = None,
                 cache_size: int | None = None) -> None:
        """``locales``: the translations, when already loaded and checked
        (:func:`escalate.i18n.locale.load_locales`); loaded here otherwise."""
        self.rulebook = rulebook
        self.compiled: CompiledRulebook = compile_rulebook(rulebook)
        # Proven before it serves (escalate/proof.py): a rulebook the engine cannot
        # evaluate, or on which it disagrees with the reference, is refused here, naming
        # the rules involved, never at a family's request.
        self.engine: Engine = proven_engine(rulebook, self.compiled)
        # The engine's answers for recent inputs (escalate.engine_memory); a new rulebook
        # is a new Advisor, so the memory never outlives the rules it was built from.
        self.memory = EngineMemory(self.compiled, lambda fact: self.engine.evaluate(fact),
                                   configured_size() if cache_size is None else cache_size)
        self._rules = {r.id: r for r in rulebook.rules}
        # Move wording per language, move and plan, made on first use (_move_words).
        self._wording: dict[tuple[str, ...],
                            tuple[str, str, list[str], tuple[str, ...]]] = {}
        # Plain reasons are built once; templated ones per case (escalate/text/reasons.py).
        self._reasons = ReasonWriter(rulebook, self.source)
        self._summary = SummaryWriter({m.id: m.title for m in rulebook.moves})
        # Every language's translations (rules/locales/), checked: an unknown id or a
        # broken translated template stops start-up (escalate/i18n/locale.py).
        self.locales: dict[str, Locale] = dict(
            load_locales(rulebook) if locales is None else locales)
        self._regulation_names: dict[str, Mapping[str, str]] = {}
        self._writers = {ENGLISH: (self._reasons, self._summary)}
        for lang, locale in self.locales.items():
            if lang != ENGLISH:
                summary = locale.text("text.summary")
                self._writers[lang] = (
                    ReasonWriter(rulebook, partial(self.source, lang=lang), locale),
                    SummaryWriter({m.id: locale.text(ids.move_title(m.id)) or m.title
                                   for m in rulebook.moves}, lang=lang,
                                  translation=(locale.file, summary)) if summary
                    else self._summary)
        self._parts: dict[str, Any] = {}
        self._parts_lock = threading.Lock()

    def part(self, name: str, build: Callable[[], T]) -> T:
        """What another room builds on this advisor (its letters, calendars, explainer),
        built by ``build`` on first use and kept for the advisor's life. Thread-safe."""
        found = self._parts.get(name)
        if found is None:
            with self._parts_lock:
                found = self._parts.get(name)
                if found is None:
                    found = self._parts[name] = build()
        built: T = found
        return built

    @cached_property
    def _fact_names(self) -> dict[str, dict[str, str]]:
        """The names of the facts the clocks and thresholds give (``window.<move>``,
        ``clock.<id>``, ...), made once per rulebook rather than once per advice."""
        namers: dict[str, Callable[[str], str]] = {
            THRESHOLD: threshold_fact, WINDOW: window_fact, DUTY: duty_fact,
            CLOCK: clock_fact, START: start_fact, HISTORY: lambda move: f"history.{move}"}
        keys = ([m.id for m in self.rulebook.moves] + [d.id for d in self.rulebook.deadlines]
                + [REIMBURSEMENT_CLOCK] + list(self.rulebook.threshold_parameters))
        return {kind: {key: namer(key) for key in keys} for kind, namer in namers.items()}

    @cached_property
    def _move_ids(self) -> dict[str, MoveId]:
        return {m.id: MoveId(m.id) for m in self.rulebook.moves}

    @cached_property
    def _steps(self) -> dict[bool, list[tuple[int, MoveSpec]]]:
        """The steps of each ladder in order, with their numbers: the seven IDEA rungs
        (``False``) and the Section 504 track (``True``)."""
        return {track: sorted(((n, m) for m in self.rulebook.moves
                               if (n := (m.section_504_step if track else m.rung))),
                              key=lambda pair: pair[0])
                for track in (False, True)}

    def _move_words(self, words: Words, move: str, plan: str, situation: str | None = None
                    ) -> tuple[str, str, list[str], tuple[str, ...]]:
        """A move's title, summary and how-to in the language of ``words`` for a child on
        ``plan``, in the ``situation`` the rules that recommended it name (the move's
        ``for_situation``; None: its own wording), with the ids said in English: the same
        for every advice, so made once per language, move, plan and situation."""
        key = (words.lang, move, plan, situation or "")
        found = self._wording.get(key)
        if found is None:
            say = Words(words.locale)
            spec = self.rulebook.move(move)
            summary, how = spec.wording(plan)
            own = spec.for_plan.get(plan)  # type: ignore[call-overload]
            how_plan = plan if own is not None and own.how else None
            summary_id = ids.move_summary(
                spec.id, plan if own is not None and own.summary else None)
            how_ids = [ids.move_how(spec.id, n, how_plan) for n in range(1, len(how) + 1)]
            title, title_id = spec.title, ids.move_title(spec.id)
            words_for = spec.for_situation.get(situation) if situation else None
            if words_for is not None:
                if words_for.title:
                    title = words_for.title
                    title_id = ids.move_situation(move, situation or "", "title")
                if words_for.summary:
                    summary = " ".join(words_for.summary.split())
                    summary_id = ids.move_situation(move, situation or "", "summary")
                if words_for.how:
                    how = list(words_for.how)
                    how_ids = [ids.move_situation(move, situation or "", "how", n)
                               for n in range(1, len(how) + 1)]
            # in the order the advice has always noted them: how-to, title, summary
            steps = [say.say(key_, step) for key_, step in zip(how_ids, how, strict=True)]
            title = say.say(title_id, title)
            summary = say.say(summary_id, summary)
            found = self._wording[key] = (title, summary, steps, tuple(say.fell_back))
        return found


    def _title(self, words: Words, move: str) -> str:
        """A move's title in the language of ``words`` (the ladder's words)."""
        key = (words.lang, move, "")
        found = self._wording.get(key)
        if found is None:
            say = Words(words.locale)
            title = say.say(ids.move_title(move), self.rulebook.move(move).title)
            found = self._wording[key] = (title, "", [], tuple(say.fell_back))
        for fell_back in found[3]:
            words.note(fell_back)
        return found[0]

    @classmethod
    def from_directory(cls, rules_dir: Path | str, *, cache_size: int | None = None
                       ) -> Advisor:
        """Load, validate and compile a rules folder, with its translations (its letters,
        calendar words and questions are checked by :mod:`escalate.service`). Raises
        RuleFileError.
        ``cache_size``: how many engine answers to remember (default
        ``$ESCALATE_ENGINE_CACHE_SIZE`` or 16,384; 0 remembers none)."""
        return cls(load(rules_dir), cache_size=cache_size)

    def regulation_names(self, lang: str = ENGLISH) -> Mapping[str, str]:
        """The regulations' short names in ``lang`` (English where not translated)."""
        if lang == ENGLISH or lang not in self.locales:
            return self.rulebook.regulations
        names = self._regulation_names.get(lang)
        if names is None:
            locale = self.locales[lang]
            names = self._regulation_names[lang] = {
                citation: locale.text(ids.regulation_title(citation)) or name
                for citation, name in self.rulebook.regulations.items()}
        return names

    def source(self, spec: SourceSpec, lang: str = ENGLISH) -> Source:
        """A rule's source as the advice shows it, with the title a person reads (a seed
        article's own title; a regulation's short name in ``lang``)."""
        names = self.regulation_names(lang)
        # a document cited by its title alone is named in the reader's language (OCR's
        # procedures); numbered citations stay as written
        citation = spec.citation if lang == ENGLISH else cited(spec.citation, names)
        return Source(document=spec.document, section=spec.section, citation=citation,
                      title=self.rulebook.source_title(spec, names))

    @property
    def rules_version(self) -> str:
        return self.rulebook.version

    # ------------------------------------------------------------ advice

    def facts_for(self, case: Case) -> tuple[dict[str, Any], clocks.Clocks]:
        """The flat facts the engine sees for ``case``, and the case's clocks (data; the
        advice words them, :mod:`escalate.text.deadlines`)."""
        facts: dict[str, Any] = case_facts(case)
        names = self._fact_names
        facts.update({names[THRESHOLD][name]: value
                      for name, value in thresholds(self.rulebook, case).items()})
        times = clocks.compute(self.rulebook, case, facts)
        for kind, found in ((WINDOW, times.windows), (DUTY, times.duties),
                            (CLOCK, times.states), (START, times.starts)):
            named = names[kind]
            facts.update({named[key]: value for key, value in found.items()})
        return facts, times

    def advise(self, case: Case, lang: str = ENGLISH) -> Advice:
        """The advice for one validated case, in ``lang`` (one of
        :data:`escalate.i18n.formats.LANGUAGES`). Thread-safe."""
        words = Words(self.locales[lang])
        facts, times = self.facts_for(case)
        firing = self.memory.firing(facts)
        deadlines, clock_warnings = clock_words(times, self.rulebook, case.as_of, words,
                                                self.regulation_names(lang))

        closed = {m for m, state in times.windows.items() if state == "closed"}
        plan = str(facts["student.plan"])
        ranked = self.rank_fired(firing.rules_fired, plan)
        reason_writer, summary_writer = self._writers[lang]
        reasons = reason_writer.for_case(case, deadlines)
        recommendations = [
            self._recommendation(item, priority, deadlines, plan, reasons, words)
            for priority, item in enumerate(ranked, start=1)
        ]
        summary_in_english = lang != ENGLISH and summary_writer is self._summary
        summary = summary_writer.write(
            reasons.english_values if summary_in_english else reasons.values,
            recommendations, deadlines)
        if summary_in_english:
            words.note("text.summary")
        return read_advice(Advice(
            case_id=case.case_id,
            as_of=case.as_of,
            summary=summary,
            next_move=recommendations[0] if recommendations else None,
            recommendations=recommendations,
            ladder=self._ladder(facts, ranked, closed, plan, words=words),
            section_504_ladder=(
                self._ladder(facts, ranked, closed, plan, True, words=words)
                if plan == ranking.SECTION_504 else []),
            deadlines=deadlines,
            warnings=self._assumptions(case, words, facts) + clock_warnings,
            trace=Trace(rules_fired=firing.rules_fired, facts_derived=firing.facts_derived),
            rules_version=self.rules_version,
            disclaimer=words.say("text.disclaimer", DISCLAIMER),
            language=lang,
            fallbacks=list(dict.fromkeys(words.fallbacks() + reasons.fell_back)),
        ), lang)

    def rank_fired(self, rules_fired: Iterable[str], plan: str) -> list[ranking.Ranked]:
        """The moves the fired rules recommend, ranked (escalate/ranking.py). Rules for a
        move whose window closed cannot fire (rulebook.py); a rule that fires on a
        closing window (the ``window_closing`` exception) raises its move first."""
        by_move: dict[str, list[Rule]] = {}
        for rule_id in rules_fired:
            rule = self._rules[rule_id]
            if rule.move:
                by_move.setdefault(rule.move, []).append(rule)
        return ranking.rank(self.rulebook, by_move, plan)

    def _assumptions(self, case: Case, words: Words,
                     facts: Mapping[str, Any]) -> list[AdviceWarning]:
        """Warnings that say how the advice read an incomplete case, or a field whose
        meaning narrowed (the advice is unchanged; the warning names the field to use)."""
        found = []
        discipline = case.discipline
        if (discipline is not None and discipline.change_of_placement_proposed
                and discipline.days_removed == 0 and discipline.consecutive_days == 0
                and facts["concern.topic"] != "discipline"
                and not facts["concern.placement_change_proposed"]):
            found.append(self._assumption("discipline_change_without_removal", words,
                                          "34 CFR 300.518(a); 34 CFR 300.536"))
        if (discipline is not None and "consecutive_days" not in discipline.model_fields_set
                and discipline.days_removed
                > facts[threshold_fact("removal_days_change_of_placement")]):
            found.append(self._assumption("removals_without_longest", words,
                                          "34 CFR 300.536(a)"))
        if case.violation and case.violation.alleged and case.violation.kind is None:
            on_504 = plan_of(case) == ranking.SECTION_504
            name = "unspecified_504_violation" if on_504 else "unspecified_violation"
            found.append(AdviceWarning(
                move=None, kind="assumption",
                text=words.say(f"text.assumption.{name}", ASSUMPTIONS[name]),
                citation="34 CFR 104.36" if on_504 else "34 CFR 300.153(b)"))
        return found

    @staticmethod
    def _assumption(name: str, words: Words, citation: str) -> AdviceWarning:
        return AdviceWarning(move=None, kind="assumption", citation=citation,
                             text=words.say(f"text.assumption.{name}", ASSUMPTIONS[name]))

    def _recommendation(self, item: ranking.Ranked, priority: int,
                        deadlines: list[Deadline],
                        plan: str, written: CaseReasons, words: Words) -> Recommendation:
        spec = self.rulebook.move(item.move)
        rules = item.rules
        # a reason two rules give alike is said once (a rule may differ from another only
        # in the situation it words the move for, ``wording:``)
        reasons = list({(r.text, r.source.document, r.source.section, r.source.citation): r
                        for r in (written.rule(rule) for rule in rules)}.values())
        reasons += [written.exception(name)
                    for name in dict.fromkeys(r.exception for r in rules if r.exception)]
        # a rule names a situation only where the move's own words would be untrue of
        # the case (the child's return only after a manifestation finding, 300.530(f))
        title, summary, how, fell_back = self._move_words(
            words, item.move, plan, spec.situation(r.wording for r in rules))
        for key in fell_back:
            words.note(key)
        return Recommendation(
            move=MoveId(item.move), title=title,
            rung=spec.rung, priority=priority, summary=summary,
            reasons=reasons, how=list(how),
            deadlines=shown(deadlines, item.move),
            rule=rules[0].id, rules=[r.id for r in rules], raised=item.raised,
            section_504_step=spec.section_504_step if plan == ranking.SECTION_504 else None,
        )

    def _ladder(self, facts: Mapping[str, Any], ranked_moves: list[ranking.Ranked],
                closed: set[str], plan: str, track: bool = False, *,
                words: Words | None = None) -> list[LadderRung]:
        """Where each step of a ladder stands: the seven IDEA rungs by default, or the five
        steps of the Section 504 track (``track=True``).

        "next" is the first step the advice leads with; a step listed only after the next
        step (a formal step available at once, due process when the school keeps refusing)
        is "available", never "next" (ladder.md section 11). For a child on the 504 track,
        an IDEA rung that is not also a 504 step and that nothing recommends is
        "not_applicable" (ladder.md section 6).
        """
        ranked = {r.move for r in ranked_moves}
        ordered = self._steps[track]
        numbered = {spec.id for _, spec in ordered}
        first = next((r.move for r in ranked_moves
                      if r.move in numbered and r.group <= ranking.NEXT), None)
        ladder = []
        status: RungStatus
        for number, spec in ordered:
            outcome = facts[self._fact_names[HISTORY][spec.id]]
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
            title = self._title(words, spec.id) if words else spec.title
            ladder.append(LadderRung(rung=number, move=self._move_ids[spec.id],
                                     title=title, status=status))
        return ladder

    # ------------------------------------------------------------ catalogues

    def moves(self, lang: str = ENGLISH) -> list[MoveInfo]:
        """The move catalogue, least adversarial first, in ``lang`` (a text without a
        current translation is given in English, whole)."""
        words = Words(self.locales[lang])
        return [
            MoveInfo(id=MoveId(m.id), title=words.say(ids.move_title(m.id), m.title),
                     rung=m.rung, kind="rung" if m.rung else "companion",
                     summary=words.say(ids.move_summary(m.id), " ".join(m.summary.split())),
                     how=[words.say(ids.move_how(m.id, n), step)
                          for n, step in enumerate(m.how, start=1)],
                     sources=[self.source(s, lang) for s in m.sources])
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
