"""The command line: readable advice with a source for every reason, JSON that matches
the contract, case errors that name the field and never the value, and `rules check`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from escalate import Advisor, Case
from escalate.cli import main
from escalate.examples import EXAMPLES_DIR, example_cases
from escalate.letters import write_letter
from escalate.models import DISCLAIMER, Advice

from .conftest import RulesCopy

ESCALATE = Path(sys.executable).parent / "escalate"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
CHILD = "Zebulonia"  # a name that appears nowhere in escalate's own text


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ESCALATE), *args], capture_output=True, text=True,
                          timeout=60, check=False)


def advice_json(path: Path, capsys: pytest.CaptureFixture[str]) -> Advice:
    assert main(["advise", str(path), "--json"]) == 0
    return Advice.model_validate_json(capsys.readouterr().out)


def test_every_example_the_readme_names_is_shipped() -> None:
    """The README's commands (``escalate advise examples/...``) name cases that exist and
    that the package ships as they are in the repository's examples folder."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"examples/(\w+)\.json", readme))
    shipped = example_cases()
    assert named and named <= set(shipped), sorted(named - set(shipped))
    assert {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES} == shipped


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_output_is_the_contract(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    advice = advice_json(path, capsys)
    case = json.loads(path.read_text())
    assert advice.case_id == case.get("case_id")
    assert advice.as_of.isoformat() == case["as_of"]
    assert advice.disclaimer == DISCLAIMER


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_readable_advice_gives_a_source_for_every_reason(
        path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    advice = advice_json(path, capsys)
    assert main(["advise", "--all", str(path)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    # Every recommendation is printed under its priority and title.
    for rec in advice.recommendations:
        assert any(line.startswith(f"{rec.priority}. {rec.title}") for line in lines)
    # Every reason is followed by a non-empty Source line naming what the JSON names.
    sources = [line.strip()[len("Source:"):].strip() for line in lines
               if line.strip().startswith("Source:")]
    reasons = [r for rec in advice.recommendations for r in rec.reasons]
    assert len(sources) == len(reasons)
    for shown, reason in zip(sources, reasons, strict=True):
        assert shown
        # A person reads the article's title or the regulation's name, never a file name.
        assert reason.source.title and reason.source.title in shown
        if reason.source.document:
            assert reason.source.document not in shown
            assert ".txt" not in shown
    assert "not legal advice" in " ".join(text.split())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_readable_advice_opens_with_the_summary_and_the_top_three_moves(
        path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    advice = advice_json(path, capsys)
    assert main(["advise", str(path)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert advice.summary and " ".join(advice.summary.split()[:6]) in " ".join(text.split())
    shown = [r for r in advice.recommendations
             if any(line.startswith(f"{r.priority}. {r.title}") for line in lines)]
    assert shown == advice.recommendations[:3]
    if len(advice.recommendations) > 3:
        assert "--all" in text


def test_advice_from_standard_input(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import io

    path = EXAMPLES[0]
    monkeypatch.setattr(sys, "stdin", io.StringIO(path.read_text()))
    assert main(["advise", "-", "--json"]) == 0
    from_stdin = Advice.model_validate_json(capsys.readouterr().out)
    assert from_stdin == advice_json(path, capsys)


@pytest.mark.parametrize(("change", "field"), [
    (lambda c: c["discipline"].update(days_removed="12"), "discipline.days_removed"),
    (lambda c: c["concern"].update(topic=CHILD), "concern.topic"),
    (lambda c: c["student"].update(nickname=CHILD), "student.nickname"),
    (lambda c: c["student"].update(last_iep_meeting="2999-01-01"),
     "student.last_iep_meeting"),
    (lambda c: c.update(as_of="9999-12-31"), "as_of"),
    (lambda c: c.pop("concern"), "concern"),
    (lambda c: c["history"].append({"move": "written_concern", "outcome": CHILD}),
     "history.0.outcome"),
])
def test_invalid_case_names_the_field_not_the_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change, field: str) -> None:  # type: ignore[no-untyped-def]
    case = {"as_of": "2026-11-23", "student": {"name": CHILD, "has_iep": True},
            "concern": {"topic": "services", "school_response": "refused",
                        "summary": f"{CHILD} needs an aide"},
            "history": [], "discipline": {"days_removed": 3}}
    change(case)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert main(["advise", str(path)]) == 1
    captured = capsys.readouterr()
    assert field in captured.err
    assert CHILD not in captured.err
    assert CHILD not in captured.out


def test_invalid_case_from_the_installed_command(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"as_of": "2026-11-23", "student": {"name": CHILD},
                                "violation": {"alleged": "yes", "date": "2026-01-01"}}))
    result = run("advise", str(path))
    assert result.returncode == 1
    assert "violation.alleged" in result.stderr
    assert CHILD not in result.stderr + result.stdout


def test_missing_case_file_is_a_usage_error(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["advise", str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_rules_check_accepts_the_real_rules() -> None:
    result = run("rules", "check")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_rules_check_refuses_a_broken_copy(rules_copy: RulesCopy) -> None:
    rules_copy.replace("04_request_iee.yaml", "exception: evaluation_disagreement",
                       "exception: evaluation_disagrement")
    result = run("rules", "check", str(rules_copy.root))
    assert result.returncode != 0
    for expected in ("04_request_iee.yaml", "iee.disagrees_with_evaluation", "exception",
                     "evaluation_disagreement"):
        assert expected in result.stderr
    assert "OK" not in result.stdout


def test_rules_check_in_process_reports_every_problem(
        rules_copy: RulesCopy, capsys: pytest.CaptureFixture[str]) -> None:
    rules_copy.replace("05_mediation.yaml", "move: mediation\n    when:\n      history.request",
                       "move: mediaton\n    when:\n      history.request")
    rules_copy.replace("deadlines.yaml", "length: ocr_complaint_days", "length: ocr_days")
    assert main(["rules", "check", str(rules_copy.root)]) == 1
    err = capsys.readouterr().err
    assert "05_mediation.yaml" in err and "mediation.iee_refused" in err and "'move'" in err
    assert "deadlines.yaml" in err and "ocr_complaint_window" in err and "'length'" in err


def test_advise_with_a_broken_rules_folder_fails_cleanly(
        rules_copy: RulesCopy, capsys: pytest.CaptureFixture[str]) -> None:
    rules_copy.replace("05_mediation.yaml", "move: mediation\n    when:\n      history.request",
                       "move: mediaton\n    when:\n      history.request")
    assert main(["advise", str(EXAMPLES[0]), "--rules", str(rules_copy.root)]) == 1
    captured = capsys.readouterr()
    assert "mediation.iee_refused" in captured.err
    assert captured.out == ""


def test_states_command_lists_a_state_with_citation_and_confidence(
        capsys: pytest.CaptureFixture[str]) -> None:
    from escalate.cli import main

    assert main(["states", "WI"]) == 0
    out = capsys.readouterr().out
    assert "Wisconsin (WI)" in out and "Wis. Stat. § 115.80(1)(a)1" in out
    assert "high confidence" in out and "not legal advice" in out
    assert main(["states", "ZZ"]) == 2
    assert "accepted: AL" in capsys.readouterr().err


# ------------------------------------------------------------ letters and calendars

CONTRACT_CASE = EXAMPLES_DIR / "03_meeting_failed_needs_supervisor.json"


def test_letter_prints_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "escalate_chain_of_command", str(CONTRACT_CASE)]) == 0
    out = capsys.readouterr()
    assert "\n# Asking for your help with" in out.out and "not legal advice" in out.out
    assert "not recommended" not in out.err


def test_letter_blanks_are_listed_then_taken(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "request_iee", str(CONTRACT_CASE), "--blanks-template"]) == 0
    out = capsys.readouterr()
    template = json.loads(out.out)
    assert template["parent_name"] == "" and "director" in template
    assert "parent_role: mother, father or guardian (one of: mother, father, guardian)" \
        in out.err
    answers = {name: "Ana Diaz" for name in template}
    answers["parent_role"] = "guardian"
    blanks = tmp_path / "blanks.json"
    blanks.write_text(json.dumps(answers), encoding="utf-8")
    assert main(["letter", "request_iee", str(CONTRACT_CASE), "--blanks", str(blanks)]) == 0
    letter = capsys.readouterr().out
    assert "[" not in letter and "Before you send" not in letter
    assert "Ana Diaz, guardian of" in letter
    blanks.write_text(json.dumps({"nope": "x"}), encoding="utf-8")
    assert main(["letter", "request_iee", str(CONTRACT_CASE), "--blanks", str(blanks)]) == 2
    assert "'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK"),
                                           ("md", b">")])
def test_letter_writes_each_format_to_a_file(tmp_path: Path, fmt: str, magic: bytes,
                                            advisor: Advisor) -> None:
    """The file is the library's letter for the case, in the asked format."""
    target = tmp_path / f"letter.{fmt}"
    assert main(["letter", "request_iep_meeting", str(CONTRACT_CASE), "--format", fmt,
                 "-o", str(target)]) == 0
    written = target.read_bytes()
    assert written.startswith(magic)
    case = Case.model_validate_json(CONTRACT_CASE.read_text(encoding="utf-8"))
    expected = write_letter(case, "request_iep_meeting", "md", advisor).content.decode()
    if fmt == "md":
        assert written.decode() == expected
        return
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(written)).paragraphs)
    else:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(written)).pages)
    words = " ".join(text.split())
    assert case.student.name and case.student.name in words
    assert "not legal advice" in words
    subject = next(line for line in expected.splitlines() if line.startswith("# "))
    assert " ".join(subject.lstrip("# ").split()) in words


def test_letter_for_a_move_not_recommended_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "due_process", str(EXAMPLES[0])]) == 0
    out = capsys.readouterr()
    assert "not recommended for these facts" in out.out
    assert "not recommended" in out.err
    assert main(["letter", "due_process", str(EXAMPLES[0]), "--lang", "es"]) == 0
    out = capsys.readouterr()
    assert "no se recomienda" in out.err and "not recommended" not in out.err


def test_letter_for_a_move_without_one_names_the_moves_that_have_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "parent_concerns_statement", str(CONTRACT_CASE)]) == 2
    assert "request_iee" in capsys.readouterr().err


def test_calendar_prints_an_ics(capsys: pytest.CaptureFixture[str], advisor: Advisor) -> None:
    """One event on the day of each deadline of the advice still ahead, named after it."""
    from icalendar import Calendar

    path = EXAMPLES_DIR / "06_iep_not_implemented.json"
    assert main(["calendar", str(path)]) == 0
    calendar = Calendar.from_ical(capsys.readouterr().out)
    events = sorted((e.decoded("dtstart"), str(e["summary"])) for e in calendar.walk("VEVENT"))
    advice = advisor.advise(Case.model_validate_json(path.read_text(encoding="utf-8")))
    ahead = sorted((d.due, d.label) for d in advice.deadlines if d.days_left >= 0)
    assert ahead and [day for day, _ in events] == [day for day, _ in ahead]
    for (_, summary), (_, label) in zip(events, ahead, strict=True):
        assert label in summary


# ---------------------------------------------------------------- explanations (issue 13)


def test_why_not_prints_the_rules_and_what_did_not_hold(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES_DIR / "03_meeting_failed_needs_supervisor.json"
    assert main(["why-not", "mediation", str(path)]) == 0
    family = capsys.readouterr().out
    assert "Why not: Ask for mediation" in family
    assert "The advice starts with: Go up the chain of command" in family
    assert "Answer now: not tried yet." in family
    assert "rule " not in family and "holds" not in family
    assert main(["why-not", "mediation", str(path), "--technical"]) == 0
    out = capsys.readouterr().out
    assert "For intake tools (technical details):" in out
    assert "rule mediation.collaboration_exhausted" in out
    assert "not met: collaboration_exhausted holds (derived)" in out
    assert "derived by derived.chain_of_command_failed" in out
    assert "not legal advice" in out.replace("\n", " ")


@pytest.mark.parametrize(("lang", "heading"), [("en", "Why: Go up the chain of command"),
                                               ("es", "Por qué: Acudir a una autoridad")])
def test_why_not_on_a_recommended_move_says_why(capsys: pytest.CaptureFixture[str],
                                                lang: str, heading: str) -> None:
    path = EXAMPLES_DIR / "03_meeting_failed_needs_supervisor.json"
    assert main(["why-not", "escalate_chain_of_command", str(path), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert out.startswith(heading)
    assert "Why not" not in out and "Por qué no" not in out


def test_why_not_json_is_the_api_shape(capsys: pytest.CaptureFixture[str]) -> None:
    from escalate.models import WhyNot

    path = EXAMPLES_DIR / "03_meeting_failed_needs_supervisor.json"
    assert main(["why-not", "due_process", str(path), "--json"]) == 0
    report = WhyNot.model_validate_json(capsys.readouterr().out)
    assert report.move.value == "due_process" and not report.recommended


def test_why_not_refuses_an_unknown_move(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES_DIR / "01_new_concern.json"
    with pytest.raises(SystemExit) as exit_:
        main(["why-not", "sue_everyone", str(path)])
    assert exit_.value.code == 2
    assert "due_process" in capsys.readouterr().err


def test_why_not_names_the_bad_field_never_the_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = json.loads((EXAMPLES_DIR / "01_new_concern.json").read_text())
    case["student"]["name"] = CHILD
    case["concern"]["topic"] = "homework"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert main(["why-not", "mediation", str(path)]) == 1
    err = capsys.readouterr().err
    assert "concern.topic" in err and CHILD not in err and "homework" not in err


def test_advise_explain_prints_the_questions(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES_DIR / "02_unanswered_concern.json"
    assert main(["advise", "--explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "What would change the advice:" in out
    assert "1. " in out.split("What would change the advice:")[1]
    assert "Answer now:" in out and "Engine runs:" not in out and "field:" not in out
    assert main(["advise", "--explain", "--technical", str(path)]) == 0
    assert "Engine runs:" in capsys.readouterr().out


def test_advise_explain_json_carries_the_explanation(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES_DIR / "02_unanswered_concern.json"
    assert main(["advise", "--explain", "--json", str(path)]) == 0
    advice = Advice.model_validate_json(capsys.readouterr().out)
    assert advice.explanation is not None and advice.explanation.questions
    assert main(["advise", "--json", str(path)]) == 0
    assert Advice.model_validate_json(capsys.readouterr().out).explanation is None


@pytest.mark.parametrize(("lang", "heading", "iep_meeting"), [
    ("en", "The Section 504 steps:", "Request an IEP meeting"),
    ("es", "Los pasos de la Sección 504:", "Pedir una reunión del programa"),
])
def test_a_504_child_is_shown_the_504_track_not_idea_s_rungs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, heading: str,
        iep_meeting: str) -> None:
    """A child with only a 504 plan climbs the Section 504 track (ladder.md section 6):
    the CLI shows its five steps, never a list of IDEA rungs marked as not applying (whose
    status was printed as the code word 'not_applicable'); a child with an IEP still sees
    the ladder."""
    on_504 = example_cases()["16_section_504_plan_not_followed"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(on_504), encoding="utf-8")
    assert main(["advise", str(path), "--lang", lang]) == 0
    text = capsys.readouterr().out
    assert heading in text and iep_meeting not in text and "not_applicable" not in text
    path.write_text(json.dumps(example_cases()["01_new_concern"]), encoding="utf-8")
    assert main(["advise", str(path), "--lang", lang]) == 0
    text = capsys.readouterr().out
    assert heading not in text and iep_meeting in text
