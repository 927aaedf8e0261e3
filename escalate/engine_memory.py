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

Several processes working through one caseload (:class:`escalate.triage.Pool`) share
what their engines decided: a memory may keep a journal of the answers it asked the
engine for (:meth:`EngineMemory.keep_journal`, :meth:`EngineMemory.take_journal`), and
take in another memory's (:meth:`EngineMemory.learn`), so an input one worker's engine
decided is not decided again by the next worker that meets it. Every shared answer was
decided by durable_rules on that same key, by the same rulebook.

durable_rules still decides every distinct input; the differential tests
(``tests/core/test_engine_memory.py``) compare remembered and fresh advice. Only counts
(hits, misses, entries) are kept about what passed through: never a case or a fact.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
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


# An answer as kept: the rules fired and the facts derived.
Answer = tuple[tuple[str, ...], tuple[str, ...]]
# An answer with its key, as one memory hands it to another.
Learned = tuple[tuple[Any, ...], Answer]


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
        self._answers: OrderedDict[tuple[Any, ...], Answer]
        self._answers = OrderedDict()
        self._hits = 0
        self._misses = 0
        # the answers asked of the engine since the journal was last taken, when kept
        self._journal: list[Learned] | None = None

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
                self._keep(key, answer)
                if self._journal is not None:
                    self._journal.append((key, answer))
        return Firing(list(answer[0]), list(answer[1]))

    def _keep(self, key: tuple[Any, ...], answer: Answer) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)

    def keep_journal(self) -> None:
        """From now on, note every answer asked of the engine, for :meth:`take_journal`
        (a memory that is off notes nothing)."""
        with self._lock:
            if self._journal is None:
                self._journal = []

    def take_journal(self) -> list[Learned]:
        """The answers asked of the engine since the journal was last taken (or kept),
        oldest first; the journal starts again empty."""
        with self._lock:
            if self._journal is None:
                return []
            taken, self._journal = self._journal, []
            return taken

    def learn(self, answers: Iterable[Learned]) -> int:
        """Take in answers another memory's engine gave for the same rulebook (from its
        :meth:`take_journal`): each key not already held is kept, as the newest; the
        counters and this memory's journal are unchanged. How many were new."""
        new = 0
        if not self._size:
            return new
        with self._lock:
            for key, answer in answers:
                if key not in self._answers:
                    self._keep(key, answer)
                    new += 1
        return new

    def clear(self) -> None:
        """Forget every answer (the counters stay)."""
        with self._lock:
            self._answers.clear()

    @property
    def stats(self) -> MemoryStats:
        with self._lock:
            return MemoryStats(self._hits, self._misses, len(self._answers), self._size)
