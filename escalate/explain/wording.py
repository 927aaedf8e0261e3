"""The words of one explanation, in its language.

An explanation (a why-not report, the questions that would change the advice, and their
terminal layout) says nothing of its own: every question, answer, sentence and label is a
text of ``rules/questions.yaml`` or ``escalate/text/explain.yaml``, and every move title a
text of ``rules/moves.yaml``, each by its stable id (:mod:`escalate.i18n.sources`).
:class:`ExplainWords` looks each one up in the language of a
:class:`~escalate.i18n.words.Words`; a text the language does not (or no longer)
translate is said in English, whole, and its id recorded for ``fallbacks``. The
``{placeholders}`` of a translated sentence were checked against its English when the
locale was loaded (:mod:`escalate.i18n.locale`).
"""

from __future__ import annotations

from collections.abc import Mapping

from escalate.explain.questions import Questions
from escalate.facts import Scalar
from escalate.i18n import ids
from escalate.i18n.sources import explain_labels, flat
from escalate.i18n.words import Words


def label(words: Words, key: str, **values: object) -> str:
    """A label of ``escalate/text/explain.yaml`` (id ``text.explain.<key>``), filled in."""
    return words.say(f"text.explain.{key}", explain_labels()[key]).format(**values)


class ExplainWords:
    """The explanation's texts in the language of ``words``."""

    def __init__(self, questions: Questions, titles: Mapping[str, str], words: Words) -> None:
        self.questions = questions
        self.titles = titles  # the English move titles, by move id
        self.words = words

    @property
    def lang(self) -> str:
        return self.words.lang

    def sentence(self, name: str, **values: object) -> str:
        """A sentence of ``questions.yaml`` (``question.sentence.<name>``), filled in."""
        text = self.words.say(f"question.sentence.{name}",
                              flat(self.questions.sentences[name]))
        return flat(text.format(**values))

    def ask(self, fact: str, plan: str | None = None) -> str:
        """The question for ``fact``, worded for a child on ``plan`` where it has its own
        wording (``ask_for_plan``)."""
        question = self.questions.questions[fact]
        if plan is not None and plan in question.ask_for_plan:
            return self.words.say(f"question.{fact}.for_plan.{plan}.ask",
                                  question.ask_for_plan[plan])
        return self.words.say(f"question.{fact}.ask", question.ask)

    def whether(self, fact: str) -> str:
        return self.words.say(f"question.{fact}.whether",
                              self.questions.questions[fact].whether)

    def answer(self, fact: str, value: Scalar) -> str:
        """The words for one answer; a number is written for the language."""
        question = self.questions.questions[fact]
        key = question.answer_id(value)
        if key is None:
            if isinstance(value, int) and not isinstance(value, bool):
                return self.words.number(value)
            return question.answer_text(value)  # a value with no words: its own code
        return self.words.say(key, question.answer_text(value))

    def not_asked(self, fact: str) -> str:
        return self.words.say(f"question.not_asked.{fact}", self.questions.not_asked[fact])

    def title(self, move: str | None) -> str:
        """A move's title (empty for no move)."""
        if move is None:
            return ""
        return self.words.say(ids.move_title(move), self.titles[move])

    def label(self, key: str, **values: object) -> str:
        return label(self.words, key, **values)
