"""Explanations as text for a terminal: ``escalate why-not`` and ``escalate advise --explain``.

The sentences come from the models (built from ``rules/questions.yaml`` and the rule
files); this module only lays them out.
"""

from __future__ import annotations

import textwrap

from escalate.models import DISCLAIMER, ConditionCheck, Explanation, RuleCheck, WhyNot

_WIDTH = 88
_KIND_MARK = {"case": "", "derived": " (derived)", "window": " (filing window)",
              "date": " (from the case's dates)", "unless": " (unless gate)"}


def _wrap(text: str, indent: str, width: int = _WIDTH) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent,
                         subsequent_indent=" " * len(indent))


def _failed(check: ConditionCheck, indent: str) -> list[str]:
    lines = [_wrap(f"not met: {check.condition}{_KIND_MARK[check.kind]}", indent)]
    for rule in check.missing_because:
        lines.extend(_rule(rule, indent + "    ", nested=True))
    return lines


def _rule(rule: RuleCheck, indent: str, nested: bool = False) -> list[str]:
    head = "derived by" if nested else "rule"
    state = "fired" if rule.fired else "did not fire"
    exception = f", exception: {rule.exception}" if rule.exception else ""
    lines = [f"{indent}{head} {rule.rule} ({rule.file}; {state}{exception})"]
    for alternative in rule.alternatives:
        if len(rule.alternatives) > 1:
            lines.append(f"{indent}  alternative {alternative.alternative}:")
        for held in alternative.held:
            lines.append(_wrap(f"met: {held}", indent + "    "))
        for check in alternative.failed:
            lines.extend(_failed(check, indent + "    "))
    return lines


def render_why_not(report: WhyNot) -> str:
    """A why-not report as text."""
    lines = [f"Why not: {report.title} ({report.move.value})", "",
             _wrap(report.summary, "")]
    if report.next_move:
        lines.append(f"The advice leads with: {report.next_move.value}")
    if report.window:
        lines.append(f"Filing window: {report.window}")
    lines.extend(_wrap(f"{w.text} ({w.citation})", "  ! ") for w in report.warnings)
    lines.append("")
    for rule in report.rules:
        lines.extend(_rule(rule, ""))
        lines.append("")
    lines.append(_wrap(DISCLAIMER, ""))
    return "\n".join(lines)


def render_explanation(explanation: Explanation) -> str:
    """The questions that would change the advice, as text."""
    lines = ["What would change the advice:", ""]
    if not explanation.questions:
        lines.append("  No single answer tried changes the advice.")
    for number, question in enumerate(explanation.questions, 1):
        given = "" if question.reported else " (not in the case)"
        lines.append(_wrap(f"{question.question}{given}", f"{number}. "))
        lines.append(_wrap(f"now: {question.current_text}; field: {question.field}",
                           "     "))
        lines.extend(_wrap(answer.effect, "     - ") for answer in question.answers)
    lines += ["", _wrap(explanation.note, "")]
    lines.append(f"Engine runs: {explanation.engine_runs} (at most {explanation.cap}).")
    over = [s.fact for s in explanation.skipped if s.reason == "over_the_cap"]
    if over:
        lines.append(_wrap("Not tried (over the cap): " + ", ".join(over), ""))
    dated = [s.fact for s in explanation.skipped if s.reason == "computed_from_dates"]
    if dated:
        lines.append(_wrap("Not asked (computed from dates): " + ", ".join(dated), ""))
    return "\n".join(lines)
