"""The rulebook's fixed names: which files a rules folder holds, the case dates a clock
may start from, the units of a parameter."""

from __future__ import annotations

import re
from pathlib import Path

from escalate.models import MoveId

RULE_FILE = re.compile(r"^\d\d_[a-z0-9_]+\.yaml$")
SPECIAL_FILES = ("moves.yaml", "parameters.yaml", "deadlines.yaml")
# Read by other modules, beside the rules: the intake questions (escalate/explain/questions.py).
DATA_FILES = ("questions.yaml", "parent_centers.yaml")
RECOMMENDED = "recommended."
DATE_SOURCES = (
    "violation.date", "violation.known_date", "evaluation.date", "evaluation.consent_date",
    "student.last_iep_meeting", "discipline.decision_date", "student.date_of_birth",
    "resolution_meeting.date",
    *(f"history.{m.value}.date" for m in MoveId),
)
# The case's lists of dates on which a recurring duty was missed (a deadline's `missed`).
MISSED_SOURCES = ("student.missed_annual_reviews", "evaluation.missed_reevaluations")
TEXT_DIR = Path(__file__).resolve().parent.parent / "text"  # the summary, phrases, calendar words
UNITS = ("days", "school_days", "business_days", "years", "count")
# What an overdue duty's sentence may name (see escalate.deadlines.compute).
DUTY_PLACEHOLDERS = ("due", "days", "as_of")

