"""The web page in Spanish, whole: the not-legal-advice statement, the help under every
question, the answer problems, the steps offered in the history rows, each move's
description and the dates are all Spanish; English stays as it was."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from api.pages.form import QUESTIONS, values_from_data
from api.pages.text import all_texts
from escalate import DISCLAIMER, Advisor
from escalate.examples import example_cases
from escalate.models import Case
from escalate.text.glosses import glosses_for

EXAMPLES = example_cases()
# The page gives a term's English once (escalate/text/glosses.py): a text shown on it is
# compared with the advice's, the glosses aside.
plain = glosses_for("es").plain


def _help(page: str) -> dict[str, str]:
    return {name: text for name, text in
            re.findall(r'<p class="help" id="f-([a-z0-9_-]+)-help">(.*?)</p>', page, re.S)}


def test_the_spanish_intake_has_no_english_help_or_statement(client: TestClient,
                                                             advisor: Advisor) -> None:
    english = html.unescape(client.get("/?lang=en").text)
    spanish = html.unescape(client.get("/?lang=es").text)
    assert DISCLAIMER in english
    statement = advisor.locales["es"].text("text.disclaimer")
    assert statement and statement in spanish and DISCLAIMER not in spanish
    english_help, spanish_help = _help(english), _help(spanish)
    assert english_help.keys() == spanish_help.keys() and spanish_help
    for name, text in spanish_help.items():
        assert text != english_help[name], name
    described = {q.help for q in QUESTIONS.values() if q.help}
    assert not any(text in spanish for text in described)


def test_the_history_rows_offer_the_steps_in_spanish(client: TestClient,
                                                     advisor: Advisor) -> None:
    spanish = html.unescape(client.get("/?lang=es").text)
    for move in advisor.moves("es"):
        assert f'<option value="{move.id.value}">{plain(move.title)}</option>' in plain(spanish)
    english_titles = {m.title for m in advisor.moves()} - {m.title for m in advisor.moves("es")}
    assert english_titles
    assert not any(f">{title}</option>" in spanish for title in english_titles)


def test_answer_problems_are_worded_in_spanish(client: TestClient) -> None:
    words = all_texts()["es"]
    response = client.post("/advice", data={
        "concern.topic": "services", "discipline.days_removed": "500", "lang": "es",
        "history.0.move": "written_concern", "history.0.date": "2026-12-01",
        "history.0.outcome": "refused", "violation.date": "2026-02-30",
        "as_of": "2026-11-23"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert re.search(r'id="f-concern-school_response-error">' + re.escape(
        words["errors_missing"]), page)
    assert re.search(r'id="f-discipline-days_removed-error">Escriba un número igual o '
                     r'menor que 366', page)
    assert re.search(r'id="f-violation-date-error">' + re.escape(
        words["date_problems"]["value_error"].format(what=words["this_date"])), page)
    assert "Input should" not in page and "YYYY" not in page
    # a date after the advice's day is checked once the answers are otherwise valid
    response = client.post("/advice", data={
        "concern.topic": "services", "concern.school_response": "refused", "lang": "es",
        "history.0.move": "written_concern", "history.0.date": "2026-12-01",
        "history.0.outcome": "refused", "as_of": "2026-11-23"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert re.search(r'id="f-history-0-date-error">' + re.escape(
        words["history_problem"].format(n=1, message=words["date_problems"][
            "date_after_as_of"].format(what=words["row_date"]))), page)
    assert "must be on or before" not in page


@pytest.mark.parametrize("stem", ["16_section_504_plan_not_followed",
                                  "20_spanish_speaking_family"])
def test_the_spanish_advice_page_describes_each_move_for_the_childs_plan(
        client: TestClient, advisor: Advisor, stem: str) -> None:
    values, _ = values_from_data(EXAMPLES[stem])
    raw = client.post("/advice", data={**values, "lang": "es"}).text
    page = html.unescape(raw)
    expected = advisor.advise(Case.model_validate(EXAMPLES[stem]), "es")
    shown = re.findall(r'<p class="move-summary">(.*?)</p>', page, re.S)
    assert [plain(x) for x in shown] == [plain(r.summary or "")
                                         for r in expected.recommendations]
    english = {m.summary for m in advisor.moves()}
    assert not set(shown) & english
    # dates are written for the reader; only the form's data keeps them as YYYY-MM-DD
    shown_text = html.unescape(re.sub(r'value="[^"]*"|data-[a-z]+="[^"]*"', "", raw))
    assert expected.as_of.isoformat() not in shown_text


def test_a_download_that_cannot_be_made_says_why_in_the_pages_language(
        client: TestClient) -> None:
    for lang in ("en", "es"):
        words = all_texts()[lang]
        bad_case = client.post("/calendar", data={"case_json": "{", "lang": lang})
        assert bad_case.status_code == 422 and bad_case.text == words["download_bad_case"]
        values, _ = values_from_data(EXAMPLES["01_new_concern"])
        page = client.post("/advice", data={**values, "lang": lang}).text
        case_json = html.unescape(re.search(r'name="case_json" value="([^"]*)"', page)
                                  .group(1))  # type: ignore[union-attr]
        no_letter = client.post("/letter", data={"case_json": case_json, "move": "nope",
                                                 "format": "md", "lang": lang})
        assert no_letter.status_code == 422 and no_letter.text == words["download_no_letter"]


def test_the_browsers_language_chooses_the_page_until_the_switch_is_used(
        client: TestClient) -> None:
    asked = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    assert '<html lang="es">' in client.get("/", headers=asked).text
    assert '<html lang="en">' in client.get("/?lang=en", headers=asked).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "fr"}).text
    assert '<html lang="en">' in client.get("/").text


def _plain(page: str, css_class: str) -> list[str]:
    found = re.findall(rf'<p class="{css_class}"[^>]*>(.*?)</p>', page, re.S)
    return [html.unescape(" ".join(text.split())) for text in found]


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_every_spanish_advice_page_says_the_rules_words_in_spanish(
        client: TestClient, advisor: Advisor, stem: str) -> None:
    """A Spanish-speaking parent never meets an English paragraph between two Spanish
    ones: the statement, each move's description, the advice's date and the deadlines."""
    values, _ = values_from_data(EXAMPLES[stem])
    page = client.post("/advice", data={**values, "lang": "es"}).text
    advice = advisor.advise(Case.model_validate(EXAMPLES[stem]), "es")
    assert plain(advice.disclaimer) in plain(html.unescape(page))
    assert DISCLAIMER not in html.unescape(page)
    english = {m.id.value: m.summary for m in advisor.moves()}
    shown = _plain(page, "move-summary")
    assert [plain(x) for x in shown] == [plain(r.summary or "")
                                         for r in advice.recommendations]
    for rec, summary in zip(advice.recommendations, shown, strict=True):
        assert summary != english[rec.move.value], (rec.move.value, summary)
    (as_of,) = _plain(page, "as-of")
    assert advice.as_of.isoformat() not in as_of and str(advice.as_of.year) in as_of
    section = page.split('<section class="deadlines"', 1)[-1].split("</section>", 1)[0]
    shown_text = html.unescape(re.sub(r"<[^>]+>", " ", section))  # not the data-due tags
    for deadline in advice.deadlines:
        assert deadline.due.isoformat() not in shown_text, deadline.label


def test_the_ladder_picture_shows_long_spanish_titles_whole(client: TestClient,
                                                            advisor: Advisor) -> None:
    """A rung's title longer than a line takes a second line instead of being cut."""
    values, _ = values_from_data(EXAMPLES["04_disagrees_with_evaluation"])
    page = client.post("/advice", data={**values, "lang": "es"}).text
    svg = page.split('<svg', 1)[1].split("</svg>", 1)[0]
    drawn = [html.unescape(re.sub(r"<[^>]+>", " ", text)).split()
             for text in re.findall(r'<text [^>]*class="title">(.*?)</text>', svg, re.S)]
    expected = advisor.advise(Case.model_validate(EXAMPLES["04_disagrees_with_evaluation"]),
                              "es").ladder
    assert any(len(r.title) > 40 for r in expected)
    # the picture's labels are plain: no English beside a term
    assert [" ".join(words) for words in drawn] == [plain(r.title) for r in reversed(expected)]


def test_the_state_question_names_the_states_in_the_pages_language(
        client: TestClient) -> None:
    spanish = html.unescape(client.get("/?lang=es").text)
    english = html.unescape(client.get("/?lang=en").text)
    assert ">Carolina del Norte (NC)</option>" in spanish and "North Carolina" not in spanish
    assert ">North Carolina (NC)</option>" in english


def test_the_spanish_letter_asks_its_blanks_in_spanish_and_comes_with_its_english(
        client: TestClient) -> None:
    import json

    words = all_texts()["es"]
    case_json = json.dumps(example_cases()["20_spanish_speaking_family"])
    form = client.post("/letter", data={"case_json": case_json, "move": "request_interpreter",
                                        "format": "md", "lang": "es"}).text
    assert words["blanks_title"] in form and words["blanks_submit"] in form
    assert ">su nombre<" in form and ">madre<" in form and ">hija<" in form
    letter = client.post("/letter", data={
        "case_json": case_json, "move": "request_interpreter", "format": "md", "lang": "es",
        "answered": "1", "blank.parent_role": "father", "blank.child_relation": "son",
        "blank.earlier_meeting": "held"}).text
    assert "Soy padre de Lucía" in letter and "mi hijo" in letter
    assert "I am Lucía's parent" in letter  # the English to send follows


def _page_as_read(page: str) -> str:
    """A page's text as read from the top: what is between the tags, less scripts, styles,
    the ladder's picture (its labels are plain: no English beside a term, checked
    below; the list under it says the same in words) and a source's English title (left
    as written, tests/pages/test_pages_fourth_review.py)."""
    pictures = re.findall(r"<svg\b.*?</svg>", page, flags=re.S | re.I)
    assert not [p for p in pictures if re.search(r"\((IEP|IEE|state complaint)\)", p)]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S | re.I)
    body = re.sub(r'<cite\b[^>]*\blang="en"[^>]*>.*?</cite>', " ", body, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", body)).split())


@pytest.mark.parametrize("name", ["08_discipline_removal", "15_hawaii_private_placement",
                                  "19_due_process_pending"])
def test_the_spanish_pages_give_the_english_of_a_term_once(client: TestClient,
                                                           name: str) -> None:
    """The page is one document (issue 25): each term a family hears in English (IEP,
    Prior Written Notice, stay-put...) has that English at its first use on the page and
    not after; the intake page and the advice page of examples with discipline, a
    private school and a pending hearing."""
    from tests.core.test_spanish_glossary import _gloss_problems

    intake = _page_as_read(client.get("/?lang=es").text)
    values, _ = values_from_data(EXAMPLES[name])
    advice = client.post("/advice", data={**values, "lang": "es"})
    assert advice.status_code == 200
    problems = [f"{where}: {problem}" for where, text in
                (("intake", intake), ("advice", _page_as_read(advice.text)))
                for problem in _gloss_problems(text)]
    assert not problems, "\n".join(problems)
    assert "(IEP)" in intake and intake.count("(IEP)") == 1
