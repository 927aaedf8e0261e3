"""The resolver: one ``fact: test`` entry of a condition becomes a checked Test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from escalate import conditions as cond
from escalate.facts import (
    FactSpec,
)
from escalate.rulebook.schemas import ParametersFile


def resolver(vocabulary: Mapping[str, FactSpec], params: ParametersFile,
              derived: set[str]) -> cond.Resolver:
    """Turn one ``fact: test`` entry into a Test, checking names, types and values."""

    def resolve(name: str, raw: Any) -> cond.Test:
        if name in derived:
            if raw is not True:
                raise cond.ConditionError(name, "a derived fact can only be required "
                                          "('true'); it cannot be denied")
            return cond.Test(name, "holds")
        spec = vocabulary.get(name)
        if spec is None:
            raise cond.ConditionError(name, f"unknown fact {name!r}",
                                      [*vocabulary, *derived])
        if isinstance(raw, Mapping):
            if len(raw) != 1:
                raise cond.ConditionError(name, "a test has exactly one operator: not, "
                                          + ", ".join(cond.NUMERIC_OPS))
            (op_word, operand), = raw.items()
            if op_word == "not":
                return cond.Test(name, "not_in", _values(name, spec, operand))
            if op_word in cond.NUMERIC_OPS:
                if spec.kind is not int:
                    raise cond.ConditionError(name, f"{op_word!r} needs a number fact; "
                                              f"{name!r} is not one")
                if isinstance(operand, str):
                    # A parameter: its value depends on the case's state and date, so it
                    # is resolved per case (escalate.states.clocks.thresholds).
                    _number(name, operand, params)
                    return cond.Test(name, cond.NUMERIC_OPS[op_word], (), operand)
                return cond.Test(name, cond.NUMERIC_OPS[op_word],
                                 (_number(name, operand, params),))
            raise cond.ConditionError(str(op_word), f"unknown operator {op_word!r}",
                                      ["not", *cond.NUMERIC_OPS])
        return cond.Test(name, "in", _values(name, spec, raw))

    return resolve


def _values(name: str, spec: FactSpec, raw: Any) -> tuple[cond.Value, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise cond.ConditionError(name, "an empty list matches nothing")
    out: list[cond.Value] = []
    for item in items:
        if spec.kind is bool:
            if not isinstance(item, bool):
                raise cond.ConditionError(name, f"{name!r} is true or false")
        elif spec.kind is int:
            if not isinstance(item, int) or isinstance(item, bool):
                raise cond.ConditionError(name, f"{name!r} is a whole number")
        else:
            if not isinstance(item, str) or item not in spec.values:
                shown = item if isinstance(item, str) else repr(item)
                raise cond.ConditionError(
                    name, f"{shown!r} is not a value of {name!r}; accepted: "
                    + ", ".join(spec.values), spec.values)
        out.append(item)
    return tuple(out)


def _number(name: str, raw: Any, params: ParametersFile) -> int:
    if isinstance(raw, bool):
        raise cond.ConditionError(name, "needs a number or a parameter name")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        spec = params.parameters.get(raw)
        if spec is None:
            raise cond.ConditionError(raw, f"unknown parameter {raw!r}", params.parameters)
        return spec.values[max(spec.values)]
    raise cond.ConditionError(name, "needs a number or a parameter name")


