"""Property-based run of the served OpenAPI document against the app, in process.

Schemathesis generates valid and invalid requests for every operation from the document
the app serves. Every response must be documented, match its own schema and never be a
500; invalid requests must be refused. Bounded: 25 examples per operation and mode.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.main import create_app
from api.settings import Settings

MAX_EXAMPLES = 25
API_KEY = "schemathesis-key"

# A request the schema allows may still be refused for a reason JSON Schema cannot say:
# a date after as_of (a rule across two fields), or a date outside 1900-2199 (JSON Schema's
# "format: date" has no bounds). (Integral floats such as 3.0, which JSON Schema counts as
# integers, are accepted as the integers they are.) A letter asked for a move that is not
# done in writing has no template ("no_letter"); an answer to a blank the letter of that
# move does not have, or a choice it does not offer ("blank"), depends on the move.
ALLOWED_REFUSALS = {"date_after_as_of", "date_out_of_range", "no_letter", "blank"}

OPERATIONS = [
    ("POST", "/v1/advice", GenerationMode.POSITIVE),
    ("POST", "/v1/advice", GenerationMode.NEGATIVE),
    ("POST", "/v1/letters/{move}", GenerationMode.POSITIVE),
    ("POST", "/v1/letters/{move}", GenerationMode.NEGATIVE),
    ("POST", "/v1/calendar", GenerationMode.POSITIVE),
    ("POST", "/v1/calendar", GenerationMode.NEGATIVE),
    ("POST", "/v1/advice/why-not/{move}", GenerationMode.POSITIVE),
    ("POST", "/v1/advice/why-not/{move}", GenerationMode.NEGATIVE),
    ("POST", "/v1/triage", GenerationMode.POSITIVE),
    ("GET", "/v1/moves", GenerationMode.POSITIVE),
    ("GET", "/v1/rules", GenerationMode.POSITIVE),
    ("GET", "/v1/states", GenerationMode.POSITIVE),
    ("GET", "/v1/states/{code}", GenerationMode.POSITIVE),
    ("GET", "/healthz", GenerationMode.POSITIVE),
    ("GET", "/readyz", GenerationMode.POSITIVE),
]


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: Any, value: Any) -> bytes:
    """POST /v1/triage's body is text (JSON Lines): a generated string is sent as it is.
    Any text is a valid body (each line that is not a case is named, by number), so the
    operation has no negative mode here; its refusals are tested in test_api_triage.py."""
    return value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode()


@pytest.fixture(scope="module")
def api_schema(advisor: Any) -> Iterator[Any]:
    # A keyed deployment: the document always declares the key, so schemathesis also
    # checks that requests without it, or with a wrong one, are refused.
    app = create_app(Settings(api_keys=[API_KEY]), advisor=advisor)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # The service ignores query parameters it does not know (as HTTP services do), so a
    # "negative" request whose only fault is an extra query parameter is not one; without
    # this, whether such a request is drawn depends on schemathesis' feedback from
    # response timings (schemathesis issue #3730).
    schema.config.generation.update(allow_extra_parameters=False)
    yield schema
    schemathesis.python.asgi.shutdown_lifespans()


@pytest.mark.parametrize(
    ("method", "path", "mode"), OPERATIONS, ids=[f"{m} {p} {g.value}" for m, p, g in OPERATIONS]
)
def test_the_api_keeps_its_own_promises(
    api_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        # positive_data_acceptance is checked below, allowing the refusals explained above.
        response = case.call_and_validate(headers={"X-API-Key": API_KEY},
                                          excluded_checks=[positive_data_acceptance])
        assert response.status_code < 500
        if mode is GenerationMode.POSITIVE and response.status_code == 422:
            kinds = {item["type"] for item in response.json()["detail"]}
            assert kinds <= ALLOWED_REFUSALS, kinds

    check()


def test_every_operation_is_exercised(api_schema: Any) -> None:
    served = {
        (result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()
    }
    assert served == {(method, path) for method, path, _ in OPERATIONS}
