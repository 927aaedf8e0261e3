"""Letters a parent could send: filled from the case, with the structure the seeds describe
(the concern, bullet-point evidence, three dates for a meeting, a citation for what is
asked), marked blanks instead of invented facts, the not-legal-advice statement, a note
when the move was not recommended, and every format opening as what it claims to be."""

from __future__ import annotations

import io
import re

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from escalate import Advisor, Escalate, RuleFileError
from escalate.examples import example_cases
from escalate.letters import NoLetterError, letters_for, write_letter
from escalate.models import EXAMPLE_CASE, Case

from .cases import valid_cases
from .conftest import RulesCopy
from .test_loader import only

# "None", empty brackets, a template left behind, or words glued to a bracket (a block tag
# that swallowed a space: "requires(the ...").
BROKEN_TEXT = re.compile(r"\bNone\b|\(\s*\)|\{\{|\{%|\[\s*\]|[a-z][(\[]")
MEETING_LETTERS = ("request_iep_meeting",)
CONTRACT = Case.model_validate(EXAMPLE_CASE)
NAMELESS = Case.model_validate({
    "as_of": "2026-11-23", "student": {"has_iep": True},
    "concern": {"topic": "goals", "school_response": "refused"}})


def _letter_moves(advisor: Advisor) -> list[str]:
    return sorted(letters_for(advisor).letters.letters)


def test_every_move_done_in_writing_has_a_letter(advisor: Advisor) -> None:
    expected = {"written_concern", "request_iep_meeting", "escalate_chain_of_command",
                "request_iee", "request_records", "request_evaluation",
                "request_prior_written_notice", "request_written_policy", "mediation",
                "state_complaint", "due_process", "invoke_stay_put", "ocr_complaint",
                "request_written_agreement"}
    assert expected <= set(_letter_moves(advisor))


def test_every_letter_reads_like_a_letter_for_every_example(advisor: Advisor) -> None:
    for stem, raw in example_cases().items():
        case = Case.model_validate(raw)
        for move in _letter_moves(advisor):
            text = write_letter(case, move, "md", advisor).content.decode()
            assert not BROKEN_TEXT.search(text), f"{stem}/{move}: {BROKEN_TEXT.search(text)}"
            assert "not legal advice" in text, f"{stem}/{move}"
            assert case.as_of.isoformat() in text  # dated
            if case.student.name:
                assert case.student.name in text, f"{stem}/{move}"
            assert "Sincerely," in text


def test_a_letter_uses_the_cases_facts(advisor: Advisor) -> None:
    text = write_letter(CONTRACT, "escalate_chain_of_command", "md", advisor).content.decode()
    assert "Jordan" in text
    assert "2026-09-20" in text and "2026-09-01" in text  # the history, dated
    assert "asked for a 1:1 aide" not in text  # never the intake summary
    assert "[your concern in your own words]" in text  # the family's own words: a blank
    # The reasons the move was recommended, in the note for the parent.
    assert "The IEP meeting on 2026-09-20 ended in refusal" in text
    assert "Courtesy note to the team" in text


def test_meeting_requests_offer_three_dates(advisor: Advisor) -> None:
    for move in MEETING_LETTERS:
        text = write_letter(CONTRACT, move, "md", advisor).content.decode()
        dates = re.findall(r"^\d\. \[[a-z]+ date and time\]$", text, flags=re.MULTILINE)
        assert len(dates) == 3, text
        assert "agenda" in text
        assert re.search(r"^- ", text, flags=re.MULTILINE)  # bullet-point concerns


def test_every_letter_cites_what_it_relies_on(advisor: Advisor) -> None:
    for move, template in letters_for(advisor).letters.letters.items():
        text = write_letter(CONTRACT, move, "md", advisor).content.decode()
        assert "The letter relies on:" in text  # in the note, while a draft
        letter = text.split("\n---\n", 1)[1]
        for source in template.sources:
            shown = advisor.rulebook.source_title(source)
            number = (source.citation or "").removeprefix("34 CFR ")
            # a source cited only in some cases is listed exactly where the letter cites it
            listed = not source.when_cited or number in letter
            assert shown and (shown in text) is listed, f"{move}: {shown}"
            assert not source.document or source.document not in text  # never a file name


def test_what_the_case_cannot_fill_is_a_marked_blank(advisor: Advisor) -> None:
    text = write_letter(NAMELESS, "written_concern", "md", advisor).content.decode()
    assert "[child's name]" in text and "[school name]" in text and "[your name]" in text
    assert "your child" not in text.split("---", 1)[1].replace("affected your child", "")


def test_a_letter_the_advice_does_not_recommend_says_so(advisor: Advisor) -> None:
    recommended = {r.move.value for r in advisor.advise(CONTRACT).recommendations}
    assert "request_iep_meeting" not in recommended
    letter = write_letter(CONTRACT, "request_iep_meeting", "md", advisor)
    assert not letter.recommended
    assert "not recommended for these facts" in letter.content.decode()
    # ... and what the advice suggests first instead.
    assert "suggests first: *go up the chain of command*" in letter.content.decode()
    chosen = write_letter(CONTRACT, "escalate_chain_of_command", "md", advisor)
    assert chosen.recommended
    assert "not recommended" not in chosen.content.decode()


def test_a_letter_names_the_clock_it_starts(advisor: Advisor) -> None:
    text = write_letter(CONTRACT, "request_records", "md", advisor).content.decode()
    # 45 days from the letter's date (34 CFR 300.613(a)).
    assert "2027-01-07" in text and "45 days" in text and "34 CFR 300.613(a)" in text


def test_a_move_without_a_letter_is_refused_with_the_choices(advisor: Advisor) -> None:
    with pytest.raises(NoLetterError) as caught:
        write_letter(CONTRACT, "parent_concerns_statement", "md", advisor)
    assert "request_iee" in str(caught.value)


def test_docx_opens_and_is_editable(advisor: Advisor) -> None:
    letter = write_letter(CONTRACT, "request_iep_meeting", "docx", advisor)
    document = docx.Document(io.BytesIO(letter.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Request for an IEP meeting for Jordan" in text
    assert "not legal advice" in text
    bullets = [p for p in document.paragraphs if p.style is not None
               and p.style.name in ("List Bullet", "List Number")]
    assert len(bullets) >= 3
    assert document.core_properties.language == "en-US"
    document.add_paragraph("An edit by the parent.")  # editable: saves again
    document.save(io.BytesIO())


def test_pdf_is_tagged_with_its_language_and_title(advisor: Advisor) -> None:
    letter = write_letter(CONTRACT, "request_iee", "pdf", advisor)
    assert letter.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(letter.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert "Independent Educational Evaluation" in str(reader.metadata.title)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Jordan" in text and "not legal advice" in " ".join(text.split())


def test_free_text_in_a_case_never_becomes_markup(advisor: Advisor) -> None:
    raw = dict(EXAMPLE_CASE, concern={"topic": "services", "school_response": "refused",
                                      "summary": "<script>x</script> ![](http://x.invalid/a.png)"})
    case = Case.model_validate(raw)
    pdf = write_letter(case, "written_concern", "pdf", advisor).content
    assert pdf.startswith(b"%PDF")  # rendered without fetching the image
    from escalate.letters.formats import to_html
    html = to_html(write_letter(case, "written_concern", "md", advisor).content.decode(), "t")
    assert "<script>" not in html


# ------------------------------------------------------------ the start-up check

LETTER = "letters/request_iee.yaml"


def test_unknown_variable_in_a_letter_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(LETTER, "{{ child }} at public expense", "{{ chld }} at public expense")
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.rule_id == "request_iee" and problem.key == "subject"
    assert "chld" in problem.message and problem.suggestion == "child"


def test_syntax_error_in_a_letter_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(LETTER, "{% if evaluation.date %}", "{% if evaluation.date %")
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.rule_id == "request_iee" and problem.key == "body"
    assert "syntax" in problem.message


def test_letter_for_an_unknown_move_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(LETTER, "move: request_iee", "move: request_ie")
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.key == "move" and problem.suggestion == "request_iee"


def test_a_new_letter_is_only_a_new_file(rules_copy: RulesCopy, advisor: Advisor) -> None:
    rules_copy.write("letters/parent_concerns_statement.yaml", (
        "move: parent_concerns_statement\n"
        "to: \"[case manager's name], {{ school }}\"\n"
        "subject: \"Parent concerns for {{ child }}'s IEP\"\n"
        "sources:\n  - document: 001_f36458208edd6cca.txt\n"
        "    section: Utilize the Parent Concerns Section of the IEP\n"
        "blanks:\n  case_manager: {label: \"case manager's name\"}\n"
        "body: |\n  Dear [case manager's name],\n\n"
        "  Please add my concern about {{ concern.topic }} to the IEP.\n"))
    fresh = Advisor.from_directory(rules_copy.root)
    text = write_letter(CONTRACT, "parent_concerns_statement", "md", fresh).content.decode()
    assert "Please add my concern about services to the IEP." in text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_cases())
def test_no_letter_ever_reads_none_or_leaves_a_template_behind(case: Case) -> None:
    from escalate import get_advisor

    advisor = get_advisor()
    for move in _letter_moves(advisor):
        text = write_letter(case, move, "md", advisor).content.decode()
        assert not BROKEN_TEXT.search(text), f"{move}: {BROKEN_TEXT.search(text)}"
        assert "not legal advice" in text


# ---------------------------------------------------------------- the moves of issue 8

@pytest.mark.parametrize(("move", "example", "says", "cites"), [
    ("request_504_meeting", "16_section_504_plan_not_followed",
     "meeting of Maya's 504 team", "34 CFR 104.36"),
    ("section_504_hearing", "16_section_504_plan_not_followed",
     "impartial hearing under Section 504", "34 CFR 104.36"),
    ("request_reevaluation", "17_annual_review_overdue",
     "last evaluation of Sam I know of is from 2023-09-20", "34 CFR 300.303"),
    ("request_interpreter", "20_spanish_speaking_family",
     "interpreter in Spanish", "34 CFR 300.322(e)"),
    ("expedited_hearing", "18_disputed_manifestation_weapon",
     "expedited due process hearing about Theo", "34 CFR 300.532"),
    ("request_services_during_removal", "18_disputed_manifestation_weapon",
     "removed from school for 14 school days", "34 CFR 300.530(d)"),
    ("request_behavior_plan", "18_disputed_manifestation_weapon",
     "functional behavioural assessment", "34 CFR 300.530(f)"),
    ("request_complaint_decision", "17_annual_review_overdue",
     "within 60 days of receiving a complaint", "34 CFR 300.152"),
])
def test_the_new_moves_letters_are_filled_from_the_case(
        advisor: Advisor, move: str, example: str, says: str, cites: str) -> None:
    case = Case.model_validate(example_cases()[example])
    letter = write_letter(case, move, "md", advisor).content.decode()
    text = " ".join(letter.split())
    assert says in text and cites in text
    assert "not legal advice" in text
    assert "None" not in text and "()" not in text
    # an interpreter letter without a language leaves a marked blank, never a guess
    if move == "request_interpreter":
        bare = case.model_copy(update={"student": case.student.model_copy(
            update={"home_language": None})})
        blank = write_letter(bare, move, "md", advisor).content.decode()
        assert "[language]" in blank and "Spanish" not in blank


# ---------------------------------------------------------------- issue 21: sendable letters

def _answers(advisor: Advisor, case: Case, move: str, lang: str = "en") -> dict[str, str]:
    from escalate.letters import blanks_of

    return {b.name: (next(iter(b.choices)) if b.choices else f"Answer {i}")
            for i, b in enumerate(blanks_of(case, move, advisor, lang))}


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_every_blank_filled_gives_a_final_pdf_and_docx(advisor: Advisor) -> None:
    """For every example and every letter: filled blanks leave no bracket and no note."""
    for stem, raw in example_cases().items():
        case = Case.model_validate(raw)
        for move in _letter_moves(advisor):
            answers = _answers(advisor, case, move)
            md = write_letter(case, move, "md", advisor, blanks=answers)
            assert md.letter.final, f"{stem}/{move}: {md.letter.blanks}"
            text = md.content.decode()
            assert "Before you send" not in text and "\\[" not in text.replace("\\\\[", "")
            assert "not legal advice" in text
            if stem in ("01_new_concern", "20_spanish_speaking_family"):
                document = docx.Document(io.BytesIO(write_letter(
                    case, move, "docx", advisor, blanks=answers).content))
                words = "\n".join(p.text for p in document.paragraphs)
                assert "[" not in words and "Before you send" not in words, f"{stem}/{move}"
                pdf = _pdf_text(write_letter(case, move, "pdf", advisor, blanks=answers).content)
                assert "[" not in pdf and "DRAFT" not in pdf, f"{stem}/{move}"


def test_no_letter_holds_a_move_id_a_field_name_or_the_intake_summary(
        advisor: Advisor) -> None:
    from escalate.letters.book import tool_words

    for stem, raw in example_cases().items():
        case = Case.model_validate(raw)
        for move in _letter_moves(advisor):
            text = write_letter(case, move, "md", advisor,
                                blanks=_answers(advisor, case, move)).content.decode()
            assert not list(tool_words(text, advisor.rulebook)), f"{stem}/{move}"
            summary = case.concern.summary
            assert not summary or summary not in text, f"{stem}/{move}"


def test_a_child_without_an_iep_is_never_said_to_have_one(advisor: Advisor) -> None:
    asks_for_one = {"request_evaluation", "request_iep_meeting"}
    for stem, raw in example_cases().items():
        case = Case.model_validate(raw)
        if case.student.has_iep:
            continue
        for move in sorted(set(_letter_moves(advisor)) - asks_for_one):
            text = write_letter(case, move, "md", advisor,
                                blanks=_answers(advisor, case, move)).content.decode()
            assert "IEP" not in text.replace("(IEP)", ""), f"{stem}/{move}"
        for move in sorted(asks_for_one):
            asking = write_letter(case, move, "md", advisor,
                                  blanks=_answers(advisor, case, move)).content.decode()
            for mention in re.finditer(r"IEP", asking):  # only to ask whether it needs one
                around = asking[max(0, mention.start() - 60):mention.end() + 5]
                assert re.search(r"(needs?|eligible for) [^.]*an IEP|an IEP meeting", around), \
                    (stem, move, around)


def test_a_signed_consent_is_cited_by_its_date_and_never_asked_for_again(
        advisor: Advisor) -> None:
    case = Case.model_validate({
        "as_of": "2026-12-15", "student": {"name": "Ava", "disability_suspected": True},
        "concern": {"topic": "evaluation", "school_response": "no_response"},
        "evaluation": {"completed": False, "consent_date": "2026-09-15"}})
    text = write_letter(case, "request_evaluation", "md", advisor).content.decode()
    assert "On 2026-09-15 I signed consent" in text
    assert "consent form" not in text and "not asked to sign it again" in text
    # the evaluation is overdue: the advice's step is the demand, whose next rung is the
    # state complaint (ladder.md section 12)
    demand = write_letter(case, "demand_overdue_duty", "md", advisor)
    assert demand.recommended
    assert "state education agency" in demand.content.decode()


def test_the_discipline_letter_states_the_districts_knowledge_and_the_hearing(
        advisor: Advisor) -> None:
    case = Case.model_validate({
        "as_of": "2026-12-15", "student": {"name": "Eli", "disability_suspected": True},
        "concern": {"topic": "discipline", "school_response": "refused"},
        "evaluation": {"referral_date": "2026-09-15"},
        "discipline": {"days_removed": 10, "change_of_placement_proposed": True,
                       "decision_date": "2026-12-10"}})
    text = " ".join(write_letter(case, "request_manifestation_determination", "md",
                                 advisor).content.decode().split())
    assert "I asked in writing for an evaluation on 2026-09-15 (34 CFR 300.534(b)(2))" in text
    assert "hearing set for [date of the expulsion or suspension hearing]" in text
    assert "wait until the review has been held" in text
    assert "has an IEP" not in text and "the IEP" not in text


def test_a_reimbursement_complaint_names_the_school_the_start_and_the_reimbursement(
        advisor: Advisor) -> None:
    case = Case.model_validate(example_cases()["15_hawaii_private_placement"])
    text = " ".join(write_letter(case, "due_process", "md", advisor, blanks={
        "private_school": "Hale Academy"}).content.decode().split())
    assert "Hale Academy" in text and "reimburse" in text
    assert case.private_placement and case.private_placement.start_date
    assert case.private_placement.start_date.isoformat() in text


def test_a_spanish_case_gives_the_spanish_and_the_english_letter(advisor: Advisor) -> None:
    case = Case.model_validate(example_cases()["20_spanish_speaking_family"])
    answers = _answers(advisor, case, "request_interpreter", "es")
    answers.update(parent_role="mother", child_relation="daughter", earlier_meeting="held")
    letter = write_letter(case, "request_interpreter", "md", advisor, "es", answers)
    text = letter.content.decode()
    assert letter.letter.lang == "es" and letter.letter.english is not None
    assert "Soy madre de Lucía" in text and "mi hija" in text  # from the blanks
    assert "madre o padre" not in text and "hijo o hija" not in text
    assert "I am Lucía's parent" in text and "held again" in text  # the English to send
    assert letter.letter.final
    pdf = write_letter(case, "request_interpreter", "pdf", advisor, "es", answers)
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.trailer["/Root"]["/Lang"] == "es-US" and len(reader.pages) >= 2
    document = docx.Document(io.BytesIO(write_letter(
        case, "request_interpreter", "docx", advisor, "es", answers).content))
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert "Heading 1" in styles  # real heading styles


@pytest.mark.parametrize("name", ["Sam\n\n# FAKE HEADING", "Sam [link](http://x.invalid)",
                                  "Sam\x01\x0b\ufffe\uffff"])
def test_free_text_prints_as_typed_and_never_breaks_a_docx(advisor: Advisor,
                                                           name: str) -> None:
    raw = dict(EXAMPLE_CASE, student={"name": name, "grade": "4\x02", "has_iep": True})
    case = Case.model_validate(raw)
    document = docx.Document(io.BytesIO(write_letter(case, "written_concern", "docx",
                                                     advisor).content))
    headings = [p.text for p in document.paragraphs if p.style is not None
                and p.style.name.startswith("Heading")]
    assert not any("FAKE" in h for h in headings[1:]) and not any(
        h.startswith("FAKE") for h in headings)
    from escalate.letters.formats import to_html
    html = to_html(write_letter(case, "written_concern", "md", advisor).content.decode(), "t")
    assert "<a " not in html and "<h1>FAKE" not in html
    assert write_letter(case, "written_concern", "pdf", advisor).content.startswith(b"%PDF")


def test_a_pdf_with_blanks_left_is_marked_as_a_draft(advisor: Advisor) -> None:
    letter = write_letter(CONTRACT, "request_iee", "pdf", advisor)
    assert not letter.letter.final and "DRAFT" in _pdf_text(letter.content)


def test_the_demand_letter_reads_true_to_the_case(advisor: Advisor) -> None:
    """The demand for an overdue duty (ladder.md section 12) cites the consent by its date,
    the date the duty fell due and the state complaint, and never asks for consent again;
    the advice recommends it."""
    case = Case.model_validate({
        "as_of": "2026-12-15", "student": {"name": "Ava", "disability_suspected": True},
        "concern": {"topic": "evaluation", "school_response": "no_response"},
        "evaluation": {"completed": False, "consent_date": "2026-09-15"}})
    written = write_letter(case, "demand_overdue_duty", "md", advisor)
    letter = " ".join(written.content.decode().split())
    assert written.recommended
    assert "I signed consent for Ava's initial evaluation on 2026-09-15" in letter
    assert "it was due on 2026-11-14" in letter and "state education agency" in letter
    assert "consent form" not in letter


@pytest.mark.parametrize(("old", "new", "key", "says"), [
    ("Dear [director's name],", "Dear [director's name], {{ concern.own_words }}", "body",
     "concern.own_words"),
    ("Dear [director's name],", "Dear [director's name], about request_iee", "body",
     "request_iee"),
    ("Dear [director's name],", "Dear [director's name], has_iep", "body", "has_iep"),
    ("Dear [director's name],", "Dear [the director], ", "body", "undeclared blank"),
])
def test_tool_words_and_undeclared_blanks_stop_start_up(
        rules_copy: RulesCopy, old: str, new: str, key: str, says: str) -> None:
    rules_copy.replace(LETTER, old, new)
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.rule_id == "request_iee" and problem.key == key
    assert says in problem.message
