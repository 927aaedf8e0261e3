"""State clocks: every state with an override gets its own length, counted from its own
event, on both sides of the limit; each trigger kind; the honesty notes; thresholds that
follow the case's state and date; and a loader that refuses an uncited or undated value.

Every expected date below was worked out by hand from the statute or rule cited in
``rules/states/XX.yaml`` (and the weekday counts from a calendar), never by the code under
test.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest

from escalate import Advisor
from escalate.compiler import reference_evaluation
from escalate.models import Advice, Case, Deadline

from .conftest import RulesCopy

D = dt.date

# ---------------------------------------------------------------- due process

# The violation happened on 2025-03-10, the district's written notice was 2025-03-20, the
# parent learned of it on 2025-04-15.
VIOLATION = {"alleged": True, "kind": "procedural", "date": "2025-03-10",
             "notice_date": "2025-03-20", "known_date": "2025-04-15"}

DUE_PROCESS = {  # state: (due date, a piece of its citation)
    "AK": (D(2026, 3, 20), "AS 14.30.193"),     # 12 months from the written notice
    "WI": (D(2026, 3, 20), "115.80(1)(a)1"),    # 1 year from the proposal or refusal
    "CT": (D(2027, 3, 20), "10-76h"),           # 2 years from the proposal or refusal
    "NC": (D(2026, 4, 15), "115C-109.6(b)"),    # 1 year from knew or should have known
    "LA": (D(2026, 4, 15), "17:1946(B)(1)"),    # 1 year (the earlier of 1 and 2 years)
    "KY": (D(2028, 4, 15), "KRS 157.224"),      # 3 years from knew or should have known
    "OR": (D(2027, 3, 10), "581-015-2345"),     # 2 years from the act or omission
    "ND": (D(2027, 3, 10), "NDDPI"),            # 2 years from the action
    "HI": (D(2027, 4, 15), "302A-443(a)(1)"),   # 2 years from knew or should have known
    "NH": (D(2027, 4, 15), "186-C:16-b"),       # 2 years from discovery
    "TX": (D(2027, 4, 15), "89.1151(c)"),       # 2 years (filed after 2022-09-01)
    "VA": (D(2027, 4, 15), "300.507(a)(2)"),    # no override: the federal two years
}


def advise(advisor: Advisor, **parts: Any) -> Advice:
    data: dict[str, Any] = {"student": {"has_iep": True},
                            "concern": {"topic": "services", "school_response": "refused"}}
    data.update(parts)
    return advisor.advise(Case.model_validate(data))


def one(advice: Advice, label_start: str) -> Deadline:
    found = [d for d in advice.deadlines if d.label.startswith(label_start)]
    assert len(found) == 1, [d.label for d in advice.deadlines]
    return found[0]


def closed_warning(advice: Advice, move: str) -> bool:
    return any(w.move == move and w.kind == "window_closed" for w in advice.warnings)


@pytest.mark.parametrize("state", sorted(DUE_PROCESS))
def test_due_process_limit_on_both_sides_of_the_last_day(advisor: Advisor, state: str) -> None:
    due, cited = DUE_PROCESS[state]
    on_last_day = advise(advisor, state=state, as_of=due.isoformat(), violation=VIOLATION)
    deadline = one(on_last_day, "Due process filing limit")
    assert (deadline.due, deadline.days_left, deadline.status) == (due, 0, "closing")
    assert cited in deadline.citation
    assert not closed_warning(on_last_day, "due_process")
    day_after = advise(advisor, state=state, as_of=(due + dt.timedelta(days=1)).isoformat(),
                       violation=VIOLATION)
    deadline = one(day_after, "Due process filing limit")
    assert (deadline.due, deadline.days_left, deadline.status) == (due, -1, "closed")
    assert closed_warning(day_after, "due_process")
    assert "due_process" not in {r.move for r in day_after.recommendations}


def test_texas_applies_the_limit_in_force_on_the_day_of_filing(advisor: Advisor) -> None:
    """HB 1252 s. 3: the two years apply to requests filed on or after 2022-09-01."""
    violation = {"alleged": True, "kind": "procedural", "date": "2021-10-01"}
    before = one(advise(advisor, state="TX", as_of="2022-08-31", violation=violation),
                 "Due process filing limit")
    assert before.due == D(2022, 10, 1) and before.confidence == "high"
    after = one(advise(advisor, state="TX", as_of="2022-09-01", violation=violation),
                "Due process filing limit")
    assert after.due == D(2023, 10, 1)
    assert before.citation != after.citation and "29.0164" in after.citation


def test_louisiana_gives_the_earlier_date_and_says_why(advisor: Advisor) -> None:
    deadline = one(advise(advisor, state="LA", as_of="2026-01-05",
                          violation={"alleged": True, "kind": "procedural",
                                     "date": "2025-06-01"}), "Due process filing limit")
    assert deadline.due == D(2026, 6, 1)  # one year, not the two of the 2024 amendment
    assert deadline.confidence == "medium"
    note = deadline.note or ""
    assert "Sources disagree" in note and "HB 153" in note and "earlier" in note
    assert "Check this date against La. R.S. 17:1946(B)(1)" in note


# ---------------------------------------------------------------- reimbursement sub-limits

REIMBURSEMENT = {  # placement on 2026-06-01
    "HI": (D(2026, 11, 28), "302A-443(a)(2)"),  # 180 calendar days
    "NH": (D(2026, 8, 30), "186-C:16-b, II"),   # 90 days
}


@pytest.mark.parametrize("state", sorted(REIMBURSEMENT))
def test_reimbursement_limit_on_both_sides_of_the_last_day(advisor: Advisor,
                                                           state: str) -> None:
    due, cited = REIMBURSEMENT[state]
    placement = {"reimbursement_sought": True, "start_date": "2026-06-01"}
    on_last_day = advise(advisor, state=state, as_of=due.isoformat(),
                         private_placement=placement)
    deadline = one(on_last_day, "Due process limit for reimbursement")
    assert (deadline.due, deadline.status, deadline.move) == (due, "closing", "due_process")
    assert cited in deadline.citation
    assert [w.kind for w in on_last_day.warnings] == ["reimbursement_limit_closing"]
    day_after = advise(advisor, state=state, as_of=(due + dt.timedelta(days=1)).isoformat(),
                       private_placement=placement)
    assert one(day_after, "Due process limit for reimbursement").status == "closed"
    assert [w.kind for w in day_after.warnings] == ["reimbursement_limit_closed"]


def test_no_reimbursement_limit_without_a_claim_or_outside_those_states(
        advisor: Advisor) -> None:
    for state, placement in (("HI", {"reimbursement_sought": False, "start_date": "2026-06-01"}),
                             ("VA", {"reimbursement_sought": True, "start_date": "2026-06-01"})):
        advice = advise(advisor, state=state, as_of="2026-11-20", private_placement=placement)
        assert not [d for d in advice.deadlines if "reimbursement" in d.label]


# ---------------------------------------------------------------- initial evaluation

# Consent on Tuesday 2026-09-01, referral on Thursday 2026-08-20. Weekdays counted by hand
# from a 2026 calendar: 25 -> Oct 6, 30 -> Oct 13, 35 -> Oct 20, 45 -> Nov 3, 50 -> Nov 10,
# 60 -> Nov 24 after consent; 45 -> Oct 22 and 65 -> Nov 19 after the referral.
# School and business days skip weekends and US federal holidays: Labor Day (09-07),
# Columbus Day (10-12), Veterans Day (11-11) and Thanksgiving (11-26) fall in these clocks.
EVALUATION = {
    "AL": D(2026, 10, 31), "AZ": D(2026, 10, 31), "AR": D(2026, 10, 31),
    "CA": D(2026, 10, 31), "CO": D(2026, 10, 31),
    # 45 school days from referral, leaving out the 8 school days to consent (08-21 to
    # 09-01): 53 school days after the referral (RCSA 10-76d-13(a))
    "CT": D(2026, 11, 5),
    "DE": D(2026, 11, 5), "DC": D(2026, 10, 31), "FL": D(2026, 10, 31),
    "GA": D(2026, 10, 31), "ID": D(2026, 10, 31),
    "IL": D(2026, 11, 30), "IN": D(2026, 11, 13), "IA": D(2026, 10, 31),
    "KS": D(2026, 11, 30), "KY": D(2026, 11, 30), "LA": D(2026, 11, 30),
    "ME": D(2026, 11, 5), "MD": D(2026, 10, 31), "MA": D(2026, 11, 5),
    "MI": D(2026, 10, 15), "MN": D(2026, 10, 15), "NE": D(2026, 11, 5),
    "NV": D(2026, 11, 5), "NH": D(2026, 10, 31), "NJ": D(2026, 11, 30),
    "NC": D(2026, 11, 18),  # 90 days from referral
    "OK": D(2026, 11, 5), "OR": D(2026, 11, 30), "PA": D(2026, 10, 31),
    "SD": D(2026, 10, 7), "TX": D(2026, 11, 5), "UT": D(2026, 11, 5),
    "VA": D(2026, 11, 24),  # 65 business days from referral
    "WA": D(2026, 10, 22),
    "WV": D(2026, 11, 8),   # 80 days from referral
    "WI": D(2026, 10, 31), "NY": D(2026, 10, 31), "PR": D(2026, 10, 31),  # federal 60 days
}


def evaluation_advice(advisor: Advisor, state: str, as_of: dt.date) -> Advice:
    return advise(advisor, state=state, as_of=as_of.isoformat(),
                  student={"has_iep": False, "disability_suspected": True},
                  concern={"topic": "evaluation", "school_response": "agreed"},
                  evaluation={"completed": False, "consent_date": "2026-09-01",
                              "referral_date": "2026-08-20"})


@pytest.mark.parametrize("state", sorted(EVALUATION))
def test_initial_evaluation_on_both_sides_of_the_last_day(advisor: Advisor,
                                                          state: str) -> None:
    due = EVALUATION[state]
    on_last_day = one(evaluation_advice(advisor, state, due), "Initial evaluation")
    # the district's duty: running on its last day, overdue the day after
    assert (on_last_day.due, on_last_day.days_left, on_last_day.status) == (due, 0, "open")
    assert on_last_day.owner == "district"
    day_after = one(evaluation_advice(advisor, state, due + dt.timedelta(days=1)),
                    "Initial evaluation")
    assert (day_after.due, day_after.status) == (due, "overdue")


def test_california_evaluation_clock_says_breaks_are_not_counted(advisor: Advisor) -> None:
    deadline = one(evaluation_advice(advisor, "CA", D(2026, 10, 1)), "Initial evaluation")
    assert deadline.due == D(2026, 10, 31) and "56344" in deadline.citation
    assert deadline.confidence == "high" and "not counted" in (deadline.note or "")
    assert "school_closures" in (deadline.note or "")  # none listed: the case is asked for them


# Winter break 2026: closed Monday 12-21 to Thursday 12-31 (12-25 and 01-01 are federal
# holidays): Saturday 12-19 to Sunday 2027-01-03 without school, 10 school days.
WINTER_BREAK = [f"2026-12-{day}" for day in (21, 22, 23, 24, 28, 29, 30, 31)]


def california_evaluation(advisor: Advisor, closures: list[str]) -> Deadline:
    return one(advise(advisor, state="CA", as_of="2026-11-23", school_closures=closures,
                      student={"has_iep": False, "disability_suspected": True},
                      concern={"topic": "evaluation", "school_response": "agreed"},
                      evaluation={"completed": False, "consent_date": "2026-11-23"}),
               "Initial evaluation")


def test_california_evaluation_clock_skips_a_break_of_more_than_five_school_days(
        advisor: Advisor) -> None:
    # 60 days from 2026-11-23 is 2027-01-22; the 16 days of the winter break are not
    # counted (Cal. Educ. Code 56344(a)), so the plan is due 2027-02-07.
    assert california_evaluation(advisor, []).due == D(2027, 1, 22)
    with_break = california_evaluation(advisor, WINTER_BREAK)
    assert with_break.due == D(2027, 2, 7)
    assert "16 days" in (with_break.note or "")


def test_california_evaluation_clock_counts_a_break_of_five_school_days(
        advisor: Advisor) -> None:
    # Thanksgiving week closed (11-23 to 11-27, with the holiday): 5 school days, counted.
    week = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"]
    assert california_evaluation(advisor, week).due == D(2027, 1, 22)
    # one more day closed (Monday 11-30) makes it 6: Saturday 11-21 to Monday 11-30 skipped
    # (the 7 of those days after the day of consent, 11-24 to 11-30)
    longer = california_evaluation(advisor, [*week, "2026-11-30"])
    assert longer.due == D(2027, 1, 22) + dt.timedelta(days=7)


def test_federal_evaluation_clock_counts_every_day_of_a_break(advisor: Advisor) -> None:
    deadline = one(advise(advisor, as_of="2026-11-23", school_closures=WINTER_BREAK,
                          student={"has_iep": False, "disability_suspected": True},
                          concern={"topic": "evaluation", "school_response": "agreed"},
                          evaluation={"completed": False, "consent_date": "2026-11-23"}),
                   "Initial evaluation")
    assert deadline.due == D(2027, 1, 22)


# ---------------------------------------------------------------- records

RECORDS = {  # request on Tuesday 2026-09-01; Labor Day (09-07) is not counted
    "CA": D(2026, 9, 9),    # 5 business days
    "CT": D(2026, 9, 16),   # 10 school days
    "IL": D(2026, 9, 16),   # 10 business days (since 2017-09-22)
    "MA": D(2026, 9, 11),   # 10 days
    "MN": D(2026, 9, 16),   # 10 days excluding weekends
    "VA": D(2026, 10, 16),  # federal 45 days
}


def records_advice(advisor: Advisor, state: str, as_of: dt.date) -> Advice:
    return advise(advisor, state=state, as_of=as_of.isoformat(),
                  history=[{"move": "request_records", "date": "2026-09-01",
                            "outcome": "pending"}])


@pytest.mark.parametrize("state", sorted(RECORDS))
def test_records_on_both_sides_of_the_last_day(advisor: Advisor, state: str) -> None:
    due = RECORDS[state]
    assert one(records_advice(advisor, state, due), "Records").status == "open"
    after = one(records_advice(advisor, state, due + dt.timedelta(days=1)), "Records")
    assert (after.due, after.status) == (due, "overdue")


def test_illinois_records_clock_before_its_2017_change(advisor: Advisor) -> None:
    """15 school days before P.A. 100-532: from Tuesday 2016-09-06 -> Tuesday 2016-09-27."""
    advice = advise(advisor, state="IL", as_of="2016-09-07",
                    history=[{"move": "request_records", "date": "2016-09-06",
                              "outcome": "pending"}])
    assert one(advice, "Records").due == D(2016, 9, 27)


# ---------------------------------------------------------------- triggers


def due_process(advisor: Advisor, state: str, **violation: str) -> Deadline:
    return one(advise(advisor, state=state, as_of="2026-11-23",
                      violation={"alleged": True, "kind": "procedural", **violation}),
               "Due process filing limit")


def test_trigger_knew_or_should_have_known(advisor: Advisor) -> None:
    assert due_process(advisor, "NC", date="2026-01-05", known_date="2026-02-10").due == \
        D(2027, 2, 10)
    assert due_process(advisor, "NC", date="2026-01-05").due == D(2027, 1, 5)


def test_trigger_district_notice_uses_the_notice_date_or_says_what_it_assumed(
        advisor: Advisor) -> None:
    given = due_process(advisor, "WI", date="2026-01-05", notice_date="2026-01-20",
                        known_date="2026-03-01")
    assert given.due == D(2027, 1, 20)
    assert "does not give the date of that notice" not in (given.note or "")
    assumed = due_process(advisor, "WI", date="2026-01-05", known_date="2026-03-01")
    assert assumed.due == D(2027, 1, 5)
    assert "does not give the date of that notice" in (assumed.note or "")
    assert "violation.notice_date" not in (assumed.note or "")  # no field names for families
    assert "2026-01-05" in (assumed.note or "")


def test_trigger_occurrence_counts_from_the_act(advisor: Advisor) -> None:
    assert due_process(advisor, "OR", date="2026-01-05", known_date="2026-03-01").due == \
        D(2028, 1, 5)
    only_known = due_process(advisor, "OR", known_date="2026-03-01")
    assert only_known.due == D(2028, 3, 1) and "may be earlier" in (only_known.note or "")


def test_trigger_unilateral_placement_counts_from_the_first_day(advisor: Advisor) -> None:
    advice = advise(advisor, state="HI", as_of="2026-09-01",
                    private_placement={"reimbursement_sought": True,
                                       "start_date": "2026-08-24"})
    assert one(advice, "Due process limit for reimbursement").due == D(2027, 2, 20)


def test_trigger_consent_and_referral(advisor: Advisor) -> None:
    def evaluation(state: str, **dates: str) -> Deadline:
        return one(advise(advisor, state=state, as_of="2026-09-02",
                          student={"has_iep": False, "disability_suspected": True},
                          evaluation={"completed": False, **dates}), "Initial evaluation")
    assert evaluation("CA", consent_date="2026-09-01").due == D(2026, 10, 31)
    assert evaluation("NC", consent_date="2026-09-01",
                      referral_date="2026-08-20").due == D(2026, 11, 18)
    assumed = evaluation("NC", consent_date="2026-09-01")
    assert assumed.due == D(2026, 11, 30)
    assert "does not give the date of the referral" in (assumed.note or "")


def test_trigger_request_for_records(advisor: Advisor) -> None:
    assert one(records_advice(advisor, "CA", D(2026, 9, 2)), "Records").due == D(2026, 9, 9)


# ---------------------------------------------------------------- honesty


def test_a_medium_value_says_check_it_and_names_the_parent_center(advisor: Advisor) -> None:
    deadline = due_process(advisor, "AK", date="2026-01-05", notice_date="2026-01-06")
    assert deadline.confidence == "medium"
    assert "Check this date against AS 14.30.193(a)" in (deadline.note or "")
    assert "Stone Soup Group" in (deadline.note or "")  # rules/parent_centers.yaml


def test_a_high_value_does_not_ask_to_be_checked(advisor: Advisor) -> None:
    deadline = due_process(advisor, "NC", date="2026-01-05")
    assert deadline.confidence == "high" and "Check this" not in (deadline.note or "")


def test_the_federal_default_says_so(advisor: Advisor) -> None:
    deadline = due_process(advisor, "VA", date="2026-01-05")
    assert deadline.due == D(2028, 1, 5)
    assert "the federal rule applies" in (deadline.note or "")
    territory = due_process(advisor, "GU", date="2026-01-05")
    assert territory.due == D(2028, 1, 5) and territory.confidence is None
    # a territory is named in full (issue 25)
    assert "No state rules are recorded for Guam" in (territory.note or "")
    no_state = one(advise(advisor, as_of="2026-11-23",
                          violation={"alleged": True, "kind": "procedural",
                                     "date": "2026-01-05"}), "Due process filing limit")
    assert no_state.due == D(2028, 1, 5) and no_state.note is None


def test_every_state_and_dc_and_puerto_rico_have_a_file(advisor: Advisor) -> None:
    wanted = {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID",
              "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO",
              "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
              "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR"}
    assert wanted <= set(advisor.rulebook.states)


# ---------------------------------------------------------------- thresholds


def test_thresholds_follow_the_state_and_the_date(rules_copy: RulesCopy) -> None:
    """A removal of 7 days in a row is a change of placement only where and when the
    threshold is below 7: here, from 2027-01-01 everywhere (5), and in Wisconsin always (3)."""
    rules_copy.replace(
        "parameters.yaml",
        "    reference: 34 CFR 300.536\n    values: {2006-10-13: 10}\n",
        "    reference: 34 CFR 300.536\n    values: {2006-10-13: 10, 2027-01-01: 5}\n"
        "    states:\n      WI:\n        reference: test\n        values: {2006-10-13: 3}\n")
    advisor = Advisor.from_directory(rules_copy.root)

    def derived(state: str | None, as_of: str) -> bool:
        data: dict[str, Any] = {"as_of": as_of, "student": {"has_iep": True},
                                "concern": {"topic": "discipline", "school_response": "refused"},
                                "discipline": {"days_removed": 7, "consecutive_days": 7}}
        if state:
            data["state"] = state
        advice = advisor.advise(Case.model_validate(data))
        facts, _ = advisor.facts_for(Case.model_validate(data))
        oracle = reference_evaluation(advisor.compiled, facts)
        fired = "disciplinary_change_of_placement" in advice.trace.facts_derived
        assert fired == ("disciplinary_change_of_placement" in oracle.facts_derived)
        return fired

    assert not derived(None, "2026-11-23")
    assert derived(None, "2027-01-02")
    assert derived("WI", "2026-11-23")
    assert not derived("VA", "2026-11-23")


# ---------------------------------------------------------------- the loader


@pytest.mark.parametrize(("old", "new", "key"), [
    ("    citation: Wis. Stat. § 115.80(1)(a)1\n", "", "citation"),
    ("  - effective: 2006-10-13\n    value: 1\n", "  - value: 1\n", "effective"),
    ("    citation: Wis. Stat. § 115.80(1)(a)1\n    confidence: high\n",
     "    citation: Wis. Stat. § 115.80(1)(a)1\n", "confidence"),
    ("    starts: district_notice\n", "    starts: consent\n", "starts"),
])
def test_a_state_value_without_citation_or_date_does_not_load(
        rules_copy: RulesCopy, old: str, new: str, key: str) -> None:
    rules_copy.replace("states/WI.yaml", old, new)
    problems = rules_copy.problems()
    assert any(p.file == "states/WI.yaml" and p.key == key for p in problems), problems
    check = subprocess.run([sys.executable, "-m", "escalate.cli", "rules", "check",
                            str(rules_copy.root)], capture_output=True, text=True)
    assert check.returncode == 1 and "states/WI.yaml" in check.stderr


def test_a_state_overridden_in_two_places_does_not_load(rules_copy: RulesCopy) -> None:
    rules_copy.replace(
        "parameters.yaml",
        "    reference: 34 CFR 300.507(a)(2); 34 CFR 300.511(e)\n    values: {2006-10-13: 2}\n",
        "    reference: 34 CFR 300.507(a)(2); 34 CFR 300.511(e)\n    values: {2006-10-13: 2}\n"
        "    states:\n      NC:\n        reference: x\n        values: {2006-10-13: 1}\n")
    assert any("states/NC.yaml" in p.message for p in rules_copy.problems())


def test_a_misnamed_state_file_does_not_load(rules_copy: RulesCopy) -> None:
    (rules_copy.root / "states" / "WI.yaml").rename(rules_copy.root / "states" / "wi.yaml")
    assert any(p.file == "states/wi.yaml" for p in rules_copy.problems())
