"""The web page over HTTP (no browser): every shipped example entered through the form
gets the API's advice; problems are shown beside the question in words; the downloads;
the headers that keep the page private and self-contained; the API-key decision."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.pages.form import values_from_data
from api.settings import Settings
from escalate import Advisor
from escalate.examples import example_cases
from escalate.letters import letters_for
from escalate.models import Case

EXAMPLES = example_cases()


def _case_json(page: str) -> dict[str, Any]:
    found = re.search(r'name="case_json" value="([^"]*)"', page)
    assert found, "the advice page carries the case for its downloads"
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


def _shown_moves(page: str) -> list[str]:
    return re.findall(r'<li class="move" data-move="([a-z_0-9]+)"', page)


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_every_example_entered_in_the_form_gets_the_apis_advice(
        client: TestClient, advisor: Advisor, stem: str) -> None:
    example = EXAMPLES[stem]
    values, _ = values_from_data(example)
    response = client.post("/advice", data=values)
    assert response.status_code == 200, response.text[:2000]
    expected = advisor.advise(Case.model_validate(example))
    api = client.post("/v1/advice", json=example).json()
    assert api["summary"] == expected.summary
    page = response.text
    shown = re.search(r'<p id="summary">(.*?)</p>', page, re.S)
    assert shown and html.unescape(shown.group(1)) == expected.summary
    assert _shown_moves(page) == [r.move.value for r in expected.recommendations]
    shown_ladder = re.findall(r'<li data-move="([a-z_0-9]+)" data-status="([a-z_]+)"', page)
    ladder = [(r.move.value, r.status) for r in expected.ladder + expected.section_504_ladder]
    assert shown_ladder == ladder
    shown_dates = re.findall(r'<li data-move="([a-z_0-9]+)" data-due="([0-9-]+)"', page)
    assert shown_dates == [(d.move.value, d.due.isoformat()) for d in expected.deadlines]
    again = advisor.advise(Case.model_validate(_case_json(page)))
    assert again.model_dump(exclude={"trace"}) == expected.model_dump(exclude={"trace"})


def test_problems_are_shown_beside_the_question_in_words(client: TestClient) -> None:
    response = client.post("/advice", data={
        "concern.topic": "services", "discipline.days_removed": "twelve",
        "history.1.date": "2026-01-05", "as_of": "2026-11-23"})
    assert response.status_code == 422
    page = response.text
    assert 'role="alert"' in page
    # each problem sits in the question's own block, tied to its control
    assert re.search(r'id="f-concern-school_response-error">This question needs an answer',
                     page)
    assert 'aria-describedby="f-concern-school_response-help f-concern-school_response-error"' \
        in page
    # in the page's words, not the validator's; a history row's problem names its row
    assert re.search(r'id="f-discipline-days_removed-error">Type a whole number, like 12',
                     page)
    assert re.search(r'id="f-history-1-move-error">Step 2: This question needs an answer',
                     page)
    assert "Input should" not in page
    assert "twelve" in page  # the parent's answers are kept in the form...
    assert '"loc"' not in page and "{" not in re.sub(r"<script.*?</script>", "", page)


def test_a_date_after_the_advice_date_is_refused_as_the_api_refuses_it(
        client: TestClient) -> None:
    response = client.post("/advice", data={
        "concern.topic": "services", "concern.school_response": "refused",
        "as_of": "2026-11-23", "history.0.move": "written_concern",
        "history.0.date": "2026-12-01", "history.0.outcome": "refused"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert re.search(r'id="f-history-0-date-error">Step 1: the date is after the day the '
                     r'advice is for\. Check the year', page)
    assert "must be on or before as_of" not in page  # no field names on a family's page


def test_a_date_the_page_cannot_read_names_its_row_and_says_what_to_type(
        client: TestClient) -> None:
    response = client.post("/advice", data={
        "concern.topic": "services", "concern.school_response": "refused",
        "as_of": "2026-11-23", "history.0.move": "written_concern",
        "history.0.date": "2026-09-01", "history.0.outcome": "refused",
        "history.1.move": "request_iep_meeting", "history.1.date": "10/14/2026",
        "history.1.outcome": "refused", "evaluation.date": "2026-02-30"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    expected = ("Step 2: the date cannot be read. Pick it in the calendar, or type it as "
                "year-month-day, like 2026-10-14.")
    assert re.search(r'id="f-history-1-date-error">' + re.escape(expected), page)
    summary = re.search(r'id="error-summary".*?</div>', page, re.S)
    assert summary and expected in summary.group(0)
    assert re.search(r'id="f-evaluation-date-error">This date cannot be read\. Pick it', page)
    for field in ("evaluation.date", "history.1.date", "as_of", "violation.notice_date"):
        assert re.search(r'<input type="date" id="f-' + re.escape(field.replace(".", "-")),
                         page), field
    assert "YYYY" not in page and "violation.notice_date)" not in page
    assert "Never logged" not in page


def test_pages_are_private_and_self_contained(client: TestClient) -> None:
    example = EXAMPLES[sorted(EXAMPLES)[0]]
    for response in (client.get("/"), client.post("/advice", data=values_from_data(
            example)[0])):
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["cache-control"] == "no-store"
        assert "set-cookie" not in response.headers
        assert "information, not legal advice" in response.text.lower()
        assert "not on the server, not in cookies" in response.text
        # no external requests: every src/href of an asset is this service's own
        for url in re.findall(r'(?:src|href)="([^"]+)"', response.text):
            assert url.startswith(("/", "#")) or url.startswith(("https://", "http://")) \
                and "<a href=\"" + url in response.text, url  # a link out, never an asset
    # forms post the case; a GET form (the language switch) carries nothing but lang
    page = client.post("/advice", data=values_from_data(example)[0]).text
    for get_form in re.findall(r'<form[^>]*method="get".*?</form>', page, re.S):
        assert set(re.findall(r'name="([^"]+)"', get_form)) <= {"lang"}
    assert 'name="case_json"' in page and 'method="post"' in page


def test_a_saved_file_is_checked_as_the_api_checks_a_case(client: TestClient) -> None:
    saved = {"concern": {"topic": "services", "school_response": "refused"},
             "student": {"nmae": "Jordan"}, "as_of": "2026-11-23"}
    response = client.post("/resume", files={"case_file": (
        "case.json", json.dumps(saved).encode(), "application/json")})
    assert "This answer belongs to no question on this page." in response.text
    assert 'name="concern.topic"' in response.text


def test_the_states_parent_center_is_named_once_the_state_is_known(
        client: TestClient, advisor: Advisor) -> None:
    form = {"concern.topic": "services", "concern.school_response": "refused"}
    general = "Every state has a Parent Training and Information Center"
    page = html.unescape(client.post("/advice", data=form).text)
    assert general in page
    for code in ("NC", "CA", "GU"):  # a state; one with six centers; a territory
        page = html.unescape(client.post("/advice", data={**form, "state": code}).text)
        offered = [c for c in advisor.rulebook.parent_centers[code] if c.offered]
        for center in offered:
            assert center.name in page, (code, center.name)
            if center.url:
                assert f'href="{center.url}"' in page
        assert general not in page
    # a center not verified is not offered: the page keeps the general sentence
    unverified = html.unescape(client.post("/advice", data={**form, "state": "FL"}).text)
    assert general in unverified
    assert advisor.rulebook.parent_centers["FL"][0].name not in unverified


def test_save_then_resume_gives_back_the_same_answers(client: TestClient) -> None:
    example = EXAMPLES[sorted(EXAMPLES)[2]]
    values, _ = values_from_data(example)
    saved = client.post("/save", data=values)
    assert saved.status_code == 200
    assert saved.headers["content-disposition"].startswith("attachment")
    assert Case.model_validate(saved.json()) == Case.model_validate(example)
    resumed = client.post("/resume", files={"case_file": ("case.json", saved.content,
                                                          "application/json")})
    assert resumed.status_code == 200
    page = html.unescape(resumed.text)
    for name, value in values.items():
        n = re.escape(name)
        select = re.search(rf'<select[^>]*name="{n}"[^>]*>.*?</select>', page, re.S)
        textarea = re.search(rf'<textarea[^>]*name="{n}"[^>]*>([^<]*)</textarea>', page)
        tag = re.search(rf'<input[^>]*name="{n}"[^>]*>', page)
        if select:
            assert f'value="{value}" selected' in select.group(0), name
        elif textarea:
            assert textarea.group(1) == value, name
        else:
            assert tag, name
            assert " checked" in tag.group(0) if 'type="checkbox"' in tag.group(0) \
                else f'value="{value}"' in tag.group(0), name
    assert example["concern"]["summary"] in html.unescape(resumed.text)


def test_a_file_that_is_not_saved_answers_is_refused_in_words(client: TestClient) -> None:
    response = client.post("/resume", files={"case_file": ("x.json", b"not json", "text/plain")})
    assert response.status_code == 422
    assert "could not be read as saved answers" in response.text


def test_letters_and_calendar_download_from_the_advice_page(
        client: TestClient, advisor: Advisor) -> None:
    example = next(e for e in EXAMPLES.values() if advisor.advise(Case.model_validate(e))
                   .deadlines)
    page = client.post("/advice", data=values_from_data(example)[0]).text
    case_json = json.dumps(_case_json(page))
    move = next(m for m in _shown_moves(page)
                if letters_for(advisor).letters.get(m) is not None)
    # the letter button first asks the letter's blanks on a short form
    form = client.post("/letter", data={"case_json": case_json, "move": move,
                                        "format": "md"})
    assert form.status_code == 200 and "text/html" in form.headers["content-type"]
    names = re.findall(r'name="(blank\.[a-z0-9_]+)"', form.text)
    assert "blank.parent_name" in names and 'name="answered"' in form.text
    answers = {name: "Ana" for name in names if name != "blank.parent_role"}
    answers["blank.parent_role"] = "mother"
    letter = client.post("/letter", data={"case_json": case_json, "move": move,
                                          "format": "md", "answered": "1", **answers})
    assert letter.status_code == 200
    assert letter.headers["content-disposition"].startswith("attachment")
    assert "not legal advice" in letter.text.lower()
    assert "[" not in letter.text and "Before you send" not in letter.text  # final
    pdf = client.post("/letter", data={"case_json": case_json, "move": move, "format": "pdf",
                                       "answered": "1"})
    assert pdf.content.startswith(b"%PDF")
    bad = client.post("/letter", data={"case_json": case_json, "move": move, "format": "md",
                                       "answered": "1", "blank.parent_role": "aunt"})
    assert bad.status_code == 422 and "mother" in bad.text
    ics = client.post("/calendar", data={"case_json": case_json})
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")


def test_pages_need_no_api_key_and_can_be_turned_off(advisor: Advisor) -> None:
    keyed = Settings(api_keys="k-123", log_level="WARNING")  # type: ignore[arg-type]
    with TestClient(create_app(keyed, advisor=advisor)) as c:
        assert c.get("/").status_code == 200
        assert c.post("/v1/advice", json=EXAMPLES[sorted(EXAMPLES)[0]]).status_code == 401
    off = Settings(pages=False, log_level="WARNING")
    with TestClient(create_app(off, advisor=advisor)) as c:
        assert c.get("/").status_code == 404
        assert c.get("/pages-assets/page.css").status_code == 404


def test_an_intake_tool_can_open_the_page_filled_in(client: TestClient) -> None:
    # As the README shows: a form POSTed to / with one field, case_json (the API's body).
    case = {"state": "TX", "concern": {"topic": "services", "school_response": "refused"},
            "history": [{"move": "written_concern", "date": "2026-09-01",
                         "outcome": "no_response"}]}
    response = client.post("/?lang=es", data={"case_json": json.dumps(case)})
    assert response.status_code == 200
    page = response.text
    assert '<html lang="es">' in page
    assert re.search(r'<option value="TX" selected>', page)
    assert re.search(r'id="f-concern-topic".*?<option value="services" selected>', page, re.S)
    assert re.search(r'<input type="date" id="f-history-0-date" name="history.0.date"[^>]*'
                     r'value="2026-09-01"', page)
    assert 'id="summary"' not in page  # nothing is advised until the family asks


def test_nobody_may_frame_the_page_unless_the_deployment_names_who(advisor: Advisor) -> None:
    with TestClient(create_app(Settings(log_level="WARNING"), advisor=advisor)) as c:
        page = c.get("/")
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
    intake = Settings(frame_ancestors="https://intake.example.org, https://*.example.net",
                      log_level="WARNING")
    with TestClient(create_app(intake, advisor=advisor)) as c:
        for response in (c.get("/"), c.post("/advice", data={
                "concern.topic": "services", "concern.school_response": "refused"})):
            csp = response.headers["content-security-policy"]
            assert "frame-ancestors https://intake.example.org https://*.example.net" in csp
            assert "'none'" not in csp.split("frame-ancestors")[1].split(";")[0]
            assert "default-src 'none'" in csp  # the rest of the policy is unchanged
            assert "x-frame-options" not in response.headers  # it cannot name an origin
        docs = c.get("/docs").headers["content-security-policy"]
        assert "frame-ancestors 'none'" in docs  # only the page may be framed
    same = Settings(frame_ancestors="self", log_level="WARNING")
    with TestClient(create_app(same, advisor=advisor)) as c:
        page = c.get("/")
        assert page.headers["content-security-policy"].endswith("frame-ancestors 'self'")
        assert page.headers["x-frame-options"] == "SAMEORIGIN"


def test_a_page_text_file_missing_a_key_is_named_with_the_key(tmp_path: Any) -> None:
    import shutil
    from importlib import resources

    from api.pages.text import PageTextError, load_texts
    from escalate import default_rules_dir

    english = resources.files("api.pages") / "text"
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    page = rules / "locales" / "es" / "page.yaml"
    spanish = page.read_text(encoding="utf-8")
    page.write_text(spanish.replace("\nlanguage_name: Español\n", "\n"), encoding="utf-8")
    with pytest.raises(PageTextError, match=r"locales/es/page\.yaml, key 'language_name': "
                       r"missing key language_name"):
        load_texts(english, rules)
    page.write_text(spanish.replace("  concern.topic:", "  concern.tpoic:"), encoding="utf-8")
    with pytest.raises(PageTextError, match=r"locales/es/page\.yaml, key 'help\.concern\.tpoic'"
                       r": unknown key .*\(did you mean 'help\.concern\.topic'\?\)"):
        load_texts(english, rules)
    # English reads help from the case model; another language must word it itself
    page.write_text(spanish.replace("  violation.known_date: >-", "  violation.knwon_date: >-"),
                    encoding="utf-8")
    with pytest.raises(PageTextError, match=r"did you mean 'help\.violation\.known_date'"):
        load_texts(english, rules)
    page.write_text(spanish.replace("igual o mayor que {ge}", "igual o mayor que {minimum}"),
                    encoding="utf-8")
    with pytest.raises(PageTextError, match=r"error_types\.greater_than_equal: unknown "
                       r"placeholder minimum; accepted: ge"):
        load_texts(english, rules)
    page.write_text("labels: [\n", encoding="utf-8")
    with pytest.raises(PageTextError, match=r"locales/es/page\.yaml: not valid YAML at line 2"):
        load_texts(english, rules)
    page.unlink()
    with pytest.raises(PageTextError, match=r"locales/es/page\.yaml: is missing"):
        load_texts(english, rules)


def test_with_a_second_language_the_switch_appears_and_keeps_the_case(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.pages import text

    english = text.all_texts()["en"]
    other = {**english, "language_name": "Testish", "advice_title": "Tus próximos pasos"}
    monkeypatch.setattr(text, "all_texts", lambda: {"en": english, "xx": other})
    example = EXAMPLES[sorted(EXAMPLES)[0]]
    page = client.post("/advice", data=values_from_data(example)[0]).text
    switch = re.search(r'<form class="lang" method="post" action="/advice">.*?</form>', page,
                       re.S)
    assert switch and "Testish" in switch.group(0) and 'name="case_json"' in switch.group(0)
    again = client.post("/advice", data={"case_json": json.dumps(_case_json(page)),
                                         "lang": "xx"})
    assert again.status_code == 200
    assert '<html lang="xx">' in again.text and "Tus próximos pasos" in again.text
    assert _shown_moves(again.text) == _shown_moves(page)
    intake = client.get("/?lang=xx").text
    assert '<html lang="xx">' in intake and 'method="get" action="/"' in intake
    assert client.get("/?lang=zz").text.startswith("<!doctype html>\n<html lang=\"en\">")


def test_the_page_in_spanish_gives_the_spanish_advice(client: TestClient,
                                                      advisor: Advisor) -> None:
    example = EXAMPLES["20_spanish_speaking_family"]
    values, _ = values_from_data(example)
    page = client.post("/advice", data={**values, "lang": "es"}).text
    expected = advisor.advise(Case.model_validate(example), lang="es")
    assert '<html lang="es">' in page and "Sus siguientes pasos" in page
    shown = re.search(r'<p id="summary">(.*?)</p>', page, re.S)
    assert shown and html.unescape(shown.group(1)) == expected.summary
    assert expected.next_move is not None
    assert html.escape(expected.next_move.title) in page
    assert _shown_moves(page) == [r.move.value for r in expected.recommendations]
    # the cited articles are English: their titles are marked so (for screen readers too)
    assert '<cite lang="en">' in page and "</cite> (en inglés)" in page
    english_page = client.post("/advice", data=values).text
    assert '<cite lang="en">' in english_page and "(en inglés)" not in english_page
    intake = client.get("/?lang=es").text
    assert "Cuéntenos sobre el desacuerdo" in intake and '<html lang="es">' in intake
