"""Triage (escalate/triage.py, ``escalate triage``): a caseload mixed with invalid lines
gives, for every valid case, a row equal to its single advice (first step, dates,
warnings); rows come most urgent first; the lines that are not a case are named by
number only, their content never echoed; every output format says so."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalate import Advisor
from escalate.cli import main
from escalate.cli.triage import render_json
from escalate.examples import example_cases
from escalate.models import (
    DISCLAIMER,
    URGENCIES,
    Case,
    TriageInvalid,
    TriageRow,
    TriageSummary,
)
from escalate.service import Escalate, Triage
from escalate.triage import CHUNK, numbered, row

from .cases import AS_OF, case, history, iso, valid_case_dicts
from .conftest import RulesCopy

SECRET = "Jordan-Q-Private-7731"  # a name in the invalid lines: it must never come out
INVALID_LINES = [
    "this is not JSON " + SECRET,
    json.dumps([SECRET]),
    json.dumps({"case_id": SECRET, "concern": {"topic": "services"}, "ssn": SECRET}),
    json.dumps({"as_of": "2026-01-01", "student": {"name": SECRET},
                "concern": {"topic": "services", "school_response": "refused"},
                "violation": {"alleged": True, "date": "2026-06-01"}}),  # date after as_of
]


def _caseload(cases: list[dict[str, Any]]) -> tuple[list[str], dict[int, Case], set[int]]:
    """Valid cases with the invalid lines spread among them (and a blank line); the valid
    cases by line number, and the invalid lines' numbers."""
    lines: list[str] = []
    valid: dict[int, Case] = {}
    invalid: set[int] = set()
    bad = iter(INVALID_LINES)
    for i, data in enumerate(cases):
        lines.append(json.dumps(data))
        valid[len(lines)] = Case.model_validate(data)
        if i % 3 == 1 and (text := next(bad, None)) is not None:
            lines.append(text)
            invalid.add(len(lines))
        if i == 2:
            lines.append("   ")  # blank: skipped, neither a row nor invalid
    for text in bad:
        lines.append(text)
        invalid.add(len(lines))
    return lines, valid, invalid


KIND_ORDER = ("family_window_closing", "district_late", "proceeding_pending")


def _order(r: TriageRow) -> tuple[int, int, int, int]:
    """The documented order: most urgent first; then whose the nearest date is (a family
    window, a district late, a duty running, none last); then its days left; then the
    line."""
    near = r.nearest
    return (URGENCIES.index(r.urgency), KIND_ORDER.index(near.kind) if near else 3,
            near.days_left if near else 0, r.line)


def _check(result: Triage, advisor: Advisor, valid: dict[int, Case],
           invalid: set[int]) -> None:
    _check_parts(list(result.rows), result.invalid, result.summary, advisor, valid, invalid)


def _check_parts(rows: list[TriageRow], invalid_rows: list[TriageInvalid],
                 summary: TriageSummary, advisor: Advisor, valid: dict[int, Case],
                 invalid: set[int]) -> None:
    assert sorted(r.line for r in rows) == sorted(valid), "one row per valid case"
    for r in rows:
        advice = advisor.advise(valid[r.line])
        first = advice.next_move
        assert r.case_id == advice.case_id and r.as_of == advice.as_of
        assert r.next_move == (first.move if first else None)
        assert r.next_move_title == (first.title if first else None)
        assert [d.model_dump() for d in r.deadlines] == [
            d.model_dump() for d in advice.deadlines]
        assert [w.model_dump() for w in r.warnings] == [
            w.model_dump() for w in advice.warnings]
        if r.nearest is not None:  # the nearest date is one of the advice's own dates
            assert any(d.due == r.nearest.due and d.move == r.nearest.move
                       and d.owner == r.nearest.owner for d in advice.deadlines)
    ranks = [URGENCIES.index(r.urgency) for r in rows]
    assert ranks == sorted(ranks), "most urgent first"
    assert [_order(r) for r in rows] == sorted(_order(r) for r in rows)
    assert [i.line for i in invalid_rows] == sorted(invalid)
    assert [set(i.model_dump()) for i in invalid_rows] == [{"line", "error"}] * len(invalid)
    dumped = json.dumps([i.model_dump(mode="json") for i in invalid_rows]
                        + [r.model_dump(mode="json") for r in rows])
    assert SECRET not in dumped
    s = summary
    assert (s.cases, s.invalid) == (len(valid), len(invalid))
    assert s.closing_within_7 <= s.closing_within_30 <= s.cases
    assert s.closing_within_7 >= sum(r.urgency == "urgent" and r.nearest is not None
                                     and r.nearest.owner == "family"
                                     and r.nearest.days_left >= 0 for r in rows)


def test_every_shipped_example_in_a_caseload_with_invalid_lines(advisor: Advisor) -> None:
    lines, valid, invalid = _caseload(list(example_cases().values()))
    result = Escalate.around(advisor).triage(numbered(lines))
    _check(result, advisor, valid, invalid)
    assert {r.urgency for r in result.rows} >= {"urgent", "high", "watch", "routine"}


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(valid_case_dicts(), min_size=3, max_size=12))
def test_generated_caseloads_equal_their_single_advice(advisor: Advisor,
                                                        cases: list[dict[str, Any]]) -> None:
    lines, valid, invalid = _caseload(cases)
    _check(Escalate.around(advisor).triage(numbered(lines)), advisor, valid, invalid)


def _window_closing_in(days: int) -> Case:
    """The state complaint window (one year from the violation) closes ``days`` from
    as_of."""
    due = AS_OF + dt.timedelta(days=days)
    return case(violation={"alleged": True, "date": iso(due.replace(year=due.year - 1)),
                           "kind": "procedural"},
                concern={"topic": "services", "school_response": "refused"})


@pytest.mark.parametrize(("days", "urgency"), [(0, "urgent"), (7, "urgent"), (8, "high"),
                                               (30, "high"), (31, "routine")])
def test_urgency_follows_the_familys_window(advisor: Advisor, days: int,
                                            urgency: str) -> None:
    r = row(advisor.advise(_window_closing_in(days)), 1)
    assert r.urgency == urgency
    assert r.nearest is not None
    assert (r.nearest.kind, r.nearest.owner, r.nearest.days_left) == (
        "family_window_closing", "family", days)


@pytest.mark.parametrize(("ago", "urgency", "kind"), [(10, "watch", "proceeding_pending"),
                                                      (60, "high", "district_late")])
def test_a_district_duty_running_or_late(advisor: Advisor, ago: int, urgency: str,
                                         kind: str) -> None:
    asked = iso(AS_OF - dt.timedelta(days=ago))
    r = row(advisor.advise(case(history=history(("request_records", "no_response", asked)))),
            1)
    assert r.urgency == urgency
    assert r.nearest is not None and r.nearest.kind == kind and r.nearest.owner == "district"


def test_the_order_and_the_counts(advisor: Advisor) -> None:
    cases = [_window_closing_in(40), _window_closing_in(20), _window_closing_in(3),
             case(history=history(("request_records", "no_response",
                                   iso(AS_OF - dt.timedelta(days=60)))))]
    lines = [c.model_dump_json(exclude_none=True) for c in cases]
    result = Escalate.around(advisor).triage(numbered(lines))
    assert [r.line for r in result.rows] == [3, 2, 4, 1]
    assert [r.urgency for r in result.rows] == ["urgent", "high", "high", "routine"]
    s = result.summary
    assert (s.cases, s.closing_within_7, s.closing_within_30, s.districts_late) == (4, 1, 2, 1)
    assert s.disclaimer == DISCLAIMER


def test_as_of_triages_every_case_for_that_day(advisor: Advisor) -> None:
    line = _window_closing_in(20).model_dump_json(exclude_none=True)
    later = AS_OF + dt.timedelta(days=15)
    result = Escalate.around(advisor).triage(numbered([line]), as_of=later)
    (r,) = result.rows
    assert r.as_of == later and r.urgency == "urgent" and r.nearest is not None
    assert r.nearest.days_left == 5 and result.summary.as_of == later


# ------------------------------------------------------------------ the command line


@pytest.fixture
def caseload(tmp_path: Path) -> tuple[Path, dict[int, Case], set[int]]:
    lines, valid, invalid = _caseload(list(example_cases().values()))
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, valid, invalid


def test_cli_json_equals_the_library_and_names_invalid_lines_by_number(
        caseload: tuple[Path, dict[int, Case], set[int]], advisor: Advisor,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, valid, invalid = caseload
    assert main(["triage", str(path), "--format", "json", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [r["line"] for r in data["rows"]] == [
        r.line for r in Escalate.around(advisor).triage(numbered(
            path.read_text(encoding="utf-8").splitlines())).rows]
    assert [i["line"] for i in data["invalid"]] == sorted(invalid)
    assert data["summary"]["cases"] == len(valid)
    assert SECRET not in out and SECRET not in err
    for number in invalid:
        assert f"line {number} skipped" in err


def test_cli_table_csv_and_html(caseload: tuple[Path, dict[int, Case], set[int]],
                                capsys: pytest.CaptureFixture[str]) -> None:
    path, valid, invalid = caseload
    assert main(["triage", str(path), "--jobs", "1"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("Caseload triage") and "not legal advice" in table
    first = next(line for line in table.splitlines() if line.startswith("urgent"))
    assert "family window closing" in first
    assert main(["triage", str(path), "--format", "csv", "--jobs", "1"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].startswith("Urgency,Case,Line") and len(rows) == 1 + len(valid)
    assert main(["triage", str(path), "--format", "html", "--jobs", "1", "--lang", "es"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!doctype html>") and '<html lang="es">' in page
    assert "<table>" in page and "asesoría legal" in page
    assert SECRET not in table + "\n".join(rows) + page


def test_cli_on_two_processes_gives_the_same_list(
        caseload: tuple[Path, dict[int, Case], set[int]],
        capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = caseload
    path.write_text(path.read_text(encoding="utf-8") * 4, encoding="utf-8")  # 2+ chunks
    assert main(["triage", str(path), "--format", "json", "--jobs", "1"]) == 0
    one = capsys.readouterr().out
    assert main(["triage", str(path), "--format", "json", "--jobs", "2"]) == 0
    assert capsys.readouterr().out == one


def test_cli_refuses_a_bad_as_of(caseload: tuple[Path, dict[int, Case], set[int]],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", str(caseload[0]), "--as-of", "tomorrow"]) == 2
    assert "--as-of must be a date, YYYY-MM-DD" in capsys.readouterr().err


@settings(max_examples=1, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(valid_case_dicts(), min_size=CHUNK + 10, max_size=CHUNK + 40))
def test_cli_on_two_processes_rows_equal_each_cases_single_advice(
        advisor: Advisor, capsys: pytest.CaptureFixture[str],
        cases: list[dict[str, Any]]) -> None:
    """Cases never seen before, invalid lines among them, more than one chunk: with
    --jobs 2 every row is the case's own advice, in the documented order, the invalid
    lines are named by number only, and the output is byte for byte --jobs 1's."""
    lines, valid, invalid = _caseload(cases)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caseload.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert main(["triage", str(path), "--format", "json", "--jobs", "2"]) == 0
        two, err = capsys.readouterr()
        assert main(["triage", str(path), "--format", "json", "--jobs", "1"]) == 0
        assert capsys.readouterr().out == two
    data = json.loads(two)
    _check_parts([TriageRow.model_validate(r) for r in data["rows"]],
                 [TriageInvalid.model_validate(i) for i in data["invalid"]],
                 TriageSummary.model_validate(data["summary"]), advisor, valid, invalid)
    assert SECRET not in two and SECRET not in err
    named = [line for line in err.splitlines() if " skipped: " in line]
    assert named == [f"escalate: line {i.line} skipped: {i.error}"
                     for i in sorted((TriageInvalid.model_validate(i) for i in data["invalid"]),
                                     key=lambda i: i.line)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_json_written_a_row_at_a_time_is_the_whole_dumped_at_once(
        advisor: Advisor, lang: str) -> None:
    """The CLI writes the JSON a row at a time (a long caseload is never one string): the
    same text as json.dumps of the whole, with rows, with none, with no invalid line."""
    lines, _, _ = _caseload(list(example_cases().values()))
    service = Escalate.around(advisor)
    for caseload in (lines, lines[:3], [INVALID_LINES[0]], []):
        result = service.triage(numbered(caseload), lang=lang)
        whole = json.dumps({"summary": result.summary.model_dump(mode="json"),
                            "rows": [r.model_dump(mode="json") for r in result.rows],
                            "invalid": [i.model_dump(mode="json") for i in result.invalid]},
                           ensure_ascii=False, indent=1) + "\n"
        assert render_json(result) == whole
        assert [r.model_dump_json().encode() for r in result.rows] == list(result.rows.json())


def test_workers_never_use_an_advisor_of_a_folder_changed_since(
        rules_copy: RulesCopy) -> None:
    """The pool's forkserver builds the advisor once; after the rules folder changes, the
    workers give the new folder's advice, not the advisor built before."""
    line = case(concern={"topic": "services", "school_response": "refused"}
                ).model_dump_json(exclude_none=True)
    lines = [line] * (CHUNK + 1)  # two chunks: both workers start
    service = Escalate(rules_copy.root)
    before = service.triage(numbered(lines), jobs=2)
    assert {r.next_move_title for r in before.rows} == {"Put the concern in writing"}
    rules_copy.replace("moves.yaml", "title: Put the concern in writing",
                       "title: Put the concern in writing, dated")
    after = Escalate(rules_copy.root).triage(numbered(lines), jobs=2)
    assert {r.next_move_title for r in after.rows} == {"Put the concern in writing, dated"}
