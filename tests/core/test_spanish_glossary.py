"""The Spanish legal terms hold to one glossary (``tests/data/es_glossary.yaml``).

Two things a Spanish-speaking parent relies on, for every term of the glossary:

- **one word for one thing**: every translation whose English uses the term says it with
  the glossary's Spanish term, and no translation uses another wording of it (a parent
  who reads "queja estatal" in one step and "queja ante el estado" in the next would
  think they are two different complaints);
- **the English the school uses, the first time**: in each example advised in Spanish,
  read as the CLI prints it, the first time a term appears it is the Spanish term
  followed by the English in parentheses, so the parent can name it to the school.

- **one way of writing it**: a term keeps the glossary's capitals wherever it is used
  (but at the start of a sentence).

The same hold where the advice explains itself: ``escalate advise --lang es --explain``
as printed, the explanation of the API read on its own, and ``escalate why-not`` for every
move with each reason it gives (answers may use a term's acronym: see the note above those
tests).

The loops run over the glossary, the translation files, the moves and the examples folder
as they are: adding a term, an entry, a move or an example needs no change here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from escalate import Advisor
from escalate.calendar import write_calendar
from escalate.cli import render_advice
from escalate.cli.explain import explain_advice
from escalate.examples import example_cases
from escalate.explain import explainer_for
from escalate.explain.render import render_why_not
from escalate.i18n.locale import LOCALES_DIR
from escalate.i18n.sources import english_sources
from escalate.i18n.words import Words
from escalate.letters import letters_for, write_letter
from escalate.models import Advice, Case, Explanation, MoveId, RuleCheck
from escalate.strict import parse_yaml
from tests.core.cases import review_cases

ROOT = Path(__file__).resolve().parent.parent.parent
GLOSSARY = ROOT / "tests" / "data" / "es_glossary.yaml"
LOCALE = ROOT / "rules" / LOCALES_DIR / "es" / "texts.yaml"
# The other Spanish files a parent reads: the phrases the templates put in, the web page.
OTHER_SPANISH = (ROOT / "rules" / LOCALES_DIR / "es" / "phrases.yaml",
                 ROOT / "rules" / LOCALES_DIR / "es" / "page.yaml")


@lru_cache(maxsize=1)
def glossary() -> list[dict[str, Any]]:
    terms = parse_yaml(GLOSSARY.read_text(encoding="utf-8"))["terms"]
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
    path = advisor.rulebook.directory / LOCALES_DIR / "es" / "texts.yaml"
    raw = parse_yaml(path.read_text(encoding="utf-8"))
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


def test_the_agencies_wordings_are_never_refused() -> None:
    """A wording that ED or a large state's agency publishes for a term ("programa de
    educación individualizada", "entorno menos restrictivo", "notificación previa por
    escrito", "colocación") is one a family meets in the district's papers: the glossary
    lists it as allowed, never among the variants no text may use."""
    allowed = {form.lower() for term in glossary() for form in term.get("allowed", [])}
    refused = {form.lower() for term in glossary() for form in term.get("variants", [])}
    assert {"programa de educación individualizada", "entorno menos restrictivo",
            "notificación previa por escrito", "colocación actual",
            "cambio de colocación"} <= allowed
    assert not allowed & refused
    assert not [variant for variant in refused
                if any(_literal(form).search(variant) for form in allowed)]


def _miscased(text: str) -> list[str]:
    """The glossary terms in ``text`` written with other capitals than the glossary's
    ("Programa de Educación Individualizado" for "programa de educación individualizado"),
    except a capital first letter at the start of a sentence, a title or a quotation."""
    found = []
    for term in glossary():
        for form in (term["spanish"], *term.get("also", [])):
            for match in _literal(form).finditer(text):
                written = match.group()
                before = text[:match.start()].rstrip()
                opening = not before or before[-1] in '.:;!?¿¡"«(*#>-'
                if written != form and not (opening and written[1:] == form[1:]):
                    found.append(f"writes {written!r} for {form!r}: "
                                 f"...{text[max(0, match.start() - 40):match.end() + 20]}...")
    return found


@pytest.mark.parametrize("path", (LOCALE, *OTHER_SPANISH), ids=lambda p: p.name)
def test_every_term_is_written_as_the_glossary_writes_it(path: Path) -> None:
    """One term is also one way of writing it: a parent who reads "programa de educación
    individualizado" in the advice and "Programa de Educación Individualizado" in the
    explanation may take the second for the name of something else."""
    texts = _strings(parse_yaml(path.read_text(encoding="utf-8")))
    wrong = [problem for text in texts for problem in _miscased(" ".join(text.split()))]
    assert not wrong, "\n".join(wrong)


def test_the_capitals_check_can_fail() -> None:
    assert _miscased("Pida una reunión del Programa de Educación Individualizado (IEP).")
    assert not _miscased("Programa de educación individualizado (IEP): lo que dice.")


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
    texts = _strings(parse_yaml(path.read_text(encoding="utf-8")))
    wrong = [f"{' '.join(text.split())[:120]!r} uses {variant!r}"
             for term in glossary() for variant in term.get("variants", [])
             for text in texts if _literal(variant).search(" ".join(text.split()))]
    assert not wrong, "\n".join(wrong)


def _paren_after(text: str, end: int) -> str | None:
    """The parenthesis right after ``end`` in ``text`` (its inside), or None."""
    given = re.match(r"\s*\(([^()]*)\)", text[end:end + 200])
    return given.group(1) if given else None


def _glosses(term: dict[str, Any], inside: str | None) -> bool:
    """Whether a parenthesis gives the term's English: it holds it, in a few words (one
    that only mentions the term, "(o enviar una enmienda del IEP o un acuerdo firmado)",
    does not)."""
    if inside is None or _bare(term["parenthesis"]) not in _bare(inside):
        return False
    return (len(inside.split()) <= len(term["parenthesis"].split()) + 3
            or any(_bare(part) == _bare(term["parenthesis"]) for part in inside.split(",")))


def _gloss_problems(text: str) -> list[str]:
    """The rule of the English beside a term, in one document ``text`` read from the top,
    for each glossary term a family hears in English (``parenthesis``): its first use is
    the Spanish term followed by that English in parentheses, and no later use has it
    again. A term a family does not hear in English (``unglossed``) never has it."""
    problems = []
    terms = glossary()
    for term in terms:
        spanish = _literal(term["spanish"])
        if term.get("unglossed"):
            for match in spanish.finditer(text):
                inside = _paren_after(text, match.end())
                if inside is not None and _bare(term["unglossed"]) in _bare(inside):
                    problems.append(f"{term['spanish']!r} has its English "
                                    f"({term['unglossed']}), which a family does not hear")
        if not term.get("parenthesis"):
            continue
        forms = [_literal(form) for form in (term["spanish"], *term.get("also", []))]
        found = sorted((m for p in (*forms, *([_acronym(term["short"])] if term.get("short")
                                               else [])) for m in p.finditer(text)),
                       key=lambda m: (m.start(), -len(m.group())))
        # one use per place: the longest form found there
        uses = [m for n, m in enumerate(found) if n == 0 or m.start() != found[n - 1].start()]
        if not uses:
            continue
        first = uses[0]
        around = " ".join(text[max(0, first.start() - 60):first.end() + 60].split())
        if (not any(f.fullmatch(first.group()) for f in forms)
                or not _glosses(term, _paren_after(text, first.end()))):
            problems.append(f"{term['spanish']!r} first appears without "
                            f"({term['parenthesis']}): ...{around}...")
        for later in uses[1:]:
            inside = _paren_after(text, later.end())
            if not _glosses(term, inside) or _longer_term_glossed(text, later, inside, term):
                continue
            again = " ".join(text[max(0, later.start() - 60):later.end() + 60].split())
            problems.append(f"{term['spanish']!r} has ({term['parenthesis']}) again after "
                            f"its first use: ...{again}...")
    return problems


def _longer_term_glossed(text: str, match: re.Match[str], inside: str | None,
                         term: dict[str, Any]) -> bool:
    """Whether the parenthesis after ``match`` is the English of a longer glossary term
    that holds it ("debido proceso" in "audiencia de debido proceso (due process
    hearing)"): that is the longer term's English, not this one's again."""
    for other in glossary():
        if other is term or not other.get("parenthesis") or not _glosses(other, inside):
            continue
        if len(other["parenthesis"]) <= len(term["parenthesis"]):
            continue
        for form in (other["spanish"], *other.get("also", [])):
            for found in _literal(form).finditer(text):
                if found.start() <= match.start() and found.end() >= match.end():
                    return True
    return False


# the name the tests below were written with
_first_use_problems = _gloss_problems


def _as_printed(advisor: Advisor, case: dict[str, Any]) -> str:
    """The whole advice in Spanish as ``escalate advise --lang es --all`` prints it, less
    the lines that name a source: those quote English documents by their titles."""
    advice = advisor.advise(Case.model_validate(case), "es")
    words = Words(advisor.locales["es"])
    return _lines_as_read(render_advice(advice, None, words), words)


def _lines_as_read(text: str, words: Words) -> str:
    """Printed ``text`` as running text (the lines were wrapped for the terminal), less the
    lines that name a source."""
    source_label = words.say("text.cli.source", "Source: {source}").split("{")[0].strip()
    kept = [line for line in text.splitlines() if not line.strip().startswith(source_label)]
    return " ".join(" ".join(kept).split())


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_each_term_is_given_in_english_the_first_time(advisor: Advisor, name: str) -> None:
    problems = _first_use_problems(_as_printed(advisor, example_cases()[name]))
    assert not problems, "\n".join(problems)


def _letter_as_read(advisor: Advisor, case: dict[str, Any], move: str) -> list[str]:
    """A Spanish letter as the parent reads it before filling it in: two documents, the
    note for the parent and the letter itself (sent on its own, so it gives each term's
    English again), each less three things that are not our Spanish: the list of
    sources (English documents, by their titles), the family's own words from the case,
    and the bracketed blanks the parent replaces (an answered blank goes, so it is not
    where a term is first given)."""
    letter = write_letter(Case.model_validate(case), move, "md", advisor, "es")
    text = letter.content.decode()
    assert letter.letter.letter_only in text
    note = text[:text.index(letter.letter.letter_only)]
    return [_as_read(part, case) for part in (note, letter.letter.letter_only) if part]


def _as_read(text: str, case: dict[str, Any]) -> str:
    # the sources are listed one a line, in italics: "- *title, section*" (in the note,
    # quoted: "> - *title, section*")
    body = "\n".join(line for line in text.splitlines()
                     if not line.startswith(("- *", "> - *")))
    summary = case.get("concern", {}).get("summary")
    if summary:
        body = body.replace(summary, "")
    body = re.sub(r"\[[^\[\]]*\]", "", re.sub(r"\[[^\[\]]*\]", "", body))
    return " ".join(body.replace("*", "").replace(">", "").split())


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_each_letter_gives_the_english_the_first_time(advisor: Advisor, name: str) -> None:
    """The same rule for every letter, in Spanish, for every example: in the note, and in
    the letter as sent."""
    problems = [f"{move}: {problem}" for move in sorted(letters_for(advisor).letters.letters)
                for text in _letter_as_read(advisor, example_cases()[name], move)
                for problem in _first_use_problems(text)]
    assert not problems, "\n".join(problems)


def test_the_first_use_check_can_fail() -> None:
    """The check above notices a term used bare before it is explained, an explained
    term without its English, the English given again after the first use, and the
    English of a term a family does not hear in English."""
    assert _first_use_problems("Pida una reunión del IEP. El programa de educación "
                               "individualizado (IEP) dice...")
    assert _first_use_problems("Presente una queja estatal ante el estado.")
    assert not _first_use_problems("Presente una queja estatal (state complaint). La queja "
                                   "estatal se decide en 60 días.")
    assert _first_use_problems("Presente una queja estatal (state complaint). La queja "
                               "estatal (state complaint) se decide en 60 días.")
    assert _first_use_problems("Pida mediación (mediation).")
    assert not _first_use_problems(
        "Una queja de debido proceso (due process complaint) lleva a una audiencia de "
        "debido proceso (due process hearing). El debido proceso tarda.")


# ---- the explanations: `escalate advise --explain` and `escalate why-not`, in Spanish
#
# The same two rules hold where the advice explains itself. One allowance, for answers: an
# answer is a short phrase read right under its question ("¿Su hijo o hija tiene ahora un
# programa de educación individualizado (IEP)?" ... "sí, tiene un IEP"), and inside
# 'Si la respuesta es "..."' or after "ahora:". Spelling the term out there ("sí, tiene un
# programa de educación individualizado (IEP)") makes the answer hard to read, and the
# acronym is itself the English the parent uses with the school. So an answer may use a
# term's acronym (its `short`) without counting as the term's first use; a Spanish term
# spelled out in an answer counts as usual, and the term must still be given with its
# English the first time it is used anywhere else. No other text gets this allowance.


def _answer_phrases(explanation: Explanation) -> set[str]:
    """The answers of an explanation in words: the current answers and the tried ones."""
    return {" ".join(text.split()) for question in explanation.questions
            for text in (question.current_text,
                         *(answer.answer_text for answer in question.answers))}


def _without_answer_acronyms(text: str, answers: set[str]) -> str:
    """``text`` with the glossary acronyms taken out of the answer phrases it quotes (the
    allowance above); every other word is left as it is."""
    for answer in sorted(answers, key=len, reverse=True):
        bare = answer
        for term in glossary():
            if term.get("short"):
                bare = _acronym(term["short"]).sub("…", bare)
        if bare != answer:
            text = text.replace(answer, bare)
    return text


def _variants_in(text: str) -> list[str]:
    return [f"uses the variant {variant!r}" for term in glossary()
            for variant in term.get("variants", []) if _literal(variant).search(text)]


def _explained(advisor: Advisor, case: dict[str, Any]) -> Advice:
    advice = explainer_for(advisor).advise(Case.model_validate(case), "es")
    assert advice.explanation is not None and advice.language == "es"
    return advice


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_advice_with_its_explanation_gives_the_english_the_first_time(
        advisor: Advisor, name: str) -> None:
    """``escalate advise --lang es --explain --all`` as printed, read from the top: the
    explanation after the advice."""
    advice = _explained(advisor, example_cases()[name])
    words = Words(advisor.locales["es"])
    explanation = advice.explanation
    assert explanation is not None
    printed = _lines_as_read(render_advice(advice, None, words) + "\n\n"
                             + explain_advice(advice, words), words)
    problems = _variants_in(printed) + _first_use_problems(
        _without_answer_acronyms(printed, _answer_phrases(explanation)))
    assert not problems, "\n".join(problems)


def _explanation_texts(explanation: Explanation) -> list[str]:
    """The explanation's texts in the order a client of the API shows them: each question,
    its phrase, the current answer and what each answer would do; then the notes."""
    texts = [text for question in explanation.questions
             for text in (question.question, question.whether, question.current_text,
                          *(answer.effect for answer in question.answers))]
    texts += dict.fromkeys(skipped.note for skipped in explanation.skipped)
    return [*texts, explanation.note]


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_an_explanation_read_on_its_own_gives_the_english_the_first_time(
        advisor: Advisor, name: str) -> None:
    """The explanation of ``POST /v1/advice?explain=true&lang=es``, read without the advice
    above it (a client may show it on its own)."""
    explanation = _explained(advisor, example_cases()[name]).explanation
    assert explanation is not None
    text = " ".join(" ".join(_explanation_texts(explanation)).split())
    problems = _variants_in(text) + _first_use_problems(
        _without_answer_acronyms(text, _answer_phrases(explanation)))
    assert not problems, "\n".join(problems)


def _reasons(rules: list[RuleCheck]) -> list[str]:
    """The reasons of a why-not report's rules and of the rules they depend on, each as
    the report gives it, less those still holding template markup (a rule's reason with
    placeholders is held to the glossary where the advice fills it in, above)."""
    found = []
    for rule in rules:
        if rule.because and "{" not in rule.because:
            found.append(rule.because)
        found += _reasons([nested for alternative in rule.alternatives
                           for check in alternative.failed
                           for nested in check.missing_because])
    return found


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_each_why_not_report_gives_the_english_the_first_time(advisor: Advisor,
                                                              name: str) -> None:
    """``escalate why-not MOVE --lang es`` for every move, as printed; and each reason the
    report gives (``because``), read on its own as the JSON gives it."""
    case = Case.model_validate(example_cases()[name])
    problems = []
    for move in MoveId:
        report = explainer_for(advisor).why_not(case, move, lang="es")
        assert report.language == "es"
        words = Words(advisor.locales["es"])  # one report, one document
        texts = [_lines_as_read(render_why_not(report, words), words),
                 *(" ".join(reason.split()) for reason in _reasons(report.rules))]
        problems += [f"{move.value}: {problem}" for text in texts
                     for problem in _variants_in(text) + _first_use_problems(text)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_answer_allowance_is_only_for_answers() -> None:
    """An answer may say "IEP" before the term is spelled out; the same words anywhere
    else may not, and a bare acronym elsewhere in the text is still caught."""
    text = ('Si la respuesta es «sí, tiene un IEP», el consejo agregaría: Pedir una reunión '
            'del programa de educación individualizado (IEP).')
    assert _first_use_problems(text)
    assert not _first_use_problems(_without_answer_acronyms(text, {"sí, tiene un IEP"}))
    assert _first_use_problems(_without_answer_acronyms(
        "Pida una reunión del IEP. " + text, {"sí, tiene un IEP"}))


# ---- every document, for the examples and for cases built for the second review
#
# The rule above (first use glossed, later uses not) holds per document: the advice as the
# API gives it (read in its fields' order), a calendar (its events in order), the page (the
# intake and the advice page), and, for the review's cases (tests/data/review_cases.json:
# states, discipline, a 504 plan, a private school, pending proceedings), every document
# the tests above read for the examples.

def _all_cases() -> dict[str, dict[str, Any]]:
    return {**example_cases(), **review_cases()}


def _advice_as_given(advice: Advice) -> str:
    """The advice of POST /v1/advice read from the top, as its fields come: the summary,
    each recommendation (title, what it is, reasons, how, dates), the dates, the warnings,
    the ladders and the statement."""
    texts = [advice.summary]
    for rec in advice.recommendations:
        texts += [rec.title, rec.summary or "", *(r.text for r in rec.reasons), *rec.how,
                  *(t for d in rec.deadlines for t in (d.label, d.note or ""))]
    texts += [t for d in advice.deadlines for t in (d.label, d.note or "")]
    texts += [w.text for w in advice.warnings]
    texts += [r.title for r in (*advice.ladder, *advice.section_504_ladder)]
    return " ".join(" ".join([*texts, advice.disclaimer]).split())


@pytest.mark.parametrize("name", sorted(_all_cases()))
def test_the_advice_as_the_api_gives_it_gives_the_english_the_first_time(
        advisor: Advisor, name: str) -> None:
    advice = advisor.advise(Case.model_validate(_all_cases()[name]), "es")
    problems = _variants_in(_advice_as_given(advice)) + _gloss_problems(
        _advice_as_given(advice))
    assert not problems, "\n".join(problems)


def _calendar_as_read(advisor: Advisor, case: dict[str, Any]) -> str:
    """A Spanish calendar's events as a calendar app lists them: each title, then its
    description (an event's reminder repeats its title: it is not read again)."""
    calendar = Calendar.from_ical(write_calendar(Case.model_validate(case), advisor, "es"))
    texts = [str(event.get(key, "")) for event in calendar.walk("VEVENT")
             for key in ("SUMMARY", "DESCRIPTION")]
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize("name", sorted(_all_cases()))
def test_each_calendar_gives_the_english_the_first_time(advisor: Advisor,
                                                        name: str) -> None:
    text = _calendar_as_read(advisor, _all_cases()[name])
    problems = _variants_in(text) + _gloss_problems(text)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(review_cases()))
def test_the_review_cases_documents_give_the_english_the_first_time(
        advisor: Advisor, name: str) -> None:
    """For a case built for the review: the advice with its explanation as printed, the
    explanation on its own, each why-not report as printed, and each letter."""
    case = review_cases()[name]
    advice = _explained(advisor, case)
    explanation = advice.explanation
    assert explanation is not None
    words = Words(advisor.locales["es"])
    printed = _lines_as_read(render_advice(advice, None, words) + "\n\n"
                             + explain_advice(advice, words), words)
    answers = _answer_phrases(explanation)
    alone = " ".join(" ".join(_explanation_texts(explanation)).split())
    texts = {"advice --explain": _without_answer_acronyms(printed, answers),
             "explanation": _without_answer_acronyms(alone, answers)}
    for move in MoveId:
        report = explainer_for(advisor).why_not(Case.model_validate(case), move, lang="es")
        report_words = Words(advisor.locales["es"])
        texts[f"why-not {move.value}"] = _lines_as_read(render_why_not(report, report_words),
                                                        report_words)
    for move in sorted(letters_for(advisor).letters.letters):
        for n, text in enumerate(_letter_as_read(advisor, case, move)):
            texts[f"letter {move} {'note' if n == 0 and len(text) else 'letter'} {n}"] = text
    problems = [f"{where}: {problem}" for where, text in texts.items()
                for problem in _variants_in(text) + _gloss_problems(text)]
    assert not problems, "\n".join(dict.fromkeys(problems))
