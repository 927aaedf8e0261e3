"""Explanations as text for a terminal: ``escalate why-not`` and ``escalate advise --explain``.

The sentences come from the models (built from ``rules/questions.yaml`` and the rule
files, in the report's language); the labels around them come from
``escalate/text/explain.yaml`` (ids ``text.explain.<key>``, translated in
``rules/locales/<lang>.yaml``). This module only lays them out.
"""

from __future__ import annotations

import textwrap

from escalate.explain.wording import label
from escalate.i18n.words import Words
from escalate.models import ConditionCheck, Explanation, RuleCheck, WhyNot

_WIDTH = 88


def _wrap(text: str, indent: str, width: int = _WIDTH) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent,
                         subsequent_indent=" " * len(indent))


def _failed(check: ConditionCheck, indent: str, words: Words) -> list[str]:
    text = (label(words, "not_met", condition=check.condition) if check.kind == "case"
            else label(words, "not_met_kind", condition=check.condition,
                       kind=label(words, f"kind.{check.kind}")))
    lines = [_wrap(text, indent)]
    for rule in check.missing_because:
        lines.extend(_rule(rule, indent + "    ", words, nested=True))
    return lines


def _rule(rule: RuleCheck, indent: str, words: Words, nested: bool = False) -> list[str]:
    key = "derived_by" if nested else "rule"
    state = label(words, "fired" if rule.fired else "not_fired")
    head = (label(words, f"{key}_exception", rule=rule.rule, file=rule.file, state=state,
                  exception=rule.exception) if rule.exception
            else label(words, key, rule=rule.rule, file=rule.file, state=state))
    lines = [f"{indent}{head}"]
    for alternative in rule.alternatives:
        if len(rule.alternatives) > 1:
            lines.append(indent + "  " + label(words, "alternative",
                                               name=alternative.alternative))
        for held in alternative.held:
            lines.append(_wrap(label(words, "met", condition=held), indent + "    "))
        for check in alternative.failed:
            lines.extend(_failed(check, indent + "    ", words))
    return lines


def render_why_not(report: WhyNot, words: Words | None = None) -> str:
    """A why-not report as text, its labels in the language of ``words`` (English by
    default)."""
    words = words or Words()
    heading = "why" if report.recommended else "why_not"
    lines = [label(words, heading, title=report.title, move=report.move.value), "",
             _wrap(report.summary, "")]
    if report.next_move:
        lines.append(label(words, "leads_with",
                           title=report.next_move_title or report.next_move.value,
                           move=report.next_move.value))
    if report.window:
        lines.append(label(words, "window",
                           window=label(words, f"window_state.{report.window}")))
    lines.extend(_wrap(label(words, "warning", text=w.text, citation=w.citation), "  ! ")
                 for w in report.warnings)
    lines.append("")
    for rule in report.rules:
        lines.extend(_rule(rule, "", words))
        lines.append("")
    lines.append(_wrap(report.disclaimer, ""))
    return "\n".join(lines)


def render_explanation(explanation: Explanation, words: Words | None = None) -> str:
    """The questions that would change the advice, as text, its labels in the language
    of ``words`` (English by default)."""
    words = words or Words()
    lines = [label(words, "heading"), ""]
    if not explanation.questions:
        lines.append("  " + label(words, "nothing"))
    for number, question in enumerate(explanation.questions, 1):
        asked = label(words, "question" if question.reported else "question_not_in_case",
                      question=question.question)
        lines.append(_wrap(asked, f"{number}. "))
        lines.append(_wrap(label(words, "now", current=question.current_text,
                                 field=question.field), "     "))
        lines.extend(_wrap(answer.effect, "     - ") for answer in question.answers)
    lines += ["", _wrap(explanation.note, "")]
    lines.append(label(words, "engine_runs", runs=words.number(explanation.engine_runs),
                       cap=words.number(explanation.cap)))
    over = [s.fact for s in explanation.skipped if s.reason == "over_the_cap"]
    if over:
        lines.append(_wrap(label(words, "over_the_cap", facts=", ".join(over)), ""))
    dated = [s.fact for s in explanation.skipped if s.reason == "computed_from_dates"]
    if dated:
        lines.append(_wrap(label(words, "computed_from_dates", facts=", ".join(dated)), ""))
    return "\n".join(lines)
