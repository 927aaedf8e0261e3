"""What would change the advice: one fact at a time, each other answer, re-run by the engine.

For the case as given, every askable fact (:mod:`escalate.explain.questions`) is set to
each other value it can take, one at a time. The change is made to the *case* (the field
the fact is projected from: :func:`apply`), the case is projected onto the engine's facts
again (:meth:`escalate.advisor.Advisor.facts_for`; the case's clocks are reused only when
the answer cannot move them, see ``Counterfactuals._facts``), and the **engine**
decides it, through the advisor's memory of its answers as the advice does
(:mod:`escalate.engine_memory`: an engine input already decided is answered as the engine
answered it; every other is decided by :meth:`escalate.engine.Engine.evaluate`); the
fired rules are ranked by :func:`escalate.ranking.rank`, as the advice is. Answers that
change the next step, or add or remove a recommendation, are reported with the question
to ask. No Python reading of the rules decides any result.

The work is bounded. Values that no condition tells apart are tried once (an enum's values
outside every test of the fact behave alike; for a number, 0 and each bound and the next
whole number are tried), and a variant the engine would see exactly as it sees the case,
or as an earlier variant, is not evaluated again. The variants are ordered -- facts the
case left out first, then those that change the case-level truth of some compiled
alternative, then by :meth:`Counterfactuals.tier` (how close the question is to the case),
then by how many alternatives change (a cheap hint for the order, never a result) -- and
at most ``cap`` engine runs (default 24, ``ESCALATE_EXPLAIN_CAP``) are made; the facts
left untried are listed as skipped. Facts computed from dates (``window.*``, ``duty.*``,
``threshold.*``) are not questions and are listed as skipped too.

Only questions that could apply to the case are tried (a question's ``applies_when`` in
``rules/questions.yaml``: no discipline questions without discipline, no 504 meeting
without a 504 plan), and never one whose answer the case already gives
(:meth:`Counterfactuals.askable`).

Ranking: facts the case left out first (the questions still to ask); then questions far
from the case last (another concern topic, or a step more adversarial than the next one
already taken: :meth:`Counterfactuals.tier`); within each, answers that change the next
step first, then by the number of moves added or removed, then by tier, then in the order
of ``rules/questions.yaml`` (the order an intake worker asks in).

The engine's work does not depend on the language: only the words do. They come from
:class:`escalate.explain.wording.ExplainWords` (questions, answers, sentences and move
titles by id, in the advice's language; English, whole, for what is not translated).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from escalate.conditions import THRESHOLD, Test
from escalate.errors import EscalateError
from escalate.explain.questions import HISTORY_PREFIX, Questions
from escalate.explain.wording import ExplainWords
from escalate.facts import NOT_TRIED, VOCABULARY, Scalar, case_facts, plan_of
from escalate.i18n.words import Words
from escalate.models import (
    Advice,
    AnswerEffect,
    Case,
    Concern,
    Discipline,
    Evaluation,
    Explanation,
    HistoryEntry,
    MoveId,
    Outcome,
    QuestionToAsk,
    ResolutionMeeting,
    SkippedFact,
    Student,
    Violation,
)

if TYPE_CHECKING:
    from escalate.advisor import Advisor

DEFAULT_CAP = 24
CAP_ENV = "ESCALATE_EXPLAIN_CAP"
DATE_PREFIXES = ("window.", "duty.", "clock.", "clock_start.", THRESHOLD)
# Values that stand for "this part of the case is absent"; never an answer to a question
# (the concern is required; a violation's kind is 'none' only when none is alleged).
ABSENT = {"concern.topic": "none", "concern.school_response": "none",
           "violation.kind": "none", "resolution_meeting.outcome": "none"}
_PARTS: Mapping[str, type[Any]] = {"student": Student, "concern": Concern,
                                   "evaluation": Evaluation, "violation": Violation,
                                   "discipline": Discipline,
                                   "resolution_meeting": ResolutionMeeting}

MAX_NUMBER = 366
REFUSALS = "history.refusals"
PLAN = "student.plan"
# Tiers of questions (Counterfactuals.tier): close to the case, neutral, far from it.
CLOSE, NEUTRAL, FAR = 0, 1, 2


def default_cap() -> int:
    """The cap on engine runs per request: ``$ESCALATE_EXPLAIN_CAP`` or 24. A value that
    is not a whole number above 0 stops start-up naming the variable."""
    raw = os.environ.get(CAP_ENV, "").strip()
    if not raw:
        return DEFAULT_CAP
    if not raw.isdigit() or int(raw) < 1:
        raise EscalateError(f"{CAP_ENV} must be a whole number greater than 0")
    return int(raw)


@dataclass(frozen=True)
class Result:
    """What the engine recommended for one case, in the advice's order."""

    moves: tuple[str, ...]

    @property
    def next_move(self) -> str | None:
        return self.moves[0] if self.moves else None


@dataclass(frozen=True)
class Variant:
    """One fact set to one other value; :func:`apply` makes the changed case when it runs."""

    fact: str
    value: Scalar
    hint: int


# ---------------------------------------------------------------- changing the case


def _latest_index(case: Case, move: str) -> int | None:
    """The index of the history entry that gives ``move``'s latest outcome
    (the order :func:`escalate.facts.latest_outcomes` uses)."""
    best: tuple[int, int] | None = None
    latest_date = 0
    found = None
    for index, entry in enumerate(case.history):
        if entry.date:
            latest_date = max(latest_date, entry.date.toordinal())
        if entry.move.value != move:
            continue
        key = (entry.date.toordinal() if entry.date else latest_date, index)
        if best is None or key >= best:
            best, found = key, index
    return found


def apply(case: Case, fact: str, value: Scalar) -> Case:
    """The case with the field behind ``fact`` answered ``value``.

    ``history.<move>``: ``not_tried`` removes the move's entries; another outcome replaces
    the outcome of its latest entry (keeping its date), or adds an undated entry. A
    violation's kind also says a violation is alleged. A part the case left out is added
    with only this field set.
    """
    if fact.startswith(HISTORY_PREFIX):
        move = fact[len(HISTORY_PREFIX):]
        if value == NOT_TRIED:
            history = [e for e in case.history if e.move.value != move]
        else:
            history = list(case.history)
            index = _latest_index(case, move)
            if index is None:
                history.append(HistoryEntry(move=MoveId(move), outcome=Outcome(str(value))))
            else:
                history[index] = history[index].model_copy(
                    update={"outcome": Outcome(str(value))})
        return case.model_copy(update={"history": history})
    part_name, _, field = fact.partition(".")
    update: dict[str, Any] = {field: value}
    if fact == "violation.kind":
        update["alleged"] = True
    part = getattr(case, part_name)
    given = part.model_dump() if part is not None else {}
    return case.model_copy(update={part_name: _PARTS[part_name].model_validate(
        {**given, **update})})


def reported(case: Case, fact: str) -> bool:
    """Whether the case itself gave the field behind ``fact`` (False: the default was
    assumed)."""
    if fact.startswith(HISTORY_PREFIX):
        move = fact[len(HISTORY_PREFIX):]
        return any(e.move.value == move for e in case.history)
    part_name, _, field = fact.partition(".")
    part = getattr(case, part_name)
    return part is not None and field in part.model_fields_set


# ---------------------------------------------------------------- the explainer


class Counterfactuals:
    """The questions that would change the advice, for one advisor."""

    def __init__(self, advisor: Advisor, questions: Questions, cap: int | None = None) -> None:
        self.advisor = advisor
        self.questions = questions
        self.cap = cap if cap is not None else default_cap()
        self._order = {fact: i for i, fact in enumerate(questions.questions)}
        compiled = advisor.compiled
        # For the hint: the case-level tests of each compiled alternative, by fact.
        self._alternatives = [tuple(t for t in r.alternative if t.op != "holds")
                              for r in compiled.rules]
        self._by_fact: dict[str, list[int]] = {}
        for index, tests in enumerate(self._alternatives):
            for test in tests:
                self._by_fact.setdefault(test.fact, []).append(index)
        # Every test on each fact, in rules and in the clocks' conditions.
        self._tests: dict[str, list[Test]] = {}
        everything = [t for r in compiled.rules for t in r.alternative]
        everything += [t for dnf in advisor.rulebook.deadline_conditions.values()
                       for conj in dnf for t in conj]
        for test in everything:
            self._tests.setdefault(test.fact, []).append(test)
        self._clock_facts = {t.fact for dnf in advisor.rulebook.deadline_conditions.values()
                             for conj in dnf for t in conj}
        self._dated = sorted({name for name in compiled.fact_types
                              if name.startswith(DATE_PREFIXES)}
                             | {f"window.{d.move}" for d in advisor.rulebook.deadlines
                                if d.closes_move})

    # ------------------------------------------------------------ the engine

    def result(self, case: Case) -> Result:
        """The engine's recommendations for ``case``, ranked as the advice ranks them."""
        facts, _ = self.advisor.facts_for(case)
        return self._run(facts)

    def _run(self, facts: Mapping[str, Any]) -> Result:
        """What the engine fires for these (flat) facts, through the advisor's memory of
        its answers (:mod:`escalate.engine_memory`): an input the engine already decided,
        for an advice or an earlier explanation, is not decided again; any other is
        decided by the engine, and remembered."""
        firing = self.advisor.memory.firing(facts)
        # the plan as the engine sees it (a rulebook whose rules never test it: 'iep')
        plan = str(facts[PLAN]) if PLAN in self.advisor.compiled.fact_types else "iep"
        ranked = self.advisor.rank_fired(firing.rules_fired, plan)
        return Result(tuple(r.move for r in ranked))

    # ------------------------------------------------------------ the variants

    def _values(self, fact: str, current: Scalar, facts: Mapping[str, Any]) -> list[Scalar]:
        """The answers worth trying for ``fact``: one per class of values that the tests
        on it tell apart."""
        spec = VOCABULARY[fact]
        tests = self._tests.get(fact, [])
        if spec.kind is bool:
            return [not current]
        if spec.kind is int:
            bounds = {0}
            for test in tests:
                bound = facts.get(THRESHOLD + test.parameter) if test.parameter else (
                    test.values[0] if test.values else None)
                if isinstance(bound, int) and not isinstance(bound, bool):
                    bounds |= {bound, bound + 1}
            candidates: list[Scalar] = sorted(b for b in bounds if 0 <= b <= MAX_NUMBER)
        else:
            candidates = [v for v in spec.values if v != ABSENT.get(fact)]

        def signature(value: Scalar) -> tuple[bool, ...]:
            probe = {**facts, fact: value}
            marks = tuple(t.check(probe, set()) for t in tests if t.op != "holds")
            # a refusal also counts towards history.refusals
            return (*marks, fact.startswith(HISTORY_PREFIX) and value == "refused")

        seen = {signature(current)}
        if fact == "violation.kind" and current == ABSENT[fact]:
            seen = set()  # answering the kind also says a violation is alleged
        found: list[Scalar] = []
        for value in candidates:
            mark = signature(value)
            if value != current and mark not in seen:
                seen.add(mark)
                found.append(value)
        return found

    def _hint(self, base: Mapping[str, Any], changed: Mapping[str, Any],
              truth: dict[int, bool] | None = None) -> int:
        """How many compiled alternatives change their case-level truth (ordering only).
        ``truth``: each alternative's truth on ``base`` found so far (filled in here), so
        that the variants of one case work it out once."""
        keys = [k for k, v in changed.items() if base.get(k) != v]
        indices = {i for k in keys for i in self._by_fact.get(k, ())}
        probe = {**base, **changed}
        truth = {} if truth is None else truth
        count = 0
        for index in indices:
            tests = self._alternatives[index]
            before = truth.get(index)
            if before is None:
                before = truth[index] = all(t.check(base, set()) for t in tests)
            if before != all(t.check(probe, set()) for t in tests):
                count += 1
        return count

    def tier(self, case: Case, fact: str, next_move: str | None) -> tuple[int, int]:
        """How close a question is to the case (smaller is closer). CLOSE: whether the
        family already took the step the advice leads with, and questions of the case's
        concern topic; NEUTRAL: questions of no particular topic; FAR: questions of another
        topic (suspensions, in a dispute about services), and whether the family already
        took a step more adversarial than the next one (the further up the catalogue, the
        later)."""
        question = self.questions.questions[fact]
        rulebook = self.advisor.rulebook
        if fact.startswith(HISTORY_PREFIX):
            move = fact[len(HISTORY_PREFIX):]
            if move == next_move:
                return (CLOSE, 0)
            if next_move is not None and rulebook.rank(move) > rulebook.rank(next_move):
                return (FAR, rulebook.rank(move) - rulebook.rank(next_move))
        if not question.topics:
            return (NEUTRAL, 0)
        return (CLOSE, 0) if case.concern.topic.value in question.topics else (FAR, 0)

    def askable(self, case: Case, facts: Mapping[str, Any]) -> list[str]:
        """The questions worth asking for ``case``: those that could apply to it (their
        ``applies_when`` holds on its facts) and whose answer the case does not give."""
        return [fact for fact, question in self.questions.questions.items()
                if question.applies(facts) and not reported(case, fact)]

    def variants(self, case: Case, facts: Mapping[str, Any],
                 next_move: str | None = None) -> list[Variant]:
        """Every variant worth running, in the order they are run."""
        found = []
        refusals = facts.get(REFUSALS, 0)
        truth: dict[int, bool] = {}  # each alternative's truth on the case (_hint)
        for fact in self.askable(case, facts):
            current = facts[fact]
            for value in self._values(fact, current, facts):
                if fact.startswith(HISTORY_PREFIX):
                    # most variants: the fact itself and, roughly, the refusal count
                    # (only the order of the runs depends on it)
                    changed = {fact: value, REFUSALS: refusals + (value == "refused")
                               - (current == "refused")}
                else:  # projections (the child's plan, an alleged violation): project
                    changed = case_facts(apply(case, fact, value))
                found.append(Variant(fact, value, self._hint(facts, changed, truth)))
        tiers = {fact: self.tier(case, fact, next_move) for fact in self.questions.questions}
        found.sort(key=lambda v: (reported(case, v.fact), v.hint == 0, tiers[v.fact],
                                  -v.hint, self._order[v.fact]))
        return found

    # ------------------------------------------------------------ the explanation

    def words(self, words: Words | None = None) -> ExplainWords:
        """The explanation's texts in the language of ``words`` (English by default)."""
        return ExplainWords(self.questions,
                            {m.id: m.title for m in self.advisor.rulebook.moves},
                            words or Words())

    def explain(self, case: Case, advice: Advice | None = None,
                words: Words | None = None) -> Explanation:
        """The questions whose answer would change the advice for ``case``, in the
        language of ``words`` (English by default; what it said in English is recorded
        there)."""
        say = self.words(words)
        if advice is None:
            advice = self.advisor.advise(case, say.lang)
        base = Result(tuple(r.move.value for r in advice.recommendations))
        facts, _ = self.advisor.facts_for(case)
        variants = self.variants(case, facts, base.next_move)
        compiled = self.advisor.compiled
        # The engine's answer for each distinct input: a variant the engine would see
        # exactly as it sees the case (or as another variant) is not asked again. Each
        # one asked counts as an engine run, whether the engine's memory answered it or
        # the engine itself did: the explanation is the same either way.
        seen: dict[tuple[Any, ...], Result] = {compiled.engine_key(facts): base}
        over: list[Variant] = []
        runs = 0
        effects: dict[str, list[AnswerEffect]] = {}
        for variant in variants:
            if runs >= self.cap:
                over.append(variant)
                continue
            variant_facts = self._facts(case, facts, variant)
            key = compiled.engine_key(variant_facts)
            result = seen.get(key)
            if result is None:
                result = seen[key] = self._run(variant_facts)
                runs += 1
            effect = self._effect(variant, base, result, say)
            if effect is not None:
                effects.setdefault(variant.fact, []).append(effect)
        questions = [self._question(case, fact, facts[fact], answers, say)
                     for fact, answers in effects.items()]
        tiers = {q.fact: self.tier(case, q.fact, base.next_move) for q in questions}
        questions.sort(key=lambda q: (q.reported, tiers[q.fact][0] == FAR,
                                      *_size(q.answers[0]), tiers[q.fact],
                                      self._order[q.fact]))
        skipped = [SkippedFact(fact=fact, reason="over_the_cap",
                               note=say.sentence("over_the_cap",
                                                 count=say.words.number(self.cap)))
                   for fact in dict.fromkeys(v.fact for v in over)]
        skipped += [SkippedFact(fact=fact, reason="follows_from_other_facts",
                                note=say.sentence("follows_from_other_facts",
                                                  about=say.not_asked(fact)))
                    for fact in self.questions.not_asked]
        skipped += [SkippedFact(fact=fact, reason="computed_from_dates",
                                note=say.sentence("computed_from_dates"))
                    for fact in self._dated]
        return Explanation(questions=questions, engine_runs=runs, cap=self.cap,
                           skipped=skipped, note=say.sentence("note"))

    def _facts(self, case: Case, facts: Mapping[str, Any],
               variant: Variant) -> dict[str, Any]:
        """The facts the engine sees for a variant (its clocks' facts included). The clocks
        read the case's dates and, through ``only_if``, a few facts: when the answer
        changes none of those and removes no dated history entry, the case's own clocks
        still hold and are reused; otherwise everything is projected again."""
        changed_case = apply(case, variant.fact, variant.value)
        projected = case_facts(changed_case)
        changed = {k for k, v in projected.items() if facts[k] != v}
        if changed & self._clock_facts or variant.value == NOT_TRIED:
            full, _ = self.advisor.facts_for(changed_case)
            return full
        return {**facts, **projected}

    def _effect(self, variant: Variant, base: Result, result: Result,
                say: ExplainWords) -> AnswerEffect | None:
        added = [m for m in result.moves if m not in base.moves]
        removed = [m for m in base.moves if m not in result.moves]
        changes = result.next_move != base.next_move
        if not (changes or added or removed):
            return None
        answer = say.answer(variant.fact, variant.value)
        sentence = say.sentence
        title = say.title
        # each title its own short sentence: a family reads no sentence over 30 words
        titles = ". ".join(title(m) for m in added)
        dropped = ". ".join(title(m) for m in removed)
        if changes and result.next_move is None:
            text = sentence("next_move_to_none", answer=answer, now=title(base.next_move))
        elif changes and base.next_move is None:
            text = sentence("next_move_from_none", answer=answer,
                            to=title(result.next_move))
        elif changes:
            text = sentence("next_move", answer=answer, to=title(result.next_move),
                            now=title(base.next_move))
        elif added and removed:
            text = sentence("added_and_removed", answer=answer, moves=titles, dropped=dropped)
        elif added:
            text = sentence("added", answer=answer, moves=titles)
        else:
            text = sentence("removed", answer=answer, moves=dropped)
        return AnswerEffect(
            answer=variant.value, answer_text=answer,
            next_move=MoveId(result.next_move) if result.next_move else None,
            next_move_changes=changes, added=[MoveId(m) for m in added],
            removed=[MoveId(m) for m in removed], effect=text)

    def _question(self, case: Case, fact: str, current: Scalar,
                  answers: list[AnswerEffect], say: ExplainWords) -> QuestionToAsk:
        question = self.questions.questions[fact]
        answers.sort(key=_size)
        return QuestionToAsk(fact=fact, field=question.field, whether=say.whether(fact),
                             question=say.ask(fact, plan_of(case)),
                             reported=reported(case, fact),
                             current=current, current_text=say.answer(fact, current),
                             answers=answers)


def _size(effect: AnswerEffect) -> tuple[bool, int]:
    """Sort key: a changed next step first, then more moves added or removed."""
    return (not effect.next_move_changes, -(len(effect.added) + len(effect.removed)))
