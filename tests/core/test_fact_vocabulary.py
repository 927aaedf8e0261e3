"""The fact vocabulary is declared once (escalate/facts.py): the projection reads every
declared fact, and the table advocates read in rules/README.md is the generated one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from escalate import cli, facts
from escalate.models import Case, MoveId

README = Path(__file__).resolve().parents[2] / "rules" / "README.md"
TABLE = re.compile(r"<!-- facts table:[^\n]*-->\n(.*?)<!-- end of facts table -->", re.S)


def test_the_readme_shows_the_declared_vocabulary() -> None:
    found = TABLE.search(README.read_text(encoding="utf-8"))
    assert found, "rules/README.md lost its generated facts table"
    assert found.group(1) == facts.markdown_table(), (
        "rules/README.md's facts table is out of date: paste the output of "
        "`escalate rules facts --markdown` between its markers")


def test_the_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "facts", "--markdown"]) == 0
    printed = capsys.readouterr().out
    assert printed == facts.markdown_table()
    assert "| `student.restraint_or_seclusion` | true / false |" in printed
    assert "`34 CFR 300.324(a)(2)(i)`" not in printed  # a source is plain text, cited
    assert "34 CFR 300.324(a)(2)(i)" in printed


def test_every_declared_fact_is_projected_with_an_accepted_value() -> None:
    case = Case.model_validate({"as_of": "2026-11-23", "state": "WI", "student": {},
                                "concern": {"topic": "services",
                                            "school_response": "refused"}})
    projected = facts.case_facts(case)
    assert list(projected) == list(facts.VOCABULARY)
    for name, value in projected.items():
        spec = facts.VOCABULARY[name]
        assert isinstance(value, spec.kind), name
        if spec.kind is str:
            assert value in spec.values, name
    assert projected["concern.topic"] == "services"
    assert projected["history.due_process"] == "not_tried"


def test_a_fact_of_the_case_is_read_by_its_own_reader() -> None:
    case = Case.model_validate({"as_of": "2026-11-23", "state": "WI",
                                "student": {"restraint_or_seclusion": True},
                                "concern": {"topic": "safety",
                                            "school_response": "no_response"},
                                "history": [{"move": "written_concern",
                                             "outcome": "no_response"},
                                            {"move": "written_concern",
                                             "outcome": "no_response"}]})
    projected = facts.case_facts(case)
    assert projected["student.restraint_or_seclusion"] is True
    assert projected["concern.unanswered_twice"] is True
    assert projected["history.written_concern"] == "no_response"
    assert projected["discipline.days_removed"] == 0  # the case gives no discipline
    assert projected["discipline.manifestation_result"] == "not_held"


def test_every_move_has_its_history_fact() -> None:
    assert {f"history.{m.value}" for m in MoveId} <= set(facts.VOCABULARY)
