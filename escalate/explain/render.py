"""Explanations as text for a terminal: ``escalate why-not`` and ``escalate advise --explain``.

The sentences come from the models (built from ``rules/questions.yaml`` and the rule
files, in the report's language); the labels around them come from
``escalate/text/explain.yaml`` (ids ``text.explain.<key>``, translated in
``rules/locales/<lang>/texts.yaml``). This module only lays them out.

What a family reads comes first and alone by default: the intake's questions, the answer
now, the answers that would change the step, the advice's reasons. Rule ids, engine
conditions and case fields are for intake tools: they follow, under their own heading,
only when ``technical`` is asked for (``--technical``).
"""

from __future__ import annotations

import textwrap

from escalate.explain.wording import label
from escalate.i18n.words import Words
from escalate.models import ConditionCheck, Explanation, RuleCheck, WhyNot

_WIDTH = 88
# How many ways a why-not report shows a family (the technical section lists them all).
MOST_WAYS = 4


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


def _needs(rule: RuleCheck) -> list[ConditionCheck] | None:
    """What one rule would need, for the family: the alternative needing the fewest
    changes, a derived fact replaced by what its nearest deriving rule needs. None for a
    rule with no alternative."""
    best: list[ConditionCheck] | None = None
    for alternative in rule.alternatives:
        items: list[ConditionCheck] = []
        for check in alternative.failed:
            found: list[list[ConditionCheck]] = [
                n for r in check.missing_because if (n := _needs(r)) is not None]
            if check.kind == "derived" and found:
                sizes = [len(n) for n in found]
                items.extend(found[sizes.index(min(sizes))])
            else:
                items.append(check)
        if best is None or len(items) < len(best):
            best = items
    return best


def _point(check: ConditionCheck, words: Words) -> list[str]:
    """One thing the family would need, as list items: the question, the answer now and
    the answers that would change it; or one plain sentence."""
    read = words.read
    if check.question is None:
        return [_wrap(read(check.plain or ""), "  - ")]
    lines = [_wrap(read(check.question), "  - "),
             _wrap(label(words, "family.now", current=(read(check.current_answer)
                                                if check.current_answer else
                                                check.current_answer)),
                   "    - ")]
    if check.needed_answers:
        lines.append("    - " + label(words, "family.would_change"))
        lines.extend(_wrap(read(answer), "      - ") for answer in check.needed_answers)
    return lines


def _ways(report: WhyNot) -> list[list[ConditionCheck]]:
    """The different ways the move could be advised, fewest changes first, each once."""
    ways: dict[tuple[str, ...], list[ConditionCheck]] = {}
    for rule in report.rules:
        if rule.fired:
            continue
        needs = _needs(rule)
        if not needs:
            continue
        unique = list({(c.question or c.plain or ""): c for c in needs}.values())
        key = tuple(sorted(c.question or c.plain or "" for c in unique))
        ways.setdefault(key, unique)
    # ways the family can answer first, then the fewest changes
    return sorted(ways.values(), key=lambda way: (
        sum(c.question is None for c in way) > 0, len(way)))


def render_why_not(report: WhyNot, words: Words | None = None, technical: bool = False,
                   most: int = MOST_WAYS) -> str:
    """A why-not report as text in the language of ``words`` (English by default): what
    a family reads (the intake's questions and answers, the reasons), then, with
    ``technical``, the rules and their conditions for intake tools."""
    words = words or Words()
    read = words.read  # one document: each term's English at its first use
    heading = "family.why" if report.recommended else "family.why_not"
    lines = [label(words, heading, title=read(report.title)), "",
             _wrap(read(report.summary), "")]
    if report.next_move and report.next_move != report.move:
        lines.append(_wrap(label(words, "family.leads_with",
                                 title=read(report.next_move_title or "")), ""))
    if report.window:
        lines.append(label(words, "window",
                           window=label(words, f"window_state.{report.window}")))
    lines.extend(_wrap(label(words, "warning", text=read(w.text), citation=w.citation),
                       "  ! ") for w in report.warnings)
    if report.recommended and report.reasons:
        lines += ["", label(words, "family.reasons")]
        lines.extend(_wrap(read(reason), "  - ") for reason in report.reasons)
    elif not report.recommended:
        ways = _ways(report)
        for number, way in enumerate(ways[:most], 1):
            lines += ["", f"{number}. " + label(words, "family.way")]
            for check in way:
                lines.extend(_point(check, words))
        if len(ways) > most:
            lines += ["", _wrap(label(words, "family.more_ways",
                                      count=words.number(len(ways) - most)), "")]
    lines.append("")
    if technical:
        lines += [label(words, "family.technical"), "",
                  label(words, "why" if report.recommended else "why_not",
                        title=report.title, move=report.move.value), ""]
        for rule in report.rules:
            lines.extend(_rule(rule, "", words))
            lines.append("")
    lines.append(_wrap(read(report.disclaimer), ""))
    return "\n".join(lines)


def render_explanation(explanation: Explanation, words: Words | None = None,
                       technical: bool = False) -> str:
    """The questions that would change the advice, as text in the language of ``words``
    (English by default): each question and its answers in the intake's words; with
    ``technical``, the case fields and what was not tried, for intake tools."""
    words = words or Words()
    read = words.read  # printed under the advice with the same words: one document
    lines = [label(words, "heading"), ""]
    if not explanation.questions:
        lines.append("  " + label(words, "nothing"))
    for number, question in enumerate(explanation.questions, 1):
        asked = label(words, "question" if question.reported else "question_not_in_case",
                      question=read(question.question))
        lines.append(_wrap(asked, f"{number}. "))
        lines.append(_wrap(label(words, "family.now", current=read(question.current_text)),
                           "     - "))
        lines.extend(_wrap(read(answer.effect), "     - ") for answer in question.answers)
    lines += ["", _wrap(read(explanation.note), "")]
    if not technical:
        return "\n".join(lines)
    lines += ["", label(words, "family.technical")]
    for number, question in enumerate(explanation.questions, 1):
        lines.append(_wrap(label(words, "now", current=question.current_text,
                                 field=question.field), f"{number}. "))
    lines.append(label(words, "engine_runs", runs=words.number(explanation.engine_runs),
                       cap=words.number(explanation.cap)))
    over = [s.fact for s in explanation.skipped if s.reason == "over_the_cap"]
    if over:
        lines.append(_wrap(label(words, "over_the_cap", facts=", ".join(over)), ""))
    dated = [s.fact for s in explanation.skipped if s.reason == "computed_from_dates"]
    if dated:
        lines.append(_wrap(label(words, "computed_from_dates", facts=", ".join(dated)), ""))
    return "\n".join(lines)
