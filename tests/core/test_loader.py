"""The strict loader: every kind of broken rule folder is refused with a message that
names the file, the rule and the key, suggests the nearest valid name, and nothing loads
in part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from escalate import Advisor
from escalate.errors import RuleFileError, RuleProblem
from escalate.models import MoveId
from escalate.rulebook import load

from .conftest import RULES_DIR, RulesCopy


def only(problems: list[RuleProblem], **expected: str | None) -> RuleProblem:
    """The one problem matching ``expected`` fields; fails if there is not exactly one."""
    found = [p for p in problems
             if all(getattr(p, field) == value for field, value in expected.items())]
    assert len(found) == 1, f"expected one problem with {expected}, got {problems}"
    return found[0]


def test_the_real_rules_load() -> None:
    rulebook = load(RULES_DIR)
    assert rulebook.rules
    assert {m.id for m in rulebook.moves} == {m.value for m in MoveId}


def test_yaml_syntax_error_names_file_and_line(rules_copy: RulesCopy) -> None:
    text = rules_copy.text("05_mediation.yaml")
    # Break the 'when:' of the first rule; the line is where the parser gives up.
    rules_copy.replace("05_mediation.yaml", "    when:\n      collaboration_exhausted",
                       "    when: [\n      collaboration_exhausted")
    when_line = text.splitlines().index("    when:") + 1  # 1-based
    problem = only(rules_copy.problems(), file="05_mediation.yaml")
    assert "not valid YAML" in problem.message
    found = re.search(r"line (\d+)", str(problem))
    assert found, str(problem)
    assert when_line <= int(found.group(1)) <= when_line + 3


def test_duplicate_yaml_key_is_refused(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", "    move: mediation\n    when:\n      coll",
                       "    move: mediation\n    move: due_process\n    when:\n      coll")
    problem = only(rules_copy.problems(), file="05_mediation.yaml")
    assert "duplicate key" in problem.message
    assert "move" in problem.message


def test_unknown_key_suggests_the_accepted_one(rules_copy: RulesCopy) -> None:
    rules_copy.replace("01_written_concern.yaml", "    because: >\n      The concern about",
                       "    becuase: >\n      The concern about")
    problem = only(rules_copy.problems(), key="becuase")
    assert problem.file == "01_written_concern.yaml"
    assert problem.rule_id == "written_concern.not_yet_in_writing"
    assert problem.suggestion == "because"
    text = str(problem)
    assert "01_written_concern.yaml" in text and "written_concern.not_yet_in_writing" in text
    assert "did you mean 'because'" in text


def test_unknown_fact_suggests_the_nearest_fact(rules_copy: RulesCopy) -> None:
    rules_copy.replace("01_written_concern.yaml",
                       "history.written_concern: not_tried\n      # a written",
                       "history.writen_concern: not_tried\n      # a written")
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == (
        "01_written_concern.yaml", "written_concern.not_yet_in_writing",
        "history.writen_concern")
    assert problem.suggestion == "history.written_concern"
    assert "unknown fact" in problem.message


def test_bad_enum_value_lists_the_accepted_values(rules_copy: RulesCopy) -> None:
    rules_copy.replace("01_written_concern.yaml",
                       "history.written_concern: not_tried\n      # a written",
                       "history.written_concern: untried\n      # a written")
    problem = only(rules_copy.problems())
    assert problem.rule_id == "written_concern.not_yet_in_writing"
    assert problem.key == "history.written_concern"
    assert "untried" in problem.message
    for accepted in ("not_tried", "pending", "resolved", "refused", "no_response"):
        assert accepted in problem.message


def test_bool_fact_refuses_a_text_value(rules_copy: RulesCopy) -> None:
    rules_copy.replace("04_request_iee.yaml", "evaluation.parent_disagrees: true",
                       "evaluation.parent_disagrees: yes please")
    problem = only(rules_copy.problems())
    assert (problem.rule_id, problem.key) == ("iee.disagrees_with_evaluation",
                                              "evaluation.parent_disagrees")
    assert "true or false" in problem.message


def test_duplicate_rule_id_across_files_names_both_files(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", "id: mediation.iee_refused",
                       "id: iee.disagrees_with_evaluation")
    problem = only(rules_copy.problems())
    assert problem.file == "05_mediation.yaml"
    assert problem.rule_id == "iee.disagrees_with_evaluation"
    assert problem.key == "id"
    assert "duplicate" in problem.message and "04_request_iee.yaml" in problem.message


MEDIATION_SOURCE = """    source:
      document: 004_d13444436078de3e.txt
      section: "Mediation: A Collaborative Approach"
      citation: 34 CFR 300.506
"""


def test_rule_without_a_source(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", MEDIATION_SOURCE, "")
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == (
        "05_mediation.yaml", "mediation.iee_refused", "source")
    assert "missing" in problem.message


def test_source_naming_neither_document_nor_citation(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", MEDIATION_SOURCE, "    source: {}\n")
    problem = only(rules_copy.problems())
    assert (problem.rule_id, problem.key) == ("mediation.iee_refused", "source")
    assert "document" in problem.message and "citation" in problem.message


def test_unknown_source_document_suggests_the_seed(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", "document: 004_d13444436078de3e.txt",
                       "document: 004_d13444436078de3f.txt")
    problem = only(rules_copy.problems())
    assert (problem.rule_id, problem.key) == ("mediation.iee_refused", "source.document")
    assert problem.suggestion == "004_d13444436078de3e.txt"


def test_unknown_move_suggests_the_nearest_move(rules_copy: RulesCopy) -> None:
    rules_copy.replace("04_request_iee.yaml", "move: request_iee\n    exception",
                       "move: request_ie\n    exception")
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == (
        "04_request_iee.yaml", "iee.disagrees_with_evaluation", "move")
    assert problem.suggestion == "request_iee"


def test_unknown_exception_lists_and_suggests(rules_copy: RulesCopy) -> None:
    rules_copy.replace("04_request_iee.yaml", "exception: evaluation_disagreement",
                       "exception: evaluation_disagrement")
    problem = only(rules_copy.problems())
    assert (problem.rule_id, problem.key) == ("iee.disagrees_with_evaluation", "exception")
    assert problem.suggestion == "evaluation_disagreement"
    for name in ("evaluation_disagreement", "legal_violation", "discipline_or_safety",
                 "school_refuses"):
        assert name in problem.message


def test_derived_fact_in_unless_is_refused(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", "      history.due_process: {not: pending}\n"
                       "    because: >\n      The IEP meeting",
                       "      history.due_process: {not: pending}\n    unless:\n"
                       "      meeting_failed: true\n    because: >\n      The IEP meeting")
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == (
        "05_mediation.yaml", "mediation.collaboration_exhausted", "meeting_failed")
    assert "unless" in problem.message and "derived" in problem.message


def test_derived_fact_cannot_be_denied_in_when(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", "collaboration_exhausted: true",
                       "collaboration_exhausted: false")
    problem = only(rules_copy.problems())
    assert (problem.rule_id, problem.key) == ("mediation.collaboration_exhausted",
                                              "collaboration_exhausted")


def test_required_fact_that_no_rule_derives(rules_copy: RulesCopy) -> None:
    rules_copy.remove_rule("00_derived_facts.yaml", "derived.mediation_failed")
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == (
        "07_due_process.yaml", "due_process.after_mediation_failed", "mediation_failed")


def test_unknown_parameter_suggests_the_nearest(rules_copy: RulesCopy) -> None:
    rules_copy.replace("00_derived_facts.yaml",
                       "consecutive_days: {more_than: removal_days_change_of_placement}",
                       "consecutive_days: {more_than: removal_days_change_of_placment}")
    problem = only(rules_copy.problems(), file="00_derived_facts.yaml")
    assert problem.rule_id == "derived.change_of_placement_by_removal"
    assert problem.key == "removal_days_change_of_placment"
    assert problem.suggestion == "removal_days_change_of_placement"
    assert "unknown parameter" in problem.message


def test_one_typo_in_a_derivation_gives_one_problem(rules_copy: RulesCopy) -> None:
    rules_copy.replace("00_derived_facts.yaml",
                       "consecutive_days: {more_than: removal_days_change_of_placement}",
                       "consecutive_days: {more_than: removal_days_change_of_placment}")
    problems = rules_copy.problems()
    assert not [p for p in problems if "which no rule derives" in p.message], problems


@pytest.mark.parametrize("bad_name", ["5_mediation.yaml", "05-Mediation.yaml",
                                      "05_mediation.yml.yaml"])
def test_rule_file_with_a_bad_name(rules_copy: RulesCopy, bad_name: str) -> None:
    (rules_copy.root / "05_mediation.yaml").rename(rules_copy.root / bad_name)
    problem = only(rules_copy.problems())
    assert problem.file == bad_name
    assert "file name" in problem.message and "05_mediation.yaml" in problem.message


def test_bad_rule_file_name_suggests_no_special_file(rules_copy: RulesCopy) -> None:
    (rules_copy.root / "05_mediation.yaml").rename(rules_copy.root / "5_mediation.yaml")
    problem = only(rules_copy.problems())
    assert problem.suggestion in (None, "05_mediation.yaml")


@pytest.mark.parametrize("name", ["moves.yaml", "parameters.yaml", "deadlines.yaml"])
def test_missing_special_file(rules_copy: RulesCopy, name: str) -> None:
    (rules_copy.root / name).unlink()
    problem = only(rules_copy.problems())
    assert problem.file == name
    assert "missing" in problem.message


def test_folder_without_rule_files(rules_copy: RulesCopy) -> None:
    for path in rules_copy.root.glob("[0-9][0-9]_*.yaml"):
        path.unlink()
    problem = only(rules_copy.problems())
    assert "no rule files" in problem.message


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path / "nowhere")
    assert "not a folder" in str(caught.value)


@pytest.mark.parametrize(("old", "new", "deadline", "key", "suggestion"), [
    ("starts: violation.date\n    length: state_complaint_window",
     "starts: violation.dat\n    length: state_complaint_window",
     "state_complaint_window", "starts", "violation.date"),
    ("fallback: violation.date", "fallback: violation.when", "due_process_limit",
     "fallback", "violation.date"),
])
def test_deadline_with_unknown_date_source(rules_copy: RulesCopy, old: str, new: str,
                                           deadline: str, key: str, suggestion: str) -> None:
    rules_copy.replace("deadlines.yaml", old, new)
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == ("deadlines.yaml", deadline, key)
    assert problem.suggestion == suggestion


def test_deadline_with_unknown_parameter(rules_copy: RulesCopy) -> None:
    rules_copy.replace("deadlines.yaml", "length: ocr_complaint_days", "length: ocr_days")
    problem = only(rules_copy.problems())
    assert (problem.rule_id, problem.key) == ("ocr_complaint_window", "length")


def test_parameter_with_unknown_unit(rules_copy: RulesCopy) -> None:
    rules_copy.replace("parameters.yaml", "unit: school_days\n    reference: 34 CFR 300.530(e)",
                       "unit: schooldays\n    reference: 34 CFR 300.530(e)")
    problem = only(rules_copy.problems())
    assert (problem.file, problem.rule_id, problem.key) == (
        "parameters.yaml", "manifestation_determination_school_days", "unit")
    assert problem.suggestion == "school_days"


def test_typo_in_the_catalogue_never_suggests_the_typo(rules_copy: RulesCopy) -> None:
    rules_copy.replace("moves.yaml", "  - id: ocr_complaint", "  - id: ocr_complant")
    problems = rules_copy.problems()
    only(problems, file="moves.yaml", rule_id="ocr_complant")
    real = {m.value for m in MoveId}
    for problem in problems:
        if problem.suggestion and "move" in (problem.key or ""):
            assert problem.suggestion in real, str(problem)


def _break_four_rules_semantically(rules_copy: RulesCopy) -> None:
    rules_copy.replace("04_request_iee.yaml", "exception: evaluation_disagreement",
                       "exception: evaluation_disagrement")
    rules_copy.replace("05_mediation.yaml", "collaboration_exhausted: true\n"
                       "      history.mediation: not_tried",
                       "collaboration_exhausted: true\n      history.meditation: not_tried")
    rules_copy.replace("14_support_and_civil_rights.yaml", "move: ocr_complaint\n    when:\n"
                       "      violation.kind: discrimination",
                       "move: ocr_complain\n    when:\n      violation.kind: discrimination")
    rules_copy.replace("deadlines.yaml", "length: ocr_complaint_days", "length: ocr_days")


def test_several_problems_are_reported_at_once(rules_copy: RulesCopy) -> None:
    _break_four_rules_semantically(rules_copy)
    problems = rules_copy.problems()
    only(problems, file="04_request_iee.yaml", key="exception")
    only(problems, file="05_mediation.yaml", key="history.meditation")
    only(problems, file="14_support_and_civil_rights.yaml", rule_id="ocr.discrimination",
         key="move")
    only(problems, file="deadlines.yaml", rule_id="ocr_complaint_window", key="length")


def test_schema_problems_in_several_files_are_reported_at_once(
        rules_copy: RulesCopy) -> None:
    rules_copy.replace("01_written_concern.yaml", "    because: >\n      The concern about",
                       "    becuase: >\n      The concern about")
    rules_copy.replace("06_state_complaint.yaml",
                       "    move: state_complaint\n    exception: legal_violation",
                       "    mvoe: state_complaint\n    exception: legal_violation")
    problems = rules_copy.problems()
    only(problems, file="01_written_concern.yaml", key="becuase")
    only(problems, file="06_state_complaint.yaml", key="mvoe")


def test_schema_and_semantic_problems_are_reported_together(rules_copy: RulesCopy) -> None:
    _break_four_rules_semantically(rules_copy)
    rules_copy.replace("01_written_concern.yaml", "    because: >\n      The concern about",
                       "    becuase: >\n      The concern about")
    problems = rules_copy.problems()
    only(problems, file="01_written_concern.yaml", key="becuase")
    only(problems, file="04_request_iee.yaml", key="exception")


def test_nothing_half_loads(rules_copy: RulesCopy) -> None:
    rules_copy.replace("05_mediation.yaml", "move: mediation\n    when:\n      history.request",
                       "move: mediaton\n    when:\n      history.request")
    produced: list[Advisor] = []
    with pytest.raises(RuleFileError) as caught:
        produced.append(Advisor.from_directory(rules_copy.root))
    assert produced == []
    message = str(caught.value)
    assert "05_mediation.yaml" in message and "mediation.iee_refused" in message
    assert "did you mean 'mediation'" in message


def test_error_message_lists_every_problem_in_words(rules_copy: RulesCopy) -> None:
    rules_copy.replace("01_written_concern.yaml", "    because: >\n      The concern about",
                       "    becuase: >\n      The concern about")
    rules_copy.replace("04_request_iee.yaml", "exception: evaluation_disagreement",
                       "exception: evaluation_disagrement")
    with pytest.raises(RuleFileError) as caught:
        load(rules_copy.root)
    text = str(caught.value)
    assert f"({len(caught.value.problems)} problem(s))" in text
    for problem in caught.value.problems:
        assert str(problem) in text


def test_an_empty_rule_file_is_reported_even_beside_other_problems(
    rules_copy: RulesCopy,
) -> None:
    rules_copy.replace("05_mediation.yaml", "    because: >\n      The IEP meeting {{",
                       "    becuase: >\n      The IEP meeting {{")
    rules_copy.write("06_state_complaint.yaml", "")
    problems = rules_copy.problems()
    assert any(p.key == "becuase" for p in problems)
    empty = only([p for p in problems if p.file == "06_state_complaint.yaml"])
    assert "empty" in empty.message
