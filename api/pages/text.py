"""The page's words: one YAML file per language in ``api/pages/text/`` (``en.yaml`` is the
reference). Every other language must have every key ``en.yaml`` has, plus what English
takes from elsewhere: the help under every question (English reads the case model's field
descriptions) and a message for each kind of answer problem (English shows the
validation's own message). A file that does not load, or lacks a key, stops start-up
naming the file and the key."""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from ruamel.yaml import YAML

from . import PACKAGE

DEFAULT_LANG = "en"

# The kinds of problem the intake's answers can have (the validation's error types), and
# the values each message may name (from the error's context): another language words
# each of these itself under ``error_types``.
ERROR_TYPES: Mapping[str, tuple[str, ...]] = {
    "value_error": (),  # a date that is not a real YYYY-MM-DD date
    "date_out_of_range": (),
    "date_after_as_of": (),
    "int_parsing": (),
    "int_type": (),
    "greater_than_equal": ("ge",),
    "less_than_equal": ("le",),
    "string_too_long": ("max_length",),
    "too_long": ("max_length",),
    "enum": (),
    "literal_error": (),
    "extra_forbidden": (),
    "case_error": (),
}


class PageTextError(RuntimeError):
    """A page-text file is broken; the message names the file and the key."""


def _keys(data: Any, prefix: str = "") -> set[str]:
    if not isinstance(data, dict):
        return {prefix}
    found: set[str] = set()
    for key, value in data.items():
        found |= _keys(value, f"{prefix}.{key}" if prefix else str(key))
    return found


def load_texts(folder: Traversable) -> dict[str, dict[str, Any]]:
    """Every language's words in ``folder``, by language code; each file checked against
    ``en.yaml`` and against the questions the form asks (a label for each)."""
    from .form import HISTORY_FIELDS, QUESTIONS

    texts: dict[str, dict[str, Any]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        try:
            data = YAML(typ="safe").load(entry.read_text(encoding="utf-8"))
        except Exception as exc:
            raise PageTextError(f"api/pages/text/{entry.name}: does not load: {exc}") from exc
        if not isinstance(data, dict):
            raise PageTextError(f"api/pages/text/{entry.name}: must be a mapping of keys")
        texts[entry.name.removesuffix(".yaml")] = data
    if DEFAULT_LANG not in texts:
        raise PageTextError(f"api/pages/text/{DEFAULT_LANG}.yaml: missing")
    reference = _keys(texts[DEFAULT_LANG])
    reference |= {f"labels.{name}" for name in QUESTIONS}
    reference |= {f"labels.history.{name}" for name in HISTORY_FIELDS}
    translated = reference | {f"help.{name}" for name, q in QUESTIONS.items() if q.help}
    translated |= {f"error_types.{kind}" for kind in ERROR_TYPES}
    for lang, data in texts.items():
        missing = sorted((reference if lang == DEFAULT_LANG else translated) - _keys(data))
        if missing:
            raise PageTextError(f"api/pages/text/{lang}.yaml: missing key {missing[0]}")
        for kind, allowed in ERROR_TYPES.items():
            message = (data.get("error_types") or {}).get(kind)
            if message is None:
                continue
            names = {f for _, f, _, _ in string.Formatter().parse(str(message)) if f}
            if names - set(allowed):
                raise PageTextError(
                    f"api/pages/text/{lang}.yaml: error_types.{kind}: unknown placeholder "
                    f"{sorted(names - set(allowed))[0]}; accepted: {', '.join(allowed) or 'none'}")
    return texts


def error_message(words: Mapping[str, Any], kind: str, english: str,
                  ctx: Mapping[str, Any]) -> str:
    """The message for an answer problem in the page's language: its own wording of the
    kind when it has one, else the validation's English message (English pages)."""
    if kind == "missing":
        return str(words["errors_missing"])
    own = (words.get("error_types") or {}).get(kind)
    if own is None:
        return english
    return str(own).format(**{name: ctx.get(name, "") for name in ERROR_TYPES.get(kind, ())})


@lru_cache(maxsize=1)
def all_texts() -> dict[str, dict[str, Any]]:
    """The shipped languages' words (loaded and checked once; ``create_app`` calls this
    at start-up so that a broken file stops it)."""
    return load_texts(resources.files(PACKAGE) / "text")


def languages() -> dict[str, str]:
    """Language code -> the language's own name, for the language switch."""
    return {code: str(data["language_name"]) for code, data in all_texts().items()}


def text_for(lang: str | None) -> tuple[str, dict[str, Any]]:
    """The language actually used for ``lang`` (English when there is no such file) and
    its words."""
    texts = all_texts()
    chosen = lang if lang in texts else DEFAULT_LANG
    return chosen, texts[chosen]
