"""The loading kit: the problem collector, YAML reading, validation and template
checks every loader of a data file uses."""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from escalate.errors import RuleProblem
from escalate.text import VARIABLES, Text, check

# ---------------------------------------------------------------- loading

def _nearest(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class _Collector:
    """Collects every problem so that one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []

    def add(self, file: str, message: str, rule_id: str | None = None,
            key: str | None = None, choices: Iterable[str] = (),
            near: str | None = None) -> None:
        """Record a problem; suggest the choice nearest to ``near`` (default: the key)."""
        word = near if near is not None else key
        suggestion = _nearest(word, choices) if word else None
        if suggestion == word:
            suggestion = None
        self.problems.append(RuleProblem(file, message, rule_id, key, suggestion))

    def from_validation(self, file: str, error: ValidationError, raw: Any,
                        model: type[BaseModel]) -> None:
        for item in error.errors(include_input=False, include_url=False):
            loc = [str(p) for p in item["loc"]]
            rule_id = _rule_id_at(raw, item["loc"])
            key = loc[-1] if loc else None
            choices: Iterable[str] = ()
            if item["type"] == "extra_forbidden":
                choices = _fields_at(model, item["loc"])
                message = "unknown key; accepted keys are " + ", ".join(sorted(choices))
            elif item["type"] == "missing":
                message = "required key is missing"
            else:
                message = item["msg"]
            if loc:
                message = f"{'.'.join(loc)}: {message}"
            self.add(file, message, rule_id, key, choices)


def _rule_id_at(raw: Any, loc: tuple[Any, ...]) -> str | None:
    """The id of the rule (or move, or deadline) an error location points into."""
    if len(loc) >= 2 and isinstance(raw, Mapping):
        items = raw.get(loc[0])
        if isinstance(items, list) and isinstance(loc[1], int) and loc[1] < len(items):
            entry = items[loc[1]]
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                return str(entry["id"])
        if isinstance(items, Mapping) and isinstance(loc[1], str):
            return loc[1]
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The accepted keys of the model at ``loc`` (minus its last element)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            current = _inner_model(info.annotation) if info else None
        else:
            current = None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_YAML = YAML(typ="safe", pure=True)


def _read_yaml(path: Path, problems: _Collector) -> Any:
    try:
        return _YAML.load(path.read_text(encoding="utf-8"))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.add(path.name, f"not valid YAML{where}: {problem}")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path.name, f"cannot be read: {error.__class__.__name__}")
    return None


def _validate(path: Path, model: type[BaseModel], problems: _Collector) -> Any:
    before = len(problems.problems)
    raw = _read_yaml(path, problems)
    if raw is None:
        if len(problems.problems) == before:  # not a YAML error already reported
            problems.add(path.name, "is empty")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.from_validation(path.name, error, raw, model)
        return None


def compile_text(file: str, item_id: str | None, key: str, source: str,
                 samples: list[dict[str, Any]], problems: _Collector,
                 variables: Mapping[str, Any] = VARIABLES, *, flow: bool = True
                 ) -> Text | None:
    """Check and compile one template (a reason, a summary, a letter); record each problem
    with the file, the id and the key (and the nearest known variable on a typo)."""
    text = " ".join(source.split()) if flow else source

    def report(message: str, name: str) -> None:
        problems.add(file, message, item_id, key, variables if name else (),
                     near=name.split(".")[0] if name else None)

    return check(text, report, samples, variables, flow=flow)


