"""``escalate scenarios run``: an advocate's scenarios, run by the installed command.

A folder holding a passing scenario, a failing one and one with a misspelt step: the
report says which passed and which failed, with the failed step, what was expected and
the advice's own move titles; the JUnit file says the same for CI; the exit status is 0
when all pass, 1 when one fails, 2 for a path or file that cannot be read. The project's
own features pass through the same command.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from escalate.cli import main

FEATURES = Path(__file__).resolve().parents[2] / "features"

CASE = """\
    Given today is 2026-11-23
    And a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
"""

PASSING = f"""\
Feature: A concern nobody has written down

  Scenario: The family is told to write it down
{CASE}    Then the next step is to put the concern in writing
"""

FAILING = f"""\
Feature: Expectations that do not hold

  Scenario: Someone expects due process at once
{CASE}    Then the next step is to file for due process

  Scenario: Someone misspells a step
{CASE}    Then the nxt step is to put the concern in writting
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scenarios", "run", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.feature").write_text(PASSING, encoding="utf-8")
    (tmp_path / "bad.feature").write_text(FAILING, encoding="utf-8")
    return tmp_path


def test_the_report_names_each_scenario_and_what_the_advice_said(
        folder: Path, capsys: pytest.CaptureFixture[str], client: TestClient) -> None:
    junit = folder / "results.xml"
    code, out, _ = run(capsys, str(folder), "--junit", str(junit))
    assert code == 1, out

    assert "passed  The family is told to write it down" in out
    assert "FAILED  Someone expects due process at once" in out
    assert "at line 9: Then the next step is to file for due process" in out
    assert 'Expected the next step to be "file for due process", but it is' in out
    # What the advice said instead, in the catalogue's words: the moves' own titles.
    case = {"as_of": "2026-11-23", "student": {"has_iep": True},
            "concern": {"topic": "services", "school_response": "none_yet"}}
    advice = client.post("/v1/advice", json=case).json()
    assert "The advice recommended, in order:" in out
    for i, rec in enumerate(advice["recommendations"], 1):
        assert f"  {i}. {rec['title']}" in out

    # The misspelt step: where it is and the nearest phrasings of the catalogue.
    assert "FAILED  Someone misspells a step" in out
    assert "This step is not in the scenarios' vocabulary:" in out
    assert "Then the nxt step is to put the concern in writting" in out
    assert "The closest phrasings that exist:" in out
    assert "Then the next step is to request an IEP meeting" in out
    assert "1 of 3 scenarios passed, 2 failed." in out
    assert "Traceback" not in out

    suites = ET.parse(junit).getroot()
    assert (suites.get("tests"), suites.get("failures")) == ("3", "2")
    cases = {c.get("name"): c for c in suites.iter("testcase")}
    assert cases["The family is told to write it down"].find("failure") is None
    failure = cases["Someone expects due process at once"].find("failure")
    assert failure is not None and failure.text is not None
    assert "Then the next step is to file for due process" in (failure.get("message") or "")
    assert "The advice recommended, in order:" in failure.text
    unknown = cases["Someone misspells a step"].find("failure")
    assert unknown is not None and "The closest phrasings" in (unknown.text or "")


def test_all_passing_exits_0(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(folder / "good.feature"))
    assert code == 0, out
    assert "1 of 1 scenarios passed." in out


def test_a_path_or_file_that_cannot_be_read_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.feature"))
    assert code == 2 and "missing.feature: no such file or folder" in err
    notes = tmp_path / "notes.feature"
    notes.write_text("Some notes that are not Gherkin\n", encoding="utf-8")
    code, out, err = run(capsys, str(notes))
    assert code == 2 and "notes.feature: not a Gherkin feature file: line 1" in err
    assert out == ""  # nothing ran
    code, _, err = run(capsys)
    assert code == 2 and "name .feature files" in err
    (tmp_path / "ok.feature").write_text(PASSING, encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path / "ok.feature"), "--rules", str(tmp_path / "no"))
    assert code == 2 and "not a folder of rule files" in err


def test_the_shipped_features_pass_through_the_command(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(FEATURES))
    assert code == 0, out
    assert "FAILED" not in out
