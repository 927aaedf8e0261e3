"""A reason that states a length states the value in force for the case's state and date
(ladder.md section 13): California's records clock is 5 business days (Cal. Educ. Code
56504), never the federal 45 days beside a California date; North Carolina's evaluation
clock is 90 days from the referral. Without a state the federal figure is stated, and the
reason says a state may have its own."""

from __future__ import annotations

from typing import Any

import pytest

from escalate import Advisor
from escalate.models import Advice

from .cases import case


def reason_texts(advice: Advice, move: str) -> list[str]:
    return [r.text for rec in advice.recommendations if rec.move.value == move
            for r in rec.reasons]


def records_case(**parts: Any) -> Any:
    return case(concern={"topic": "services", "school_response": "refused"},
                history=[{"move": "request_records", "date": "2026-11-01",
                          "outcome": "no_response"}], **parts)


@pytest.mark.parametrize(("state", "said", "not_said"), [
    ("CA", "5 business days", "45 days"),
    ("NC", "45 days", "business days"),   # no state value: the federal 45 days
    (None, "45 days", "business days"),
])
def test_records_reason_states_the_length_in_force(advisor: Advisor, state: str | None,
                                                   said: str, not_said: str) -> None:
    parts = {"state": state} if state else {}
    advice = advisor.advise(records_case(**parts))
    # past California's 5 business days the records are demanded (ladder.md section 12)
    texts = " ".join(reason_texts(advice, "request_records")
                     + reason_texts(advice, "demand_overdue_duty"))
    assert said in texts and not_said not in texts


def test_records_reason_in_spanish_states_californias_length(advisor: Advisor) -> None:
    advice = advisor.advise(records_case(state="CA"), "es")
    texts = " ".join(reason_texts(advice, "request_records")
                     + reason_texts(advice, "demand_overdue_duty"))
    assert "5 días hábiles" in texts and "45" not in texts


@pytest.mark.parametrize(("state", "said"), [
    ("NC", "within 90 days from the referral."),
    ("CA", "within 60 days from the parent's consent."),
    (None, "within 60 days from the parent's consent, or the state's own timeline."),
])
def test_evaluation_reason_states_the_length_and_start_in_force(
        advisor: Advisor, state: str | None, said: str) -> None:
    parts: dict[str, Any] = {"state": state} if state else {}
    advice = advisor.advise(case(student={"has_iep": False, "disability_suspected": True},
                                 concern={"topic": "evaluation", "school_response": "none_yet"},
                                 **parts))
    assert any(said in text for text in reason_texts(advice, "request_evaluation"))
