"""Reasons in the case's own words: a rule's ``because``, rendered for one case.

A reason whose ``because`` is plain text is built once, when the rulebook loads, and
shared by every case. A templated one is rendered per case from the template compiled at
load; the case's template variables are built at most once per advice, and only when a
templated reason is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jinja2.runtime import Context

from escalate.models import Case, Deadline, Reason, Source
from escalate.rulebook import Rule, Rulebook, SourceSpec
from escalate.text.templates import Text, context_for
from escalate.text.variables import context


class ReasonWriter:
    """The reasons of one rulebook: plain ones built once, templated ones per case."""

    def __init__(self, rulebook: Rulebook, source: Callable[[SourceSpec], Source]) -> None:
        self._fixed: dict[str, Reason] = {}
        self._templated: dict[str, tuple[Text, Source]] = {}
        for rule in rulebook.rules:
            self._add(rule.id, rule.text, rule.because, source(rule.source))
        for name, exception in rulebook.exceptions.items():
            self._add("exception:" + name, rulebook.exception_texts.get(name),
                      " ".join(exception.because.split()), source(exception.source))

    def _add(self, key: str, text: Text | None, because: str, source: Source) -> None:
        if text is not None and text.template is not None:
            self._templated[key] = (text, source)
        else:
            self._fixed[key] = Reason(text=because, source=source)

    def for_case(self, case: Case, deadlines: Sequence[Deadline]) -> CaseReasons:
        return CaseReasons(self, case, deadlines)


class CaseReasons:
    """The reasons for one case; the template variables are built on first need."""

    def __init__(self, writer: ReasonWriter, case: Case, deadlines: Sequence[Deadline]) -> None:
        self._writer = writer
        self._case = case
        self._deadlines = deadlines
        self._context: Context | None = None

    @property
    def values(self) -> Context:
        """The case's template variables, in one rendering context for all its reasons."""
        if self._context is None:
            self._context = context_for(context(self._case, self._deadlines))
        return self._context

    def _reason(self, key: str) -> Reason:
        fixed = self._writer._fixed.get(key)
        if fixed is not None:
            return fixed
        text, source = self._writer._templated[key]
        return Reason(text=text.render(self.values), source=source)

    def rule(self, rule: Rule) -> Reason:
        return self._reason(rule.id)

    def exception(self, name: str) -> Reason:
        return self._reason("exception:" + name)
