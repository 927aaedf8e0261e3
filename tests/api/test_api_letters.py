"""POST /v1/letters/{move} and POST /v1/calendar: the same case body as the advice, a
letter in the asked format (query or Accept), a header and a note when the move was not
recommended, an .ics that parses, 4xx that name the field, and nothing in the log."""

from __future__ import annotations

import io
import json
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from pypdf import PdfReader

from escalate import Advisor
from escalate.letters import write_letter
from escalate.models import EXAMPLE_CASE, Case

SECRET = "Quillonwyn"  # a name escalate's own text never holds
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_letter_in_markdown_is_the_librarys_letter(client: TestClient,
                                                     advisor: Advisor) -> None:
    response = client.post("/v1/letters/escalate_chain_of_command", json=EXAMPLE_CASE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["x-escalate-recommended"] == "true"
    assert "attachment" in response.headers["content-disposition"]
    expected = write_letter(Case.model_validate(EXAMPLE_CASE), "escalate_chain_of_command",
                            "md", advisor).content
    assert response.content == expected
    assert response.headers["x-escalate-notice"].startswith("General information")


@pytest.mark.parametrize(("query", "accept", "media", "magic"), [
    ("?format=pdf", None, "application/pdf", b"%PDF"),
    ("", "application/pdf", "application/pdf", b"%PDF"),
    ("?format=docx", None, DOCX, b"PK"),
    ("", DOCX, DOCX, b"PK"),
    ("", "text/plain", "text/markdown", b">"),
    ("?format=md", "application/pdf", "text/markdown", b">"),  # the query wins
])
def test_the_format_comes_from_the_query_or_accept(
        client: TestClient, query: str, accept: str | None, media: str, magic: bytes) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.post(f"/v1/letters/request_iee{query}", json=EXAMPLE_CASE,
                           headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.content.startswith(magic)


def test_the_docx_opens(client: TestClient) -> None:
    response = client.post("/v1/letters/request_iep_meeting?format=docx", json=EXAMPLE_CASE)
    document = docx.Document(io.BytesIO(response.content))
    assert any("Jordan" in p.text for p in document.paragraphs)


def test_a_move_the_case_does_not_warrant_still_gets_a_letter_that_says_so(
        client: TestClient) -> None:
    response = client.post("/v1/letters/request_iep_meeting", json=EXAMPLE_CASE)
    assert response.status_code == 200
    assert response.headers["x-escalate-recommended"] == "false"
    assert "not recommended for these facts" in response.text


def test_a_move_without_a_letter_is_a_422_naming_the_move(client: TestClient) -> None:
    response = client.post("/v1/letters/parent_concerns_statement", json=EXAMPLE_CASE)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["loc"] == ["path", "move"] and "request_iee" in item["msg"]


def test_an_unknown_move_or_format_is_a_422_naming_it(client: TestClient) -> None:
    response = client.post("/v1/letters/request_ie", json=EXAMPLE_CASE)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "move"]
    assert "request_iee" in response.json()["detail"][0]["msg"]
    response = client.post("/v1/letters/request_iee?format=odt", json=EXAMPLE_CASE)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["loc"] == ["query", "format"] and "'pdf'" in item["msg"]


def test_an_accept_header_we_cannot_meet_is_a_406(client: TestClient) -> None:
    response = client.post("/v1/letters/request_iee", json=EXAMPLE_CASE,
                           headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/pdf" in response.json()["detail"]


def test_a_bad_case_is_a_422_naming_the_field(client: TestClient) -> None:
    bad: dict[str, Any] = json.loads(json.dumps(EXAMPLE_CASE))
    bad["concern"]["topic"] = SECRET
    for path in ("/v1/letters/request_iee", "/v1/calendar"):
        response = client.post(path, json=bad)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "concern", "topic"]
        assert SECRET not in response.text


def test_the_calendar_parses_and_names_each_step_and_citation(client: TestClient,
                                                              advisor: Advisor) -> None:
    response = client.post("/v1/calendar", json=EXAMPLE_CASE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    advice = advisor.advise(Case.model_validate(EXAMPLE_CASE))
    ahead = [d for d in advice.deadlines if d.days_left >= 0]
    assert len(events) == len(ahead)
    titles = {m.id: m.title for m in advisor.rulebook.moves}
    for event, deadline in zip(sorted(events, key=lambda e: (e.decoded("dtstart"),
                                                            str(e["summary"]))),
                               sorted(ahead, key=lambda d: (d.due, d.label)), strict=True):
        assert event.decoded("dtstart") == deadline.due
        assert deadline.label in str(event["summary"])
        assert titles[deadline.move.value] in str(event["description"])
        assert deadline.citation in str(event["description"])
        assert "not legal advice" in str(event["description"])


def test_a_calendar_with_no_date_ahead_is_still_a_valid_calendar(client: TestClient) -> None:
    # RFC 5545 wants at least one component; an empty VCALENDAR is refused by strict
    # readers. A case whose dates are all past gets one that adds no event.
    case = {"as_of": "2026-11-23", "concern": {"topic": "services",
                                               "school_response": "agreed"}}
    response = client.post("/v1/calendar", json=case)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar.subcomponents, "a VCALENDAR needs at least one component"
    assert not list(calendar.walk("VEVENT"))
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
    text = response.content.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZOFFSETTO:+0000" in text


def test_letters_and_calendars_leave_nothing_in_the_log(
        client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    case: dict[str, Any] = json.loads(json.dumps(EXAMPLE_CASE))
    case["student"]["name"] = SECRET
    case["concern"]["summary"] = f"{SECRET} ![x](http://{SECRET}.invalid/x.png)"
    capsys.readouterr()
    for fmt in ("md", "docx", "pdf"):
        assert client.post(f"/v1/letters/request_iee?format={fmt}", json=case).status_code \
            == 200
    assert client.post("/v1/calendar", json=case).status_code == 200
    captured = capsys.readouterr()
    assert SECRET not in captured.err and SECRET not in captured.out


# ---------------------------------------------------------------- issue 21: blanks

def _blank_names(client: TestClient, move: str, body: dict[str, Any]) -> list[str]:
    response = client.post(f"/v1/letters/{move}", json=body)
    assert response.status_code == 200
    return [n for n in response.headers["x-escalate-blanks"].split(",") if n]


def test_answered_blanks_give_a_final_letter(client: TestClient) -> None:
    names = _blank_names(client, "request_iee", EXAMPLE_CASE)
    assert "director" in names and "parent_name" in names and "parent_role" in names
    answers = {n: "Ana # [link](http://x.invalid)" for n in names if n != "parent_role"}
    answers["parent_role"] = "father"
    response = client.post("/v1/letters/request_iee?format=md",
                           json={"case": EXAMPLE_CASE, "blanks": answers})
    assert response.status_code == 200 and response.headers["x-escalate-blanks"] == ""
    text = response.text
    assert "Before you send" not in text and "father of Jordan" in text
    assert "Ana \\# \\[link\\](http://x.invalid)" in text  # literal text, never a link
    docx_response = client.post("/v1/letters/request_iee?format=docx",
                                json={"case": EXAMPLE_CASE, "blanks": answers})
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_response.content))
                      .paragraphs)
    assert "Ana # [link](http://x.invalid)" in words and "Before you send" not in words


@pytest.mark.parametrize(("blanks", "name", "says"), [
    ({"nope": "x"}, "nope", "no such blank"),
    ({"parent_role": "aunt"}, "parent_role", "mother"),
    ({"director": "x" * 301}, "director", "300"),
])
def test_a_bad_answer_is_a_422_naming_the_blank(client: TestClient, blanks: dict[str, str],
                                                name: str, says: str) -> None:
    response = client.post("/v1/letters/request_iee",
                           json={"case": EXAMPLE_CASE, "blanks": blanks})
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["loc"] == ["body", "blanks", name] and says in item["msg"]
    assert "x" * 40 not in response.text  # the value is never echoed


def test_a_bad_case_inside_a_body_with_blanks_names_the_field(client: TestClient) -> None:
    bad = dict(EXAMPLE_CASE, concern={"topic": "nope", "school_response": "refused"})
    response = client.post("/v1/letters/request_iee", json={"case": bad, "blanks": {}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "case", "concern", "topic"]


def _letter_words(fmt: str, content: bytes) -> str:
    """The words of a letter as its reader sees them, whatever the format."""
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    elif fmt == "pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    else:
        text = content.decode("utf-8")
    return " ".join(text.split())


@pytest.mark.parametrize("value", ["Sam\x01", "Sam\x0b\x1f", "Sam\ufffe", "Sam\uffff"])
def test_control_characters_never_break_a_docx(client: TestClient, value: str) -> None:
    """A name with control characters (pasted from elsewhere) still gives a letter that
    opens in every format and names the child without them, from the API and the page."""
    case = dict(EXAMPLE_CASE, student={"name": value, "grade": "4\x02", "has_iep": True},
                concern={"topic": "services", "school_response": "refused",
                         "summary": "a\x03b"})
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF"), ("md", b">")):
        response = client.post(f"/v1/letters/written_concern?format={fmt}", json=case)
        page = client.post("/letter", data={"case_json": json.dumps(case),
                                            "move": "written_concern", "format": fmt,
                                            "answered": "1", "blank.parent_name": value})
        for answer in (response, page):
            assert answer.status_code == 200 and answer.content.startswith(magic), fmt
            words = _letter_words(fmt, answer.content)
            assert "my child, Sam." in words and value not in words, (fmt, words[:300])
        assert "From: Sam," in _letter_words(fmt, page.content), fmt  # the page's blank


def test_a_spanish_letter_comes_with_its_english(client: TestClient) -> None:
    from escalate.examples import example_cases

    case = example_cases()["20_spanish_speaking_family"]
    response = client.post("/v1/letters/request_interpreter?lang=es&format=md",
                           json={"case": case, "blanks": {"parent_role": "mother",
                                                          "child_relation": "daughter"}})
    assert response.status_code == 200 and response.headers["content-language"] == "es"
    assert "Soy madre de Lucía" in response.text and "I am Lucía's parent" in response.text
