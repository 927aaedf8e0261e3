"""Rule conditions: how they are written, read back, and evaluated in plain Python.

In a rule file a condition is a mapping from a fact name to a test::

    when:
      history.written_concern: [refused, no_response]      # one of these values
      history.request_iep_meeting: not_tried               # exactly this value
      concern.school_response: {not: [agreed]}             # none of these values
      discipline.days_removed: {more_than: removal_days}   # a number, or a parameter name
      concern_unresolved: true                             # a fact derived by another rule
      any:                                                 # at least one of these holds
        - student.has_iep: true
        - student.disability_suspected: true

All the entries of a mapping must hold. ``unless:`` takes a mapping of case facts; the rule
does not apply when all of them hold. Derived facts can only be required, never denied, so
the result of evaluation does not depend on the order in which rules fire.

Parsing produces the disjunctive normal form the compiler needs: a list of alternatives,
each a conjunction of :class:`Test`. :func:`holds` evaluates that form in plain Python; it
is the reference the differential test holds the engine to, and the floor the benchmark
measures against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any, Literal

Op = Literal["in", "not_in", "gt", "ge", "lt", "le", "holds"]
Value = bool | int | str

NUMERIC_OPS: dict[str, Op] = {
    "more_than": "gt",
    "at_least": "ge",
    "less_than": "lt",
    "at_most": "le",
}
_NEGATED: dict[Op, Op] = {"in": "not_in", "not_in": "in", "gt": "le", "le": "gt",
                          "ge": "lt", "lt": "ge"}
_WORDS: dict[Op, str] = {"gt": "more than", "ge": "at least", "lt": "less than",
                         "le": "at most"}


THRESHOLD = "threshold."


def threshold_fact(parameter: str) -> str:
    """The fact holding ``parameter``'s value for the case being advised."""
    return THRESHOLD + parameter


@dataclass(frozen=True, order=True)
class Test:
    """One test on one fact. ``holds`` tests that a derived fact was asserted.

    A numeric test against a parameter (``{more_than: removal_days_change_of_placement}``)
    keeps the parameter's name in ``parameter`` and no value: the number depends on the
    case's state and date, so it is resolved for each case into the fact
    ``threshold.<parameter>`` (see :func:`escalate.states.clocks.thresholds`) and the engine
    compares the two facts.
    """

    fact: str
    op: Op
    values: tuple[Value, ...] = ()
    parameter: str = ""

    def negated(self) -> Test:
        if self.op == "holds":
            raise ValueError("a derived fact cannot be negated")
        return Test(self.fact, _NEGATED[self.op], self.values, self.parameter)

    def render(self) -> str:
        """The test in words, as ``GET /v1/rules`` and the CLI show it."""
        if self.op == "holds":
            return f"{self.fact} holds"
        shown = [str(v).lower() if isinstance(v, bool) else str(v) for v in self.values]
        if self.op == "in":
            return (f"{self.fact} is {shown[0]}" if len(shown) == 1
                    else f"{self.fact} is one of {', '.join(shown)}")
        if self.op == "not_in":
            return (f"{self.fact} is not {shown[0]}" if len(shown) == 1
                    else f"{self.fact} is none of {', '.join(shown)}")
        bound = self.parameter or shown[0]
        return f"{self.fact} is {_WORDS[self.op]} {bound}"

    def check(self, facts: Mapping[str, Value], derived: frozenset[str] | set[str]) -> bool:
        """Evaluate the test in plain Python."""
        if self.op == "holds":
            return self.fact in derived
        value = facts[self.fact]
        if self.op == "in":
            return value in self.values
        if self.op == "not_in":
            return value not in self.values
        bound = facts[threshold_fact(self.parameter)] if self.parameter else self.values[0]
        assert isinstance(value, int) and isinstance(bound, int)
        if self.op == "gt":
            return value > bound
        if self.op == "ge":
            return value >= bound
        if self.op == "lt":
            return value < bound
        return value <= bound


Conjunction = tuple[Test, ...]
Dnf = tuple[Conjunction, ...]


class ConditionError(ValueError):
    """A condition that cannot be read; ``key`` is the fact name or keyword at fault."""

    def __init__(self, key: str, message: str, choices: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.choices = tuple(choices)


# A resolver turns (fact name, raw test) into a Test, or raises ConditionError.
Resolver = Callable[[str, Any], Test]


def parse(raw: Any, resolve: Resolver, *, key: str = "when") -> Dnf:
    """Parse a ``when`` mapping into disjunctive normal form."""
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(key, "must be a mapping of fact names to tests, with at least "
                             "one entry")
    parts: list[Dnf] = []
    for name, test in raw.items():
        if name == "any":
            if not isinstance(test, list) or not test:
                raise ConditionError("any", "must be a list of at least one mapping")
            alternatives: list[Conjunction] = []
            for branch in test:
                alternatives.extend(parse(branch, resolve, key="any"))
            parts.append(tuple(alternatives))
        elif name == "all":
            if not isinstance(test, list) or not test:
                raise ConditionError("all", "must be a list of at least one mapping")
            for branch in test:
                parts.append(parse(branch, resolve, key="all"))
        else:
            parts.append(((resolve(str(name), test),),))
    return tuple(
        tuple(sorted(set(sum(combo, ())))) for combo in product(*parts)
    )


def negate_conjunction(tests: Conjunction) -> Dnf:
    """``not (a and b)`` is ``(not a) or (not b)``."""
    return tuple((test.negated(),) for test in tests)


def combine(when: Dnf, unless: Dnf | None) -> Dnf:
    """``when and not unless``, in disjunctive normal form."""
    if not unless:
        return when
    result: Dnf = when
    for conjunction in unless:
        negated = negate_conjunction(conjunction)
        result = tuple(
            tuple(sorted(set(left + right))) for left in result for right in negated
        )
    return result


def holds(dnf: Dnf, facts: Mapping[str, Value], derived: frozenset[str] | set[str]) -> bool:
    """True when at least one alternative of ``dnf`` holds."""
    return any(all(t.check(facts, derived) for t in conj) for conj in dnf)


def predicate(dnf: Dnf) -> Callable[[Mapping[str, Value]], bool]:
    """``dnf`` as a test of facts alone (no derived facts), for a condition tested on
    every case (a clock's ``only_if``): the same answer as :func:`holds`, in plain loops
    rather than generators, with each ``in`` test read straight from the facts."""
    plain = tuple(tuple((t.fact, frozenset(t.values)) if t.op == "in" else t for t in conj)
                  for conj in dnf)
    nothing: frozenset[str] = frozenset()

    def test(facts: Mapping[str, Value]) -> bool:
        for conj in plain:
            for item in conj:
                if isinstance(item, tuple):
                    if facts[item[0]] not in item[1]:
                        break
                elif not item.check(facts, nothing):
                    break
            else:
                return True
        return False

    return test


def render(dnf: Dnf) -> list[str]:
    """The conditions in words: one line per test, or, when there are alternatives, one
    line per alternative ("either: ...", "or: ...")."""
    if len(dnf) == 1:
        return [t.render() for t in dnf[0]]
    return [("either: " if i == 0 else "or: ") + " and ".join(t.render() for t in conj)
            for i, conj in enumerate(dnf)]
