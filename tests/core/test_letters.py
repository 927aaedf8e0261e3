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

from escalate import Advisor, RuleFileError
from escalate.examples import example_cases
from escalate.letters import NoLetterError, write_letter
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
    return sorted(advisor.letters.letters)


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
    assert "asked for a 1:1 aide" in text  # the concern in the parent's words
    # The reasons the move was recommended, in the note for the parent.
    assert "The IEP meeting on 2026-09-20 ended in refusal" in text
    assert "Courtesy note to the IEP team" in text


def test_meeting_requests_offer_three_dates(advisor: Advisor) -> None:
    for move in MEETING_LETTERS:
        text = write_letter(CONTRACT, move, "md", advisor).content.decode()
        dates = re.findall(r"^\d\. \[[a-z]+ date and time\]$", text, flags=re.MULTILINE)
        assert len(dates) == 3, text
        assert "agenda" in text
        assert re.search(r"^- ", text, flags=re.MULTILINE)  # bullet-point concerns


def test_every_letter_cites_what_it_relies_on(advisor: Advisor) -> None:
    for move, template in advisor.letters.letters.items():
        text = write_letter(CONTRACT, move, "md", advisor).content.decode()
        assert "This letter relies on:" in text
        for source in template.sources:
            shown = advisor.rulebook.source_title(source)
            assert shown and shown in text, f"{move}: {shown}"
            assert not source.document or source.document not in text  # never a file name


def test_what_the_case_cannot_fill_is_a_marked_blank(advisor: Advisor) -> None:
    text = write_letter(NAMELESS, "written_concern", "md", advisor).content.decode()
    assert "[child's name]" in text and "[school name]" in text and "[your name]" in text
    assert "your child" not in text.split("---", 1)[1]  # the letter itself never guesses


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
        Advisor.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.rule_id == "request_iee" and problem.key == "subject"
    assert "chld" in problem.message and problem.suggestion == "child"


def test_syntax_error_in_a_letter_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(LETTER, "{% if evaluation.date %}", "{% if evaluation.date %")
    with pytest.raises(RuleFileError) as caught:
        Advisor.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.rule_id == "request_iee" and problem.key == "body"
    assert "syntax" in problem.message


def test_letter_for_an_unknown_move_stops_start_up(rules_copy: RulesCopy) -> None:
    rules_copy.replace(LETTER, "move: request_iee", "move: request_ie")
    with pytest.raises(RuleFileError) as caught:
        Advisor.from_directory(rules_copy.root)
    problem = only(caught.value.problems, file=LETTER)
    assert problem.key == "move" and problem.suggestion == "request_iee"


def test_a_new_letter_is_only_a_new_file(rules_copy: RulesCopy, advisor: Advisor) -> None:
    rules_copy.write("letters/parent_concerns_statement.yaml", (
        "move: parent_concerns_statement\n"
        "to: \"[case manager's name], {{ school }}\"\n"
        "subject: \"Parent concerns for {{ child }}'s IEP\"\n"
        "sources:\n  - document: 001_f36458208edd6cca.txt\n"
        "    section: Utilize the Parent Concerns Section of the IEP\n"
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
