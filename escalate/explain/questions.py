"""The intake questions: ``rules/questions.yaml``, read and validated at start-up.

Every fact of the vocabulary (:data:`escalate.facts.VOCABULARY`) that a family can answer
is *askable* and needs one question: a phrase (``whether``: "whether the school evaluated
the child") and the question in plain words (``ask``), with optional words for its answers.
Facts that follow from other answers (the file's ``not_asked``) and facts computed from the
case's dates (``window.*``, ``duty.*``, ``threshold.*``) are never questions.

The file also holds the sentences an explanation is written with (user-facing sentences
come from data, never from code). Like the rule files, the file is validated strictly at
start-up (:meth:`escalate.service.Escalate.start`), so ``escalate rules check`` and start-up
refuse, naming file, id and key: an unknown fact id (with the nearest known one), an
askable fact without a question, an answer that is not an accepted value of its fact, and
a sentence with an unknown placeholder.

Every text of the file has a stable id, so it can be translated (``rules/locales/``,
:mod:`escalate.i18n.sources`): ``question.<fact>.ask``, ``question.<fact>.whether``,
``question.<fact>.answer.<value>`` (a question's own answer words),
``question.values.<group>.<value>`` (shared answer words: ``<group>`` is a fact or
``history.*``), ``question.not_asked.<fact>`` and ``question.sentence.<name>``
(:meth:`Questions.texts`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate import conditions as cond
from escalate.errors import RuleFileError, RuleProblem
from escalate.facts import VOCABULARY, FactSpec, Scalar
from escalate.models import Topic
from escalate.nearest import nearest
from escalate.strict import Problems, read_yaml, validate

QUESTIONS_FILE = "questions.yaml"
HISTORY_PREFIX = "history."
ALL_HISTORY = "history.*"

# The sentences and the placeholders each may use.
SENTENCES: Mapping[str, tuple[str, ...]] = {
    "next_move": ("answer", "to", "now"),
    "next_move_from_none": ("answer", "to"),
    "next_move_to_none": ("answer", "now"),
    "added": ("answer", "moves"),
    "removed": ("answer", "moves"),
    "added_and_removed": ("answer", "moves", "dropped"),
    "note": (),
    "over_the_cap": ("count",),
    "computed_from_dates": (),
    "follows_from_other_facts": ("about",),
    "recommended": ("count",),
    "not_recommended": (),
    "window_closed": (),
    "no_rule": (),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionSpec(_Strict):
    whether: str = Field(min_length=8, pattern=r"^(whether|what|how|when|who) ")
    ask: str = Field(min_length=8)
    answers: dict[str, str] = Field(default_factory=dict)
    topics: list[Topic] = Field(default_factory=list)
    # When the question could apply to a case at all (a condition on the case's facts,
    # written as a rule's ``when``); absent: always.
    applies_when: dict[str, Any] | None = None
    # The question asked of a family whose child is on another plan (ladder.md section 6:
    # a 504 family is told "504 plan", never "IEP"); absent: ``ask`` for every plan.
    ask_for_plan: dict[Literal["iep", "section_504", "none"], str] = Field(
        default_factory=dict)


class QuestionsFile(_Strict):
    title: str
    about: str | None = None
    not_asked: dict[str, str] = Field(default_factory=dict)
    sentences: dict[str, str]
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    questions: dict[str, QuestionSpec]


def _key(value: Any) -> str:
    """A value as the text key the file uses (YAML reads ``true:`` as a boolean)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _normalise(raw: Any) -> Any:
    """Turn boolean and number keys of answer tables into text before validation."""
    if not isinstance(raw, Mapping):
        return raw
    out = dict(raw)
    for table in ("questions",):
        entries = out.get(table)
        if isinstance(entries, Mapping):
            out[table] = {
                name: ({**spec, "answers": {_key(k): v for k, v in spec["answers"].items()}}
                       if isinstance(spec, Mapping) and isinstance(spec.get("answers"),
                                                                   Mapping) else spec)
                for name, spec in entries.items()}
    values = out.get("values")
    if isinstance(values, Mapping):
        out["values"] = {name: ({_key(k): v for k, v in words.items()}
                                if isinstance(words, Mapping) else words)
                         for name, words in values.items()}
    return out


def field_of(fact: str) -> str:
    """The case field that answers ``fact``: the same dotted path, except that each
    ``history.<move>`` fact is the latest history entry for that move."""
    if fact.startswith(HISTORY_PREFIX):
        return f"history[move={fact[len(HISTORY_PREFIX):]}]"
    return fact


def askable(not_asked: Mapping[str, str]) -> list[str]:
    """The facts a family can answer: the case's own facts, minus those that follow from
    others. (Facts computed from dates are not in the case vocabulary at all.)"""
    return [name for name in VOCABULARY if name not in not_asked]


@dataclass(frozen=True)
class Question:
    """One validated question."""

    fact: str
    field: str
    whether: str
    ask: str
    answers: Mapping[str, str]
    topics: frozenset[str] = frozenset()
    # The id of each answer's words (its own, or the shared ones of ``values``).
    answer_ids: Mapping[str, str] = default(default_factory=dict)
    # When the question could apply to a case (empty: always), in disjunctive normal form.
    applies_when: cond.Dnf = ()
    # The question for a child on another plan (``ask_for_plan``), by plan.
    ask_for_plan: Mapping[str, str] = default(default_factory=dict)

    def applies(self, facts: Mapping[str, Any]) -> bool:
        """Whether the question could apply to a case with these facts."""
        return not self.applies_when or cond.holds(self.applies_when, facts, set())

    def answer_text(self, value: Scalar) -> str:
        """The answer in plain words (the value itself, spaced, when no words are given)."""
        key = _key(value)
        return self.answers.get(key) or key.replace("_", " ")

    def answer_id(self, value: Scalar) -> str | None:
        """The id of the words for ``value`` (None for a number: it is its own word)."""
        return self.answer_ids.get(_key(value))


@dataclass(frozen=True)
class Questions:
    """Every question, by fact, and the sentences explanations are written with."""

    questions: Mapping[str, Question]
    sentences: Mapping[str, str]
    not_asked: Mapping[str, str]
    # The shared answer words (``values``), by group (a fact, or ``history.*``).
    values: Mapping[str, Mapping[str, str]] = default(default_factory=dict)

    def texts(self) -> dict[str, str]:
        """Every English text of the file by its stable id (see the module docstring)."""
        found: dict[str, str] = {}
        for fact, question in self.questions.items():
            found[f"question.{fact}.ask"] = question.ask
            for plan, ask in question.ask_for_plan.items():
                found[f"question.{fact}.for_plan.{plan}.ask"] = ask
            found[f"question.{fact}.whether"] = question.whether
            own = f"question.{fact}.answer."
            for value, key in question.answer_ids.items():
                if key.startswith(own):
                    found[key] = question.answers[value]
        for group, words in self.values.items():
            for value, text in words.items():
                found[f"question.values.{group}.{value}"] = text
        for fact, about in self.not_asked.items():
            found[f"question.not_asked.{fact}"] = about
        for name, sentence in self.sentences.items():
            found[f"question.sentence.{name}"] = " ".join(sentence.split())
        return found


def _check_placeholders(name: str, text: str, allowed: tuple[str, ...],
                        problems: list[RuleProblem]) -> None:
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as error:
        problems.append(RuleProblem(QUESTIONS_FILE, f"the sentence cannot be read: {error}",
                                    name, "sentences"))
        return
    for name_used in sorted(used - set(allowed)):
        problems.append(RuleProblem(
            QUESTIONS_FILE, f"unknown placeholder {{{name_used}}}; accepted: "
            + (", ".join(allowed) or "none"), name, "sentences",
            nearest(name_used, list(allowed))))


def _accepted(spec: FactSpec) -> list[str]:
    if spec.kind is bool:
        return ["true", "false"]
    return list(spec.values)


def _resolver() -> cond.Resolver:
    """Reads an ``applies_when`` entry as a rule's condition on the case's own facts
    (numbers written out: no parameters, no derived facts)."""
    from escalate.rulebook.resolver import resolver
    from escalate.rulebook.schemas import ParametersFile

    return resolver(VOCABULARY, ParametersFile(parameters={}), set())


def load_questions(directory: Path | str) -> Questions:
    """Read and validate ``questions.yaml`` in a rules folder. Raises RuleFileError listing
    every problem with the file, the fact id (as the rule id) and the key."""
    path = Path(directory) / QUESTIONS_FILE
    if not path.is_file():
        raise RuleFileError([RuleProblem(QUESTIONS_FILE, "is missing from the rules folder: "
                                         "every askable fact needs a question")])
    collected = Problems()  # read and validated by the strict loader (escalate/strict.py)
    raw = read_yaml(path, collected)
    if raw is None and not collected.problems:
        collected.add(QUESTIONS_FILE, "is empty")
    spec = None if raw is None else validate(_normalise(raw), QuestionsFile, QUESTIONS_FILE,
                                             collected)
    collected.raise_if_any()
    assert spec is not None
    problems = collected.problems

    vocabulary = VOCABULARY
    for name in spec.not_asked:
        if name not in vocabulary:
            problems.append(RuleProblem(QUESTIONS_FILE, f"unknown fact {name!r}", name,
                                        "not_asked", nearest(name, list(vocabulary))))
    known = askable(spec.not_asked)
    for name, question in spec.questions.items():
        fact = vocabulary.get(name)
        if name not in known or fact is None:
            why = (" (it is listed under not_asked)" if name in spec.not_asked else "")
            problems.append(RuleProblem(QUESTIONS_FILE, f"unknown fact {name!r}{why}; "
                                        "questions are for the case's facts", name,
                                        "questions", nearest(name, known)))
            continue
        if fact.kind is int and question.answers:
            problems.append(RuleProblem(QUESTIONS_FILE, "a number's answers are numbers; "
                                        "give no answer words", name, "answers"))
            continue
        accepted = _accepted(fact)
        for value in question.answers:
            if value not in accepted:
                problems.append(RuleProblem(
                    QUESTIONS_FILE, f"{value!r} is not a value of {name!r}; accepted: "
                    + ", ".join(accepted), name, f"answers.{value}", nearest(value, accepted)))
    applies: dict[str, cond.Dnf] = {}
    resolve = _resolver()
    for name, question in spec.questions.items():
        if question.applies_when is None:
            continue
        try:
            applies[name] = cond.parse(question.applies_when, resolve, key="applies_when")
        except cond.ConditionError as error:
            problems.append(RuleProblem(QUESTIONS_FILE, error.message, name,
                                        f"applies_when.{error.key}",
                                        nearest(error.key, list(error.choices))
                                        if error.choices else None))
    for name in known:
        if name not in spec.questions:
            problems.append(RuleProblem(QUESTIONS_FILE, f"the fact {name!r} has no question",
                                        name, "questions"))
    for name, words in spec.values.items():
        targets = ([f for f in known if f.startswith(HISTORY_PREFIX)] if name == ALL_HISTORY
                   else [name] if name in known else [])
        if not targets:
            problems.append(RuleProblem(QUESTIONS_FILE, f"unknown fact {name!r} (a fact, or "
                                        f"{ALL_HISTORY!r})", name, "values",
                                        nearest(name, [*known, ALL_HISTORY])))
            continue
        accepted = _accepted(vocabulary[targets[0]])
        for value in words:
            if value not in accepted:
                problems.append(RuleProblem(
                    QUESTIONS_FILE, f"{value!r} is not a value of {name!r}; accepted: "
                    + ", ".join(accepted), name, f"values.{value}", nearest(value, accepted)))
    for name, allowed in SENTENCES.items():
        if name not in spec.sentences:
            problems.append(RuleProblem(QUESTIONS_FILE, f"the sentence {name!r} is missing",
                                        name, "sentences"))
        else:
            _check_placeholders(name, spec.sentences[name], allowed, problems)
    for name in spec.sentences:
        if name not in SENTENCES:
            problems.append(RuleProblem(QUESTIONS_FILE, f"unknown sentence {name!r}; "
                                        "accepted: " + ", ".join(SENTENCES), name,
                                        "sentences", nearest(name, list(SENTENCES))))
    if problems:
        raise RuleFileError(problems)

    shared = spec.values.get(ALL_HISTORY, {})
    questions = {}
    for name, question in spec.questions.items():
        words = dict(shared) if name.startswith(HISTORY_PREFIX) else {}
        ids = ({value: f"question.values.{ALL_HISTORY}.{value}" for value in shared}
               if name.startswith(HISTORY_PREFIX) else {})
        words.update(spec.values.get(name, {}))
        ids.update({value: f"question.values.{name}.{value}"
                    for value in spec.values.get(name, {})})
        words.update(question.answers)
        ids.update({value: f"question.{name}.answer.{value}" for value in question.answers})
        questions[name] = Question(name, field_of(name), " ".join(question.whether.split()),
                                   " ".join(question.ask.split()),
                                   {k: " ".join(v.split()) for k, v in words.items()},
                                   frozenset(t.value for t in question.topics), ids,
                                   applies.get(name, ()),
                                   {plan: " ".join(ask.split())
                                    for plan, ask in question.ask_for_plan.items()})
    return Questions(questions, dict(spec.sentences),
                     {k: " ".join(v.split()) for k, v in spec.not_asked.items()},
                     {group: {k: " ".join(v.split()) for k, v in words.items()}
                      for group, words in spec.values.items()})
