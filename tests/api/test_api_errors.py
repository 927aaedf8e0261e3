"""Bad input is a 422 naming the field, never echoing values; big bodies are 413; internal
failures are 500 with an error id and no case data."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_advisor
from api.settings import Settings
from escalate import Advisor, EngineError
from escalate.models import EXAMPLE_CASE

MakeClient = Callable[[Settings, Any], TestClient]

# A name no real case uses: if it shows up in a response or a log line, data leaked.
SECRET_NAME = "Quillonzaby"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def case_with(**changes: Any) -> dict[str, Any]:
    """The contract's example case, with the child's name set to the secret, changed."""
    case = copy.deepcopy(EXAMPLE_CASE)
    case["student"]["name"] = SECRET_NAME
    case["concern"]["summary"] = f"{SECRET_NAME} needs an aide"
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = case
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return case


# (what is wrong, the body, the loc expected in detail, words the msg must contain)
BAD_CASES = [
    ("unknown field", case_with(student__nmae="x"), ["body", "student", "nmae"], "Extra inputs"),
    (
        "unknown top-level field",
        case_with(favourite_colour="blue"),
        ["body", "favourite_colour"],
        "Extra inputs",
    ),
    (
        "number sent as a string",
        case_with(discipline__days_removed="12"),
        ["body", "discipline", "days_removed"],
        "valid integer",
    ),
    (
        "wrong type for a flag",
        case_with(student__has_iep="yes"),
        ["body", "student", "has_iep"],
        "valid boolean",
    ),
    ("bad topic", case_with(concern__topic="homework"), ["body", "concern", "topic"], "'services'"),
    (
        "bad school response",
        case_with(concern__school_response="ignored"),
        ["body", "concern", "school_response"],
        "'policy_claim'",
    ),
    (
        "bad outcome",
        case_with(history__0__outcome="lost"),
        ["body", "history", 0, "outcome"],
        "'no_response'",
    ),
    (
        "bad violation kind",
        case_with(violation__kind="rude"),
        ["body", "violation", "kind"],
        "'failure_to_implement'",
    ),
    (
        "unknown move in history",
        case_with(history__1__move="sue_everyone"),
        ["body", "history", 1, "move"],
        "'request_iep_meeting'",
    ),
    (
        "date after as_of",
        case_with(history__1__date="2027-01-05"),
        ["body", "history", 1, "date"],
        "as_of",
    ),
    (
        "not a date",
        case_with(evaluation__date="May 1st"),
        ["body", "evaluation", "date"],
        "YYYY-MM-DD",
    ),
    ("bad state", case_with(state="XX"), ["body", "state"], "'NC'"),
    (
        "missing required topic",
        case_with(concern={"school_response": "refused", "summary": SECRET_NAME}),
        ["body", "concern", "topic"],
        "required",
    ),
]


@pytest.mark.parametrize(
    ("what", "body", "loc", "words"), BAD_CASES, ids=[case[0] for case in BAD_CASES]
)
def test_bad_input_is_422_naming_the_field_without_echoing_values(
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
    what: str,
    body: dict[str, Any],
    loc: list[Any],
    words: str,
) -> None:
    response = client.post("/v1/advice", json=body)
    assert response.status_code == 422, what
    detail = response.json()["detail"]
    assert isinstance(detail, list)
    matching = [item for item in detail if item["loc"] == loc]
    assert matching, f"{what}: no error names {loc}: {detail}"
    assert words in matching[0]["msg"], (what, matching[0]["msg"])
    for item in detail:
        assert "input" not in item
    assert SECRET_NAME not in response.text
    assert SECRET_NAME not in capsys.readouterr().err


def test_malformed_json_is_422(client: TestClient) -> None:
    body = b'{"student": {"name": "' + SECRET_NAME.encode() + b'", '
    response = client.post("/v1/advice", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["type"] == "json_invalid"
    assert detail[0]["loc"][0] == "body"
    assert SECRET_NAME not in response.text


def test_a_body_that_is_not_utf8_is_422_not_400(client: TestClient) -> None:
    response = client.post(
        "/v1/advice",
        content=b'{"case_id": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_body_that_is_not_an_object_is_422(client: TestClient) -> None:
    for body in ([EXAMPLE_CASE], "a string", 42, None):
        response = client.post(
            "/v1/advice", content=json.dumps(body), headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"][0] == "body"


def test_date_after_as_of_says_so(client: TestClient) -> None:
    response = client.post("/v1/advice", json=case_with(violation__date="2026-12-01"))
    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["loc"] == ["body", "violation", "date"]
    assert item["type"] == "date_after_as_of"
    assert "2026-12-01" not in response.text


def test_body_over_the_limit_is_413_before_it_is_parsed(
    settings: Settings, advisor: Advisor, make_client: MakeClient
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with make_client(small, advisor) as client:
        # Not JSON at all: a parser would say 422; the limit answers first.
        response = client.post(
            "/v1/advice", content=b"x" * 1001, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert "1000 bytes" in response.json()["detail"]
        # Exactly at the limit is read and parsed (and refused as bad JSON).
        at_limit = client.post(
            "/v1/advice", content=b"x" * 1000, headers={"content-type": "application/json"}
        )
        assert at_limit.status_code == 422


def test_chunked_body_over_the_limit_is_413(
    settings: Settings, advisor: Advisor, make_client: MakeClient
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 1000})

    def chunks() -> Iterator[bytes]:
        for _ in range(5):
            yield b"y" * 300

    with make_client(small, advisor) as client:
        response = client.post(
            "/v1/advice", content=chunks(), headers={"content-type": "application/json"}
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 413


def test_default_limit_is_one_mebibyte(client: TestClient) -> None:
    padded = case_with(concern__summary="a")
    padded["case_id"] = "p" * (1024 * 1024)
    response = client.post("/v1/advice", json=padded)
    assert response.status_code == 413


@pytest.mark.parametrize("error", [RuntimeError, KeyError, EngineError])
def test_internal_failure_is_500_with_an_error_id_and_no_case_data(
    client: TestClient,
    app: FastAPI,
    failing_advisor: Callable[[type[Exception]], Any],
    capsys: pytest.CaptureFixture[str],
    error: type[Exception],
) -> None:
    app.dependency_overrides[get_advisor] = lambda: failing_advisor(error)
    try:
        response = client.post("/v1/advice", json=case_with())
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 500
    body = response.json()
    assert UUID.match(body["error_id"])
    assert SECRET_NAME not in response.text
    log = capsys.readouterr().err
    assert SECRET_NAME not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    [logged] = [line for line in lines if line.get("error_id") == body["error_id"]]
    assert logged["level"] == "ERROR"
    assert logged["error_type"] == error.__name__
    # The service keeps serving after the failure.
    assert client.post("/v1/advice", json=case_with()).status_code == 200


def test_unknown_path_and_wrong_method_are_4xx(client: TestClient) -> None:
    assert client.get("/v1/nothing").status_code == 404
    assert client.get("/v1/advice").status_code == 405


def test_a_misspelt_value_is_answered_with_the_nearest_accepted_one(client: TestClient) -> None:
    body = {"concern": {"topic": "servics", "school_response": "refused"}}
    response = client.post("/v1/advice", json=body)
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "concern", "topic"]
    assert item["msg"].endswith("did you mean 'services'?")
    assert "servics" not in response.text
