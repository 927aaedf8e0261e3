"""Plain sentences: what a family reads is written in short sentences, in both languages.

Measured over the texts a family reads for every shipped example, in English and in
Spanish: the advice (summary, each step's summary, reasons and how-to, the dates and
their notes, the warnings, the disclaimer), the letter of each recommended step that has
one (its note to the parent and the letter), the calendar of the case, and the page's own
words (``api/pages/text/en.yaml``, ``rules/locales/es/page.yaml``: headings, help under
the questions).

- **No sentence over 30 words.** A sentence is what runs to a full stop, a question or
  exclamation mark, or the end of a line or list item; a word is a run of letters or
  digits ("300.536" is one word; a letter's [blank] is one word, the answer that will
  fill it). Words in parentheses count: a Spanish term with its English beside it is
  what the family reads.
- **About 8th grade.** The readability of all the texts together is reported (``-s``
  shows it) and held to a bound a little beyond what the texts reach: English by the
  Flesch-Kincaid grade (at most 7), Spanish by Crawford's grade (at most 6 years of
  school) and Szigriszt-Pazos' INFLESZ ease (at least 65, "fairly easy"), all from the
  ``textstat`` library. The floor keeps a rewrite from drifting back; the sentence bound is the
  promise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from escalate import Advisor, Escalate, default_rules_dir, get_advisor
from escalate.calendar import write_calendar
from escalate.examples import example_cases
from escalate.models import Advice, Case
from escalate.strict import parse_yaml
from tests.core.cases import review_cases

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE_TEXT = {"en": ROOT / "api" / "pages" / "text" / "en.yaml",
             "es": ROOT / "rules" / "locales" / "es" / "page.yaml"}
LANGS = ("en", "es")
MAX_WORDS = 30
MAX_GRADE_EN = 7.0  # Flesch-Kincaid grade level (the texts: 4.9)
MAX_GRADE_ES = 6.0  # Crawford's grade, years of school (the texts: 4.3)
MIN_EASE_ES = 65.0  # Szigriszt-Pazos (INFLESZ) ease: 65 and up is "fairly easy" (texts: 76.4)

# A dot that ends an abbreviation, not a sentence: "EE. UU.", "U.S.", "Cal. Ed. Code",
# "N.C. Gen. Stat.", "e.g.", "p. ej.", a section or rule number ("28.05", "§ 300.536").
_ABBREVIATION = re.compile(
    r"(?:\b(?:EE|UU|Gen|Stat|Ed|Cal|Rev|Ann|Admin|Adm|Regs|Sec|Sr|Sra|Dr|Dra|No|núm|Mr|Mrs|Ms"
    r"|St|Inc|Jr|Supp|Reg|ch|art|etc|e\.g|i\.e|p\. ej|vs)|\b[A-Z](?:\.[A-Z])*)\.$")
_END = re.compile(r"(?<=[.!?…])[\"»”')\]]*\s+(?=[\"«“¿¡(\[]?[A-ZÁÉÍÓÚÑ0-9])")
_WORD = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*")


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences: at the end of each line or list item, and after a
    full stop, question or exclamation mark followed by a capital (not after an
    abbreviation)."""
    found: list[str] = []
    for line in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+>#]|\d+\.)\s)", text):
        line = re.sub(r"^[\s>#*+-]+|\\(?=\S)|\*\*?|_{2}", " ", " ".join(line.split()))
        start = 0
        for match in _END.finditer(line):
            head = line[start:match.start()].rstrip("\"»”')]")
            if _ABBREVIATION.search(head.split(" ")[-1] if " " in head else head):
                continue
            found.append(line[start:match.start()])
            start = match.end()
        found.append(line[start:])
    return [s.strip() for s in found if _WORD.search(s)]


def words(sentence: str) -> list[str]:
    """The words of ``sentence``; a letter's [blank] counts as one word, since the family
    replaces it with one answer (a name, a date)."""
    return _WORD.findall(re.sub(r"\[[^\[\]]*\]", "blank", sentence))


def _advice_texts(advice: Advice) -> Iterator[str]:
    yield advice.summary
    for recommendation in advice.recommendations:
        yield recommendation.title
        if recommendation.summary:
            yield recommendation.summary
        yield from (reason.text for reason in recommendation.reasons)
        yield from recommendation.how
    for deadline in advice.deadlines:
        yield deadline.label
        if deadline.note:
            yield deadline.note
    yield from (warning.text for warning in advice.warnings)
    yield advice.disclaimer


def _letter_texts(advisor: Advisor, case: Case, advice: Advice, lang: str) -> Iterator[str]:
    service = Escalate.around(advisor)
    for recommendation in advice.recommendations:
        if service.has_letter(recommendation.move.value):
            letter = service.compose_letter(case, recommendation.move.value, lang=lang)
            # the sources, one a line in italics, quote English documents by their titles
            yield "\n".join(line for line in letter.markdown.splitlines()
                            if not line.lstrip("> ").startswith("- *"))


def _calendar_texts(advisor: Advisor, case: Case, lang: str) -> Iterator[str]:
    unfolded = re.sub(r"\r?\n[ \t]", "", write_calendar(case, advisor, lang).decode())
    alarm = False
    for line in unfolded.splitlines():
        alarm = line == "BEGIN:VALARM" or (alarm and line != "END:VALARM")
        # the event's text; its title (SUMMARY, and the alarm that repeats it) is a
        # heading, not a sentence
        if line.startswith("DESCRIPTION:") and not alarm:
            yield line.partition(":")[2].replace("\\n", "\n").replace("\\,", ",").replace(
                "\\;", ";")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@lru_cache(maxsize=2)
def family_texts(lang: str) -> tuple[tuple[str, str], ...]:
    """(where, text) for every text a family reads in ``lang``, over every example and
    every case built for the second review (tests/data/review_cases.json)."""
    advisor = get_advisor() if (ROOT / "rules").resolve() == default_rules_dir().resolve() \
        else Advisor.from_directory(ROOT / "rules")
    found: list[tuple[str, str]] = []
    for name, raw in sorted({**example_cases(), **review_cases()}.items()):
        case = Case.model_validate(raw)
        advice = advisor.advise(case, lang)
        found += [(f"{name}: advice", text) for text in _advice_texts(advice)]
        found += [(f"{name}: letter", text)
                  for text in _letter_texts(advisor, case, advice, lang)]
        found += [(f"{name}: calendar", text)
                  for text in _calendar_texts(advisor, case, lang)]
    page = parse_yaml(PAGE_TEXT[lang].read_text("utf-8"))
    found += [("page", text) for text in dict.fromkeys(_strings(page))]
    return tuple(dict.fromkeys(found))


def all_sentences(lang: str) -> list[tuple[str, str]]:
    return list(dict.fromkeys((where, sentence) for where, text in family_texts(lang)
                              for sentence in sentences(text)))


def readability(lang: str) -> dict[str, float]:
    """The readability of every sentence a family reads in ``lang``, each counted once:
    English by the Flesch-Kincaid grade; Spanish by Crawford's grade (years of school)
    and Szigriszt-Pazos' reading ease (INFLESZ, higher is easier). Fernández Huerta's
    ease is not used: as published it scores a text lower for cutting a sentence in two."""
    text = " ".join(dict.fromkeys(
        sentence if sentence.endswith((".", "?", "!", ":")) else sentence + "."
        for _, sentence in all_sentences(lang)))
    from textstat.textstat import textstatistics  # loads a pronouncing dictionary (~1 s)

    scorer = textstatistics()
    scorer.set_lang(lang)
    if lang == "en":
        return {"Flesch-Kincaid grade": float(scorer.flesch_kincaid_grade(text))}
    return {"Crawford grade": float(scorer.crawford(text)),
            "Szigriszt-Pazos ease": float(scorer.szigriszt_pazos(text))}


def test_the_sentence_cutter_can_fail() -> None:
    """The cutter splits at sentence ends and list items, not at abbreviations or rule
    numbers; the word count counts a rule number once."""
    assert sentences("Pida una reunión. Después, escriba al distrito.") == [
        "Pida una reunión.", "Después, escriba al distrito."]
    assert len(sentences("El Departamento de Educación de los EE. UU. lo dice. Sí.")) == 2
    assert len(sentences("Zoe has no IEP. A parent may ask. Ask Noah. Then Eli.")) == 4
    assert len(sentences("See 34 CFR 300.536 and N.C. Gen. Stat. § 115C-109.6. Then ask.")) == 2
    assert len(sentences("Steps:\n- Ask in writing\n- Keep a copy")) == 3
    assert len(words("34 CFR 300.536 applies, pages 2-3")) == 6
    assert len(words("Please reply by [a date about ten school days from today].")) == 4


@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_a_family_reads_is_over_30_words(lang: str) -> None:
    long = [f"{where} ({len(words(sentence))} words): {sentence}"
            for where, sentence in all_sentences(lang) if len(words(sentence)) > MAX_WORDS]
    assert not long, "\n".join(dict.fromkeys(long))


@pytest.mark.parametrize("lang", LANGS)
def test_the_texts_read_at_about_8th_grade(lang: str) -> None:
    found = all_sentences(lang)
    counts = [len(words(sentence)) for _, sentence in found]
    scores = readability(lang)
    print(f"\n{lang}: {len(found)} sentences, {sum(counts) / len(counts):.1f} words each "
          f"on average, longest {max(counts)}; "
          + ", ".join(f"{name} {score:.1f}" for name, score in scores.items()))
    if lang == "en":
        assert scores["Flesch-Kincaid grade"] <= MAX_GRADE_EN
    else:
        assert scores["Crawford grade"] <= MAX_GRADE_ES
        assert scores["Szigriszt-Pazos ease"] >= MIN_EASE_ES


_COMMENT = re.compile(r"\((?:no|per|as|amending|before|after|incorporates|requests|see|"
                      r"statute|not|draft)\b", re.IGNORECASE)


def test_no_state_citation_carries_an_english_comment() -> None:
    """A citation is shown as it is in every language, so it names the law and nothing
    else: a comment ("no separate California limit found", "amending R.S. 17:1946(B)")
    goes to the value's ``checked`` or ``note``."""
    from escalate.states.schema import TOPICS

    advisor = get_advisor() if (ROOT / "rules").resolve() == default_rules_dir().resolve() \
        else Advisor.from_directory(ROOT / "rules")
    citations = [(code, value.citation)
                 for code, spec in advisor.rulebook.states.items() for topic in TOPICS
                 for value in spec.topic(topic)]
    citations += [(code, other.citation)
                  for code, spec in advisor.rulebook.states.items() for topic in TOPICS
                  for value in spec.topic(topic) for other in (value.disputed_by or [])]
    assert citations
    assert not [f"{code}: {citation}" for code, citation in citations
                if _COMMENT.search(citation)]
    assert _COMMENT.search("34 CFR 300.507(a)(2) (no separate California limit found)")
