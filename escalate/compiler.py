"""Compilation: a validated rulebook becomes a durable_rules ruleset definition.

The output is plain data in durable_rules' JSON form (see its ``docs/json/reference.md``);
only :mod:`escalate.engine` hands it to the engine. Each alternative of a rule's
conditions (its disjunctive normal form) becomes one engine rule named ``<id>#<n>``:

- the tests on case facts become one pattern on the case fact, discriminated by
  ``"t": "case"``;
- each derived fact the alternative requires becomes one more pattern, discriminated by
  ``"t": "derived"`` and its name, so the engine joins them by forward chaining;
- a number compared with a parameter is compared with the case's own
  ``threshold.<parameter>`` fact (``{"$gt": {"discipline.days_removed": {"$m":
  "threshold.removal_days_change_of_placement"}}}``): the value is resolved before the
  engine for the case's state and ``as_of`` (:func:`escalate.states.clocks.thresholds`),
  so one compiled ruleset serves every state and date and the engine still decides;
- every engine rule's action records the fact the rule establishes (a derived fact, or
  ``recommended.<move>``) and, when another rule requires that fact, asserts it as a new
  fact, so that only facts some pattern consumes ever reach the engine.

Engine priorities (``pri``) are not tuned by hand: a rule's priority is its stratum, one
more than the deepest derived fact it requires, so derivations fire before the rules that
use them and the trace reads in order. Ranking the advice is done afterwards, in Python,
never by ``pri``. A catch-all rule on the case fact guarantees that some action runs
in every session; durable_rules crashes when a session in which nothing ran is deleted.

:func:`reference_evaluation` evaluates the same compiled alternatives in plain Python.
It is the oracle the differential test compares the engine with, and the floor the
benchmark measures the engine against.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from escalate import conditions as cond
from escalate.errors import EngineError
from escalate.facts import nest
from escalate.rulebook import Rule, Rulebook

CASE = "case"
DERIVED = "derived"
CATCH_ALL = "$catch_all.case"

_OPS = {"gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte"}


@dataclass(frozen=True)
class EngineRule:
    """One compiled alternative of one rule."""

    name: str
    rule_id: str
    asserts: str
    chains: bool  # some rule requires ``asserts``, so the engine must see it asserted
    priority: int
    alternative: cond.Conjunction
    definition: Mapping[str, Any]


@dataclass(frozen=True)
class CompiledRulebook:
    """The engine rules of a rulebook, ready for :class:`escalate.engine.Engine`."""

    rules: tuple[EngineRule, ...]
    catch_all: Mapping[str, Mapping[str, Any]]
    fact_types: Mapping[str, type]

    def engine_fact(self, facts: Mapping[str, cond.Value]) -> dict[str, object]:
        """The case fact the engine is given: only the facts some rule tests, nested.

        durable_rules copies the matched facts into every action as JSON, so a fact no
        rule reads costs time on every rule that fires and decides nothing. Each value
        must have exactly its vocabulary type: the engine compares a number with a string
        as text, so a mistyped fact would silently change the advice.
        """
        return nest(dict(zip(self.fact_types, self.engine_key(facts), strict=True)))

    def engine_key(self, facts: Mapping[str, cond.Value]) -> tuple[cond.Value, ...]:
        """The values of exactly the facts :meth:`engine_fact` hands the engine, in the
        compiled vocabulary's order, type-checked the same way: an immutable form of the
        engine's whole input (every tested case fact and ``threshold.*``, ``window.*``
        and ``duty.*`` fact), fit to key a memory of its answers
        (:mod:`escalate.engine_memory`). Two keys are equal exactly when the engine
        would be given equal facts (``True == 1`` cannot confuse them: types are checked).
        """
        names, kinds = self._vocabulary
        values = tuple(map(facts.__getitem__, names))
        if tuple(map(type, values)) != kinds:
            for name, kind, value in zip(names, kinds, values, strict=True):
                if type(value) is not kind:
                    raise EngineError(f"fact {name!r} is not of type {kind.__name__}")
        return values

    @cached_property
    def _vocabulary(self) -> tuple[tuple[str, ...], tuple[type, ...]]:
        """The engine's fact names and their types, in a fixed order."""
        return tuple(self.fact_types), tuple(self.fact_types.values())

    def definitions(self) -> dict[str, dict[str, Any]]:
        """A fresh copy of the ruleset definition (durable_rules mutates what it is given).
        """
        out = {r.name: copy.deepcopy(dict(r.definition)) for r in self.rules}
        out.update({name: copy.deepcopy(dict(d)) for name, d in self.catch_all.items()})
        return out


def _condition(test: cond.Test) -> dict[str, Any]:
    if test.op == "in":
        if len(test.values) == 1:
            return {test.fact: test.values[0]}
        return {"$or": [{test.fact: v} for v in test.values]}
    if test.op == "not_in":
        parts: list[dict[str, Any]] = [{"$neq": {test.fact: v}} for v in test.values]
        return parts[0] if len(parts) == 1 else {"$and": parts}
    if test.parameter:
        return {_OPS[test.op]: {test.fact: {"$m": cond.threshold_fact(test.parameter)}}}
    return {_OPS[test.op]: {test.fact: test.values[0]}}


def _patterns(alternative: cond.Conjunction) -> list[dict[str, Any]]:
    case_tests = [t for t in alternative if t.op != "holds"]
    derived = [t for t in alternative if t.op == "holds"]
    patterns: list[dict[str, Any]] = [
        {"c": {"$and": [{"t": CASE}, *(_condition(t) for t in case_tests)]}}
    ] if case_tests or not derived else []
    for i, test in enumerate(derived):
        patterns.append({f"d{i}": {"$and": [{"t": DERIVED}, {"name": test.fact}]}})
    return patterns


def _strata(rules: tuple[Rule, ...]) -> dict[str, int]:
    """Stratum of every derived fact: 0 for case facts, 1 + the deepest input otherwise."""
    depth: dict[str, int] = {}
    for _ in range(len(rules) + 1):
        changed = False
        for rule in rules:
            needed = [t.fact for conj in rule.dnf for t in conj if t.op == "holds"]
            level = 1 + max((depth.get(f, 0) for f in needed), default=0)
            if depth.get(rule.asserts, 0) < level:
                depth[rule.asserts] = min(level, len(rules) + 1)
                changed = True
        if not changed:
            break
    return depth


def compile_rulebook(rulebook: Rulebook) -> CompiledRulebook:
    """Compile every rule's alternatives into engine rules."""
    strata = _strata(rulebook.rules)
    required = {t.fact for r in rulebook.rules for conj in r.dnf for t in conj
                if t.op == "holds"}
    compiled: list[EngineRule] = []
    for rule in rulebook.rules:
        needed = {t.fact for conj in rule.dnf for t in conj if t.op == "holds"}
        priority = 1 + max((strata.get(f, 0) for f in needed), default=0)
        for n, alternative in enumerate(rule.dnf):
            definition = {"all": _patterns(alternative), "pri": priority}
            compiled.append(EngineRule(f"{rule.id}#{n}", rule.id, rule.asserts,
                                       rule.asserts in required, priority, alternative,
                                       definition))
    last = 1 + max((r.priority for r in compiled), default=0)
    catch_all = {CATCH_ALL: {"all": [{"m": {"t": CASE}}], "pri": last}}
    used = sorted({t.fact for r in compiled for t in r.alternative if t.op != "holds"})
    types: dict[str, type] = {name: rulebook.vocabulary[name].kind for name in used}
    types.update((cond.threshold_fact(t.parameter), int) for r in compiled
                 for t in r.alternative if t.parameter)
    return CompiledRulebook(tuple(compiled), catch_all, types)


@dataclass
class Firing:
    """What fired for one case: rule ids and derived facts, each once, in order."""

    rules_fired: list[str]
    facts_derived: list[str]


def reference_evaluation(compiled: CompiledRulebook,
                         facts: Mapping[str, cond.Value]) -> Firing:
    """Evaluate the compiled alternatives in plain Python, to a fixed point.

    Rules fire in priority order, then in rulebook order, repeatedly until nothing new
    is derived. Only positive derived facts exist, so the set of fired rules does not
    depend on that order.
    """
    order = sorted(compiled.rules, key=lambda r: r.priority)
    fired: list[str] = []
    derived: list[str] = []
    derived_set: set[str] = set()
    fired_set: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in order:
            if rule.rule_id in fired_set:
                continue
            if all(t.check(facts, derived_set) for t in rule.alternative):
                fired_set.add(rule.rule_id)
                fired.append(rule.rule_id)
                if rule.asserts not in derived_set:
                    derived_set.add(rule.asserts)
                    derived.append(rule.asserts)
                changed = True
    return Firing(fired, derived)
