"""The explanations that go out: why a move is not recommended, and which question would
change the advice.

- :class:`WhyNot` (``POST /v1/advice/why-not/{move}``, ``escalate why-not``): every rule
  that could recommend a move, each of its alternatives with the conditions that held and
  those that did not (rendered as ``GET /v1/rules`` renders them), the derived facts that
  were missing and why, closed windows and the exceptions and ``unless`` gates in the way.
- :class:`Explanation` (``POST /v1/advice?explain=true``, ``escalate advise --explain``):
  the questions whose answer, changed one fact at a time and re-run through the engine,
  would change the next step or add or remove a recommendation, ranked.

Response models may grow (contract: responses only gain fields), never lose or rename one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.advice import DISCLAIMER, AdviceWarning
from escalate.models.case import MoveId

ConditionKind = Literal["case", "derived", "window", "date", "unless"]
FactValue = bool | int | str


class ConditionCheck(BaseModel):
    """One condition of an alternative that did not hold, and, for a derived fact, why it
    was not derived."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "condition": "meeting_failed holds", "fact": "meeting_failed", "kind": "derived",
            "missing_because": [{
                "rule": "derived.meeting_failed", "file": "00_derived_facts.yaml",
                "fired": False, "exception": None,
                "because": "The IEP meeting was refused, never happened, or did not settle "
                           "the concern.",
                "alternatives": [{"alternative": "derived.meeting_failed#0", "held": [],
                                  "failed": [{"condition": "history.request_iep_meeting is "
                                              "one of refused, no_response, "
                                              "partially_resolved",
                                              "fact": "history.request_iep_meeting",
                                              "kind": "case", "missing_because": []}]}]}]}]},
    )

    condition: str = Field(..., description="The condition in words, as GET /v1/rules "
                           "shows it.")
    fact: str = Field(..., description="The fact it tests.")
    kind: ConditionKind = Field(
        ..., description="'case': a fact of the case; 'derived': a fact another rule "
        "derives (see missing_because); 'window': the move's filing window must not be "
        "closed; 'date': a duty computed from the case's dates (duty.*); 'unless': the "
        "rule's 'unless' gate, which the case meets.")
    missing_because: list[RuleCheck] = Field(
        default_factory=list, description="For a derived fact that was not derived: the "
        "rules that derive it and why none fired (a few levels deep).")
    question: str | None = Field(
        None, description="For a fact a family answers: the question, in the report's "
        "language and the words the intake uses.",
        examples=["Has the family tried mediation? What came of it?"])
    current_answer: str | None = Field(
        None, description="With question: the case's answer now, in words.",
        examples=["not tried yet"])
    needed_answers: list[str] = Field(
        default_factory=list, description="With question: the answers that would meet "
        "this condition, in words.", examples=[["tried, and the school refused"]])
    plain: str | None = Field(
        None, description="For a condition no question answers (a filing window, a "
        "deadline counted from the case's dates, a fact that follows from other answers): "
        "what stands in the way, in one sentence of the report's language.")


class AlternativeCheck(BaseModel):
    """One alternative (one 'either/or' branch) of a rule's conditions."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "alternative": "mediation.collaboration_exhausted#0",
            "held": ["history.mediation is not_tried"],
            "failed": [ConditionCheck.model_config["json_schema_extra"]["examples"][0]]}]},  # type: ignore[index]
    )

    alternative: str = Field(..., description="The engine rule's name: '<rule id>#<n>'.")
    held: list[str] = Field(..., description="Conditions that held, in words.")
    failed: list[ConditionCheck] = Field(..., description="Conditions that did not hold. "
                                         "Empty when this alternative fired.")


class RuleCheck(BaseModel):
    """One rule that could recommend the move (or derive a fact), checked against the case."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "rule": "due_process.after_mediation_failed", "file": "07_due_process.yaml",
            "fired": False, "exception": None,
            "because": "Mediation did not resolve the dispute.",
            "alternatives": [AlternativeCheck.model_config["json_schema_extra"]["examples"][0]]}]},  # type: ignore[index]
    )

    rule: str = Field(..., description="The rule id.")
    file: str = Field(..., description="The rules file it is in.")
    fired: bool = Field(..., description="The engine fired this rule for the case.")
    exception: str | None = Field(None, description="The rung-skipping exception the rule "
                                  "belongs to, if any.")
    because: str = Field(..., description="The rule's reason, as written in its file.")
    alternatives: list[AlternativeCheck] = Field(
        ..., description="Each either/or branch of its conditions, and what held.")


class WhyNot(BaseModel):
    """Why a move is, or is not, recommended for a case."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "move": "due_process", "title": "File for due process", "recommended": False,
            "priority": None, "next_move": "escalate_chain_of_command",
            "summary": "No rule recommends this step for these facts: each rule below "
                       "lists the conditions that did not hold.",
            "window": "open", "warnings": [],
            "rules": [RuleCheck.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "rules_version": "sha256:" + "3f1c9a0e5b7d2c4a" * 4,
            "disclaimer": DISCLAIMER, "language": "en", "fallbacks": []}]},
    )

    move: MoveId
    title: str = Field(..., description="The move's title.")
    recommended: bool = Field(..., description="The engine recommended this move.")
    priority: int | None = Field(None, description="Its place in the advice (1 is first), "
                                 "or null when it is not recommended.")
    next_move: MoveId | None = Field(..., description="The step the advice leads with.")
    next_move_title: str | None = Field(
        None, description="That step's title, in the report's language.",
        examples=["Go up the chain of command"])
    summary: str = Field(..., description="One sentence: recommended or not, and why.")
    window: Literal["open", "closing", "closed", "may_be_closed", "no_date"] | None = Field(
        None, description="The move's filing window, for moves that have one: a closed "
        "window stops every rule for the move.")
    warnings: list[AdviceWarning] = Field(..., description="The advice's warnings about "
                                          "this move (a closed or closing window).")
    rules: list[RuleCheck] = Field(..., description="Every rule that could recommend the "
                                   "move; empty when no rule does.")
    reasons: list[str] = Field(
        default_factory=list, description="When the move is recommended: the advice's "
        "reasons for it, in the report's language (as the advice says them).")
    rules_version: str = Field(..., description="Identifies the loaded rules.")
    disclaimer: str = Field(DISCLAIMER, description="Information, not legal advice.")
    language: str = Field(
        "en", description="The language the report is written in: 'en' or 'es' (chosen by "
        "`lang` or `Accept-Language`). The title, summary, reasons, warnings, disclaimer and "
        "each condition's question, answers and plain sentence are in it; conditions, ids "
        "and file names are the rules' own and stay as they are.", examples=["es"])
    fallbacks: list[str] = Field(
        default_factory=list, description="The ids of the texts this report says in English "
        "because the language has no current translation of them (each whole, never mixed "
        "with the language). Empty in English.", examples=[["rule.derived.meeting_failed."
                                                            "because"]])


class AnswerEffect(BaseModel):
    """What one answer to a question would do to the advice (the engine re-run on it)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "answer": True, "answer_text": "yes", "next_move": "request_iee",
            "next_move_changes": True, "added": ["request_iee"], "removed": [],
            "effect": "If the answer is yes, the next step would be: Request an "
                      "Independent Educational Evaluation."}]},
    )

    answer: FactValue = Field(..., description="The answer, as the fact's value.")
    answer_text: str = Field(..., description="The answer in plain words.")
    next_move: MoveId | None = Field(..., description="The step the advice would lead "
                                     "with.")
    next_move_changes: bool = Field(..., description="True when the next step would change.")
    added: list[MoveId] = Field(..., description="Moves it would add to the advice.")
    removed: list[MoveId] = Field(..., description="Moves it would remove.")
    effect: str = Field(..., description="The change in one sentence.")


class QuestionToAsk(BaseModel):
    """One question whose answer would change the advice, with the answers that would."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "fact": "evaluation.parent_disagrees", "field": "evaluation.parent_disagrees",
            "whether": "whether the family disagrees with the school's evaluation",
            "question": "Does the family disagree with the school's evaluation?",
            "reported": False, "current": False, "current_text": "no",
            "answers": [AnswerEffect.model_config["json_schema_extra"]["examples"][0]]}]},  # type: ignore[index]
    )

    fact: str = Field(..., description="The engine fact (see rules/README.md).")
    field: str = Field(..., description="The case field that holds the answer.")
    whether: str = Field(..., description="The question as a phrase: 'whether ...'.")
    question: str = Field(..., description="The question to ask, in plain words.")
    reported: bool = Field(..., description="False when the case left the field out: the "
                           "advice assumed the default (current).")
    current: FactValue = Field(..., description="The value the advice used.")
    current_text: str = Field(..., description="The current answer, in words.")
    answers: list[AnswerEffect] = Field(..., min_length=1, description="Every answer that "
                                        "changes the advice, biggest change first.")


class SkippedFact(BaseModel):
    """A fact the explanation did not try, and why."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"fact": "window.due_process",
                                         "reason": "computed_from_dates",
                                         "note": "Computed from the case's dates, not "
                                                 "asked: give the dates instead."}]},
    )

    fact: str = Field(..., description="The fact not tried.")
    reason: Literal["computed_from_dates", "follows_from_other_facts", "over_the_cap"] = Field(
        ..., description="Why it was not tried.")
    note: str = Field(..., description="The same, in words.")


class Explanation(BaseModel):
    """Which questions would change the advice, each answer re-run through the engine."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "questions": [QuestionToAsk.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "engine_runs": 24, "cap": 24,
            "skipped": [SkippedFact.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "note": "Each answer was tried alone, on the case as given, by the rules engine."}]},
    )

    questions: list[QuestionToAsk] = Field(
        ..., description="Questions whose answer changes the advice: facts the case left "
        "out first; questions far from the case (another concern topic, or a more "
        "adversarial step already taken) after the others; within each, by how much the "
        "advice changes (the next step first, then the number of moves added or removed).")
    engine_runs: int = Field(..., description="How many variants of the case the engine "
                             "evaluated for this explanation.")
    cap: int = Field(..., description="The most variants one request may evaluate.")
    skipped: list[SkippedFact] = Field(..., description="Facts not tried, and why.")
    note: str = Field(..., description="How the explanation was made, in words.")


ConditionCheck.model_rebuild()
