"""Deadlines (ladder.md section 4) computed from as_of and the case's own dates: lengths,
state overrides, windows that close yesterday, today or tomorrow, school days, leap days,
and the due-process fallback from known_date to date."""

from __future__ import annotations

import datetime as dt

import pytest

from escalate import Advisor
from escalate.deadlines import add_length
from escalate.models import Advice, Case

from .cases import AS_OF, case, history, iso, years_before

D = dt.date


def deadline(advice: Advice, label_start: str) -> tuple[D, int, str, str]:
    """(due, days_left, status, citation) of the one deadline whose label starts so."""
    found = [d for d in advice.deadlines if d.label.startswith(label_start)]
    assert len(found) == 1, [d.label for d in advice.deadlines]
    d = found[0]
    assert d.days_left == (d.due - advice.as_of).days
    return d.due, d.days_left, d.status, d.citation


def labels(advice: Advice) -> set[str]:
    return {d.label for d in advice.deadlines}


def moves(advice: Advice) -> list[str]:
    return [r.move.value for r in advice.recommendations]


def violation_case(vdate: D, kind: str = "failure_to_implement", state: str | None = None,
                   **extra: object) -> Case:
    parts: dict[str, object] = {
        "concern": {"topic": "implementation", "school_response": "refused"},
        "violation": {"alleged": True, "date": iso(vdate), "kind": kind},
    }
    if state:
        parts["state"] = state
    parts.update(extra)
    return case(**parts)


# ------------------------------------------------------------ each deadline in deadlines.yaml

def test_state_complaint_window_is_one_year_from_the_violation(advisor: Advisor) -> None:
    advice = advisor.advise(violation_case(D(2026, 3, 1)))
    due, left, status, citation = deadline(advice, "State complaint window closes")
    assert due == D(2027, 3, 1)
    assert left == (D(2027, 3, 1) - AS_OF).days and status == "open"
    assert "300.153(c)" in citation


@pytest.mark.parametrize(("state", "due", "citation"), [
    ("NC", D(2027, 1, 20), "115C-109.6(b)"),
    # Wisconsin counts from the district's proposal or refusal; with no notice date in the
    # case, from the violation's date (2025-12-01), not from when the parent learned of it.
    ("WI", D(2026, 12, 1), "115.80(1)(a)1"),
    ("LA", D(2027, 1, 20), "17:1946(B)(1)"),
    ("CA", D(2028, 1, 20), "300.507(a)(2)"),
    ("TX", D(2028, 1, 20), "89.1151(c)"),
    (None, D(2028, 1, 20), "300.507(a)(2)"),
])
def test_due_process_limit_by_state(advisor: Advisor, state: str | None, due: dt.date,
                                    citation: str) -> None:
    known = D(2026, 1, 20)
    advice = advisor.advise(violation_case(
        D(2025, 12, 1), state=state,
        violation={"alleged": True, "date": "2025-12-01", "known_date": iso(known),
                   "kind": "procedural"}))
    found, _, _, cited = deadline(advice, "Due process filing limit")
    assert found == due
    assert citation in cited


def test_due_process_limit_falls_back_to_the_violation_date(advisor: Advisor) -> None:
    advice = advisor.advise(violation_case(D(2026, 2, 10), state="CA"))
    due, *_ = deadline(advice, "Due process filing limit")
    assert due == D(2028, 2, 10)


def test_known_date_starts_the_due_process_limit_not_the_state_complaint(
        advisor: Advisor) -> None:
    advice = advisor.advise(violation_case(
        D(2026, 1, 1), state="CA",
        violation={"alleged": True, "date": "2025-06-01", "known_date": "2026-02-01",
                   "kind": "timeline"}))
    assert deadline(advice, "Due process filing limit")[0] == D(2028, 2, 1)
    assert deadline(advice, "State complaint window closes")[0] == D(2026, 6, 1)


def test_no_violation_no_violation_windows(advisor: Advisor) -> None:
    advice = advisor.advise(case(violation={"alleged": False, "date": "2026-03-01",
                                            "kind": "procedural"}))
    assert not any(d.move.value in ("state_complaint", "due_process", "ocr_complaint")
                   for d in advice.deadlines)


def test_ocr_window_is_180_days_for_discrimination_only(advisor: Advisor) -> None:
    discrimination = advisor.advise(violation_case(D(2026, 8, 1), kind="discrimination"))
    due, _, status, citation = deadline(discrimination, "OCR complaint window closes")
    assert due == D(2026, 8, 1) + dt.timedelta(days=180)
    assert status == "open" and "OCR" in citation
    procedural = advisor.advise(violation_case(D(2026, 8, 1), kind="procedural"))
    assert not any(d.move.value == "ocr_complaint" for d in procedural.deadlines)


@pytest.mark.parametrize("outcome", ["pending", "no_response"])
def test_records_due_45_days_after_the_request(advisor: Advisor, outcome: str) -> None:
    advice = advisor.advise(case(history=history(("request_records", outcome, "2026-11-01"))))
    due, left, status, citation = deadline(advice, "Records must be provided by")
    assert due == D(2026, 12, 16) and left == 23
    assert "300.613" in citation
    # the district's duty, not a filing window: no warning even with under 30 days left
    assert status == "open"
    assert [d.owner for d in advice.deadlines if d.label.startswith("Records")] == ["district"]
    assert not [w for w in advice.warnings if w.move and w.move.value == "request_records"]


def test_records_clock_stops_once_provided(advisor: Advisor) -> None:
    advice = advisor.advise(case(history=history(("request_records", "resolved",
                                                  "2026-11-01"))))
    assert not any(d.label.startswith("Records") for d in advice.deadlines)


def test_initial_evaluation_60_days_from_consent(advisor: Advisor) -> None:
    advice = advisor.advise(case(student={"disability_suspected": True},
                                 evaluation={"completed": False, "consent_date": "2026-10-01"}))
    due, *_, citation = deadline(advice, "Initial evaluation must be done by")
    assert due == D(2026, 11, 30) and "300.301(c)" in citation
    done = advisor.advise(case(evaluation={"completed": True, "consent_date": "2026-10-01"}))
    assert not any(d.label.startswith("Initial evaluation") for d in done.deadlines)


def test_state_complaint_decision_60_days_from_filing(advisor: Advisor) -> None:
    advice = advisor.advise(case(history=history(("state_complaint", "pending",
                                                  "2026-10-01"))))
    due, *_, citation = deadline(advice, "State complaint decision must be issued by")
    assert due == D(2026, 11, 30) and "300.152" in citation


def test_resolution_meeting_15_days_from_the_due_process_complaint(
        advisor: Advisor) -> None:
    advice = advisor.advise(case(history=history(("due_process", "pending", "2026-11-10"))))
    due, left, *_ = deadline(advice, "Resolution meeting must be held by")
    assert due == D(2026, 11, 25) and left == 2


def test_annual_review_one_year_after_the_last_meeting(advisor: Advisor) -> None:
    advice = advisor.advise(case(student={"has_iep": True, "last_iep_meeting": "2026-01-10"}))
    assert deadline(advice, "Annual IEP review meeting must be held by")[0] == D(2027, 1, 10)
    no_iep = advisor.advise(case(student={"has_iep": False, "last_iep_meeting": "2026-01-10"}))
    assert not any(d.label.startswith("Annual") for d in no_iep.deadlines)


def test_reevaluation_three_years_after_the_evaluation(advisor: Advisor) -> None:
    advice = advisor.advise(case(evaluation={"completed": True, "date": "2024-05-01"}))
    due, *_, citation = deadline(advice, "Reevaluation must be done by")
    assert due == D(2027, 5, 1) and "300.303" in citation


# ------------------------------------------------------------ school days

@pytest.mark.parametrize(("decided", "due"), [
    # Thanksgiving (2026-11-26, a federal holiday) is not a school day
    (D(2026, 11, 13), D(2026, 11, 30)),  # Friday: 16-20, 23-25, 27, 30
    (D(2026, 11, 18), D(2026, 12, 3)),   # Wednesday: 19, 20, 23-25, 27, 30, 1-3
    (D(2026, 11, 14), D(2026, 11, 30)),  # Saturday counts like the Friday before
    (D(2026, 11, 15), D(2026, 11, 30)),  # Sunday
    (D(2026, 10, 30), D(2026, 11, 16)),  # Veterans Day (11-11) skipped: 2-6, 9, 10, 12, 13, 16
    (D(2026, 10, 1), D(2026, 10, 16)),   # Columbus Day (10-12) skipped
])
def test_manifestation_determination_counts_ten_school_days(advisor: Advisor, decided: D,
                                                           due: D) -> None:
    advice = advisor.advise(case(discipline={"days_removed": 12, "decision_date": iso(decided),
                                             "change_of_placement_proposed": True}))
    found = [d for d in advice.deadlines if d.move.value == "request_manifestation_determination"]
    assert len(found) == 1
    assert found[0].due == due
    assert found[0].owner == "district"
    assert "holidays" in found[0].label and "weekends" in found[0].label
    assert "300.530(e)" in found[0].citation


def test_school_closures_given_by_the_case_are_skipped(advisor: Advisor) -> None:
    base = {"days_removed": 12, "decision_date": "2026-12-11",
            "change_of_placement_proposed": True}
    plain = advisor.advise(case(discipline=base, as_of="2026-12-11"))
    # 14-18, 21-24 (Christmas 25th is a holiday), 28 -> the tenth school day
    assert [d.due for d in plain.deadlines if d.label.startswith("Manifestation")] == [
        D(2026, 12, 28)]
    closed = advisor.advise(case(discipline=base, as_of="2026-12-11",
                                 school_closures=["2026-12-21", "2026-12-22", "2026-12-23",
                                                  "2026-12-24", "2026-12-28"]))
    # five days of winter break: 14-18, then 29, 30, 31, (Jan 1 holiday), Jan 4, 5
    assert [d.due for d in closed.deadlines if d.label.startswith("Manifestation")] == [
        D(2027, 1, 5)]


def test_add_length_units() -> None:
    assert add_length(D(2026, 11, 20), 1, "school_days") == D(2026, 11, 23)  # Fri -> Mon
    assert add_length(D(2026, 11, 20), 0, "school_days") == D(2026, 11, 20)
    assert add_length(D(2026, 1, 31), 30, "days") == D(2026, 3, 2)
    assert add_length(D(2026, 1, 31), 1, "years") == D(2027, 1, 31)


# ------------------------------------------------------------ leap day

def test_leap_day_plus_one_year_is_the_last_day_of_february(advisor: Advisor) -> None:
    # 2024-02-29 + 1 year has no 29th; the window ends on the 28th, the earlier reading,
    # so the family is never told it has a day it may not have.
    on_due = Case.model_validate({
        "as_of": "2025-02-28", "concern": {"topic": "other", "school_response": "refused"},
        "violation": {"alleged": True, "date": "2024-02-29", "kind": "timeline"}})
    advice = advisor.advise(on_due)
    due, left, status, _ = deadline(advice, "State complaint window closes")
    assert due == D(2025, 2, 28) and left == 0 and status == "closing"
    after = advisor.advise(on_due.model_copy(update={"as_of": D(2025, 3, 1)}))
    assert deadline(after, "State complaint window closes")[2] == "closed"


def test_leap_day_two_years_and_four_years() -> None:
    assert add_length(D(2024, 2, 29), 2, "years") == D(2026, 2, 28)
    assert add_length(D(2024, 2, 29), 4, "years") == D(2028, 2, 29)


# ------------------------------------------------------------ window edges

def window_case(days_left: int, state: str | None = None) -> Case:
    """A violation whose one-year state-complaint window ends ``days_left`` after as_of."""
    return violation_case(years_before(AS_OF, 1) + dt.timedelta(days=days_left), state=state)


def test_window_closed_yesterday(advisor: Advisor) -> None:
    advice = advisor.advise(window_case(-1))
    due, left, status, _ = deadline(advice, "State complaint window closes")
    assert (due, left, status) == (AS_OF - dt.timedelta(days=1), -1, "closed")
    assert "state_complaint" not in moves(advice)
    closed = [w for w in advice.warnings if w.kind == "window_closed"]
    assert [w.move.value for w in closed if w.move] == ["state_complaint"]
    assert iso(due) in closed[0].text and "300.153(c)" in closed[0].citation
    ladder = {r.move.value: r.status for r in advice.ladder}
    assert ladder["state_complaint"] == "closed"


@pytest.mark.parametrize("days_left", [0, 1, 30])
def test_window_closing_is_recommended_first_with_a_warning(advisor: Advisor,
                                                             days_left: int) -> None:
    advice = advisor.advise(window_case(days_left))
    due, left, status, _ = deadline(advice, "State complaint window closes")
    assert (left, status) == (days_left, "closing")
    assert advice.next_move is not None
    assert advice.next_move.move.value == "state_complaint"
    assert advice.next_move.raised
    closing = [w for w in advice.warnings if w.kind == "window_closing"]
    assert [w.move.value for w in closing if w.move] == ["state_complaint"]
    assert iso(due) in closing[0].text and str(days_left) in closing[0].text
    assert advice.next_move.deadlines and advice.next_move.deadlines[0].due == due


def test_window_with_31_days_left_is_open_and_not_rushed(advisor: Advisor) -> None:
    advice = advisor.advise(window_case(31))
    assert deadline(advice, "State complaint window closes")[2] == "open"
    assert not advice.warnings
    assert "state_complaint" in moves(advice)
    # the ordinary climb comes first: the written concern is the next rung
    assert advice.next_move is not None
    assert advice.next_move.move.value == "written_concern"


def test_state_decides_whether_due_process_is_still_open(advisor: Advisor) -> None:
    # known 18 months before as_of: past NC's one year, inside California's two.
    known = AS_OF - dt.timedelta(days=548)
    refusing = dict(
        concern={"topic": "services", "school_response": "refused"},
        history=history(("written_concern", "refused"), ("request_iep_meeting", "refused")),
        violation={"alleged": True, "date": iso(known), "known_date": iso(known),
                   "kind": "failure_to_implement"})
    nc = advisor.advise(case(state="NC", **refusing))
    ca = advisor.advise(case(state="CA", **refusing))
    assert deadline(nc, "Due process filing limit")[2] == "closed"
    assert deadline(ca, "Due process filing limit")[2] == "open"
    assert "due_process" not in moves(nc)
    assert "due_process" in moves(ca)
    assert any(w.kind == "window_closed" and w.move and w.move.value == "due_process"
               for w in nc.warnings)
    assert not any(w.move and w.move.value == "due_process" for w in ca.warnings)


def test_a_clocks_condition_reads_the_same_as_the_engines_plain_evaluation(
        advisor: Advisor) -> None:
    """Each clock's ``only_if`` is tested on every case by a predicate made once per
    rulebook; on every value each fact it reads can take, it answers as the plain
    evaluation of the same condition does (both sides of every condition)."""
    from itertools import product

    from escalate.conditions import holds, predicate

    rulebook = advisor.rulebook
    assert rulebook.deadline_conditions
    for clock, dnf in rulebook.deadline_conditions.items():
        tests = [t for conj in dnf for t in conj]
        names = sorted({t.fact for t in tests})
        choices = []
        for name in names:
            values = {v for t in tests if t.fact == name for v in t.values}
            if all(isinstance(v, bool) for v in values):
                values |= {True, False}
            elif all(isinstance(v, int) for v in values):
                values |= {v + step for v in values for step in (-1, 1)}
            else:
                values.add("something else")
            choices.append(sorted(values, key=repr))
        fast = predicate(dnf)
        seen_true = seen_false = False
        for combo in product(*choices):
            facts = dict(zip(names, combo, strict=True))
            answer = holds(dnf, facts, set())
            assert fast(facts) == answer, (clock, facts)
            seen_true, seen_false = seen_true or answer, seen_false or not answer
        assert seen_true and seen_false, clock
