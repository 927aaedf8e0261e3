"""The page's words: English in ``api/pages/text/en.yaml`` (the reference), every other
language in its folder of the rules, ``rules/locales/<lang>/page.yaml``
(:mod:`escalate.i18n.languages`: a language is one folder, found, never listed in code).
Every other language must have every key ``en.yaml`` has, plus what English takes from
elsewhere: the help under every question (English reads the case model's field
descriptions) and a message for each kind of answer problem (English shows the
validation's own message). Each file is read by the strict loader (:mod:`escalate.strict`);
a file that is missing or does not load, or lacks a key, stops start-up naming the file
and the key."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from escalate.errors import RuleFileError, RuleProblem
from escalate.service import PAGE_FILE, Problems, file_name, language_folder, read_yaml
from escalate.service import languages as folder_languages

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


class PageTextError(RuleFileError):
    """A page-text file is broken; the message names the file and the key."""

    def __init__(self, file: str, message: str, key: str | None = None,
                 suggestion: str | None = None) -> None:
        super().__init__([RuleProblem(file, message, None, key, suggestion)])


def _keys(data: Any, prefix: str = "") -> set[str]:
    if not isinstance(data, dict):
        return {prefix}
    found: set[str] = set()
    for key, value in data.items():
        found |= _keys(value, f"{prefix}.{key}" if prefix else str(key))
    return found


def _read(path: Path | Traversable, name: str) -> dict[str, Any]:
    problems = Problems()
    data = read_yaml(Path(str(path)), problems, name)
    if problems.problems:
        raise PageTextError(name, problems.problems[0].message)
    if not isinstance(data, dict):
        raise PageTextError(name, "must be a mapping of keys")
    return data


def load_texts(english: Traversable | Path, rules_dir: Path | None = None
               ) -> dict[str, dict[str, Any]]:
    """Every language's words, by language code: English from ``english/en.yaml``, every
    other language of ``rules_dir`` (the built-in rules by default) from its folder; each
    file checked against ``en.yaml`` and against the questions the form asks (a label for
    each)."""
    from .form import HISTORY_FIELDS, QUESTIONS

    texts = {DEFAULT_LANG: _read(english / f"{DEFAULT_LANG}.yaml",
                                 f"api/pages/text/{DEFAULT_LANG}.yaml")}
    for lang in folder_languages(rules_dir)[1:]:
        texts[lang] = _read(language_folder(lang, rules_dir) / PAGE_FILE,
                            file_name(lang, PAGE_FILE))
    reference = _keys(texts[DEFAULT_LANG])
    reference |= {f"labels.{name}" for name in QUESTIONS}
    reference |= {f"labels.history.{name}" for name in HISTORY_FIELDS}
    translated = reference | {f"help.{name}" for name, q in QUESTIONS.items() if q.help}
    translated |= {f"error_types.{kind}" for kind in ERROR_TYPES}
    for lang, data in texts.items():
        name = (f"api/pages/text/{DEFAULT_LANG}.yaml" if lang == DEFAULT_LANG
                else file_name(lang, PAGE_FILE))
        unknown = sorted(_keys(data) - translated) if lang != DEFAULT_LANG else []
        if unknown:
            problems = Problems()
            problems.add(name, f"unknown key {unknown[0]!r}; every key of en.yaml is "
                         "accepted, with help.<question> and error_types.<kind>", None,
                         unknown[0], sorted(translated))
            raise PageTextError(name, problems.problems[0].message, unknown[0],
                                problems.problems[0].suggestion)
        missing = sorted((reference if lang == DEFAULT_LANG else translated) - _keys(data))
        if missing:
            raise PageTextError(name, f"missing key {missing[0]}", missing[0])
        for kind, allowed in ERROR_TYPES.items():
            message = (data.get("error_types") or {}).get(kind)
            if message is None:
                continue
            names = {f for _, f, _, _ in string.Formatter().parse(str(message)) if f}
            if names - set(allowed):
                raise PageTextError(
                    name, f"error_types.{kind}: unknown placeholder "
                    f"{sorted(names - set(allowed))[0]}; accepted: {', '.join(allowed) or 'none'}",
                    f"error_types.{kind}")
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


_RULES: list[Path | None] = [None]  # the rules folder whose languages the page speaks


def use_rules(rules_dir: Path | None) -> None:
    """Speak the languages of ``rules_dir`` (``create_app`` sets its settings' folder)."""
    if _RULES[0] != rules_dir:
        _RULES[0] = rules_dir
        all_texts.cache_clear()


@lru_cache(maxsize=1)
def all_texts() -> dict[str, dict[str, Any]]:
    """The languages' words (loaded and checked once; ``create_app`` calls this at
    start-up so that a broken file stops it)."""
    return load_texts(resources.files(PACKAGE) / "text", _RULES[0])


def languages() -> dict[str, str]:
    """Language code -> the language's own name, for the language switch."""
    return {code: str(data["language_name"]) for code, data in all_texts().items()}


def text_for(lang: str | None) -> tuple[str, dict[str, Any]]:
    """The language actually used for ``lang`` (English when there is no such file) and
    its words."""
    texts = all_texts()
    chosen = lang if lang in texts else DEFAULT_LANG
    return chosen, texts[chosen]


_HTML_PIECES = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<textarea\b.*?</textarea>"
                          r"|<svg\b.*?</svg>|<cite\b[^>]*\blang=\"en\"[^>]*>.*?</cite>"
                          r"|<[^>]*>)", re.DOTALL | re.IGNORECASE)


def read_html(html: str, read: Callable[[str], str]) -> str:
    """A page as one document: ``read`` (the language's :meth:`Words.read`) over the text
    between the tags, in order, so each term a family hears in English has it at its first
    use on the page and not after. Tags, their attributes (the case the page carries),
    scripts, styles, what the family typed in a text box, pictures (the ladder's, whose
    labels are plain) and the English title of a source (``<cite lang="en">``, which a
    Spanish term inside would garble: "on programa de educación individualizado (IEP)
    Disputes") are left as they are."""
    pieces = _HTML_PIECES.split(html)
    return "".join(piece if n % 2 else read(piece) for n, piece in enumerate(pieces))
