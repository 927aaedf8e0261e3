"""The strict loader: every data file is read, validated and reported the same way.

Every YAML file escalate reads as data (the rules folder: rules, moves, parameters,
deadlines, questions, parent centers, states, letters, translations; the product's phrase
tables; the page's texts) goes through this module, so that every problem names the file,
the id and the key alike, and suggests the nearest accepted name on a typo::

    states/WI.yaml, id 'WI', key 'citatoin': due_process_limit.0: unknown key 'citatoin';
      accepted keys are checked, citation, ... (did you mean 'citation'?)

- :class:`Problems` collects every problem of a run, so that one run reports them all,
  and :meth:`Problems.raise_if_any` stops with :class:`~escalate.errors.RuleFileError`
  (a loader never returns a half-checked result);
- :func:`read_yaml` reads one file with one safe YAML loader, YAML 1.2 (ruamel.yaml,
  its scanner and parser in C from ``ruamel.yaml.clib`` when installed, about five times
  faster than the pure-Python one and giving the same data: ruamel's own 1.2 resolver
  types the scalars either way); a syntax error names its line and column; an unreadable
  or missing file is a problem, never a traceback. :func:`parse_yaml` is the same loader
  for a text the code reads before the strict loader could report on it. The
  parse of a text already read in this process is remembered (:class:`_Parsed`, keyed by
  the text's digest, so an edited file is parsed afresh): a second load of the same rules
  (a reload candidate, ``rules diff``, a command run in process again) parses only the
  files that changed, and every reader gets its own copy;
- :func:`validate` turns a pydantic validation into problems: an unknown key lists the
  accepted keys and suggests the nearest; a missing required key and a wrong type name
  the key; an error that only repeats a deeper one (a list too short because its item
  failed, a required key whose misspelling was found) is left out;
- :func:`load_file` is the three together: read, refuse an empty file, validate;
- :func:`~escalate.nearest.nearest` is the one nearest-name helper.

The id of a problem is the entry the key is in: the ``id`` of a listed item (a rule, a
move, a deadline), the key of a mapping of named items (a parameter, a question's fact, a
translation's id, a state code of ``parent_centers.yaml``), else the id the caller gives
for the whole file (a state's code, a letter's move).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from escalate.errors import RuleFileError, RuleProblem
from escalate.nearest import nearest

__all__ = ["Problems", "accepted_keys", "id_at", "load_file", "nearest", "parse_yaml",
           "read_data", "read_yaml", "validate"]

Model = TypeVar("Model", bound=BaseModel)
PARSED_KEPT = 512  # parses remembered (the shipped rules are ~140 files)


class _Parsed:
    """The data of the YAML texts parsed last, by the text's SHA-256: each stored
    pickled, so that every reader gets a fresh copy it may change (the safe loader makes
    only plain data: mappings, lists, strings, numbers, booleans, dates). Thread-safe;
    at most :data:`PARSED_KEPT` texts, the least recently read dropped first."""

    def __init__(self) -> None:
        self._kept: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, text: str) -> Any:
        key = hashlib.sha256(text.encode("utf-8")).digest()
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
        if found is not None:
            return pickle.loads(found)
        # a loader per parse (a YAML object is not thread-safe); a YAMLError propagates,
        # and a broken text is never kept
        data = YAML(typ="safe").load(text)
        with self._lock:
            self._kept[key] = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
            while len(self._kept) > PARSED_KEPT:
                self._kept.popitem(last=False)
        return data


_PARSED = _Parsed()


def parse_yaml(text: str) -> Any:
    """The data of one YAML text (the loader of :func:`read_yaml`); YAMLError if it is
    not valid YAML."""
    return _PARSED.load(text)


class Problems:
    """Collects every problem so that one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []

    def __len__(self) -> int:
        return len(self.problems)

    def add(self, file: str, message: str, item_id: str | None = None,
            key: str | None = None, choices: Iterable[str] = (),
            near: str | None = None) -> None:
        """Record a problem; suggest the choice nearest to ``near`` (default: the key)."""
        word = near if near is not None else key
        listed = list(choices)
        suggestion = nearest(word, listed) if word and word not in listed else None
        self.problems.append(RuleProblem(file, message, item_id, key, suggestion))

    def raise_if_any(self) -> None:
        """Stop with every problem recorded, if there is one."""
        if self.problems:
            raise RuleFileError(list(self.problems))

    def validation(self, file: str, error: ValidationError, raw: Any,
                   model: type[BaseModel], item_id: str | None = None) -> None:
        """Record each error of a pydantic validation of ``raw`` against ``model``."""
        items = error.errors(include_input=False, include_url=False)
        locs = [tuple(item["loc"]) for item in items]
        unknown: dict[tuple[Any, ...], list[str]] = {}  # parent location -> misspellings
        for item, loc in zip(items, locs, strict=True):
            if item["type"] == "extra_forbidden" and loc:
                unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
        for item, loc in zip(items, locs, strict=True):
            if any(other[:len(loc)] == loc and len(other) > len(loc) for other in locs):
                continue  # a deeper error says why (a list too short as its item failed)
            kind = item["type"]
            key = str(loc[-1]) if loc else None
            where = ".".join(str(p) for p in loc[:-1])
            choices: list[str] = []
            if kind == "extra_forbidden":
                choices = accepted_keys(model, loc)
                message = (f"unknown key {key!r}; accepted keys are "
                           + ", ".join(sorted(choices)))
            elif kind == "missing":
                typos = unknown.get(loc[:-1], [])
                if key is not None and any(nearest(t, [key]) == key for t in typos):
                    continue  # its misspelling is reported, with this key suggested
                message = f"required key {key!r} is missing"
            else:
                message = str(item["msg"])
                where = ".".join(str(p) for p in loc)
            if where:
                message = f"{where}: {message}"
            found = id_at(raw, loc) or item_id
            self.add(file, message, found, key, choices)


def id_at(raw: Any, loc: Sequence[Any]) -> str | None:
    """The id of the entry an error location points into: a listed item's ``id``, or the
    key of a mapping of named items."""
    if len(loc) >= 2 and isinstance(raw, Mapping):
        items = raw.get(loc[0])
        if isinstance(items, list) and isinstance(loc[1], int) and loc[1] < len(items):
            entry = items[loc[1]]
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                return str(entry["id"])
        if isinstance(items, Mapping) and isinstance(loc[1], str):
            return loc[1]
    return None


def accepted_keys(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The accepted keys of the model at ``loc`` (minus its last element): the location
    is walked through the models' fields, the keys of a mapping and the items of a list."""
    current: Any = model
    for part in loc[:-1]:
        current = _step(current, part)
        if current is None:
            return []
    found = _model_in(current)
    if found is None:
        return []
    return [info.alias or name for name, info in found.model_fields.items()]


def _step(annotation: Any, part: Any) -> Any:
    """The type found one step into ``annotation`` at ``part`` (a field, a key, an index)."""
    found = _model_in(annotation)
    if found is not None:
        info = found.model_fields.get(str(part))
        return info.annotation if info else None
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not Ellipsis]
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return args[-1] if args else None
    if origin in (list, tuple, set, frozenset) and isinstance(part, int):
        return args[0] if args else None
    for arg in args:  # a union: the first arm that can be stepped into
        stepped = _step(arg, part)
        if stepped is not None:
            return stepped
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model ``annotation`` is, or the model of an optional one (``Model | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, UnionType):
        for arg in get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return None


def read_yaml(path: Path, problems: Problems, name: str | None = None) -> Any:
    """The data of one YAML file (None when it cannot be read; the problem is recorded
    under ``name``, by default the file's name)."""
    file = name or path.name
    try:
        return _PARSED.load(path.read_text(encoding="utf-8"))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.add(file, f"not valid YAML{where}: {problem}")
    except FileNotFoundError:
        problems.add(file, "is missing")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(file, f"cannot be read: {error.__class__.__name__}")
    return None


def validate(raw: Any, model: type[Model], file: str, problems: Problems,
             item_id: str | None = None) -> Model | None:
    """``raw`` as ``model``, or None with every problem recorded."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.validation(file, error, raw, model, item_id)
        return None


def read_data(path: Path, name: str | None = None) -> Any:
    """The data of one YAML file the code cannot run without (a product text file);
    RuleFileError naming the file when it is missing, unreadable or empty."""
    problems = Problems()
    file = name or path.name
    raw = read_yaml(path, problems, file)
    if raw is None and not problems.problems:
        problems.add(file, "is empty")
    problems.raise_if_any()
    return raw


def load_file(path: Path, model: type[Model], problems: Problems, name: str | None = None,
              item_id: str | None = None) -> Model | None:
    """Read ``path`` and validate it as ``model``; None (the problems recorded) when it is
    missing, unreadable, empty or invalid."""
    file = name or path.name
    before = len(problems)
    raw = read_yaml(path, problems, file)
    if raw is None:
        if len(problems) == before:  # not a YAML error already reported
            problems.add(file, "is empty")
        return None
    return validate(raw, model, file, problems, item_id)
