"""The state clocks in Spanish (issue 14): the notes, labels and warnings that the state
rules add (``escalate/states/messages.yaml``, the ``note`` of each value in
``rules/states/XX.yaml``) come in the advice's language, each sentence whole; a stale or
broken translation of them is caught like any other."""

from __future__ import annotations

import re
import string

import pytest

from escalate import Advisor
from escalate.cli import main
from escalate.errors import RuleFileError
from escalate.examples import example_cases
from escalate.i18n.locale import LOCALES_DIR
from escalate.i18n.sources import english_sources
from escalate.i18n.words import Words
from escalate.models import Advice, Case
from escalate.states.clocks import amount_words
from escalate.text.glosses import glosses_for

from .conftest import RulesCopy

# Wisconsin (notice date assumed, and given), Louisiana (disputed, medium confidence),
# Hawaii (the reimbursement limit, closing).
STATE_EXAMPLES = ("07_mediation_failed", "09_school_keeps_refusing",
                  "14_wisconsin_notice_date", "15_hawaii_private_placement")
WI_NOTE = "state.WI.due_process_limit.2006-10-13.note"



plain = glosses_for("es").plain  # a text without the English beside its terms

def state_texts(advice: Advice) -> list[str]:
    """What the state clocks add to an advice: notes, reimbursement labels and warnings."""
    return ([d.note for d in advice.deadlines if d.note]
            + [d.label for d in advice.deadlines if d.move == "due_process"]
            + [w.text for w in advice.warnings if w.kind.startswith("reimbursement")])


def english_fragments(advisor: Advisor) -> list[str]:
    """Every run of four or more words of an English state sentence, between its
    placeholders: none may be left in a Spanish advice."""
    found = []
    for key, source in english_sources(advisor.rulebook).items():
        if not key.startswith("state."):
            continue
        for literal, *_ in string.Formatter().parse(source.text):
            if len(literal.split()) >= 4:
                found.append(literal.strip(" ,.;:()"))
    return found


def advise(advisor: Advisor, name: str, lang: str) -> Advice:
    return advisor.advise(Case.model_validate(example_cases()[name]), lang)


@pytest.mark.parametrize("name", STATE_EXAMPLES)
def test_state_clocks_speak_spanish(advisor: Advisor, name: str) -> None:
    english, advice = advise(advisor, name, "en"), advise(advisor, name, "es")
    assert advice.fallbacks == []
    texts, theirs = state_texts(advice), state_texts(english)
    assert len(texts) == len(theirs) and texts, name
    fragments = english_fragments(advisor)
    # the English advice says some of them, so their absence below is a real check
    assert any(f in source for f in fragments for source in theirs), name
    names = [c.name for centers in advisor.rulebook.parent_centers.values() for c in centers]
    for text, source in zip(texts, theirs, strict=True):
        assert text != source
        left = [f for f in fragments if f in text]
        assert not left, (text, left)
        # a center's own name stays as written ("Louisiana Parent Training and ...")
        for center in names:
            text = text.replace(center, "")
        padded = " " + re.sub(r"\([^)]*\)", "", text) + " "
        for marker in (" the ", " your ", " and ", " is ", " this "):
            assert marker not in padded, (marker, text)
    assert [d.due for d in advice.deadlines] == [d.due for d in english.deadlines]


def test_dates_in_state_notes_are_written_for_the_language(advisor: Advisor) -> None:
    english = advise(advisor, "07_mediation_failed", "en")
    advice = advise(advisor, "07_mediation_failed", "es")
    note_en = next(d.note for d in english.deadlines if d.note)
    note_es = next(d.note for d in advice.deadlines if d.note)
    # English keeps its ISO dates and its words, as before.
    assert note_en.startswith(
        "In Wisconsin this limit counts from the district's written notice, proposal or "
        "refusal. The case does not give the date of that notice, so it was counted from "
        "the date of the violation (2026-01-15).")
    assert note_en.endswith("the year runs from when it does (same subdivision).")
    assert "(15 de enero de 2026)" in note_es and "2026-01-15" not in note_es
    assert "la fecha de la violación" in note_es
    # its English is given where the advice first uses the term (test_spanish_glossary)
    assert "aviso previo por escrito" in note_es
    hawaii = advise(advisor, "15_hawaii_private_placement", "es")
    [warning] = [w for w in hawaii.warnings if w.kind == "reimbursement_limit_closing"]
    assert "28 de noviembre de 2026" in warning.text and "Quedan pocos días" in warning.text
    assert "(días restantes: 5)" in warning.text


def test_louisiana_says_its_disagreement_and_confidence_in_spanish(advisor: Advisor) -> None:
    advice = advise(advisor, "09_school_keeps_refusing", "es")
    note = next(d.note for d in advice.deadlines if d.note)
    assert "dice 1 año" in note and "dice 2 años" in note  # Babel's words for the lengths
    assert "nuestra confianza en este dato es media" in note
    assert "La. R.S. 17:1946(B)(1)" in note  # the citation stays as written
    assert "Centro de Capacitación e Información para Padres" in note


def test_lengths_in_the_language(advisor: Advisor) -> None:
    spanish, english = Words(advisor.locales["es"]), Words()
    assert amount_words(1, "years", spanish) == "1 año"
    assert amount_words(180, "days", spanish) == "180 días"
    assert amount_words(1, "school_days", spanish) == "1 día escolar"
    assert amount_words(45, "school_days", spanish) == "45 días escolares"
    assert amount_words(65, "business_days", spanish) == "65 días hábiles"
    assert amount_words(1, "years", english) == "1 year"
    assert amount_words(45, "school_days", english) == "45 school days"
    assert spanish.fallbacks() == []


def _es_entry_removed(rules_copy: RulesCopy, key: str) -> None:
    name = f"{LOCALES_DIR}/es/texts.yaml"
    text = rules_copy.text(name)
    start = text.index(f"  {key}:\n")
    end = text.index("\n  state.", start + 1)
    rules_copy.write(name, text[:start] + text[end + 1:])


def test_a_sentence_is_never_mixed(rules_copy: RulesCopy) -> None:
    """The phrase put into the notice sentence has no translation: the whole sentence,
    its date too, is said in English and listed; the next sentence stays Spanish."""
    _es_entry_removed(rules_copy, "state.messages.used_violation")
    advisor = Advisor.from_directory(rules_copy.root)
    advice = advise(advisor, "07_mediation_failed", "es")
    assert advice.fallbacks == ["state.messages.used_violation"]
    note = next(d.note for d in advice.deadlines if d.note)
    assert note.startswith("In Wisconsin this limit counts from the district's written "
                           "notice")
    assert "the date of the violation (2026-01-15). Add the date of the notice" in note
    assert "enero" not in note
    # the Spanish sentence after it (a term's English given once in the advice, where it
    # is first used: test_spanish_glossary)
    assert plain(note).endswith("audiencia de debido proceso, el año se cuenta desde que "
                                "se lo dé. Lo dice la misma disposición de la ley.")


def test_a_changed_state_note_makes_its_translation_stale(
        rules_copy: RulesCopy, capsys: pytest.CaptureFixture[str]) -> None:
    rules_copy.replace("states/WI.yaml", "If the district never gave notice of the right",
                       "If the district never gave written notice of the right")
    assert main(["rules", "check", str(rules_copy.root)]) == 0  # reported, not fatal
    assert main(["rules", "check", "--strict", str(rules_copy.root)]) == 1
    out = capsys.readouterr().out
    assert "stale" in out and WI_NOTE in out
    advice = advise(Advisor.from_directory(rules_copy.root), "14_wisconsin_notice_date", "es")
    assert advice.fallbacks == [WI_NOTE]
    note = next(d.note for d in advice.deadlines if d.note)
    assert note.startswith("If the district never gave written notice of the right")


def test_an_unknown_placeholder_in_a_state_message_stops_start_up(
        rules_copy: RulesCopy) -> None:
    rules_copy.replace(f"{LOCALES_DIR}/es/texts.yaml", "Verifique esta fecha en {citation}",
                       "Verifique esta fecha en {cita}")
    with pytest.raises(RuleFileError) as caught:
        Advisor.from_directory(rules_copy.root)
    [problem] = caught.value.problems
    assert problem.file == "locales/es/texts.yaml" and problem.rule_id == "state.messages.check"
    assert problem.key == "text" and "{cita}" in problem.message
    assert "citation" in problem.message  # what is accepted


def test_escalate_states_lang(capsys: pytest.CaptureFixture[str]) -> None:
    import json
    assert main(["states", "WI", "--json", "--lang", "es"]) == 0
    [state] = json.loads(capsys.readouterr().out)
    assert state["language"] == "es" and state["fallbacks"] == []
    note = next(v["note"] for v in state["values"] if v["topic"] == "due_process_limit")
    assert note.startswith("Si el distrito nunca le dio el aviso")
    assert main(["states", "WI", "--json"]) == 0
    [state] = json.loads(capsys.readouterr().out)
    assert state["language"] == "en"
    assert next(v["note"] for v in state["values"] if v["topic"] == "due_process_limit") \
        .startswith("If the district never gave notice")


@pytest.mark.parametrize("code", ["LA", "HI", "WI", "VI"])
def test_the_states_listing_reads_in_the_language(capsys: pytest.CaptureFixture[str],
                                                  code: str) -> None:
    """`escalate states` as text: the same lines in Spanish, none of the English words."""
    assert main(["states", code]) == 0
    english = capsys.readouterr().out.splitlines()
    assert main(["states", code, "--lang", "es"]) == 0
    spanish = capsys.readouterr().out.splitlines()
    assert spanish.index("") == english.index("")  # the same lines, then the statement
    listing = "\n".join(spanish[:spanish.index("")])
    for word in ("confidence", "federal rule", "state rule", "since", " from ",
                 "parent center", "due process limit", "no state file"):
        assert word not in listing, word
    assert ("confianza" in listing) or ("reglas federales" in listing)
    if code == "LA":
        assert "en disputa: 2 años" in listing and "1 de agosto de 2024" in listing
        assert any("disputed: 2 years since 2024-08-01" in line for line in english)


def test_a_state_is_named_as_the_language_writes_it(advisor: Advisor,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    """North Carolina counts the evaluation from the referral; without its date the note
    says so, naming the state: "Carolina del Norte" in Spanish."""
    case = Case.model_validate({
        "as_of": "2026-11-23", "state": "NC",
        "student": {"name": "Ana", "disability_suspected": True},
        "concern": {"topic": "evaluation", "school_response": "no_response"},
        "evaluation": {"consent_date": "2026-10-01"}})
    english, spanish = advisor.advise(case), advisor.advise(case, "es")
    assert any("In North Carolina" in (d.note or "") for d in english.deadlines)
    assert any("En Carolina del Norte" in (d.note or "") for d in spanish.deadlines)
    assert not any("North Carolina" in (d.note or "") for d in spanish.deadlines)
    assert spanish.fallbacks == []
    import json
    assert main(["states", "NC", "--json", "--lang", "es"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "Carolina del Norte"
    assert main(["states", "NC", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "North Carolina"
