"""The project's errors: one base class, structured fields, no case data.

Every error escalate raises derives from :class:`EscalateError`. Errors carry the
structured fields a caller needs (file, rule id, key, field path) so that the API and
the CLI can turn them into clear messages without parsing strings. None of them ever
carries a value taken from a case: only field names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from escalate.nearest import nearest

_QUOTED = re.compile(r"'([^']*)'")


class EscalateError(Exception):
    """Base class of every error raised by escalate."""


@dataclass
class RuleProblem:
    """One thing wrong with a data file: where it is and what to do about it.

    Said as ``file, id 'x', key 'k': message (did you mean 'y'?)``: the id is the entry
    the key is in (a rule, a move, a state's code, a translation's id, ...)."""

    file: str
    message: str
    rule_id: str | None = None
    key: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.rule_id:
            where += f", id {self.rule_id!r}"
        if self.key:
            where += f", key {self.key!r}"
        text = f"{where}: {self.message}"
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return text


@dataclass
class RuleFileError(EscalateError):
    """The rulebook did not load. Nothing was loaded: a rulebook never half-loads."""

    problems: list[RuleProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"the rulebook did not load ({len(self.problems)} problem(s)):"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class CaseError(EscalateError):
    """A case that cannot be advised on. Names the field, never its value."""

    def __init__(self, field_path: str, message: str) -> None:
        self.field_path = field_path
        self.message = message
        super().__init__(f"{field_path}: {message}")


class EngineError(EscalateError):
    """The matching engine failed while evaluating a case.

    The message names the rule that failed, never the case's facts.
    """


def did_you_mean(error: Mapping[str, Any]) -> str:
    """For a pydantic error on a value outside an enum, ``"; did you mean 'x'?"`` naming
    the accepted value nearest to what was sent, or ``""``.

    Only an accepted value is ever named, never the value sent.
    """
    ctx, sent = error.get("ctx"), error.get("input")
    if error.get("type") not in ("enum", "literal_error") or not isinstance(sent, str) \
            or not isinstance(ctx, Mapping):
        return ""
    allowed = _QUOTED.findall(str(ctx.get("expected", "")))
    found = nearest(sent, allowed)
    return f"; did you mean '{found}'?" if found else ""
