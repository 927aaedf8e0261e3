"""What a change of rules does to a caseload (escalate/rulediff.py, ``escalate rules
diff``): with one parameter changed in a copy of the rules, the cases listed are exactly
those whose advice differs when each case is advised under each rulebook here, in the
test; a case the change must touch is listed with what changes, one it cannot touch is
not; identical rulebooks change nothing; lines that are not a case are named by number
only, never echoed; the JSON's shape; the exit status; the Spanish list."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalate import Advisor, default_rules_dir
from escalate.cli import main
from escalate.examples import example_cases
from escalate.models import Advice, Case
from escalate.models.rulediff import CaseChange, DiffSummary
from escalate.service import Escalate, RuleDiff
from escalate.triage import numbered

from .cases import AS_OF, case, history, iso, valid_case_dicts

SECRET = "Jordan-Q-Private-7731"  # a name in the invalid lines: it must never come out
INVALID_LINES = [
    "this is not JSON " + SECRET,
    json.dumps({"case_id": SECRET, "concern": {"topic": "services"}, "ssn": SECRET}),
]
OLD_DAYS, NEW_DAYS = 45, 30  # records_response_days (34 CFR 300.613(a)), and the change


def _records(ago: int, outcome: str = "pending", case_id: str | None = None) -> Case:
    """A records request made ``ago`` days before as_of, not yet answered."""
    parts: dict[str, Any] = {"history": history(
        ("request_records", outcome, iso(AS_OF - dt.timedelta(days=ago))))}
    if case_id:
        parts["case_id"] = case_id
    return case(**parts)


# Asked 35 days ago: within 45 days the district is on time, past 30 it is late, so the
# first step changes (hold the district to its date -> demand what it owes).
MUST_CHANGE = _records(35, case_id="must-change")
# A concern only, no records asked for and none recommended: the change cannot touch it.
MUST_NOT_CHANGE = case(case_id="must-not-change", student={"has_iep": False})


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped rules, and a copy with records_response_days 45 -> 30."""
    new = tmp_path_factory.mktemp("diff") / "rules"
    shutil.copytree(default_rules_dir(), new)
    parameters = new / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    block = text.index("  records_response_days:")
    old_value = f"values: {{2006-10-13: {OLD_DAYS}}}"
    at = text.index(old_value, block)
    parameters.write_text(text[:at] + f"values: {{2006-10-13: {NEW_DAYS}}}"
                          + text[at + len(old_value):], encoding="utf-8")
    return default_rules_dir(), new


@pytest.fixture(scope="module")
def services(folders: tuple[Path, Path],
             advisor_for: Callable[[Path], Advisor]) -> tuple[Escalate, Escalate]:
    """The faces of both folders, on the advisors the command line shares in the tests."""
    return Escalate.around(advisor_for(folders[0])), Escalate.around(advisor_for(folders[1]))


def _says(advice: Advice) -> dict[str, Any]:
    """Everything the advice says to a person: all but its rules_version, the engine's
    trace and the ids of the rules behind each step."""
    data = advice.model_dump(mode="json", exclude={"rules_version", "trace", "explanation"})
    for step in data["recommendations"] + [data["next_move"] or {}]:
        step.pop("rule", None)
        step.pop("rules", None)
    return data


def _steps_dates_warnings(advice: Advice) -> tuple[object, ...]:
    """What a case's advice comes to without its wording: the steps in order, each date's
    day and status, the warnings, the ladder."""
    return ([r.move for r in advice.recommendations],
            sorted((d.move, d.owner, d.clock or d.label, d.due, d.status)
                   for d in advice.deadlines),
            sorted((w.kind, w.move or "", w.citation, w.text) for w in advice.warnings),
            [(r.rung, r.status) for r in advice.ladder])


def _caseload(cases: list[Case]) -> tuple[list[str], dict[int, Case], set[int]]:
    """The cases, one a line, with the invalid lines and a blank line among them."""
    lines: list[str] = []
    valid: dict[int, Case] = {}
    bad = iter(INVALID_LINES)
    for i, c in enumerate(cases):
        lines.append(c.model_dump_json(exclude_none=True))
        valid[len(lines)] = c
        if i % 4 == 1 and (text := next(bad, None)) is not None:
            lines.append(text)
        if i == 2:
            lines.append("  ")
    lines += list(bad)
    invalid = {n for n, text in enumerate(lines, start=1)
               if text.strip() and n not in valid}
    return lines, valid, invalid


def _expected(old: Advisor, new: Advisor, valid: dict[int, Case],
              wording: bool = True) -> set[int]:
    """The lines whose advice differs, each case advised under each rulebook."""
    seen = _says if wording else _steps_dates_warnings
    return {n for n, c in valid.items() if seen(old.advise(c)) != seen(new.advise(c))}


def _base_cases() -> list[Case]:
    examples = [Case.model_validate(data) for data in example_cases().values()]
    return [MUST_CHANGE, MUST_NOT_CHANGE, *examples,
            *(_records(ago) for ago in (0, 10, 29, 31, 44, 46, 60)),
            *(_records(ago, "no_response") for ago in (20, 40, 90))]


def _check(result: RuleDiff, old: Advisor, new: Advisor, valid: dict[int, Case],
           invalid: set[int], wording: bool = True) -> None:
    expected = _expected(old, new, valid, wording)
    assert {c.line for c in result.changes} == expected
    assert set(result.unchanged) == set(valid) - expected
    assert [i.line for i in result.invalid] == sorted(invalid)
    s = result.summary
    assert (s.cases, s.changed, s.unchanged, s.invalid) == (
        len(valid), len(expected), len(valid) - len(expected), len(invalid))
    assert [c.line for c in result.changes] == sorted(expected)


def test_a_changed_parameter_lists_exactly_the_cases_whose_advice_changes(
        services: tuple[Escalate, Escalate]) -> None:
    old, new = services
    lines, valid, invalid = _caseload(_base_cases())
    result = old.compare(new, numbered(lines))
    _check(result, old.advisor, new.advisor, valid, invalid)
    assert result.changes, "the change touches the caseload"
    assert result.summary.old_rules_version == old.rules_version
    assert result.summary.new_rules_version == new.rules_version != old.rules_version
    # without wording: only the cases whose steps, dates, warnings or ladder change
    strict = old.compare(new, numbered(lines), wording=False)
    _check(strict, old.advisor, new.advisor, valid, invalid, wording=False)
    assert {c.line for c in strict.changes} < {c.line for c in result.changes}


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(valid_case_dicts(), min_size=3, max_size=10))
def test_generated_caseloads_list_exactly_the_cases_whose_advice_changes(
        services: tuple[Escalate, Escalate], cases: list[dict[str, Any]]) -> None:
    old, new = services
    lines, valid, invalid = _caseload([Case.model_validate(c) for c in cases])
    _check(old.compare(new, numbered(lines)), old.advisor, new.advisor, valid, invalid)


def _change(result: RuleDiff, case_id: str) -> CaseChange | None:
    return next((c for c in result.changes if c.case_id == case_id), None)


def test_the_case_that_must_change_says_what_changes_and_the_other_is_not_listed(
        services: tuple[Escalate, Escalate]) -> None:
    old, new = services
    lines = [MUST_CHANGE.model_dump_json(), MUST_NOT_CHANGE.model_dump_json()]
    result = old.compare(new, numbered(lines))
    assert _change(result, "must-not-change") is None and result.unchanged == [2]
    change = _change(result, "must-change")
    assert change is not None and change.line == 1
    assert change.first_step is not None
    assert (change.first_step.old, change.first_step.new) == (
        "hold_district_to_deadline", "demand_overdue_duty")
    asked = AS_OF - dt.timedelta(days=35)
    moved = next(d for d in change.deadlines_changed if d.move == "request_records")
    assert (moved.old_due, moved.new_due) == (asked + dt.timedelta(days=OLD_DAYS),
                                              asked + dt.timedelta(days=NEW_DAYS))
    assert (moved.old_status, moved.new_status) == ("open", "overdue")
    assert [w.kind for w in change.warnings_added] == ["duty_overdue"]
    assert not change.warnings_removed


def test_a_date_that_only_moves(services: tuple[Escalate, Escalate]) -> None:
    old, new = services
    result = old.compare(new, numbered([_records(10).model_dump_json()]))
    (change,) = result.changes
    assert change.first_step is None and not change.steps_added and not change.steps_removed
    (moved,) = change.deadlines_changed
    assert moved.old_due - moved.new_due == dt.timedelta(days=OLD_DAYS - NEW_DAYS)
    assert moved.old_status == moved.new_status == "open"
    assert result.summary.deadlines_changed == 1 and result.summary.first_step_changed == 0


def _window_closing_in(days: int, case_id: str) -> Case:
    """The state complaint window (one year from the violation) closes ``days`` from
    as_of."""
    due = AS_OF + dt.timedelta(days=days)
    return case(case_id=case_id, violation={
        "alleged": True, "date": iso(due.replace(year=due.year - 1)), "kind": "procedural"},
        concern={"topic": "services", "school_response": "refused"})


def test_a_window_now_closing_changes_its_status_not_its_date(
        services: tuple[Escalate, Escalate], tmp_path: Path,
        advisor_for: Callable[[Path], Advisor]) -> None:
    """window_closing_days 30 -> 60 (a window is 'closing' from 60 days left): a window 45
    days away changes status, on the same date, and is warned about; one 90 days away and
    one 10 days away do not change."""
    old, _ = services
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    parameters = folder / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    at = text.index("values: {2006-10-13: 30}", text.index("  window_closing_days:"))
    parameters.write_text(text[:at] + "values: {2006-10-13: 60}"
                          + text[at + len("values: {2006-10-13: 30}"):], encoding="utf-8")
    new = Escalate.around(advisor_for(folder))
    cases = [_window_closing_in(45, "in-45"), _window_closing_in(90, "in-90"),
             _window_closing_in(10, "in-10")]
    lines, valid, invalid = _caseload(cases)
    result = old.compare(new, numbered(lines))
    _check(result, old.advisor, new.advisor, valid, invalid)
    assert [c.case_id for c in result.changes] == ["in-45"]
    (change,) = result.changes
    window = next(d for d in change.deadlines_changed if d.move == "state_complaint")
    assert window.old_due == window.new_due == AS_OF + dt.timedelta(days=45)
    assert (window.old_status, window.new_status) == ("open", "closing")
    assert "window_closing" in [w.kind for w in change.warnings_added]


def test_identical_rulebooks_change_nothing(services: tuple[Escalate, Escalate],
                                            tmp_path: Path) -> None:
    old, _ = services
    same = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), same)
    parameters = same / "parameters.yaml"  # another rules_version, the same advice
    parameters.write_text("# a comment\n" + parameters.read_text(encoding="utf-8"),
                          encoding="utf-8")
    copy = Escalate.from_directory(same)
    assert copy.rules_version != old.rules_version
    lines, valid, invalid = _caseload(_base_cases())
    for other in (old, copy):
        result = old.compare(other, numbered(lines))
        assert result.changes == [] and result.summary.changed == 0
        assert result.summary.cases == len(valid) and sorted(result.unchanged) == sorted(valid)
        assert [i.line for i in result.invalid] == sorted(invalid)


# ------------------------------------------------------------------ the command line


@pytest.fixture
def caseload_file(tmp_path: Path) -> tuple[Path, dict[int, Case], set[int]]:
    lines, valid, invalid = _caseload(_base_cases())
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, valid, invalid


def test_cli_json_lists_the_cases_and_names_invalid_lines_by_number(
        folders: tuple[Path, Path], services: tuple[Escalate, Escalate],
        caseload_file: tuple[Path, dict[int, Case], set[int]],
        capsys: pytest.CaptureFixture[str]) -> None:
    path, valid, invalid = caseload_file
    old, new = services
    code = main(["rules", "diff", str(folders[0]), str(folders[1]), "--cases", str(path),
                 "--format", "json", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 1, "1: some case's advice changes"
    data = json.loads(out)
    assert set(data) == {"summary", "changes", "invalid"}
    summary = DiffSummary.model_validate(data["summary"])
    expected = _expected(old.advisor, new.advisor, valid)
    assert [CaseChange.model_validate(c).line for c in data["changes"]] == sorted(expected)
    assert (summary.cases, summary.changed, summary.invalid) == (
        len(valid), len(expected), len(invalid))
    assert "not legal advice" in summary.disclaimer
    assert data["invalid"] == [{"line": n, "error": e} for n, e in zip(
        sorted(invalid), ["not_json", "not_a_case"], strict=True)]
    for number in invalid:
        assert f"line {number} skipped" in err
    assert SECRET not in out and SECRET not in err


def test_cli_table_one_entry_per_changed_case(
        folders: tuple[Path, Path], services: tuple[Escalate, Escalate],
        caseload_file: tuple[Path, dict[int, Case], set[int]],
        capsys: pytest.CaptureFixture[str]) -> None:
    path, _, invalid = caseload_file
    old, new = services
    changes = old.compare(new, numbered(path.read_text(encoding="utf-8").splitlines())).changes
    assert main(["rules", "diff", str(folders[0]), str(folders[1]), "--cases", str(path),
                 "--jobs", "1"]) == 1
    table = capsys.readouterr().out
    assert table.startswith("What the new rules change in the caseload")
    entries = [line for line in table.splitlines() if line.startswith("Line ")]
    assert [e.split(",")[0] for e in entries] == [f"Line {c.line}" for c in changes]
    must = next(e for e in table.split("\nLine ") if "must-change" in e)
    assert ('first step "Hold the district to its date" → "Demand what the district owes, '
            'by a date"') in " ".join(must.split())
    assert "must-not-change" not in table
    assert f"{len(changes)} of " in table and "not legal advice" in table
    assert ", ".join(str(n) for n in sorted(invalid)) in table
    assert SECRET not in table


def test_cli_spanish(folders: tuple[Path, Path],
                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(MUST_CHANGE.model_dump_json() + "\n", encoding="utf-8")
    assert main(["rules", "diff", str(folders[0]), str(folders[1]), "--cases", str(path),
                 "--lang", "es", "--jobs", "1"]) == 1
    table = capsys.readouterr().out
    assert table.startswith("Lo que las nuevas reglas cambian en los casos")
    assert "Cambian 1 de 1 casos" in table and "primer paso" in table
    assert "asesoría legal" in table


def test_cli_exit_status(folders: tuple[Path, Path], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(MUST_NOT_CHANGE.model_dump_json() + "\n", encoding="utf-8")
    old, new = str(folders[0]), str(folders[1])
    assert main(["rules", "diff", old, new, "--cases", str(path), "--jobs", "1"]) == 0
    assert "No case's advice changes." in capsys.readouterr().out
    # NEW alone: against the rules in use (here the shipped ones)
    monkeypatch.delenv("ESCALATE_RULES_DIR", raising=False)
    path.write_text(MUST_CHANGE.model_dump_json() + "\n", encoding="utf-8")
    assert main(["rules", "diff", new, "--cases", str(path), "--jobs", "1",
                 "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["old_rules_version"] == Escalate(default_rules_dir()).rules_version
    # 2: nothing compared
    broken = tmp_path / "broken"
    shutil.copytree(default_rules_dir(), broken)
    (broken / "parameters.yaml").write_text("parameters: {oops: 1}\n", encoding="utf-8")
    for args, said in [
            ([old, new, "--cases", str(tmp_path / "missing.jsonl")], "cannot read"),
            ([old, str(tmp_path / "nowhere"), "--cases", str(path)], "nowhere"),
            ([old, str(broken), "--cases", str(path)], "parameters.yaml"),
            ([old, new, new, "--cases", str(path)], "two rules folders"),
            ([old, new, "--cases", str(path), "--as-of", "tomorrow"], "--as-of"),
            ([old, new, "--cases", str(path), "--jobs", "-1"], "--jobs")]:
        assert main(["rules", "diff", *args]) == 2, args
        assert said in capsys.readouterr().err, args


def test_two_processes_give_the_same_list(
        folders: tuple[Path, Path], caseload_file: tuple[Path, dict[int, Case], set[int]],
        capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = caseload_file
    path.write_text(path.read_text(encoding="utf-8") * 3, encoding="utf-8")  # 2+ chunks
    args = ["rules", "diff", str(folders[0]), str(folders[1]), "--cases", str(path),
            "--format", "json"]
    assert main([*args, "--jobs", "1"]) == 1
    one = capsys.readouterr().out
    assert main([*args, "--jobs", "2"]) == 1
    assert capsys.readouterr().out == one


def test_cli_local_rules_against_the_rules_in_use(
        services: tuple[Escalate, Escalate], tmp_path: Path,
        caseload_file: tuple[Path, dict[int, Case], set[int]],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """--local-rules DIR alone: the rules in use without and with the local folder. A
    local parameters.yaml giving records_response_days 30 changes the same cases as the
    whole copy with that value."""
    monkeypatch.delenv("ESCALATE_LOCAL_RULES", raising=False)
    monkeypatch.delenv("ESCALATE_RULES_DIR", raising=False)
    local = tmp_path / "our-rules"
    local.mkdir()
    (local / "parameters.yaml").write_text(
        "parameters:\n  records_response_days:\n    description: The longest the district "
        "may take to let a parent see the records.\n    unit: days\n    reference: 34 CFR "
        f"300.613(a)\n    values: {{2006-10-13: {NEW_DAYS}}}\n", encoding="utf-8")
    path, valid, _ = caseload_file
    old, new = services
    assert main(["rules", "diff", "--local-rules", str(local), "--cases", str(path),
                 "--format", "json", "--jobs", "1"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [c["line"] for c in data["changes"]] == sorted(
        _expected(old.advisor, new.advisor, valid))
    assert data["summary"]["old_rules_version"] == old.rules_version
    assert data["summary"]["new_rules_version"].startswith(old.rules_version + "+local:")
    assert main(["rules", "diff", "--local-rules", str(local), "--cases", str(path),
                 "--jobs", "1"]) == 1
    assert f"New rules: {default_rules_dir()} + {local}" in capsys.readouterr().out
    assert main(["rules", "diff", "a", "b", "--local-rules", str(local),
                 "--cases", str(path)]) == 2
    assert main(["rules", "diff", "--cases", str(path)]) == 2
