"""The English a family hears, given once per document (escalate/text/glosses.py).

A term a family hears in English at school ("IEP", "Prior Written Notice", "stay-put")
has that English in parentheses at its first use in a document and not after, whatever
order the texts come in and however each translation wrote it. These tests read Spanish
through :class:`Reading` directly; ``test_spanish_glossary.py`` holds every rendered
document (advice, explanations, why-not reports, letters, calendars, the page) to the
rule, for the shipped examples and for cases built for the review.
"""

from __future__ import annotations

import random
import re

from escalate.strict import parse_yaml
from escalate.text.glosses import glosses_for, reading
from escalate.text.variables import phrases
from tests.core.test_spanish_glossary import LOCALE, _gloss_problems


def test_the_first_use_gets_the_english_and_later_uses_lose_it() -> None:
    read = reading("es")
    first = read("Pida una reunión del programa de educación individualizado.")
    later = read("El programa de educación individualizado (IEP) dice qué servicios hay.")
    assert first == "Pida una reunión del programa de educación individualizado (IEP)."
    assert later == "El programa de educación individualizado dice qué servicios hay."


def test_an_acronym_used_first_is_said_in_full() -> None:
    read = reading("es")
    assert read("IEP: lo que dice. Luego el IEP.") == (
        "Programa de educación individualizado (IEP): lo que dice. Luego el IEP.")
    assert reading("es")("Pida una reunión del IEP.") == (
        "Pida una reunión del programa de educación individualizado (IEP).")


def test_a_parenthesis_that_is_not_the_english_stays() -> None:
    read = reading("es")
    out = read("Presente una queja estatal (34 CFR 300.153). Otra queja estatal (la segunda).")
    assert out == ("Presente una queja estatal (state complaint) (34 CFR 300.153). Otra queja "
                   "estatal (la segunda).")


def test_a_longer_term_gives_the_english_of_the_term_inside_it() -> None:
    """"queja de debido proceso (due process complaint)" also teaches "due process"; a
    due process hearing is still a term of its own."""
    read = reading("es")
    out = read("Una queja de debido proceso (due process complaint) inicia el debido proceso "
               "(due process). Luego viene la audiencia de debido proceso.")
    assert out == ("Una queja de debido proceso (due process complaint) inicia el debido "
                   "proceso. Luego viene la audiencia de debido proceso (due process "
                   "hearing).")
    assert not _gloss_problems(out)


def test_the_family_words_are_left_as_typed() -> None:
    read = reading("es")
    typed = "el IEP de mi hijo no se cumple"
    out = read(f"Usted escribió: «{typed}». Pida una reunión del IEP.", [typed])
    assert f"«{typed}»" in out
    assert out.endswith("reunión del programa de educación individualizado (IEP).")


def test_a_term_a_family_does_not_hear_in_english_gets_none() -> None:
    terms = {entry.term for entry in phrases("es").glosses}
    assert "mediación" not in terms and "programa de educación individualizado" in terms
    assert reading("es")("Pida mediación.") == "Pida mediación."


def test_english_is_left_as_it_is() -> None:
    """The English texts say the acronyms as schools say them ("Request an IEE"): no
    English document is changed."""
    assert glosses_for("en").pattern is None
    text = "Request an IEE. The IEP team meets."
    assert reading("en")(text) == text


def _translations() -> list[str]:
    raw = parse_yaml(LOCALE.read_text(encoding="utf-8"))
    return [re.sub(r"\{[{%#].*?[}%#]\}", "", " ".join(entry["text"].split()))
            for entry in raw["entries"].values()]


def test_any_order_of_the_translations_reads_right() -> None:
    """Every Spanish text of the rules, read as one document in three different orders:
    each time the first use of each term has its English and no later use has it. A
    text that moves earlier or later needs no change."""
    texts = _translations()
    for seed in (1, 2, 3):
        order = texts[:]
        random.Random(seed).shuffle(order)
        read = reading("es")
        document = " ".join(read(text) for text in order)
        problems = _gloss_problems(document)
        assert not problems, "\n".join(problems[:10])
