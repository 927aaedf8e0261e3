"""One language's translations: ``rules/locales/<lang>/texts.yaml``, loaded and checked.

Every language found in ``rules/locales/`` (one folder each, :mod:`escalate.i18n.languages`)
is loaded; its phrase table (``phrases.yaml`` beside it) is checked at the same time, so a
language with a missing or broken file stops start-up naming the file, the id and the key.

The file maps stable ids (:mod:`escalate.i18n.sources`) to entries::

    entries:
      move.request_iee.title:
        text: Pedir una evaluación educativa independiente (IEE)
        source_hash: 3f2a9c1b0d4e   # sha256 of the English it was translated from

Checked at start-up, like the rules, so a broken translation stops the service naming the
file, the id and the key:

- an id that names no English text is an error (a typo would otherwise never be shown);
- a template must use only the case's variables, parse and render on the sample cases
  (:func:`escalate.text.templates.check`, as for the English); a ``{placeholder}``
  sentence may name only the placeholders its English has.

A **missing** entry (an English text with no translation) and a **stale** one (its
``source_hash`` no longer matches the English: the English changed since) are not errors:
the advice says that text in English, whole, and lists its id in ``fallbacks``.
``escalate rules check`` reports them and fails under ``--strict`` (CI);
``escalate rules translate-status <lang>`` lists them with the English and its hash.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from escalate.errors import RuleFileError, RuleProblem
from escalate.i18n.formats import ENGLISH
from escalate.i18n.languages import (
    LANGUAGE_CODE,
    LOCALES_DIR,
    PAGE_FILE,
    TEXTS_FILE,
    file_name,
    language_folder,
    languages,
    loaded_folders,
    loaded_from,
    restore,
)
from escalate.i18n.sources import SourceText, english_sources, flat, source_hash
from escalate.rulebook import Rulebook
from escalate.strict import Problems, read_yaml, validate
from escalate.text.templates import Text, check, plain
from escalate.text.variables import VARIABLES, Variable, check_phrases, sample_contexts


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    source_hash: str = Field(pattern=r"^[0-9a-f]{12}$")


class _LocaleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    entries: dict[str, _Entry] = Field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """An English text this language does not (or no longer) translate."""

    id: str
    state: str  # "missing" or "stale"
    english: str
    source_hash: str


@dataclass
class Locale:
    """The checked translations of one language; English for everything else."""

    lang: str
    file: str
    sources: Mapping[str, SourceText]
    texts: dict[str, str] = field(default_factory=dict)  # current translations, flattened
    templates: dict[str, Text] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def text(self, key: str) -> str | None:
        """The translation of ``key``, or None (missing or stale: say it in English)."""
        return self.texts.get(key)

    def template(self, key: str) -> Text | None:
        return self.templates.get(key)


def english(rulebook: Rulebook) -> Locale:
    """English: every text is its own source."""
    sources = english_sources(rulebook)
    return Locale(ENGLISH, "", sources, {k: s.text for k, s in sources.items()})


def locale_path(rulebook: Rulebook, lang: str) -> Path:
    return language_folder(lang, rulebook.directory) / TEXTS_FILE


def load_locales(rulebook: Rulebook,
                 summary_variables: Mapping[str, Variable] | None = None
                 ) -> dict[str, Locale]:
    """Every language of the rules folder (one folder each in ``locales/``), English
    first. Raises RuleFileError on an unknown id, a broken template, an unreadable or
    missing file; missing and stale entries are gaps."""
    problems: list[RuleProblem] = []
    folder = rulebook.directory / LOCALES_DIR
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or (path.is_dir() and LANGUAGE_CODE.match(path.name)):
                continue
            problems.append(RuleProblem(
                f"{LOCALES_DIR}/{path.name}", "unexpected entry: each language is a folder "
                f"named by its lower-case ISO 639 code (locales/es/) holding {TEXTS_FILE}, "
                "phrases.yaml and page.yaml"))
    locales = {ENGLISH: english(rulebook)}
    # A language's words (its phrases) are read from the folder it was last loaded from
    # (one rules folder per process in service); a folder that does not load whole puts
    # back the folders loaded before.
    before = loaded_folders()
    for lang in languages(rulebook.directory)[1:]:
        folder = language_folder(lang, rulebook.directory)
        try:
            check_phrases(lang, folder)
        except RuleFileError as error:
            problems.extend(error.problems)
            continue
        # the page's words: read here, so that `rules check` finds the file missing or not
        # YAML; their keys are checked against the page's English by the service
        page = Problems()
        if not isinstance(read_yaml(folder / PAGE_FILE, page, file_name(lang, PAGE_FILE)),
                          dict) and not page.problems:
            page.add(file_name(lang, PAGE_FILE), "must be a mapping of the page's keys")
        problems.extend(page.problems)
        loaded_from(lang, folder)
        locales[lang] = _load(rulebook, lang, problems, summary_variables)
    if problems:
        restore(before)
        raise RuleFileError(problems)
    return locales


def _load(rulebook: Rulebook, lang: str, problems: list[RuleProblem],
          summary_variables: Mapping[str, Variable] | None) -> Locale:
    path = locale_path(rulebook, lang)
    name = file_name(lang, TEXTS_FILE)
    sources = english_sources(rulebook)
    locale = Locale(lang, name, sources)
    entries: dict[str, _Entry] = {}
    collected = Problems()  # the strict loader (escalate/strict.py)
    raw = read_yaml(path, collected, name)
    spec = None if raw is None else validate(raw, _LocaleFile, name, collected)
    if spec is not None:
        entries = spec.entries
        if spec.language != lang:
            collected.add(name, f"'language' must be {lang!r}", None, "language")
    problems.extend(collected.problems)
    samples = sample_contexts(lang=lang)
    for key, entry in entries.items():
        source = sources.get(key)
        if source is None:
            problems.append(RuleProblem(name, "unknown id: no English text has it (see "
                                        "escalate/i18n/sources.py for the ids)", key))
            continue
        if entry.source_hash != source_hash(source.text):
            continue  # stale: reported as a gap below, said in English meanwhile
        _compile(locale, key, entry.text, source, samples, problems, summary_variables)
    for key, source in sources.items():
        if key in locale.texts:
            continue
        if key in entries and entries[key].source_hash == source_hash(source.text):
            continue  # broken, reported above
        locale.gaps.append(Gap(key, "stale" if key in entries else "missing", source.text,
                               source_hash(source.text)))
    return locale


def _compile(locale: Locale, key: str, text: str, source: SourceText,
             samples: list[dict[str, Any]], problems: list[RuleProblem],
             summary_variables: Mapping[str, Variable] | None) -> None:
    if source.kind in ("letter", "letter_block"):
        _compile_letter(locale, key, text, source, problems)
        return
    flowing = text if key.startswith("text.clocks.day_notes.") else flat(text)
    if source.kind == "format":
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(flowing) if f}
        except ValueError as error:
            problems.append(RuleProblem(locale.file, f"cannot be read: {error}", key, "text"))
            return
        for unknown in sorted(names - source.placeholders):
            problems.append(RuleProblem(
                locale.file, f"unknown placeholder {{{unknown}}}; accepted: "
                + (", ".join(sorted(source.placeholders)) or "none"), key, "text"))
        if names - source.placeholders:
            return
        locale.texts[key] = flowing
        return
    if source.kind in ("summary", "calendar"):
        # checked with their own variables and samples by SummaryWriter, CalendarWriter
        locale.texts[key] = flowing
        return
    before = len(problems)

    def report(message: str, name: str) -> None:
        problems.append(RuleProblem(locale.file, message, key, "text"))

    compiled = check(flowing, report, samples, VARIABLES)
    if compiled is None or len(problems) > before:
        return
    locale.texts[key] = flowing
    locale.templates[key] = compiled if compiled.template is not None else plain(flowing)


def _compile_letter(locale: Locale, key: str, text: str, source: SourceText,
                    problems: list[RuleProblem]) -> None:
    """A letter template, checked as the English letters are (escalate/letters/book.py),
    on the language's sample letters."""
    from escalate.letters.book import LETTER_ENVIRONMENT, letter_samples
    from escalate.text.variables import LETTER_VARIABLES

    block = source.kind == "letter_block"
    flowing = text if block else flat(text)
    before = len(problems)

    def report(message: str, name: str) -> None:
        problems.append(RuleProblem(locale.file, message, key, "text"))

    compiled = check(flowing, report, letter_samples(locale.lang), LETTER_VARIABLES,
                     flow=not block, environment=LETTER_ENVIRONMENT)
    if compiled is None or len(problems) > before:
        return
    locale.texts[key] = flowing
    locale.templates[key] = compiled
