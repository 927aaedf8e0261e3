"""The intake form, derived from the case model: which questions, in which order, of which
kind, with which help; and the two conversions, a posted form to a case (validated by the
same ``Case`` model as the API) and a case back to the form's values.

Questions come in the order a parent thinks (the child and their plan; the concern and
the school's answer; what was tried; evaluations; a broken duty; discipline; a private
placement; the state and dates; the family's language). A field's kind and choices come
from its type in :mod:`escalate.models.case`, its help text from its description there;
the question itself and the choices' words come from the page's text file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, Union

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from escalate.models import Case

from ..errors import clean_errors

Kind = Literal["checkbox", "select", "date", "number", "text", "textarea", "dates"]

# (section key in the text file, field paths); history is its own repeated block.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("child", ("student.name", "student.grade", "student.has_iep", "student.has_504_plan",
               "student.disability_suspected", "student.last_iep_meeting",
               "student.missed_annual_reviews",
               "student.date_of_birth", "student.from_early_intervention",
               "student.behavior_impedes_learning", "student.restraint_or_seclusion",
               "student.services_refused")),
    ("concern", ("concern.topic", "concern.school_response", "concern.summary",
                 "concern.placement_change_proposed", "concern.placement_change_date")),
    ("history", ()),
    ("evaluation", ("evaluation.completed", "evaluation.date", "evaluation.parent_disagrees",
                    "evaluation.eligibility_denied", "evaluation.consent_date",
                    "evaluation.referral_date", "evaluation.consent_refused",
                    "evaluation.missed_reevaluations")),
    ("violation", ("violation.alleged", "violation.kind", "violation.date",
                   "violation.known_date", "violation.notice_date")),
    ("discipline", ("discipline.days_removed", "discipline.consecutive_days",
                    "discipline.decision_date", "discipline.change_of_placement_proposed",
                    "discipline.special_circumstances", "discipline.manifestation_result",
                    "discipline.parent_disagrees_with_result",
                    "discipline.staff_reported_behavior", "discipline.behavior_date",
                    "discipline.hearing_date")),
    ("resolution", ("resolution_meeting.held", "resolution_meeting.date",
                    "resolution_meeting.outcome")),
    ("placement", ("private_placement.reimbursement_sought", "private_placement.start_date")),
    ("state", ("state", "as_of", "school_closures", "case_id")),
    ("language", ("student.needs_interpreter", "student.home_language")),
)
HISTORY_FIELDS = ("move", "date", "outcome")
MIN_HISTORY_ROWS = 3
LONG_TEXT = {"concern.summary"}
_LIST_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Question:
    """One form control: its name (the field's path), kind, choices and help text."""

    name: str
    kind: Kind
    help: str
    required: bool
    enum: str | None = None  # the choices' type name (options in the text file)
    choices: tuple[str, ...] = field(default_factory=tuple)


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` -> ``X`` (a date with its validator,
    ``IsoDate``, is still a date: it gets a date input)."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _field(path: str) -> FieldInfo:
    model: type[BaseModel] = Case
    *parents, last = path.split(".")
    for part in parents:
        nested = _unwrap(model.model_fields[part].annotation)
        if typing.get_origin(nested) is list:
            nested = typing.get_args(nested)[0]
        model = nested
    return model.model_fields[last]


def _question(path: str, info: FieldInfo, required: bool) -> Question:
    annotation = _unwrap(info.annotation)
    kind: Kind
    enum: str | None = None
    choices: tuple[str, ...] = ()
    if annotation is bool:
        kind = "checkbox"
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        kind, enum = "select", annotation.__name__
        choices = tuple(str(m.value) for m in annotation)
    elif typing.get_origin(annotation) is Literal:
        kind, choices = "select", tuple(str(a) for a in typing.get_args(annotation))
    elif annotation is dt.date:
        kind = "date"
    elif annotation is int:
        kind = "number"
    elif typing.get_origin(annotation) is list:
        kind = "dates"
    else:
        kind = "textarea" if path in LONG_TEXT else "text"
    return Question(path, kind, info.description or "", required, enum, choices)


def _build() -> tuple[list[tuple[str, list[Question]]], dict[str, Question]]:
    sections: list[tuple[str, list[Question]]] = []
    for key, paths in SECTIONS:
        questions = []
        for path in paths:
            info = _field(path)
            required = info.is_required() and path.count(".") <= 1 and path.startswith(
                "concern.")
            questions.append(_question(path, info, required))
        sections.append((key, questions))
    history = {name: _question(f"history.{name}", _field(f"history.{name}"), False)
               for name in HISTORY_FIELDS}
    return sections, history


QUESTION_SECTIONS, HISTORY_QUESTIONS = _build()
QUESTIONS: dict[str, Question] = {q.name: q for _, qs in QUESTION_SECTIONS for q in qs}


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _get(data: Mapping[str, Any], path: str) -> Any:
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def _parse(question: Question, raw: str) -> Any:
    if question.kind == "checkbox":
        return True
    if question.kind == "number":
        try:
            return int(raw)
        except ValueError:
            return raw  # the model refuses it and says what it accepts
    if question.kind == "dates":
        return [part for part in _LIST_SPLIT.split(raw) if part]
    return raw


@dataclass
class Parsed:
    """A posted form read into a case's data, with where each history entry came from."""

    data: dict[str, Any]
    history_rows: list[int]  # history entry i came from form row history_rows[i]
    rows: int  # how many history rows the form had


def history_row_count(form: Mapping[str, str]) -> int:
    rows = [int(m.group(1)) for key in form
            if (m := re.fullmatch(r"history\.(\d{1,3})\.\w+", key))]
    return max(rows, default=-1) + 1


def data_from_form(form: Mapping[str, str]) -> Parsed:
    """The case's data from a posted form: empty answers left out, unticked boxes left to
    their defaults (no), numbers read as numbers."""
    data: dict[str, Any] = {"concern": {}}
    for name, question in QUESTIONS.items():
        raw = str(form.get(name, "")).strip()
        if raw:
            _set(data, name, _parse(question, raw))
    rows = history_row_count(form)
    history: list[dict[str, Any]] = []
    origin: list[int] = []
    for row in range(rows):
        entry = {name: str(form.get(f"history.{row}.{name}", "")).strip()
                 for name in HISTORY_FIELDS}
        entry = {k: v for k, v in entry.items() if v}
        if entry:
            history.append(entry)
            origin.append(row)
    if history:
        data["history"] = history
    return Parsed(data, origin, rows)


def values_from_data(data: Mapping[str, Any]) -> tuple[dict[str, str], int]:
    """The form's values for a case's data (a saved file, or the case on the advice page),
    and how many history rows it needs."""
    values: dict[str, str] = {}
    for name, question in QUESTIONS.items():
        value = _get(data, name)
        if value is None or value is False:
            continue
        if question.kind == "checkbox":
            values[name] = "true"
        elif question.kind == "dates" and isinstance(value, list):
            values[name] = ", ".join(str(v) for v in value)
        else:
            values[name] = str(value)
    history = data.get("history") or []
    if isinstance(history, list):
        for row, entry in enumerate(history):
            if isinstance(entry, Mapping):
                for name in HISTORY_FIELDS:
                    if entry.get(name) is not None:
                        values[f"history.{row}.{name}"] = str(entry[name])
    return values, len(history) if isinstance(history, list) else 0


@dataclass
class Problem:
    """One problem, placed beside the question it is about (``field`` None: the whole
    form)."""

    field: str | None
    type: str
    message: str
    ctx: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def _form_field(loc: tuple[Any, ...], history_rows: list[int]) -> str | None:
    parts = [str(p) for p in loc if p != "body"]
    if parts[:1] == ["history"] and len(parts) >= 3 and parts[1].isdigit():
        index = int(parts[1])
        row = history_rows[index] if index < len(history_rows) else index
        return f"history.{row}.{parts[2]}" if parts[2] in HISTORY_FIELDS else None
    while parts:
        name = ".".join(parts)
        if name in QUESTIONS:
            return name
        parts.pop()
    return None


def question_of(field_name: str | None) -> tuple[int | None, Question | None]:
    """The history row (from 0) a form field is in, if any, and its question."""
    if field_name is None:
        return None, None
    match = re.fullmatch(r"history\.(\d{1,3})\.(\w+)", field_name)
    if match:
        return int(match.group(1)), HISTORY_QUESTIONS.get(match.group(2))
    return None, QUESTIONS.get(field_name)


def problems_from(errors: list[dict[str, Any]], history_rows: list[int]) -> list[Problem]:
    """The validation errors (already cleaned of the values sent) placed on the form."""
    return [Problem(_form_field(tuple(e["loc"]), history_rows), e["type"], e["msg"],
                    e.get("ctx") or {})
            for e in errors]


def validate(parsed: Parsed) -> tuple[Case | None, list[Problem]]:
    """The case, or the problems with it: the same model and messages as the API."""
    try:
        return Case.model_validate(parsed.data), []
    except ValidationError as exc:
        return None, problems_from(clean_errors(exc.errors()), parsed.history_rows)
