"""Finishing touches on the served OpenAPI document: an example on every model.

Most models carry their own example (``json_schema_extra`` in ``escalate.models``). The
composite ones (``Advice``, ``RulesListing``) and FastAPI's validation-error models get
one here, assembled from the examples of their parts so that they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from escalate.models import (
    DISCLAIMER,
    AdviceWarning,
    Deadline,
    LadderRung,
    Recommendation,
    RuleInfo,
    Trace,
)

_VERSION = "sha256:" + "3f1c9a0e5b7d2c4a" * 4


def _example(model: type[BaseModel]) -> dict[str, Any]:
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict)
    examples = extra["examples"]
    assert isinstance(examples, list)
    first = examples[0]
    assert isinstance(first, dict)
    return first


def _advice_example() -> dict[str, Any]:
    recommendation = _example(Recommendation)
    return {
        "case_id": "intake-2291",
        "as_of": "2026-11-23",
        "next_move": recommendation,
        "recommendations": [recommendation],
        "ladder": [_example(LadderRung)],
        "deadlines": [_example(Deadline)],
        "warnings": [_example(AdviceWarning)],
        "trace": _example(Trace),
        "rules_version": _VERSION,
        "disclaimer": DISCLAIMER,
    }


_EXTRA: dict[str, dict[str, Any]] = {
    "Advice": {"examples": [_advice_example()]},
    "RulesListing": {"examples": [{"rules_version": _VERSION, "rules": [_example(RuleInfo)]}]},
    "HTTPValidationError": {
        "description": "The request was refused: each item names a field (loc) and says what "
        "it accepts (msg). The values sent are never repeated.",
        "examples": [
            {
                "detail": [
                    {
                        "type": "enum",
                        "loc": ["body", "concern", "topic"],
                        "msg": "Input should be 'eligibility', 'evaluation', ... or 'other'",
                    }
                ]
            }
        ],
    },
    "ValidationError": {
        "description": "One problem with one field.",
        "examples": [
            {
                "type": "extra_forbidden",
                "loc": ["body", "student", "nmae"],
                "msg": "Extra inputs are not permitted",
            }
        ],
    },
}


def add_model_examples(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the examples above to the generated document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            components = schema.get("components", {}).get("schemas", {})
            for name, extra in _EXTRA.items():
                if name in components:
                    for key, value in extra.items():
                        components[name].setdefault(key, value)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
