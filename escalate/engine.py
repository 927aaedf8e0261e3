"""The one module that touches durable_rules, and the defensive pattern around it.

durable_rules 2.0.28 is unmaintained and crashes the process in known ways
(``shared/design/durable-rules.md``). Every rule below answers one of them:

1. One :class:`Engine` per rulebook, built once; its host starts **no background
   threads** (the timer threads read freed sessions and segfault). We use no timers.
2. Every session gets an action: a catch-all rule matches every case fact, because
   deleting a session in which no action ran segfaults. A derived fact is asserted only
   when some rule's pattern consumes it, so no assert is ever left unhandled.
3. One session per case, with a fresh id, and its state is **deleted in a finally**,
   whatever happened; an undeleted session leaks about 0.4 MB and the 1,025th fails.
4. Evaluation is **serialized by a lock**: assert, actions and completion are not atomic
   in the engine, and session ids are found by a 32-bit hash, so two live sessions could
   collide. One live session per process rules both out: the lock is the module's, shared
   by every engine, since a service that reloads its rules evaluates with a candidate
   engine beside the serving one. Scale with processes.
5. Every pattern has a discriminator (``t``), so no pattern can match the engine's own
   state fact and loop; actions never write to the session state.
6. Only a flat-or-nested dict of bools, ints and strings reaches the engine: lists (which
   segfault) and numbers-as-strings (compared as text) are refused before it.
7. Exceptions raised inside actions are swallowed by durable_rules; actions record their
   own failures and the result's ``exception`` key is checked after every assert.

Nothing outside this module knows about hosts, rulesets or session ids; the engine's bare
exceptions become :class:`~escalate.errors.EngineError`.

**orjson for durable_rules' own JSON.** durable_rules' Python side talks to its C core in
JSON text: every asserted fact is ``json.dumps``-ed and every result (the session state,
the matched facts handed to each action) is ``json.loads``-ed, several times per case; in
a profile of ``advise()`` the stdlib encoder and decoder were its largest Python cost.
On import this module replaces the ``json`` name **inside ``durable.engine`` only** by
:class:`_OrjsonForDurable`, which offers the two calls that module makes
(``dumps(obj, ensure_ascii=False)`` and ``loads(text)``) on top of orjson. It does so only
when the installed durable-rules is the pinned :data:`PINNED_DURABLE_RULES` (whose source
was read for this: those are its only uses of ``json``) and its ``json`` is still the
standard module; any other version keeps the standard module. Equivalence: orjson writes
the same JSON values (compact, UTF-8, non-text keys turned to text as ``json`` does with
``OPT_NON_STR_KEYS``) and reads them back to the same Python values; what reaches the
engine is only dicts of bools, whole numbers and text (rule 6), plus durable_rules' own
bookkeeping (ids, timestamps). ``tests/core/test_engine_memory.py`` compares both on
generated cases, and every other engine test runs with orjson on.
:func:`use_orjson` switches it (for that test and for measuring).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Mapping
from importlib import metadata
from typing import Any

import orjson
from durable import engine as durable_engine

from escalate.compiler import CASE, DERIVED, CompiledRulebook, EngineRule, Firing
from escalate.errors import EngineError

_ERROR_CODE = re.compile(r"error code:?\s*(\d+)", re.IGNORECASE)
_MAX_PROPERTIES = 200  # the engine refuses facts of more than 255 properties (error 302)
_ruleset_ids = itertools.count(1)
# One live session per process, whichever engine it belongs to (rule 4 above).
_EVALUATION_LOCK = threading.Lock()

PINNED_DURABLE_RULES = "2.0.28"


class _OrjsonForDurable:
    """The two calls ``durable.engine`` makes on its ``json`` module, done by orjson."""

    @staticmethod
    def dumps(obj: Any, ensure_ascii: bool = True) -> str:  # noqa: ARG004 - json's signature
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode()

    @staticmethod
    def loads(text: str | bytes) -> Any:
        return orjson.loads(text)


def use_orjson(enabled: bool = True) -> bool:
    """Make durable_rules' internal JSON orjson (or the standard module again). Returns
    whether orjson is now in use: never for a durable-rules other than the pinned one."""
    try:
        pinned = metadata.version("durable-rules") == PINNED_DURABLE_RULES
    except metadata.PackageNotFoundError:
        pinned = False
    current = durable_engine.json
    if not pinned or current not in (json, _OrjsonForDurable):
        return False
    durable_engine.json = _OrjsonForDurable if enabled else json
    return enabled


def orjson_in_use() -> bool:
    """Whether durable_rules' internal JSON is orjson at the moment."""
    return durable_engine.json is _OrjsonForDurable


use_orjson(True)


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A durable_rules host that never starts its timer threads."""

    def _run(self) -> None:
        """The base class starts two threading.Timer loops here; we start none."""


class _Evaluation:
    """What one evaluation collected; lives only while the lock is held."""

    __slots__ = ("derived", "derived_set", "error", "fired", "fired_set")

    def __init__(self) -> None:
        self.fired: list[str] = []
        self.fired_set: set[str] = set()
        self.derived: list[str] = []
        self.derived_set: set[str] = set()
        self.error: str | None = None


_SCALARS = (bool, int, str)


def _check_fact(fact: Mapping[str, Any], depth: int = 0) -> int:
    """Refuse anything but dicts (two levels at most) of bool, int and str, with text keys.
    Returns the number of properties. Names keys, never values."""
    count = 0
    for key, value in fact.items():
        if type(key) is not str:
            raise EngineError("a fact key is not text")
        if type(value) in _SCALARS:
            count += 1
        elif isinstance(value, dict) and depth == 0:
            count += _check_fact(value, 1)
        else:
            raise EngineError(f"fact {key!r} is a {type(value).__name__}; only true/false, "
                              "whole numbers and text, one level deep, reach the engine")
    return count


class Engine:
    """A compiled rulebook loaded into durable_rules, safe to call from many threads."""

    def __init__(self, compiled: CompiledRulebook) -> None:
        self._name = f"escalate_{next(_ruleset_ids)}"
        self._lock = _EVALUATION_LOCK
        self._current: _Evaluation | None = None
        self._sessions = itertools.count(1)
        self._live = 0
        definitions: dict[str, Any] = compiled.definitions()
        by_name = {r.name: r for r in compiled.rules}
        for name, definition in definitions.items():
            rule = by_name.get(name)
            definition["run"] = self._action(rule) if rule else self._ignore
        try:
            self._host = _QuietHost()
            self._host.set_rulesets({self._name: definitions})
        except Exception as error:  # the engine raises bare Exceptions with codes
            raise EngineError(f"the rules could not be loaded into the engine: {error}") \
                from None

    @property
    def live_sessions(self) -> int:
        """Sessions created and not yet deleted (0 outside an evaluation)."""
        return self._live

    @staticmethod
    def _ignore(_closure: Any) -> None:
        """The catch-all action: it only makes sure some action ran in the session."""

    def _action(self, rule: EngineRule) -> Any:
        rule_id, asserts, chains = rule.rule_id, rule.asserts, rule.chains

        def action(closure: Any) -> None:
            current = self._current
            if current is None:  # cannot happen under the lock; never touch a stray session
                return
            try:
                if rule_id not in current.fired_set:
                    current.fired_set.add(rule_id)
                    current.fired.append(rule_id)
                if asserts not in current.derived_set:
                    current.derived_set.add(asserts)
                    current.derived.append(asserts)
                    if chains:
                        closure.assert_fact({"t": DERIVED, "name": asserts})
            except BaseException as error:  # durable_rules would swallow it
                current.error = f"rule {rule_id}: {type(error).__name__}"

        return action

    def evaluate(self, facts: Mapping[str, Any]) -> Firing:
        """Assert one case's facts (nested dict) in a fresh session and collect what fired.
        """
        if not isinstance(facts, Mapping):
            raise EngineError("a case reaches the engine as one mapping, never a list")
        if _check_fact(facts) > _MAX_PROPERTIES:
            raise EngineError("the case has too many facts for the engine")
        with self._lock:
            evaluation = _Evaluation()
            sid = str(next(self._sessions))
            self._current = evaluation
            self._live += 1
            core_failed = False
            try:
                state = self._host.assert_fact(self._name, {**facts, "t": CASE, "sid": sid})
                if isinstance(state, Mapping) and "exception" in state:
                    raise EngineError("an action failed inside the engine")
                if evaluation.error:
                    raise EngineError(evaluation.error)
            except EngineError:
                raise
            except Exception as error:
                # durable_rules reports its limits as bare Exceptions carrying a numeric
                # code (303: too many conditions at one node); pass the code on, never
                # the message's other text.
                code = _ERROR_CODE.search(str(error))
                core_failed = True
                raise EngineError(
                    f"the engine failed: {type(error).__name__}"
                    + (f" (durable_rules error {code.group(1)})" if code else "")) from None
            finally:
                self._current = None
                try:
                    # After the C core itself failed (a limit such as error 303) the
                    # session may be half made, and deleting it frees what was never
                    # allocated ("free(): invalid pointer", measured): leave it. Such an
                    # engine is refused at load (escalate/proof.py) and thrown away.
                    if not core_failed:
                        self._host.delete_state(self._name, sid)
                finally:
                    self._live -= 1
        return Firing(evaluation.fired, evaluation.derived)
