"""The Spanish legal terms hold to one glossary (``tests/data/es_glossary.yaml``).

Two things a Spanish-speaking parent relies on, for every term of the glossary:

- **one word for one thing**: every translation whose English uses the term says it with
  the glossary's Spanish term, and no translation uses another wording of it (a parent
  who reads "queja estatal" in one step and "queja ante el estado" in the next would
  think they are two different complaints);
- **the English the school uses, the first time**: in each example advised in Spanish,
  read as the CLI prints it, the first time a term appears it is the Spanish term
  followed by the English in parentheses, so the parent can name it to the school.

Both loops run over the glossary, the translation file and the examples folder as they
are: adding a term, an entry or an example needs no change here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from escalate import Advisor
from escalate.cli import render_advice
from escalate.examples import example_cases
from escalate.i18n.locale import LOCALES_DIR
from escalate.i18n.sources import english_sources
from escalate.i18n.words import Words
from escalate.letters import write_letter
from escalate.models import Case

ROOT = Path(__file__).resolve().parent.parent.parent
GLOSSARY = ROOT / "tests" / "data" / "es_glossary.yaml"
# The other Spanish files a parent reads: the phrases the templates put in, the web page.
OTHER_SPANISH = (ROOT / "escalate" / "text" / "phrases.es.yaml",
                 ROOT / "api" / "pages" / "text" / "es.yaml")


@lru_cache(maxsize=1)
def glossary() -> list[dict[str, Any]]:
    terms = YAML(typ="safe", pure=True).load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    assert isinstance(terms, list) and terms
    return terms


def _words(pattern: str) -> re.Pattern[str]:
    """``pattern`` as whole words, ignoring case."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


def _literal(term: str) -> re.Pattern[str]:
    return _words(re.escape(term))


def _acronym(term: str) -> re.Pattern[str]:
    """An acronym in capitals, as whole words: "IDEA" the law, never "idea" the word."""
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")


def _term_id(term: dict[str, Any]) -> str:
    return str(term["spanish"])


def _spanish_entries(advisor: Advisor) -> dict[str, str]:
    path = advisor.rulebook.directory / LOCALES_DIR / "es.yaml"
    raw = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return {key: " ".join(entry["text"].split()) for key, entry in raw["entries"].items()}


@pytest.mark.parametrize("term", glossary(), ids=_term_id)
def test_every_translation_uses_the_glossary_term(advisor: Advisor,
                                                  term: dict[str, Any]) -> None:
    english = _words(term["english"])
    accepted = [_literal(form) for form in (term["spanish"], *term.get("also", []))]
    if term.get("short"):
        accepted.append(_acronym(term["short"]))
    variants = [_literal(v) for v in term.get("variants", [])]
    sources = english_sources(advisor.rulebook)
    wrong = []
    for key, spanish in _spanish_entries(advisor).items():
        source = sources.get(key)
        if source and english.search(source.text) and not any(
                a.search(spanish) for a in accepted):
            wrong.append(f"{key}: says {term['english']!r} in English but not "
                         f"{term['spanish']!r}: {spanish[:160]}")
        wrong += [f"{key}: uses the variant {v.pattern!r}" for v in variants
                  if v.search(spanish)]
    assert not wrong, "\n".join(wrong)


def _bare(text: str) -> str:
    """``text`` without case, spaces or hyphens: the terminal wraps lines at both."""
    return re.sub(r"[\s-]+", "", text.lower())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", OTHER_SPANISH, ids=lambda p: p.name)
def test_no_other_spanish_text_uses_a_variant(path: Path) -> None:
    texts = _strings(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))
    wrong = [f"{' '.join(text.split())[:120]!r} uses {variant!r}"
             for term in glossary() for variant in term.get("variants", [])
             for text in texts if _literal(variant).search(" ".join(text.split()))]
    assert not wrong, "\n".join(wrong)


def _first_use_problems(text: str) -> list[str]:
    """Each glossary term whose first use in ``text`` is not the Spanish term followed by
    its English in parentheses."""
    problems = []
    for term in glossary():
        if not term.get("parenthesis"):
            continue
        spanish = _literal(term["spanish"])
        uses = [m for p in (spanish, *([_acronym(term["short"])] if term.get("short")
                                       else [])) for m in p.finditer(text)]
        if not uses:
            continue
        first = min(uses, key=lambda m: m.start())
        after = text[first.end():first.end() + 200]
        given = re.match(r"\s*\(([^()]*)\)", after)
        if (not spanish.fullmatch(first.group()) or not given
                or _bare(term["parenthesis"]) not in _bare(given.group(1))):
            around = " ".join(text[max(0, first.start() - 60):first.end() + 60].split())
            problems.append(f"{term['spanish']!r} first appears without "
                            f"({term['parenthesis']}): ...{around}...")
    return problems


def _as_printed(advisor: Advisor, case: dict[str, Any]) -> str:
    """The whole advice in Spanish as ``escalate advise --lang es --all`` prints it, less
    the lines that name a source: those quote English documents by their titles."""
    advice = advisor.advise(Case.model_validate(case), "es")
    words = Words(advisor.locales["es"])
    text = render_advice(advice, None, words)
    source_label = words.say("text.cli.source", "Source: {source}").split("{")[0].strip()
    kept = [line for line in text.splitlines() if not line.strip().startswith(source_label)]
    # lines were wrapped for the terminal: read them as running text again
    return " ".join(" ".join(kept).split())


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_each_term_is_given_in_english_the_first_time(advisor: Advisor, name: str) -> None:
    problems = _first_use_problems(_as_printed(advisor, example_cases()[name]))
    assert not problems, "\n".join(problems)


def _letter_as_read(advisor: Advisor, case: dict[str, Any], move: str) -> str:
    """A Spanish letter as the parent reads it before filling it in, less three things
    that are not our Spanish: the list of sources (English documents, by their titles),
    the family's own words from the case, and the bracketed blanks the parent replaces
    (the note lists them all first, so a blank would otherwise be the first use)."""
    text = write_letter(Case.model_validate(case), move, "md", advisor, "es").content.decode()
    # the sources are listed one a line, in italics: "- *title, section*"
    body = "\n".join(line for line in text.splitlines() if not line.startswith("- *"))
    summary = case.get("concern", {}).get("summary")
    if summary:
        body = body.replace(summary, "")
    body = re.sub(r"\[[^\[\]]*\]", "", re.sub(r"\[[^\[\]]*\]", "", body))
    return " ".join(body.replace("*", "").replace(">", "").split())


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_each_letter_gives_the_english_the_first_time(advisor: Advisor, name: str) -> None:
    """The same rule for every letter, in Spanish, for every example."""
    problems = [f"{move}: {problem}" for move in sorted(advisor.letters.letters)
                for problem in _first_use_problems(
                    _letter_as_read(advisor, example_cases()[name], move))]
    assert not problems, "\n".join(problems)


def test_the_first_use_check_can_fail() -> None:
    """The check above notices a term used bare before it is explained, and an explained
    term without its English."""
    assert _first_use_problems("Pida una reunión del IEP. El programa de educación "
                               "individualizado (IEP) dice...")
    assert _first_use_problems("Presente una queja estatal ante el estado.")
    assert not _first_use_problems("Presente una queja estatal (state complaint). La queja "
                                   "estatal se decide en 60 días.")
