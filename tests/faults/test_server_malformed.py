"""Two server workers under a burst of malformed requests: 4xx for each, never 500, and
the good requests after it still get exactly the right advice.

(The API's own two-worker test checks correct answers under concurrency; this one mixes
in the malformed load.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from escalate import Advisor, Case

from ._support import LOUD_CASE, QUIET_CASE, case_mix, escalate_server


def _deep(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def _deep_list(depth: int) -> str:
    return "[" * depth + "]" * depth


GOOD = json.dumps(LOUD_CASE)
MALFORMED: dict[str, tuple[bytes, dict[str, str]]] = {
    "not JSON": (b"{not json", {}),
    "truncated JSON": (GOOD[:-5].encode(), {}),
    "empty body": (b"", {}),
    "JSON null": (b"null", {}),
    "a list": (json.dumps([LOUD_CASE]).encode(), {}),
    "an empty list": (b"[]", {}),
    "a number": (b"42", {}),
    "a string": (b'"case"', {}),
    "nested 100,000 deep": (_deep(100_000).encode(), {}),
    "list nested 100,000 deep": (_deep_list(100_000).encode(), {}),
    "student nested 3,000 deep": (GOOD.replace('"student": {', '"student": ' + '{"a":' * 3000
                                               + "{", 1).replace("}", "}" + "}" * 3000, 1)
                                  .encode(), {}),
    "very wide object": (json.dumps({f"k{i}": i for i in range(40_000)}).encode(), {}),
    "very wide student": (json.dumps({**LOUD_CASE, "student": {f"k{i}": True
                                                                for i in range(20_000)}})
                          .encode(), {}),
    "huge string": (json.dumps({**LOUD_CASE, "case_id": "x" * 900_000}).encode(), {}),
    "huge body": (b'{"case_id": "' + b"x" * 2_000_000 + b'"}', {}),
    "numbers as strings": (json.dumps({**LOUD_CASE, "discipline": {"days_removed": "14"}})
                           .encode(), {}),
    "booleans as strings": (json.dumps({**LOUD_CASE, "student": {"has_iep": "true"}})
                            .encode(), {}),
    "not UTF-8": (b'{"case_id": "\xff\xfe"}', {}),
    "wrong content type": (GOOD.encode(), {"Content-Type": "text/plain"}),
    "date after as_of": (json.dumps({**LOUD_CASE, "violation": {"alleged": True,
                                                                "date": "2030-01-01"}})
                         .encode(), {}),
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with escalate_server(workers=2) as base:
        yield base


def _post(base: str, body: bytes, headers: dict[str, str]) -> int:
    with httpx.Client(base_url=base, timeout=60) as http:
        response = http.post("/v1/advice", content=body,
                             headers={"Content-Type": "application/json", **headers})
        return response.status_code


def test_malformed_burst_gets_4xx_then_good_requests_get_the_right_advice(
        server: str, advisor: Advisor) -> None:
    jobs = [(name, body, headers) for _ in range(3)
            for name, (body, headers) in MALFORMED.items()]
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda job: (job[0], _post(server, job[1], job[2])), jobs))
    wrong = sorted({(name, status) for name, status in statuses
                    if not 400 <= status < 500})
    assert not wrong, f"malformed requests not answered with 4xx: {wrong}"

    good = [LOUD_CASE, QUIET_CASE, *case_mix(60)]
    expected = [advisor.advise(Case.model_validate(c)).model_dump(mode="json") for c in good]

    def ask(case: dict[str, Any]) -> tuple[int, Any]:
        with httpx.Client(base_url=server, timeout=60) as http:
            response = http.post("/v1/advice", json=case)
            return response.status_code, response.json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, good))
    assert [s for s, _ in answers] == [200] * len(good)
    mismatched = [c["case_id"] for c, (_, got), want in zip(good, answers, expected,
                                                             strict=True) if got != want]
    assert not mismatched, f"wrong advice after the burst for {mismatched}"
