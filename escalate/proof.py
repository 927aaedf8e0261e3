"""Proving a rulebook at load: the engine must evaluate it, and agree with the reference.

durable_rules has limits that a rule file's checks cannot see: more than 64 matching
conditions pending at one node of its network fails the evaluation of *some* cases only
(its error 303), and past some thousands of conditions it refuses the ruleset outright
(its error 107). ``make bench`` measured a rulebook ten times today's size that passed
every check, started, and then failed on some families' cases. So every load proves the
rulebook before anything is served (:func:`proven_engine`, called by the advisor, hence by
start-up and by ``escalate rules check``):

1. the compiled rulebook is loaded into a new engine;
2. a generated case set (:func:`case_set`) is evaluated by the engine and by the
   plain-Python reference (:func:`escalate.compiler.reference_evaluation`), and what fires
   must be the same. The set is deterministic (a fixed seed): for every alternative of every
   rule, one case built to satisfy it (with the derived facts it requires satisfied through
   a rule that derives them), for every rule one that misses it by one condition; plus cases
   drawn at random over every fact the engine reads, each type-checked as the advice would be;
3. any failure is a :class:`~escalate.errors.RuleFileError` naming the rules involved, found
   by bisection: the shortest prefix of the rulebook's engine rules that the engine cannot
   load, or that fails on the failing case, ends with the rule that crosses the limit; the
   rules named are those of that prefix whose case pattern the failing case reaches through
   the same first condition (the node that overflowed), at most :data:`NAMED` of them.

A rulebook is never refused at a family's request: if it loads, every generated case went
through the engine. The proof of one compiled ruleset is kept for the process
(:data:`_PROVEN`), so building a second advisor on the same rules costs no second proof.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence

from escalate import conditions as cond
from escalate.compiler import CompiledRulebook, EngineRule, reference_evaluation
from escalate.engine import Engine
from escalate.errors import EngineError, RuleFileError, RuleProblem
from escalate.facts import FactSpec, nest
from escalate.rulebook import Rulebook

SEED = 20261123
RANDOM_CASES = 32
NAMED = 40  # at most this many rules are named in one problem
_THRESHOLD = 10  # the value every threshold.* fact takes in a generated case
_PROVEN: set[str] = set()

Facts = dict[str, cond.Value]


def _fingerprint(compiled: CompiledRulebook) -> str:
    text = json.dumps(compiled.definitions(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class _Values:
    """The values a fact can take in a generated case, from the vocabulary."""

    def __init__(self, compiled: CompiledRulebook, vocabulary: Mapping[str, FactSpec]) -> None:
        self.types = dict(compiled.fact_types)
        self.words = {name: vocabulary[name].values for name in self.types
                      if name in vocabulary and vocabulary[name].values}

    def default(self, name: str) -> cond.Value:
        kind = self.types[name]
        if name.startswith(cond.THRESHOLD):
            return _THRESHOLD
        if kind is bool:
            return False
        if kind is int:
            return 0
        return self.words.get(name, ("",))[0]

    def drawn(self, name: str, rng: random.Random) -> cond.Value:
        kind = self.types[name]
        if name.startswith(cond.THRESHOLD):
            return _THRESHOLD
        if kind is bool:
            return rng.random() < 0.5
        if kind is int:
            return rng.randint(0, 2 * _THRESHOLD)
        return rng.choice(self.words.get(name, ("",)))

    def satisfy(self, test: cond.Test, facts: Facts) -> None:
        """Change ``facts`` so that the case test ``test`` holds (when a value can); a
        test that holds already leaves them as they are (a rule's later test must not
        undo an earlier one on the same fact: 'closing' and 'not closed')."""
        if test.fact in facts and test.check(facts, set()):
            return
        kind = self.types[test.fact]
        if test.op == "in":
            facts[test.fact] = test.values[0]
            return
        if test.op == "not_in":
            if kind is bool:
                facts[test.fact] = not test.values[0]
            elif kind is int:
                facts[test.fact] = max(int(v) for v in test.values) + 1
            else:
                others = [w for w in self.words.get(test.fact, ()) if w not in test.values]
                if others:
                    facts[test.fact] = others[0]
            return
        bound = (facts[cond.threshold_fact(test.parameter)] if test.parameter
                 else test.values[0])
        assert isinstance(bound, int)
        facts[test.fact] = {"gt": bound + 1, "ge": bound, "lt": bound - 1,
                            "le": bound}[test.op]


def case_set(compiled: CompiledRulebook, vocabulary: Mapping[str, FactSpec],
             *, seed: int = SEED, random_cases: int = RANDOM_CASES) -> list[Facts]:
    """The deterministic cases a rulebook is proven on: flat facts, exactly the engine's
    vocabulary, each value of its declared type. Duplicates are dropped."""
    values = _Values(compiled, vocabulary)
    rng = random.Random(seed)
    derivers: dict[str, list[EngineRule]] = {}
    for rule in compiled.rules:
        derivers.setdefault(rule.asserts, []).append(rule)
    base = {name: values.default(name) for name in values.types}
    out: list[Facts] = [dict(base)]

    def require(alternative: cond.Conjunction, facts: Facts, depth: int) -> None:
        for test in alternative:
            if test.op != "holds":
                values.satisfy(test, facts)
            elif depth < 8 and derivers.get(test.fact):
                # the deriving alternative with the fewest conditions
                rule = min(derivers[test.fact], key=lambda r: len(r.alternative))
                require(rule.alternative, facts, depth + 1)

    for rule in compiled.rules:
        hit = dict(base)
        require(rule.alternative, hit, 0)
        for test in rule.alternative:  # what a deeper requirement changed, set again
            if test.op != "holds":
                values.satisfy(test, hit)
        out.append(hit)
        case_tests = [t for t in rule.alternative if t.op != "holds"]
        if case_tests and rule.name.endswith("#0"):  # one near miss per rule
            miss = dict(hit)
            values.satisfy(case_tests[len(out) % len(case_tests)].negated(), miss)
            out.append(miss)
    for _ in range(random_cases):
        out.append({name: values.drawn(name, rng) for name in values.types})
    seen: set[tuple[cond.Value, ...]] = set()
    unique: list[Facts] = []
    for facts in out:
        key = compiled.engine_key(facts)  # type-checks every value, as the advice does
        if key not in seen:
            seen.add(key)
            unique.append(facts)
    return unique


def _subset(compiled: CompiledRulebook, rules: Sequence[EngineRule]) -> CompiledRulebook:
    return dataclasses.replace(compiled, rules=tuple(rules))


def _fails(compiled: CompiledRulebook, facts: Facts | None) -> bool:
    """Whether the engine cannot load ``compiled`` or (given ``facts``) evaluate them."""
    try:
        engine = Engine(compiled)
        if facts is not None:
            engine.evaluate(nest({k: facts[k] for k in compiled.fact_types}))
    except EngineError:
        return True
    return False


def _crossing(compiled: CompiledRulebook, facts: Facts | None) -> int:
    """The index of the engine rule at which the engine first fails (bisection on the
    prefixes of the rulebook's engine rules); -1 if even all of them do not fail."""
    rules = compiled.rules
    if not _fails(compiled, facts):
        return -1
    low, high = 0, len(rules)  # rules[:low] passes, rules[:high] fails
    while high - low > 1:
        middle = (low + high) // 2
        if _fails(_subset(compiled, rules[:middle]), facts):
            high = middle
        else:
            low = middle
    return high - 1


def _first_fact(rule: EngineRule) -> str | None:
    tests = sorted((t for t in rule.alternative if t.op != "holds"),
                   key=lambda t: t.fact)
    return tests[0].fact if tests else None


def _involved(compiled: CompiledRulebook, crossing: int, facts: Facts | None) -> list[str]:
    """Rule ids sharing the crossing rule's node: the rules up to it whose first case
    condition is on the same fact (and, for a failing case, holds for it), crossing last."""
    rules = compiled.rules[:crossing + 1]
    target = rules[-1]
    fact = _first_fact(target)
    ids: list[str] = []
    for rule in rules:
        if _first_fact(rule) != fact:
            continue
        if facts is not None and fact is not None:
            first = next(t for t in rule.alternative if t.fact == fact)
            if not first.check(facts, set()):
                continue
        if rule.rule_id not in ids:
            ids.append(rule.rule_id)
    if target.rule_id in ids:
        ids.remove(target.rule_id)
    return [*ids, target.rule_id]


def _refusal(rulebook: Rulebook, compiled: CompiledRulebook, error: str,
             facts: Facts | None) -> RuleFileError:
    files = {r.id: r.file for r in rulebook.rules}
    crossing = _crossing(compiled, facts)
    where = "loading the rules" if facts is None else "evaluating a generated case"
    if crossing < 0:  # not reproducible alone: say what failed, without a culprit
        return RuleFileError([RuleProblem(
            "rules", f"the engine failed while {where} ({error}); the rulebook was "
            "refused so that no family's request meets the failure")])
    ids = _involved(compiled, crossing, facts)
    target = ids[-1]
    named = ids if len(ids) <= NAMED else [*ids[:NAMED - 1], target]
    more = "" if len(ids) <= NAMED else f" and {len(ids) - len(named)} more"
    message = (
        f"the engine cannot evaluate this rulebook ({error}, while {where}): from rule "
        f"{target!r} on, too many rules test the same fact first "
        f"({_first_fact(compiled.rules[crossing]) or 'derived facts only'}); rules "
        f"involved ({len(ids)}): {', '.join(named)}{more}. Merge rules that share "
        "conditions into a derived fact, or split this rulebook")
    return RuleFileError([RuleProblem(files.get(target, "rules"), message, target)])


def _disagreement(rulebook: Rulebook, rules: Iterable[str], where: str) -> RuleFileError:
    files = {r.id: r.file for r in rulebook.rules}
    return RuleFileError([
        RuleProblem(files.get(rule_id, "rules"),
                    f"the engine and the reference evaluation disagree on whether this "
                    f"rule fires ({where}); the rulebook was refused", rule_id)
        for rule_id in sorted(rules)])


def prove(rulebook: Rulebook, compiled: CompiledRulebook, engine: Engine,
          cases: Callable[[], list[Facts]] | None = None) -> int:
    """Evaluate the case set through ``engine`` and the reference; raise
    :class:`RuleFileError` naming the rules on any failure or disagreement. Returns the
    number of cases evaluated."""
    facts_list = (cases or (lambda: case_set(compiled, rulebook.vocabulary)))()
    for number, facts in enumerate(facts_list, 1):
        try:
            fired = engine.evaluate(compiled.engine_fact(facts))
        except EngineError as error:
            raise _refusal(rulebook, compiled, str(error), facts) from None
        reference = reference_evaluation(compiled, facts)
        differ = set(fired.rules_fired) ^ set(reference.rules_fired)
        if differ:
            raise _disagreement(rulebook, differ, f"generated case {number}")
    return len(facts_list)


def proven_engine(rulebook: Rulebook, compiled: CompiledRulebook) -> Engine:
    """A new engine for ``compiled``, proven on the generated case set (once per process
    for the same compiled rules). Raises :class:`RuleFileError` naming the rules
    involved when the engine cannot load or evaluate them, or disagrees with the
    reference."""
    try:
        engine = Engine(compiled)
    except EngineError as error:
        raise _refusal(rulebook, compiled, str(error), None) from None
    fingerprint = _fingerprint(compiled)
    if fingerprint not in _PROVEN:
        prove(rulebook, compiled, engine)
        _PROVEN.add(fingerprint)
    return engine
