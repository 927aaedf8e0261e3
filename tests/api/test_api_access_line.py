"""The access line, written straight to standard error or through logging, is the same.

With the service's own logging (api.logging.configure_logging) the access line is
formatted once and written without a LogRecord; with any other configuration (a handler
of the embedding application, a filter) it goes through logging as every other line.
Either way: one JSON line a request, in the formatter's shape, never the body or the
query; a level above INFO silences it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.logging import LOGGER_NAME, JsonFormatter, access_log
from api.main import create_app
from api.settings import Settings
from escalate import Advisor, default_rules_dir
from escalate.models import EXAMPLE_CASE

SECRET = "Quillonbrae"
FIELDS = ["time", "level", "logger", "message", "method", "path", "status", "duration_ms",
          "rules_version"]


def _case() -> dict[str, Any]:
    case = json.loads(json.dumps(EXAMPLE_CASE))
    case["student"]["name"] = SECRET
    case["concern"]["summary"] = SECRET
    return case


def _access(err: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "escalate.api.access"]


@pytest.fixture
def client(advisor: Advisor) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rules_dir=default_rules_dir()),
                               advisor=advisor)) as test_client:
        yield test_client


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_the_line_has_the_formatters_shape_and_no_case_content(
        client: TestClient, advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    client.post(f"/v1/advice?lang=es&who={SECRET}", json=_case())
    client.post("/v1/advice", json=_case())
    err = capsys.readouterr().err
    lines = _access(err)
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("POST", "/v1/advice", 200)] * 2
    for line in lines:
        assert list(line) == FIELDS
        assert line["level"] == "INFO" and line["message"] == "request"
        assert line["rules_version"] == advisor.rules_version
    assert SECRET not in err


def test_a_handler_of_the_application_gets_the_record(
        client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    kept = Kept()
    access_log.addHandler(kept)
    try:
        capsys.readouterr()
        client.post("/v1/advice", json=_case())
    finally:
        access_log.removeHandler(kept)
    [record] = kept.records
    assert (record.getMessage(), record.method, record.path, record.status) == (  # type: ignore[attr-defined]
        "request", "POST", "/v1/advice", 200)
    # and the service's own line, through logging, reads as the direct one
    [line] = _access(capsys.readouterr().err)
    assert list(line) == FIELDS
    assert json.loads(JsonFormatter().format(record))["path"] == line["path"]
    assert SECRET not in JsonFormatter().format(record)


@pytest.mark.parametrize("where", ["logger", "handler"])
def test_a_filter_still_decides(client: TestClient, capsys: pytest.CaptureFixture[str],
                                where: str) -> None:
    target: logging.Filterer = (access_log if where == "logger"
                                else logging.getLogger(LOGGER_NAME).handlers[0])
    quiet = logging.Filter("nothing.matches.this")
    target.addFilter(quiet)
    try:
        capsys.readouterr()
        client.post("/v1/advice", json=_case())
        assert _access(capsys.readouterr().err) == []
    finally:
        target.removeFilter(quiet)


def test_above_info_no_access_line(client: TestClient,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    parent = logging.getLogger(LOGGER_NAME)
    level = parent.level
    parent.setLevel(logging.WARNING)
    try:
        capsys.readouterr()
        client.post("/v1/advice", json=_case())
        assert _access(capsys.readouterr().err) == []
    finally:
        parent.setLevel(level)
    client.post("/v1/advice", json=_case())
    assert len(_access(capsys.readouterr().err)) == 1
