"""The web page in Spanish says the rules' words in Spanish too: the disclaimer on every
page, each move's summary and the date of the advice, as the advice's reasons and steps
already are (issue 14). A Spanish-speaking parent must not meet an English paragraph
between two Spanish ones."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.pages.form import values_from_data
from api.settings import Settings
from escalate import DISCLAIMER, Advisor
from escalate.examples import example_cases
from escalate.models import Case

EXAMPLES = example_cases()


@pytest.fixture(scope="module")
def client(advisor: Advisor) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(log_level="WARNING"), advisor=advisor)) as c:
        yield c


def _plain(page: str, css_class: str) -> list[str]:
    found = re.findall(rf'<p class="{css_class}"[^>]*>(.*?)</p>', page, re.S)
    return [html.unescape(" ".join(text.split())) for text in found]


def test_the_spanish_intake_page_carries_the_spanish_disclaimer(
        client: TestClient, advisor: Advisor) -> None:
    page = html.unescape(client.get("/", params={"lang": "es"}).text)
    spanish = advisor.locales["es"].text("text.disclaimer")
    assert spanish and "no asesoría legal" in spanish
    assert spanish in page
    assert DISCLAIMER not in page


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_the_spanish_advice_page_says_the_rules_words_in_spanish(
        client: TestClient, advisor: Advisor, stem: str) -> None:
    values, _ = values_from_data(EXAMPLES[stem])
    page = client.post("/advice", data={**values, "lang": "es"}).text
    advice = advisor.advise(Case.model_validate(EXAMPLES[stem]), "es")
    assert advice.disclaimer in html.unescape(page)
    assert DISCLAIMER not in html.unescape(page)
    english = {m.id.value: m.summary for m in advisor.moves()}
    shown = _plain(page, "move-summary")
    assert len(shown) == len(advice.recommendations)
    for rec, summary in zip(advice.recommendations, shown, strict=True):
        assert summary != english[rec.move.value], (rec.move.value, summary)
        assert summary == advisor.locales["es"].text(f"move.{rec.move.value}.summary")
    (as_of,) = _plain(page, "as-of")
    assert advice.as_of.isoformat() not in as_of and str(advice.as_of.year) in as_of
    section = page.split('<section class="deadlines"', 1)[-1].split("</section>", 1)[0]
    shown_text = html.unescape(re.sub(r"<[^>]+>", " ", section))  # not the data-due tags
    for deadline in advice.deadlines:
        assert deadline.due.isoformat() not in shown_text, deadline.label


def test_the_spanish_questions_are_explained_in_spanish(
        client: TestClient, advisor: Advisor) -> None:
    """Under each question, Spanish help (not the API's English field description), and
    the steps a family can say it already took by their Spanish titles."""
    from api.pages.form import QUESTIONS

    page = html.unescape(client.get("/", params={"lang": "es"}).text)
    helps = _plain(page, "help")
    assert helps
    for question in QUESTIONS.values():
        if question.help:
            assert not any(question.help in shown for shown in helps), question.name
    moves = {m.id.value for m in advisor.moves()}
    options = re.findall(r'<option value="([a-z_0-9]+)"[^>]*>([^<]*)</option>', page)
    titles = {value: html.unescape(title) for value, title in options if value in moves}
    assert titles
    for move, title in titles.items():
        assert title == advisor.locales["es"].text(f"move.{move}.title"), move
