"""What issue 25's second review found, each class held on rendered text.

The review read the Spanish and English of cases built for it (tests/data/review_cases.json;
the texts a family reads for them are also held by test_plain_sentences, test_explain_family
and test_spanish_glossary) as a translator and a parent advocate. The classes fixed here:

- **Massachusetts's unit.** 603 CMR 28.05 gives 45 *school working days* for an
  evaluation; every sentence that states the length or labels the date names that unit
  (not "school days"), in both languages, while the date is counted as school days are
  (603 CMR 28.02 defines no other count). A state counted in school days keeps its name.
- **English left in the Spanish state listing.** A parent center's name is a proper name
  only; what it is and where it works is its ``area``, which is translated. A territory
  with no state file is not called a state.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from escalate import Advisor, Escalate
from escalate.days import add_length
from escalate.models import Advice
from escalate.strict import parse_yaml
from tests.core.cases import case

ROOT = Path(__file__).resolve().parent.parent.parent
CONSENT = dt.date(2026, 9, 15)


def _evaluation(advisor: Advisor, state: str, lang: str) -> Advice:
    return advisor.advise(case(
        state=state, as_of="2026-12-01",
        student={"has_iep": False, "disability_suspected": True},
        concern={"topic": "evaluation", "school_response": "no_response"},
        evaluation={"completed": False, "consent_date": CONSENT.isoformat()}), lang)


def _evaluation_texts(advice: Advice) -> list[str]:
    """The sentences that state the evaluation's length or label its date."""
    texts = [d.label for d in advice.deadlines if "evaluat" in d.label.lower()
             or "evaluación" in d.label.lower()]
    texts += [r.text for rec in advice.recommendations for r in rec.reasons
              if "45" in r.text]
    return texts


@pytest.mark.parametrize(("lang", "unit", "other"), [
    ("en", "school working days", "45 school days"),
    ("es", "días hábiles escolares", "45 días escolares"),
])
def test_massachusetts_names_its_unit_school_working_days(advisor: Advisor, lang: str,
                                                          unit: str, other: str) -> None:
    advice = _evaluation(advisor, "MA", lang)
    texts = _evaluation_texts(advice)
    assert any(unit in text for text in texts), texts
    assert not any(other in text for text in texts), texts
    due = next(d.due for d in advice.deadlines if d.citation.startswith("603 CMR 28.05"))
    # counted as school days: weekdays less US federal holidays and listed closures
    assert due == add_length(CONSENT, 45, "school_days") == dt.date(2026, 11, 19)


@pytest.mark.parametrize(("lang", "unit"), [("en", "school days"),
                                            ("es", "días escolares")])
def test_a_state_counted_in_school_days_keeps_that_name(advisor: Advisor, lang: str,
                                                         unit: str) -> None:
    """Connecticut's 45 school days are school days: the other side of the rule."""
    texts = _evaluation_texts(_evaluation(advisor, "CT", lang))
    assert any(unit in text for text in texts), texts
    assert not any("hábiles escolares" in t or "working days" in t for t in texts), texts


def test_the_massachusetts_listing_names_the_unit(advisor: Advisor) -> None:
    service = Escalate.around(advisor)
    for lang, unit in (("en", "45 school working days"), ("es", "45 días hábiles escolares")):
        info = service.state("MA", lang)
        assert info is not None
        assert unit in service.render_state(info, lang)


def _centers() -> list[dict[str, Any]]:
    raw = parse_yaml(
        (ROOT / "rules" / "parent_centers.yaml").read_text(encoding="utf-8"))
    return [center for centers in raw.values() if isinstance(centers, list)
            for center in centers if isinstance(center, dict)]


def test_a_parent_centers_name_is_only_its_name() -> None:
    """"Learning Disabilities Association of Hawaii (LDAH), the Pacific Island PTI" put an
    English description into every language's listing: a description goes in ``area``."""
    named = [center["name"] for center in _centers()
             if any(f", {word} " in center["name"] for word in ("the", "a", "an", "serving"))]
    assert not named


@pytest.mark.parametrize("code", ["GU", "AS", "MP", "VI"])
def test_the_spanish_listing_of_a_territory_is_spanish(advisor: Advisor, code: str) -> None:
    service = Escalate.around(advisor)
    info = service.state(code, "es")
    assert info is not None
    text = service.render_state(info, "es")
    english = service.render_state(info, "en")
    assert "territorio" in text.splitlines()[0]
    for center in _centers():
        if center.get("area") and center["area"] in english:
            assert center["area"] not in text
    assert not [w for w in (" the ", " serves ", " with ", " from ") if w in text]
