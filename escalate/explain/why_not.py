"""Why not: for one move and one case, every rule that could recommend the move, checked.

The engine decides: the case is advised once (:meth:`escalate.advisor.Advisor.advise`),
and whether the move is recommended, its place, and which rules fired come from that
advice and its trace. To say *which* condition stood in the way, each compiled
alternative of each rule for the move (:class:`escalate.compiler.EngineRule`, the same
conditions the engine was given) is read against the case's facts and the facts the
engine derived: the conditions that held and those that did not, rendered as
``GET /v1/rules`` renders them. A missing derived fact is explained by the rules that
derive it, a few levels deep. The move's closed filing window (the ``window.<move>``
guard the loader adds to every rule for a windowed move, :mod:`escalate.rulebook`), the
rule's ``unless`` gate and its exception are named. ``tests/core/test_explain.py`` holds
this report to the engine: a rule whose failed case conditions are flipped fires.

The report is written in a language (the advice's): the move's title, the summary, the
rules' reasons and the warnings come in it, by id (:mod:`escalate.explain.wording`), and
``fallbacks`` lists what it says in English; the conditions are the rules' machine
expressions and stay as they are, for intake tools. Beside each condition that did not
hold, the report says what it means for the family, in their language and with the
intake's own question and answer words (``rules/questions.yaml``): the question, the
answer now and the answers that would meet it, each answer tried on the condition itself;
or one sentence for what no question answers (a closed window, the case's dates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from escalate import conditions as cond
from escalate.compiler import EngineRule
from escalate.explain.counterfactual import ABSENT, DATE_PREFIXES, MAX_NUMBER
from escalate.explain.questions import Questions
from escalate.explain.wording import ExplainWords
from escalate.facts import CLOSED, CLOSING, MAY_BE_CLOSED, NO_DATE, VOCABULARY, Scalar
from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH
from escalate.i18n.words import Words
from escalate.models import (
    DISCLAIMER,
    Advice,
    AlternativeCheck,
    Case,
    ConditionCheck,
    MoveId,
    RuleCheck,
    WhyNot,
)
from escalate.models.explain import ConditionKind
from escalate.rulebook import Rule
from escalate.text.glosses import read_why_not

if TYPE_CHECKING:
    from escalate.advisor import Advisor

# How many levels of derived facts a why-not report follows (rule -> derived fact -> the
# rules deriving it -> ...). Every derived fact of the shipped rules is within two.
DEPTH = 3
WINDOW_PREFIX = "window."
DUTY_PREFIX = "duty."

PLAN_FACT = "student.plan"  # the plan a question may be worded for (ask_for_plan)


class WhyNotReporter:
    """Builds why-not reports for one advisor (its rulebook, compiled form and engine)."""

    def __init__(self, advisor: Advisor, questions: Questions) -> None:
        self.advisor = advisor
        self.questions = questions
        self._alternatives: dict[str, list[EngineRule]] = {}
        for engine_rule in advisor.compiled.rules:
            self._alternatives.setdefault(engine_rule.rule_id, []).append(engine_rule)
        rules = advisor.rulebook.rules
        self._by_move: dict[str, list[Rule]] = {}
        self._by_derived: dict[str, list[Rule]] = {}
        for rule in rules:
            if rule.move:
                self._by_move.setdefault(rule.move, []).append(rule)
            if rule.derive:
                self._by_derived.setdefault(rule.derive, []).append(rule)
        self._unless = {
            rule.id: {t.negated() for conj in rule.unless for t in conj}
            for rule in rules if rule.unless}

    def rules_for(self, move: str) -> list[Rule]:
        """Every rule that recommends ``move``."""
        return list(self._by_move.get(move, ()))

    def alternatives(self, rule_id: str) -> list[EngineRule]:
        """The compiled alternatives of one rule."""
        return list(self._alternatives.get(rule_id, ()))

    def report(self, case: Case, move: MoveId, advice: Advice | None = None,
               lang: str = ENGLISH) -> WhyNot:
        """Why ``move`` is, or is not, recommended for ``case``, in ``lang``."""
        advisor = self.advisor
        if advice is None:
            advice = advisor.advise(case, lang)
        lang = advice.language
        words = Words(advisor.locales[lang])
        say = ExplainWords(self.questions, {m.id: m.title for m in advisor.rulebook.moves},
                           words)
        facts, _ = advisor.facts_for(case)
        derived = set(advice.trace.facts_derived)
        fired = set(advice.trace.rules_fired)
        found = [r for r in advice.recommendations if r.move == move]
        checks = [self._rule_check(rule, facts, derived, fired, DEPTH, set(), say)
                  for rule in self.rules_for(move.value)]
        window_name = WINDOW_PREFIX + move.value
        window = facts.get(window_name)
        if found:
            summary = say.sentence("recommended", count=words.number(found[0].priority))
        elif window == "closed":
            summary = say.sentence("window_closed")
        elif not checks:
            summary = say.sentence("no_rule")
        else:
            summary = say.sentence("not_recommended")
        warnings = [w for w in advice.warnings if w.move == move]
        # the advice's own fallbacks that this report repeats (a state's message)
        repeated = {f"state.messages.{w.kind}" for w in warnings}
        disclaimer = words.say("text.disclaimer", DISCLAIMER)
        return read_why_not(WhyNot(
            move=move, title=say.title(move.value),
            recommended=bool(found), priority=found[0].priority if found else None,
            next_move=advice.next_move.move if advice.next_move else None,
            next_move_title=advice.next_move.title if advice.next_move else None,
            summary=summary,
            window=window if isinstance(window, str) else None,
            warnings=warnings, rules=checks, rules_version=advice.rules_version,
            reasons=[reason.text for reason in found[0].reasons] if found else [],
            disclaimer=disclaimer, language=lang,
            fallbacks=list(dict.fromkeys(
                [f for f in advice.fallbacks if f in repeated] + words.fallbacks()))),
            lang)

    def _rule_check(self, rule: Rule, facts: Mapping[str, Any], derived: set[str],
                    fired: set[str], depth: int, seen: set[str],
                    say: ExplainWords) -> RuleCheck:
        words = say.words
        unless = self._unless.get(rule.id, set())
        alternatives = []
        for engine_rule in self._alternatives.get(rule.id, ()):
            held: list[str] = []
            failed: list[ConditionCheck] = []
            for test in engine_rule.alternative:
                if test.check(facts, derived):
                    held.append(test.render())
                    continue
                kind = _kind(test, rule, unless)
                because: list[RuleCheck] = []
                if kind == "derived" and depth > 1 and test.fact not in seen:
                    because = [self._rule_check(r, facts, derived, fired, depth - 1,
                                                seen | {test.fact}, say)
                               for r in self._by_derived.get(test.fact, ())]
                failed.append(ConditionCheck(condition=test.render(), fact=test.fact,
                                             kind=kind, missing_because=because,
                                             **self._family(test, kind, facts, say)))
            alternatives.append(AlternativeCheck(alternative=engine_rule.name, held=held,
                                                 failed=failed))
        return RuleCheck(rule=rule.id, file=rule.file, fired=rule.id in fired,
                         exception=rule.exception,
                         because=words.say(ids.rule_because(rule.id), rule.because),
                         alternatives=alternatives)


    def _family(self, test: cond.Test, kind: ConditionKind, facts: Mapping[str, Any],
                say: ExplainWords) -> dict[str, Any]:
        """What a condition that did not hold means for the family, in their words: for a
        fact the intake asks, the question, the answer now and the answers that would
        meet it (each answer tried on the condition itself); otherwise one sentence."""
        fact = test.fact
        if kind == "window":
            return {"plain": say.label(_window_sentence(test, facts))}
        if kind == "derived":
            return {"plain": say.label("family.other_answers")}
        if fact in self.questions.not_asked:
            return {"plain": say.label("family.follows", about=say.not_asked(fact))}
        if kind == "date" or fact.startswith(DATE_PREFIXES) \
                or fact not in self.questions.questions:
            return {"plain": say.label("family.dates")}
        return {"question": say.ask(fact, str(facts.get(PLAN_FACT, ""))),
                "current_answer": say.answer(fact, facts[fact]),
                "needed_answers": _needed(test, facts, say)}


def _window_sentence(test: cond.Test, facts: Mapping[str, Any]) -> str:
    """What a filing-window condition that did not hold means, by where the window
    stands: passed; counted from a date the case does not give (give the dates); or open,
    where the condition asks for its last days (a closing window raises its move first,
    ladder.md section 11)."""
    state = facts.get(test.fact)
    if state == CLOSED:
        return "family.window_closed"
    if state in (NO_DATE, MAY_BE_CLOSED):
        return "family.dates"
    if test.check({**facts, test.fact: CLOSING}, set()):
        return "family.window_closing"
    return "family.dates"


def _needed(test: cond.Test, facts: Mapping[str, Any], say: ExplainWords) -> list[str]:
    """The answers to ``test``'s fact that would meet it, in words: each value the fact
    can take, tried on the test (a number as a range: "10 or more")."""
    fact = test.fact
    spec = VOCABULARY[fact]

    def meets(value: Scalar) -> bool:
        return test.check({**facts, fact: value}, set())

    if spec.kind is int:
        found = [n for n in range(MAX_NUMBER + 1) if meets(n)]
        if not found:
            return []
        low, high = found[0], found[-1]
        if len(found) == high - low + 1:
            if high == MAX_NUMBER:
                return [say.label("family.at_least", count=say.words.number(low))]
            if low == 0:
                return [say.label("family.at_most", count=say.words.number(high))]
        return [say.words.number(n) for n in found]
    values: list[Scalar] = ([True, False] if spec.kind is bool
                            else [v for v in spec.values if v != ABSENT.get(fact)])
    return [say.answer(fact, v) for v in values if meets(v)]


def _kind(test: cond.Test, rule: Rule, unless: set[cond.Test]) -> ConditionKind:
    if test.op == "holds":
        return "derived"
    if rule.move and test.fact == WINDOW_PREFIX + rule.move:
        return "window"
    if test in unless:
        return "unless"
    if test.fact.startswith(DUTY_PREFIX):
        return "date"
    return "case"


def failed_case_tests(alternative: EngineRule, facts: Mapping[str, Any],
                      derived: set[str]) -> Sequence[cond.Test]:
    """The tests of one alternative on facts (not derived ones) that do not hold."""
    return [t for t in alternative.alternative
            if t.op != "holds" and not t.check(facts, derived)]
