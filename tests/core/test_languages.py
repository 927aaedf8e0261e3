"""Spanish as rule data (issue 14): every example advised in Spanish, stale and unknown
translations caught, dates written for the language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from escalate import Advisor
from escalate.cli import main
from escalate.examples import example_cases
from escalate.i18n.locale import LOCALES_DIR
from escalate.i18n.negotiate import choose
from escalate.i18n.sources import english_sources
from escalate.letters import letters_for
from escalate.models import Advice, Case
from escalate.rulebook import cited
from tests.core.conftest import RulesCopy

# Words that only an English sentence of ours carries; none may be left in Spanish advice.
ENGLISH_MARKERS = (" the ", " your ", " and ", " has not ", " school days")


def spanish(advisor: Advisor, case: dict[str, Any]) -> tuple[Advice, Advice]:
    model = Case.model_validate(case)
    return advisor.advise(model), advisor.advise(model, "es")


@pytest.mark.parametrize("name", sorted(example_cases()))
def test_every_example_is_advised_in_spanish(advisor: Advisor, name: str) -> None:
    english, advice = spanish(advisor, example_cases()[name])
    assert advice.language == "es"
    # The same advice, only in other words.
    assert [r.move for r in advice.recommendations] == [r.move for r in english.recommendations]
    assert [d.due for d in advice.deadlines] == [d.due for d in english.deadlines]
    assert advice.fallbacks == []  # the state clocks' words too (test_state_languages.py)
    for ours, theirs in zip(advice.recommendations, english.recommendations, strict=True):
        assert ours.title != theirs.title
        for mine, source in zip(ours.reasons, theirs.reasons, strict=True):
            assert mine.text != source.text
            # the same source: an article keeps its own title, a regulation is named in
            # the language; a numbered citation stays as written, a document cited by its
            # title alone (OCR's procedures) is named in the language
            assert mine.source.model_dump(exclude={"title", "citation"}) == \
                source.source.model_dump(exclude={"title", "citation"})
            assert mine.source.citation == cited(source.source.citation,
                                                 advisor.regulation_names("es"))
            assert (mine.source.title == source.source.title) == bool(source.source.document)
        for mine_step, step in zip(ours.how, theirs.how, strict=True):
            assert mine_step != step
    texts = [advice.summary, advice.disclaimer,
             *(r.text for rec in advice.recommendations for r in rec.reasons),
             *(w.text for w in advice.warnings),
             *(d.label for d in advice.deadlines)]
    for text in texts:
        # the English term in parentheses, given the first time, is meant to be there
        padded = " " + re.sub(r"\([^)]*\)", "", text) + " "
        assert not any(marker in padded for marker in ENGLISH_MARKERS), text
    assert "no asesoría legal" in advice.disclaimer


def test_dates_in_spanish_sentences_are_written_the_spanish_way(advisor: Advisor) -> None:
    english, advice = spanish(advisor, example_cases()["12_window_closed"])
    closed = [w for w in advice.warnings if w.kind == "window_closed"]
    assert closed, "the example's window should be closed"
    assert "de septiembre de 2026" in closed[0].text
    assert "2026-09-15" in [w for w in english.warnings if w.kind == "window_closed"][0].text
    assert advice.deadlines[0].due == english.deadlines[0].due  # data stays ISO


def test_the_shipped_translation_is_complete(advisor: Advisor) -> None:
    assert advisor.locales["es"].gaps == []
    assert main(["rules", "check", "--strict"]) == 0


ES = f"{LOCALES_DIR}/es/texts.yaml"


def _es(root: Path) -> Path:
    return root / ES


def test_changed_english_makes_the_translation_stale(rules_copy: RulesCopy,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    rules_copy.replace("moves.yaml", "title: Ask for mediation",
                       "title: Ask the state for mediation")
    assert main(["rules", "check", str(rules_copy.root)]) == 0  # reported, not fatal
    assert main(["rules", "check", "--strict", str(rules_copy.root)]) == 1
    out = capsys.readouterr().out
    assert "stale" in out and "move.mediation.title" in out
    # Meanwhile the title is said in English, whole, and listed.
    advisor = Advisor.from_directory(rules_copy.root)
    case = Case.model_validate(example_cases()["05_collaboration_exhausted"])
    advice = advisor.advise(case, "es")
    titles = [r.title for r in advice.recommendations]
    assert "Ask the state for mediation" in titles
    assert "move.mediation.title" in advice.fallbacks
    # translate-status gives the new English and its hash
    assert main(["rules", "translate-status", "es", "--rules", str(rules_copy.root)]) == 0
    status = capsys.readouterr().out
    assert "Ask the state for mediation" in status
    assert english_sources(advisor.rulebook)["move.mediation.title"].text in status


def test_missing_entry_is_reported(rules_copy: RulesCopy,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = _es(rules_copy.root).read_text(encoding="utf-8")
    start = text.index("  move.mediation.title:\n")
    end = text.index("\n  move.", start + 1)
    _es(rules_copy.root).write_text(text[:start] + text[end + 1:], encoding="utf-8")
    assert main(["rules", "check", "--strict", str(rules_copy.root)]) == 1
    assert "missing: move.mediation.title" in capsys.readouterr().out


def test_unknown_id_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(ES, "  move.mediation.title:", "  move.mediaton.title:")
    problem = rules_copy.start_problem()
    assert problem.file == "locales/es/texts.yaml" and problem.rule_id == "move.mediaton.title"
    assert "unknown id" in problem.message


def test_unknown_variable_in_a_translation_stops_start_up(rules_copy: RulesCopy) -> None:
    old = "{{ concern.topic }} de {{ child }}"
    count = rules_copy.text(ES).count(old)
    rules_copy.replace(ES, old, "{{ concern.topik }} de {{ child }}", count)
    problem = rules_copy.start_problem()
    assert problem.file == "locales/es/texts.yaml"
    assert problem.rule_id == "rule.written_concern.not_yet_in_writing.because"
    assert problem.key == "text" and "concern" in problem.message


def test_unknown_placeholder_in_a_translated_sentence(rules_copy: RulesCopy) -> None:
    rules_copy.replace(ES, "dentro de {days}.", "dentro de {dias}.")
    assert rules_copy.start_problem().rule_id == "text.clocks.window_closing"


def test_locale_files_count_in_the_rules_version(rules_copy: RulesCopy) -> None:
    before = Advisor.from_directory(rules_copy.root).rules_version
    path = _es(rules_copy.root)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Pedir mediación", "Pedir una mediación"), encoding="utf-8")
    assert Advisor.from_directory(rules_copy.root).rules_version != before


@pytest.mark.parametrize(("lang", "header", "chosen"), [
    (None, "es-US,es;q=0.9,en;q=0.5", "es"),
    (None, "fr-FR, de;q=0.5", "en"),
    (None, "en;q=0.4, es;q=0.8", "es"),
    (None, "es;q=0", "en"),
    (None, None, "en"),
    ("en", "es", "en"),
])
def test_accept_language(lang: str | None, header: str | None, chosen: str) -> None:
    assert choose(lang, header) == chosen


def test_cli_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_cases()["01_new_concern"]), encoding="utf-8")
    assert main(["advise", str(path), "--json", "--lang", "es"]) == 0
    advice = json.loads(capsys.readouterr().out)
    assert advice["language"] == "es"
    assert advice["recommendations"][0]["title"] == "Poner la preocupación por escrito"


# ---------------------------------------------------------------- letters in Spanish

def _letter_moves(advisor: Advisor) -> list[str]:
    return sorted(letters_for(advisor).letters.letters)


def test_every_letter_comes_in_spanish_for_every_example(advisor: Advisor) -> None:
    from escalate.letters import write_letter

    from .test_letters import BROKEN_TEXT
    for name, raw in example_cases().items():
        case = Case.model_validate(raw)
        for move in _letter_moves(advisor):
            english = write_letter(case, move, "md", advisor).letter
            letter = write_letter(case, move, "md", advisor, "es")
            text = letter.letter.markdown  # the Spanish; its English to send follows it
            assert letter.letter.lang == "es" and letter.letter.fallbacks == (), (name, move)
            assert text != english.markdown
            assert letter.letter.english is not None
            assert letter.content.decode().endswith(english.letter_only)
            assert "no asesoría legal" in text and "Atentamente," in text, (name, move)
            assert not BROKEN_TEXT.search(text.replace("(Independent", "")), (name, move)
            for marker in ("Dear ", "Sincerely", "I am writing", "[your name]"):
                assert marker not in text, (name, move, marker)


def test_spanish_docx_and_pdf_are_marked_spanish(advisor: Advisor) -> None:
    import io

    import docx
    from pypdf import PdfReader

    from escalate.letters import write_letter
    case = Case.model_validate(example_cases()["04_disagrees_with_evaluation"])
    document = docx.Document(io.BytesIO(
        write_letter(case, "request_iee", "docx", advisor, "es").content))
    assert document.core_properties.language == "es-US"
    text = "\n".join(p.text for p in document.paragraphs)
    # the term with its English the first time in the letter (escalate/text/glosses.py)
    assert re.search(r"evaluación educativa independiente \((Independent Educational "
                     r"Evaluation, )?IEE\)", text)
    pdf = PdfReader(io.BytesIO(write_letter(case, "request_iee", "pdf", advisor, "es").content))
    assert pdf.trailer["/Root"]["/Lang"] == "es-US"
    assert "evaluación educativa independiente" in str(pdf.metadata.title)
    words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "no asesoría legal" in words


def test_an_untranslated_letter_comes_in_english_whole(rules_copy: RulesCopy) -> None:
    from escalate.letters import write_letter
    rules_copy.replace("letters/request_iee.yaml", "I disagree with the district's",
                       "I do not agree with the district's")
    advisor = Advisor.from_directory(rules_copy.root)
    case = Case.model_validate(example_cases()["04_disagrees_with_evaluation"])
    letter = write_letter(case, "request_iee", "md", advisor, "es")
    assert letter.letter.lang == "en" and letter.letter.fallbacks == ("letter.request_iee",)
    text = letter.content.decode()
    assert "I do not agree with the district's" in text and "Sincerely," in text
    assert "Atentamente" not in text and "Antes de enviar" not in text


def test_calendar_in_spanish(advisor: Advisor) -> None:
    from icalendar import Calendar

    from escalate.calendar import write_calendar
    case = Case.model_validate(example_cases()["06_iep_not_implemented"])
    events = [c for c in Calendar.from_ical(write_calendar(case, advisor, "es")).walk()
              if c.name == "VEVENT"]
    assert events
    for event in events:
        summary = str(event["summary"])
        # as in English: what the date is, the action to take, then the child
        assert summary.endswith(" (Jordan)")
        label, _, action = summary.removesuffix(" (Jordan)").partition(": ")
        assert label.startswith(("Vence", "Plazo", "Fecha límite")) and action
        assert action[0].islower()  # "presentar una queja estatal ...", the step's title
        assert "no asesoría legal" in str(event["description"])
        assert "de 2027" in str(event["description"])



@pytest.mark.parametrize("name", ["06_iep_not_implemented", "15_hawaii_private_placement"])
def test_calendar_events_keep_their_uid_across_languages(advisor: Advisor, name: str) -> None:
    """A family that imported the English calendar and then the Spanish one gets the same
    events updated, not each date twice."""
    from icalendar import Calendar

    from escalate.calendar import write_calendar
    case = Case.model_validate(example_cases()[name])

    def uids(lang: str) -> list[str]:
        return [str(c["uid"]) for c in Calendar.from_ical(write_calendar(case, advisor, lang))
                .walk() if c.name == "VEVENT"]

    english = uids("en")
    assert english and len(set(english)) == len(english)
    assert uids("es") == english


def test_spanish_source_line_quotes_the_english_title(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    import json
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_cases()["02_unanswered_concern"]), encoding="utf-8")
    assert main(["advise", str(path), "--lang", "es", "--all"]) == 0
    sources = [line.strip() for line in capsys.readouterr().out.splitlines()
               if line.strip().startswith("Fuente:")]
    assert any("(en inglés)" in line for line in sources)
    assert not any(", section " in line for line in sources)
    assert any(", sección " in line for line in sources)

def test_cli_text_in_spanish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_cases()["12_window_closed"]), encoding="utf-8")
    assert main(["advise", str(path), "--lang", "es"]) == 0
    out = capsys.readouterr().out
    for label in ("Cómo hacerlo:", "Plazos:", "Avisos:", "La escalera:",
                  "no asesoría legal"):
        assert label in out
    for english in ("How:", "Deadlines:", "Warnings:", "The ladder:", "not legal advice"):
        assert english not in out


def test_each_move_is_described_in_the_wording_for_the_childs_plan(advisor: Advisor) -> None:
    case = Case.model_validate(example_cases()["16_section_504_plan_not_followed"])
    for lang in ("en", "es"):
        advice = advisor.advise(case, lang)
        meeting = next(r for r in advice.recommendations if r.move.value == "request_504_meeting")
        assert meeting.summary and "504" in meeting.summary
        assert all(r.summary for r in advice.recommendations)
        assert not any("IEP" in (r.summary or "") for r in advice.recommendations)


def test_a_regulation_is_named_in_spanish_and_an_untranslated_name_is_listed(
        advisor: Advisor, rules_copy: RulesCopy) -> None:
    case = Case.model_validate(example_cases()["16_section_504_plan_not_followed"])
    advice = advisor.advise(case, "es")
    titles = {r.source.title for rec in advice.recommendations for r in rec.reasons
              if not r.source.document}
    assert titles and all(t and t.startswith(("Reglamento", "Procedimientos", "Manual"))
                          for t in titles), titles
    # change the English name of one regulation: its Spanish is stale, so the name is said
    # in English, whole, and listed
    rules_copy.replace("moves.yaml", "Section 504 regulations, evaluation and placement",
                    "Section 504 regulations; evaluation and placement")
    stale = Advisor.from_directory(rules_copy.root).advise(case, "es")
    assert "regulation.34 CFR 104.35.title" in stale.fallbacks
    assert any(r.source.title == "Section 504 regulations; evaluation and placement"
               for rec in stale.recommendations for r in rec.reasons)


@pytest.mark.parametrize(("days", "english", "spanish"), [(1, "in 1 day.", "dentro de 1 día."),
                                                          (12, "in 12 days.",
                                                           "dentro de 12 días.")])
def test_a_closing_window_counts_its_days_in_words_for_the_number(
        advisor: Advisor, days: int, english: str, spanish: str) -> None:
    """'1 day', never '1 days', in either language."""
    import datetime as dt
    case = Case.model_validate(example_cases()["12_window_closed"])
    window = next(d for d in advisor.advise(case).deadlines if d.move.value == "state_complaint")
    closing = Case.model_validate({**example_cases()["12_window_closed"],
                                   "as_of": (window.due - dt.timedelta(days=days)).isoformat()})
    for lang, ending in (("en", english), ("es", spanish)):
        warning = next(w for w in advisor.advise(closing, lang).warnings
                       if w.kind == "window_closing" and w.move.value == "state_complaint")
        assert warning.text.endswith(ending), warning.text


@pytest.mark.parametrize(("lang", "ago"), [("en", " ago;"), ("es", ", hace ")])
def test_a_date_gone_by_is_counted_back_not_negative(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, ago: str) -> None:
    import json
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_cases()["17_annual_review_overdue"]), encoding="utf-8")
    assert main(["advise", str(path), "--lang", lang, "--all"]) == 0
    out = capsys.readouterr().out
    assert ago in out
    assert not re.search(r"-\d+ (?:days|días)|: -\d+", out)
