"""Finishing touches on the served OpenAPI document, so that clients generated from it
work and keep working.

- An example on every model. Most models carry their own (``json_schema_extra`` in
  ``escalate.models``); the composite ones (``Advice``, ``RulesListing``) get one here,
  assembled from the examples of their parts so that they cannot drift apart.
- FastAPI's validation-error models are replaced by the shapes the service really sends
  (:class:`api.errors.ValidationReport`: at most 20 problems and ``error_count``), under
  the same names.
- Every enum, named or inline, carries an example (its first value).
- In response models, every enum-valued property also admits any other string: the
  contract lets moves and statuses be added, and a client generated from this document
  must read a value it does not know yet instead of failing (request models keep their
  closed enums: the service accepts only the values it knows).
- The API-key scheme is always documented; the description says whether this deployment
  asks for a key or runs open.
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

from .errors import ValidationReport
from .language import spoken

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
}


def _error_schemas() -> dict[str, dict[str, Any]]:
    """``HTTPValidationError`` and ``ValidationError`` as the service sends them (under
    FastAPI's names, which generated clients already use)."""
    report = ValidationReport.model_json_schema(ref_template="#/components/schemas/{model}")
    problem = report.pop("$defs")["ValidationProblem"]
    report["properties"]["detail"]["items"] = {"$ref": "#/components/schemas/ValidationError"}
    return {"HTTPValidationError": report, "ValidationError": problem}


def _describe_references(schemas: dict[str, Any]) -> None:
    """A property that only refers to another schema gets that schema's description
    (pydantic leaves it out when the field's and the model's descriptions are the same)."""
    for model in schemas.values():
        for prop in model.get("properties", {}).values():
            target = prop.get("$ref", "").rpartition("/")[2]
            if "description" not in prop and target in schemas:
                description = schemas[target].get("description")
                if description:
                    prop["description"] = description


def _language_enum(schema: dict[str, Any], names: tuple[str, ...]) -> None:
    """Each ``lang`` query parameter accepts the languages of the rules folder (read from
    its locale folders at start-up, so the document says what this deployment speaks)."""
    for operation in (op for path in schema.get("paths", {}).values()
                      for op in path.values() if isinstance(op, dict)):
        for param in operation.get("parameters", []):
            if param.get("name") == "lang" and param.get("in") == "query":
                arms = param["schema"].get("anyOf", [])
                for arm in arms:
                    if arm.get("type") == "string":
                        arm["enum"] = list(names)


def _add_enum_examples(node: Any) -> None:
    """Give every enum in the document without an example its first value as one."""
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and values and "examples" not in node \
                and "example" not in node:
            node["examples"] = [values[0]]
        for value in node.values():
            _add_enum_examples(value)
    elif isinstance(node, list):
        for value in node:
            _add_enum_examples(value)


_LATER_VALUE = {"type": "string", "description": "A value added after this document was "
                "published: treat it as one you do not know."}


def _refs(node: Any) -> set[str]:
    """The component names ``node`` refers to directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rpartition("/")[2])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _closure(names: set[str], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = set(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo |= _refs(schemas[name]) - seen
    return seen


def response_only_models(schema: dict[str, Any]) -> set[str]:
    """The components reachable from responses and never from a request body."""
    schemas = schema.get("components", {}).get("schemas", {})
    requests: set[str] = set()
    responses: set[str] = set()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            requests |= _refs(operation.get("requestBody", {}))
            responses |= _refs(operation.get("responses", {}))
    return _closure(responses, schemas) - _closure(requests, schemas)


def _open_enum(prop: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Let the enum-valued property ``prop`` also take any other string (in place)."""
    def is_enum(option: dict[str, Any]) -> bool:
        target = option.get("$ref", "").rpartition("/")[2]
        return "enum" in option or "enum" in schemas.get(target, {})

    if "anyOf" in prop:
        if any(is_enum(o) for o in prop["anyOf"]) and _LATER_VALUE not in prop["anyOf"]:
            at = next(i for i, o in enumerate(prop["anyOf"]) if is_enum(o)) + 1
            prop["anyOf"].insert(at, dict(_LATER_VALUE))
    elif is_enum(prop):
        closed = {k: prop.pop(k) for k in ("$ref", "enum", "type", "const") if k in prop}
        prop["anyOf"] = [closed, dict(_LATER_VALUE)]


def _open_response_enums(schema: dict[str, Any]) -> None:
    schemas = schema.get("components", {}).get("schemas", {})
    for name in response_only_models(schema):
        for prop in schemas[name].get("properties", {}).values():
            _open_enum(prop, schemas)


def security_note(open_deployment: bool) -> str:
    """What the document says about the API key, for this deployment."""
    if open_deployment:
        return ("This deployment runs open: it was started without ESCALATE_API_KEYS, so "
                "the X-API-Key header is not needed (and is ignored).")
    return ("This deployment needs an API key: send one of its keys in the X-API-Key header "
            "on every /v1 request, or get 401.")


def add_model_examples(app: FastAPI, *, open_deployment: bool) -> None:
    """Make ``app.openapi()`` add the touches above to the generated document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=f"{app.description}\n{security_note(open_deployment)}\n",
                routes=app.routes,
                tags=app.openapi_tags,
            )
            components = schema.get("components", {}).get("schemas", {})
            if "HTTPValidationError" in components:
                components.update(_error_schemas())
            _describe_references(components)
            _open_response_enums(schema)
            _language_enum(schema, spoken(app))
            for name, extra in _EXTRA.items():
                if name in components:
                    for key, value in extra.items():
                        components[name].setdefault(key, value)
            for scheme in schema.get("components", {}).get("securitySchemes", {}).values():
                scheme["description"] = (scheme.get("description", "") + " "
                                         + security_note(open_deployment)).strip()
            _add_enum_examples(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
