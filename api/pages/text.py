"""The page's words: one YAML file per language in ``api/pages/text/`` (``en.yaml`` is the
reference). Every other language must have every key ``en.yaml`` has; a file that does
not load, or lacks a key, stops start-up naming the file and the key."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from ruamel.yaml import YAML

DEFAULT_LANG = "en"


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
    from api.pages.form import HISTORY_FIELDS, QUESTIONS

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
    for lang, data in texts.items():
        missing = sorted(reference - _keys(data))
        if missing:
            raise PageTextError(f"api/pages/text/{lang}.yaml: missing key {missing[0]}")
    return texts


@lru_cache(maxsize=1)
def all_texts() -> dict[str, dict[str, Any]]:
    """The shipped languages' words (loaded and checked once; ``create_app`` calls this
    at start-up so that a broken file stops it)."""
    return load_texts(resources.files("api.pages") / "text")


def languages() -> dict[str, str]:
    """Language code -> the language's own name, for the language switch."""
    return {code: str(data["language_name"]) for code, data in all_texts().items()}


def text_for(lang: str | None) -> tuple[str, dict[str, Any]]:
    """The language actually used for ``lang`` (English when there is no such file) and
    its words."""
    texts = all_texts()
    chosen = lang if lang in texts else DEFAULT_LANG
    return chosen, texts[chosen]
