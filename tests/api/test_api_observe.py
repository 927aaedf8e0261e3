"""What a client chooses cannot grow the metrics or forge the log: made-up HTTP methods
are counted as ``other``; routes are templates; every log text loses ANSI escapes and
control characters and the method is cut; a client that hangs up mid-body is a 499, not
a 500, in the log and the metrics."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.logging import MAX_LOGGED_METHOD, JsonFormatter
from api.observe import CLIENT_CLOSED


def _request_series(client: TestClient) -> list[dict[str, str]]:
    text = client.get("/metrics").text
    return [dict(sample.labels) for family in text_string_to_metric_families(text)
            if family.name == "escalate_http_requests"
            for sample in family.samples if sample.name.endswith("_total")]


def test_made_up_methods_are_counted_as_other_and_the_metrics_stay_flat(
        client: TestClient) -> None:
    """6,000 made-up methods once added 74 MB to /metrics that never came back."""
    for i in range(50):
        client.request(f"M{i:04d}" + "X" * 200, "/v1/advice")
    before = len(client.get("/metrics").content)
    for i in range(50, 500):
        client.request(f"M{i:04d}" + "X" * 200, f"/nowhere/{i}")
    series = _request_series(client)
    assert {s["method"] for s in series} <= {"GET", "POST", "HEAD", "other"}
    assert {s["route"] for s in series} <= {"/v1/advice", "/metrics", "unmatched"}
    # the exposition grows only by the new (other, unmatched) series, not per request
    assert len(client.get("/metrics").content) < before + 4096


def test_log_lines_carry_no_escape_sequences_or_control_characters() -> None:
    record = logging.makeLogRecord({
        "name": "escalate.api.access", "levelname": "INFO", "msg": "request \x1b[31mred",
        "path": "/\x1b[2J\x1b]0;owned\x07x\r\nFAKE\x00", "method": "GET\x1b[0m",
        "stack": ["a\x1bb"]})
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\x1b" not in line and "\\u001b" not in line and "\\u0000" not in line
    assert entry["path"] == "/x  FAKE" and entry["method"] == "GET"
    assert entry["message"] == "request red"


def test_the_access_log_cuts_the_method(client: TestClient,
                                        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="escalate.api.access"):
        client.request("Y" * 60_000, "/healthz")
    methods = [r.method for r in caplog.records if hasattr(r, "method")]
    assert methods and all(len(m) <= MAX_LOGGED_METHOD + 3 for m in methods)


def _send_half_a_body(client: TestClient) -> list[dict[str, Any]]:
    """POST /v1/advice whose client leaves after half its body; what the app sends."""
    app = client.app
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/v1/advice", "raw_path": b"",
             "root_path": "", "query_string": b"", "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8000),
             "headers": [(b"content-type", b"application/json"),
                         (b"content-length", b"400")]}
    incoming = [{"type": "http.request", "body": b'{"concern": {', "more_body": True},
                {"type": "http.disconnect"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return sent


def test_a_client_hanging_up_mid_body_is_a_499_not_a_500(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="escalate.api"):
        sent = _send_half_a_body(client)
    assert sent == []  # nobody to answer
    statuses = [r.status for r in caplog.records if hasattr(r, "status")]
    assert statuses == [CLIENT_CLOSED]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    series = _request_series(client)
    assert {"method": "POST", "route": "unmatched", "status": "499"} in series or \
        {"method": "POST", "route": "/v1/advice", "status": "499"} in series
    assert not [s for s in series if s["status"] == "500"]
