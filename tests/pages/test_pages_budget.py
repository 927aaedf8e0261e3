"""The page's request budget (api/limits.py): a form, a saved file or a case_json over a
bound is refused before any page is built from it, in the page's language and naming
the bound; a real case's answers are never refused."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import limits
from api.pages.form import values_from_data
from escalate import Advisor, Case
from escalate.examples import example_cases

CONCERN = {"topic": "services", "school_response": "refused"}
ROWS = {"concern": CONCERN, "history": [{}] * 125_000}


def _file(data: Any) -> dict[str, tuple[str, bytes, str]]:
    body = json.dumps(data, separators=(",", ":")).encode()
    return {"case_file": ("case.json", body, "application/json")}


def test_a_saved_file_of_125000_empty_history_rows_is_refused_naming_the_bound(
        client: TestClient) -> None:
    """It once blocked a worker for 24 s and returned 468 MB of HTML."""
    response = client.post("/resume", files=_file(ROWS))
    assert response.status_code == 413
    assert f"{limits.MAX_SAVED_FILE_BYTES // 1024} KB" in response.text
    assert len(response.content) < 200_000  # the intake, not a row per history entry
    spanish = client.post("/resume?lang=es", files=_file(ROWS))
    assert spanish.status_code == 413 and "como máximo" in spanish.text


@pytest.mark.parametrize("path", ["/", "/advice", "/resume", "/save", "/letter",
                                  "/calendar"])
def test_a_case_with_more_history_rows_than_a_case_can_have_is_refused(
        client: TestClient, path: str) -> None:
    data = {"concern": CONCERN, "history": [{"move": "written_concern",
                                             "outcome": "pending"}] * 150}
    if path == "/resume":
        response = client.post(path, files=_file(data))
    else:
        response = client.post(path, data={"case_json": json.dumps(data),
                                           "move": "written_concern", "format": "pdf"})
    assert response.status_code == 422
    assert f"{limits.MAX_HISTORY_ROWS}" in response.text
    spanish = client.post(path, data={"case_json": json.dumps(data), "lang": "es",
                                      "move": "written_concern", "format": "pdf"}) \
        if path != "/resume" else client.post(path, data={"lang": "es"}, files=_file(data))
    assert spanish.status_code == 422 and "como máximo" in spanish.text


@pytest.mark.parametrize("path", ["/", "/advice", "/save"])
def test_a_form_with_a_history_row_past_the_bound_is_refused(client: TestClient,
                                                             path: str) -> None:
    row = limits.MAX_HISTORY_ROWS + 50
    response = client.post(path, data={"concern.topic": "services",
                                       f"history.{row}.move": "written_concern"})
    assert response.status_code == 422
    assert f"{limits.MAX_HISTORY_ROWS}" in response.text


def test_a_form_with_too_many_fields_or_too_big_a_field_is_413(client: TestClient) -> None:
    many = {f"x{i}": "1" for i in range(limits.MAX_FORM_FIELDS + 1)}
    response = client.post("/advice", data=many)
    assert response.status_code == 413
    assert str(limits.MAX_FORM_FIELDS) in response.text
    big = {"case_json": "x" * (limits.MAX_FORM_FIELD_BYTES + 1)}
    response = client.post("/letter", data=big)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/plain")


def test_case_json_with_too_many_keys_is_refused(client: TestClient) -> None:
    data = {"concern": CONCERN, **{f"k{i}": 1 for i in range(limits.MAX_JSON_KEYS)}}
    response = client.post("/", data={"case_json": json.dumps(data)})
    assert response.status_code == 422


def test_a_list_like_summary_never_makes_a_letter_too_big(client: TestClient) -> None:
    """A summary of "1.\\n" * 666 once took 4 s to render as a PDF; it no longer reaches
    the letter (issue 21), and an answer to a blank is bounded and printed as text."""
    case = {"as_of": "2026-10-01", "concern": {**CONCERN, "summary": "1.\n" * 666}}
    for fmt in ("pdf", "docx"):
        response = client.post("/letter", data={"case_json": json.dumps(case),
                                                "move": "written_concern", "format": fmt,
                                                "answered": "1"})
        assert response.status_code == 200
    too_long = client.post("/letter", data={"case_json": json.dumps(case),
                                            "move": "written_concern", "format": "pdf",
                                            "answered": "1",
                                            "blank.parent_name": "x" * 5000})
    assert too_long.status_code in (413, 422)


def _summary(page: str) -> str:
    shown = re.search(r'<p id="summary">(.*?)</p>', page, re.S)
    assert shown, page[:500]
    return html.unescape(shown.group(1))


def _filled(page: str, name: str, value: str) -> bool:
    """Whether the form on the page holds this answer (a field, a ticked box, a choice)."""
    for field in re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page):
        if f'value="{html.escape(value)}"' in field and (
                'type="checkbox"' not in field or " checked" in field):
            return True
    for text in re.findall(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>',
                           page, re.S):
        if html.unescape(text).strip() == value.strip():
            return True
    select = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', page, re.S)
    return bool(select and re.search(
        rf'<option value="{re.escape(html.escape(value))}"[^>]* selected', select.group(0)))


@pytest.mark.parametrize("stem", sorted(example_cases()))
def test_every_example_is_within_the_budget(client: TestClient, advisor: Advisor,
                                            stem: str) -> None:
    """Each shipped case gets its advice when typed into the form (the library's summary
    for it), fills the form with every answer when opened as a saved file, and gets its
    letter."""
    example = example_cases()[stem]
    expected = advisor.advise(Case.model_validate(example)).summary
    values, _ = values_from_data(example)
    typed = client.post("/advice", data=values)
    assert typed.status_code == 200 and _summary(typed.text) == expected
    opened = client.post("/resume", files=_file(example))
    assert opened.status_code == 200
    unfilled = [name for name, value in values.items() if not _filled(opened.text, name, value)]
    assert not unfilled, f"the saved file's answers missing from the form: {unfilled}"
    response = client.post("/letter", data={"case_json": json.dumps(example),
                                            "move": "written_concern", "format": "pdf",
                                            "answered": "1"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
