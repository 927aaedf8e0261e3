"""Explanations for intake tools: why a move is not recommended, and which question would
change the advice.

- :mod:`.questions` reads ``rules/questions.yaml`` (the question for every askable fact,
  and the sentences explanations use), validated at start-up;
- :mod:`.why_not` reports, for one move, every rule that could recommend it and the
  conditions that held and did not;
- :mod:`.counterfactual` changes one fact at a time, lets the engine advise again, and
  ranks the questions whose answer would change the advice;
- :mod:`.render` and :mod:`.cli` show both in a terminal (``escalate why-not``,
  ``escalate advise --explain``).

:class:`Explainer` is what the advisor holds (``Advisor.explainer``); the engine decides
every result, these modules only ask it and explain what it said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from escalate.explain.counterfactual import Counterfactuals
from escalate.explain.questions import Questions
from escalate.explain.why_not import WhyNotReporter
from escalate.models import Advice, Case, Explanation, MoveId, WhyNot

if TYPE_CHECKING:
    from escalate.advisor import Advisor


class Explainer:
    """Why-not reports and counterfactual questions for one advisor."""

    def __init__(self, advisor: Advisor, questions: Questions, cap: int | None = None) -> None:
        self.questions = questions
        self.why_not_reporter = WhyNotReporter(advisor, questions)
        self.counterfactuals = Counterfactuals(advisor, questions, cap)

    def why_not(self, case: Case, move: MoveId, advice: Advice | None = None) -> WhyNot:
        """Why ``move`` is, or is not, recommended for ``case``."""
        return self.why_not_reporter.report(case, move, advice)

    def explain(self, case: Case, advice: Advice | None = None) -> Explanation:
        """The questions whose answer would change the advice for ``case``."""
        return self.counterfactuals.explain(case, advice)

    def advise(self, case: Case) -> Advice:
        """The advice for ``case`` with its ``explanation``."""
        advice = self.counterfactuals.advisor.advise(case)
        return advice.model_copy(update={"explanation": self.explain(case, advice)})


__all__ = ["Explainer"]
