"""Failures read well: run a throw-away feature through the scenarios and read the output.

A step that is not in the vocabulary must name itself and the closest phrasings; a move
name with a typo must suggest the right one; a Then that does not hold must show what the
advice actually said (the moves in order, with their reasons); a tag nobody registered
must stop the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]

CASE = """\
    Given today is 2026-11-23
    And a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
"""

DUTY_CASE = """\
    Given today is 2026-11-23
    And a student with an IEP
    And the last IEP meeting was on 2026-01-15
    When the advocate asks for advice
"""

FEATURE = f"""\
Feature: Throw-away scenarios with mistakes in them

  Scenario: A misspelled step
{CASE}    Then the nxt step is to put the concern in writting

  Scenario: A misspelled move
{CASE}    Then the next step is to ask for medation

  Scenario: A wrong expectation
{CASE}    Then the next step is to file for due process

  Scenario: A misspelled duty
{DUTY_CASE}    Then the advice says the district is late with "the anual IEP review"

  Scenario: A duty wrongly said to be late
{DUTY_CASE}    Then the advice says the district is late with "the annual IEP review"
"""


def run_features(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "mistakes.feature").write_text(text, encoding="utf-8")
    # the outer run's PYTEST_ADDOPTS (e.g. -q) would change the inner run's summary
    env = {**{k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"},
           "ESCALATE_FEATURES_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/bdd/test_scenarios.py", "-p",
         "no:cacheprovider", "-q", "--no-header", "-W", "ignore::DeprecationWarning"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_failures_name_the_step_and_show_the_advice(tmp_path: Path, client: TestClient) -> None:
    result = run_features(tmp_path, FEATURE)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "5 failed" in out, out

    # The unknown step, where it is, and the nearest phrasings.
    assert "This step is not in the scenarios' vocabulary:" in out
    assert "Then the nxt step is to put the concern in writting" in out
    assert "line 9 of" in out and 'scenario "A misspelled step"' in out
    assert "The closest phrasings that exist:" in out
    assert "    Then the next step is to request an IEP meeting" in out

    # The misspelled move, with a suggestion.
    assert '"ask for medation" is not a move name the scenarios know.' in out
    assert 'Did you mean: "ask for mediation"' in out

    # The wrong expectation, then what the advice really said, in order, with reasons.
    case = {"as_of": "2026-11-23", "student": {"has_iep": True},
            "concern": {"topic": "services", "school_response": "none_yet"}}
    advice = client.post("/v1/advice", json=case).json()
    assert advice["next_move"]["move"] != "due_process"
    assert 'Expected the next step to be "file for due process", but it is' in out
    assert "The advice recommended, in order:" in out
    for i, rec in enumerate(advice["recommendations"], 1):
        assert f"  {i}. {rec['title']}" in out
        assert f"because: {rec['reasons'][0]['text']}" in out
    assert "The ladder:" in out
    # A misspelled duty, with a suggestion; a duty still running is not called late, and the
    # deadline shown says whose duty it is.
    assert '"the anual IEP review" is not a duty or move name the scenarios know.' in out
    assert 'Did you mean: "the annual IEP review"' in out
    assert ('Expected the advice to say the district is late with "the annual IEP review", '
            "but it has no overdue deadline saying so.") in out
    assert ('2027-01-15  Annual IEP review meeting must be held by ("request an IEP meeting", '
            "the district's duty, 53 days left, open") in out
    # Plain messages, not Python tracebacks.
    assert "def _next(" not in out and "Traceback" not in out


def test_an_unregistered_tag_stops_the_run(tmp_path: Path) -> None:
    result = run_features(tmp_path, "@medation\n" + FEATURE.replace(
        "Then the nxt step is to put the concern in writting",
        "Then the next step is to put the concern in writing"))
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "'medation' not found in `markers`" in out, out
