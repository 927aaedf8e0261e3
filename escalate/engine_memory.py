"""A bounded memory of the engine's answers: the same engine input is decided once.

durable_rules is deterministic: given the same facts it fires the same rules and derives
the same facts. The engine only ever sees the facts some rule tests (the compiled
vocabulary, :meth:`~escalate.compiler.CompiledRulebook.engine_fact`: booleans, small
enums and a few whole numbers, with the case's ``threshold.*``, ``window.*`` and
``duty.*`` facts), and on a realistic intake stream most of those inputs repeat. So
:class:`EngineMemory` keeps the last answers in a least-recently-used map:

- **Key**: :meth:`~escalate.compiler.CompiledRulebook.engine_key`, the tuple of exactly
  the values the engine would be given, in the compiled vocabulary's order and
  type-checked. It is derived from the compiled rulebook, never from a list written here,
  so a rule that tests a new fact puts that fact in the key.
- **Value**: the engine's :class:`~escalate.compiler.Firing`, stored as tuples; every
  caller gets fresh lists, so nothing a caller does to an answer reaches the memory.
- **Bounded**: at most ``size`` answers (default :data:`DEFAULT_SIZE`, configurable with
  ``ESCALATE_ENGINE_CACHE_SIZE``; 0 turns the memory off). An answer is a few hundred
  bytes, so the default costs a few MB at most.
- **Thread-safe**: one lock guards the map and the counters; the engine (which has its
  own lock) is called outside it, so a hit never waits for another case's evaluation.
  Two threads missing on the same input both ask the engine; both get the same answer.
- **Emptied when the rulebook changes**: the memory belongs to one
  :class:`~escalate.advisor.Advisor` (one compiled rulebook and its engine); a new
  rulebook means a new advisor and an empty memory.

durable_rules still decides every distinct input; the differential tests
(``tests/core/test_engine_memory.py``) compare remembered and fresh advice. Only counts
(hits, misses, entries) are kept about what passed through: never a case or a fact.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from escalate.compiler import CompiledRulebook, Firing
from escalate.errors import EscalateError

SIZE_ENV = "ESCALATE_ENGINE_CACHE_SIZE"
DEFAULT_SIZE = 16_384


class MemorySizeError(EscalateError, ValueError):
    """``$ESCALATE_ENGINE_CACHE_SIZE`` is not a whole number of 0 or more."""


def configured_size() -> int:
    """The memory's size from ``$ESCALATE_ENGINE_CACHE_SIZE`` (a whole number, 0 or more;
    0 turns it off), else :data:`DEFAULT_SIZE`. A bad value raises MemorySizeError (a
    ValueError) naming the variable, never repeating its value."""
    raw = os.environ.get(SIZE_ENV, "").strip()
    if not raw:
        return DEFAULT_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = -1
    if size < 0:
        raise MemorySizeError(f"{SIZE_ENV} must be a whole number, 0 or more (0 turns the "
                         "engine's memory off)")
    return size


@dataclass(frozen=True)
class MemoryStats:
    """How the memory has done since it was built."""

    hits: int
    misses: int
    entries: int
    size: int


class EngineMemory:
    """The engine's answers for the last ``size`` distinct inputs (see the module)."""

    def __init__(self, compiled: CompiledRulebook,
                 evaluate: Callable[[Mapping[str, Any]], Firing], size: int) -> None:
        if size < 0:
            raise ValueError("the engine's memory size must be 0 or more")
        self._compiled = compiled
        self._evaluate = evaluate
        self._size = size
        self._lock = threading.Lock()
        self._answers: OrderedDict[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...]]]
        self._answers = OrderedDict()
        self._hits = 0
        self._misses = 0

    def firing(self, facts: Mapping[str, Any]) -> Firing:
        """What the engine fires for these (flat) facts: remembered, or asked and then
        remembered. The caller may change the returned lists freely."""
        key = self._compiled.engine_key(facts)  # also checks every type, as the engine does
        if self._size:
            with self._lock:
                found = self._answers.get(key)
                if found is not None:
                    self._answers.move_to_end(key)
                    self._hits += 1
                    return Firing(list(found[0]), list(found[1]))
        fresh = self._evaluate(self._compiled.engine_fact(facts))
        answer = (tuple(fresh.rules_fired), tuple(fresh.facts_derived))
        with self._lock:
            self._misses += 1
            if self._size:
                self._answers[key] = answer
                self._answers.move_to_end(key)
                while len(self._answers) > self._size:
                    self._answers.popitem(last=False)
        return Firing(list(answer[0]), list(answer[1]))

    def clear(self) -> None:
        """Forget every answer (the counters stay)."""
        with self._lock:
            self._answers.clear()

    @property
    def stats(self) -> MemoryStats:
        with self._lock:
            return MemoryStats(self._hits, self._misses, len(self._answers), self._size)
