"""Explanations for intake tools: why a move is not recommended, and which question would
change the advice.

- :mod:`.questions` reads ``rules/questions.yaml`` (the question for every askable fact,
  and the sentences explanations use), validated at start-up;
- :mod:`.why_not` reports, for one move, every rule that could recommend it and the
  conditions that held and did not;
- :mod:`.counterfactual` changes one fact at a time, lets the engine advise again, and
  ranks the questions whose answer would change the advice;
- :mod:`.wording` gives every text of an explanation in its language, by id;
- :mod:`.render` shows both in a terminal (``escalate why-not``, ``escalate advise
  --explain``, in :mod:`escalate.cli`).

:class:`Explainer` asks one advisor's engine; :func:`explainer_for` gives the one kept
with an advisor (built on first use). The engine decides every result, these modules
only ask it and explain what it said.
"""

from __future__ import annotations

from escalate.advisor import Advisor, get_advisor
from escalate.explain.counterfactual import Counterfactuals
from escalate.explain.questions import Questions, load_questions
from escalate.explain.why_not import WhyNotReporter
from escalate.i18n.formats import ENGLISH
from escalate.i18n.words import Words
from escalate.models import Advice, Case, Explanation, MoveId, WhyNot
from escalate.text.glosses import read_explanation


class Explainer:
    """Why-not reports and counterfactual questions for one advisor."""

    def __init__(self, advisor: Advisor, questions: Questions, cap: int | None = None) -> None:
        self.questions = questions
        self.why_not_reporter = WhyNotReporter(advisor, questions)
        self.counterfactuals = Counterfactuals(advisor, questions, cap)

    def why_not(self, case: Case, move: MoveId, advice: Advice | None = None,
                lang: str = ENGLISH) -> WhyNot:
        """Why ``move`` is, or is not, recommended for ``case``, in ``lang`` (the
        language of ``advice`` when it is given)."""
        return self.why_not_reporter.report(case, move, advice, lang)

    def explain(self, case: Case, advice: Advice | None = None,
                lang: str = ENGLISH) -> Explanation:
        """The questions whose answer would change the advice for ``case``, in ``lang``
        (the language of ``advice`` when it is given)."""
        lang = advice.language if advice is not None else lang
        return self.counterfactuals.explain(case, advice, self._words(lang))

    def advise(self, case: Case, lang: str = ENGLISH) -> Advice:
        """The advice for ``case`` in ``lang``, with its ``explanation`` in the same
        language; what the explanation says in English joins the advice's
        ``fallbacks``."""
        advice = self.counterfactuals.advisor.advise(case, lang)
        words = self._words(lang)
        explanation = read_explanation(self.counterfactuals.explain(case, advice, words),
                                       lang)
        return advice.model_copy(update={
            "explanation": explanation,
            "fallbacks": list(dict.fromkeys(advice.fallbacks + words.fallbacks()))})

    def _words(self, lang: str) -> Words:
        return Words(self.counterfactuals.advisor.locales[lang])


def explainer_for(advisor: Advisor | None = None, questions: Questions | None = None
                  ) -> Explainer:
    """The explainer of ``advisor`` (the process-wide advisor by default), built on first
    use and kept with the advisor; ``questions``: its rules folder's questions, when
    already loaded and checked (start-up loads them)."""
    chosen = advisor if advisor is not None else get_advisor()
    return chosen.part("explainer", lambda: Explainer(
        chosen, questions if questions is not None
        else load_questions(chosen.rulebook.directory)))


__all__ = ["Explainer", "explainer_for"]
