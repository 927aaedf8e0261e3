"""The page as issue 25's fourth review read it: a source's English title stays English.

The Spanish page gives a term's English at its first use (escalate/text/glosses.py, read
over the whole page by api.pages.text.read_html). When the first "IEP" on the page was
inside a source's English title, the title was garbled into "Best Practices for Advocates
Working With School Districts on programa de educación individualizado (IEP) Disputes".
"""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.core.cases import review_cases


def test_a_source_title_in_english_is_not_glossed_on_the_spanish_page(
        client: TestClient) -> None:
    case = review_cases()["review4_ga_drugs_expedited_pending"]
    discipline = case["discipline"]
    data = {"lang": "es", "state": case["state"], "as_of": case["as_of"],
            "student.name": case["student"]["name"], "student.grade": case["student"]["grade"],
            "student.has_iep": "on", "concern.topic": "discipline",
            "concern.school_response": "refused",
            "discipline.days_removed": str(discipline["days_removed"]),
            "discipline.consecutive_days": str(discipline["consecutive_days"]),
            "discipline.change_of_placement_proposed": "on",
            "discipline.decision_date": discipline["decision_date"],
            "discipline.special_circumstances": discipline["special_circumstances"],
            "discipline.manifestation_result": discipline["manifestation_result"],
            "discipline.parent_disagrees_with_result": "on",
            "history.0.move": "expedited_hearing", "history.0.date": "2026-11-20",
            "history.0.outcome": "pending"}
    response = client.post("/advice", data=data)
    assert response.status_code == 200
    page = html.unescape(response.text)
    titles = re.findall(r'<cite lang="en">(.*?)</cite>', page, re.S)
    assert "Best Practices for Advocates Working With School Districts on IEP Disputes" in titles
    assert not any("programa de educación" in title for title in titles), titles
    # the term is still given its English once, in the Spanish text around the titles
    text = re.sub(r"<cite\b.*?</cite>|<[^>]+>", " ", page, flags=re.S)
    assert "programa de educación individualizado (IEP)" in " ".join(text.split())


def test_the_days_removed_question_reads_as_spanish(client: TestClient) -> None:
    """The label said "Días escolares que retiraron a mi hijo o hija" (a removal is not
    something done for a number of days in Spanish); it says the days the child was out."""
    page = html.unescape(client.get("/?lang=es").text)
    label = re.search(r'<label for="f-discipline-days_removed"[^>]*>(.*?)</label>', page, re.S)
    assert label, "the days-removed question is missing"
    text = " ".join(re.sub(r"<[^>]+>", " ", label.group(1)).split())
    assert "retiraron a mi" not in text, text
    assert "fuera de la escuela por disciplina" in text, text
