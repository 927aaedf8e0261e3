"""The step vocabulary shared by every feature: the project's ``features/`` and an
advocate's own, run by ``escalate scenarios run`` (:mod:`escalate.scenarios.runner`) and,
in the project's tests, by pytest-bdd (``tests/bdd/steps.py`` registers these same
functions with it).

Given steps build a case the way an intake form would; the one When step sends it to the
service over HTTP (``POST /v1/advice``, the service run in process); Then steps read the
advice. Every phrasing is registered through :func:`_step`, which keeps the list, with
the function, in :data:`VOCABULARY`, so that a runner can find a step's function and the
guide's catalogue (``features/README.md``) can be checked against it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from .report import describe_advice, describe_errors, fail
from .words import (
    CHILD_PLANS,
    MANIFESTATION_RESULTS,
    MEETINGS,
    MOVE_BY_DID,
    OUTCOME_CELLS,
    OUTCOMES,
    PLANS,
    PROBLEMS,
    SCHOOL_RESPONSES,
    SPECIAL_CIRCUMSTANCES,
    STATUSES,
    TOPICS,
    VIOLATIONS,
    UnknownWord,
    choice,
    cites,
    duty_move,
    move_id,
    move_name,
    seed_file,
    seed_title,
    state_code,
    suggest,
)

StepKind = Literal["given", "when", "then"]
DATE = r"(?P<date>\d{4}-\d{2}-\d{2})"
ANY_DATE = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class Phrase:
    """One registered phrasing: its kind, its regular expression and what it does.

    ``run`` takes, by name, the arguments its function declares: the pattern's named
    groups, ``consultation`` (the scenario's :class:`Consultation`), ``client`` (the
    service, something with ``post`` and ``get`` as :class:`httpx.Client` has), and
    ``datatable`` (rows of cells) or ``docstring`` (text) when the step carries one. An
    unknown word fails it with suggestions (:class:`~escalate.scenarios.report.StepFailed`).
    """

    kind: StepKind
    pattern: str
    run: Callable[..., None] = field(compare=False, repr=False)

    def matches(self, text: str) -> bool:
        return re.fullmatch(self.pattern, text) is not None

    def groups(self, text: str) -> dict[str, str | None]:
        """The values the pattern reads from the step's text (it must match)."""
        match = re.fullmatch(self.pattern, text)
        assert match is not None, text
        return match.groupdict()


VOCABULARY: list[Phrase] = []


def _step(kind: StepKind, pattern: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a phrasing; an unknown word in it fails the step with suggestions."""

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> None:
            try:
                func(*args, **kwargs)
            except UnknownWord as exc:
                problem = str(exc)
            else:
                return
            fail(problem)  # outside the except block: one message, no chained traceback

        VOCABULARY.append(Phrase(kind, pattern, run))
        return func

    return decorate


# ---------------------------------------------------------------- the consultation


@dataclass
class Consultation:
    """One scenario's case as it is being written, and what the service answered."""

    case: dict[str, Any] = field(default_factory=dict)
    edits: list[tuple[str, Any]] = field(default_factory=list)
    body: bytes | None = None
    sent: list[str] = field(default_factory=list)
    response: httpx.Response | None = None
    letter: httpx.Response | None = None

    def part(self, name: str) -> dict[str, Any]:
        value: dict[str, Any] = self.case.setdefault(name, {})
        return value

    def concern(self) -> dict[str, Any]:
        concern = self.part("concern")
        concern.setdefault("topic", "other")
        concern.setdefault("school_response", "none_yet")
        return concern

    def payload(self) -> bytes:
        """The case as JSON. A case always has a concern (the service requires one): when
        the scenario gives none, it is about something else and the school has not
        answered yet. "The intake form leaves out" edits are applied after that."""
        if self.body is not None:
            return self.body
        self.concern()
        case = json.loads(json.dumps(self.case))
        for path, value in self.edits:
            _edit(case, path, value)
        return json.dumps(case).encode()

    def advice(self) -> dict[str, Any]:
        if self.response is None:
            fail("No advice yet: put 'When the advocate asks for advice' before the Then steps.")
        body = self.response.json()
        if self.response.status_code != 200:
            fail("Expected advice, but " + describe_errors(self.response.status_code, body)[4:])
        assert isinstance(body, dict)
        return body


_REMOVE = object()


def _edit(case: dict[str, Any], path: str, value: Any) -> None:
    """Set (or, with _REMOVE, delete) the field at a dotted path, list indexes included."""
    keys: list[Any] = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = case
    for key in keys[:-1]:
        node = node[key] if isinstance(node, list) else node.setdefault(key, {})
    last = keys[-1]
    if value is _REMOVE:
        if isinstance(node, dict):
            node.pop(last, None)
        elif isinstance(node, list) and last < len(node):
            node.pop(last)
    else:
        node[last] = value


# ---------------------------------------------------------------- Given: the case


@_step("given", rf"today is {DATE}")
def _today(consultation: Consultation, date: str) -> None:
    consultation.case["as_of"] = date


@_step("given", r'the intake reference is "(?P<ref>[^"]+)"')
def _reference(consultation: Consultation, ref: str) -> None:
    consultation.case["case_id"] = ref


@_step("given", r"the family lives in (?P<state>.+)")
def _state(consultation: Consultation, state: str) -> None:
    consultation.case["state"] = state_code(state)


@_step("given", rf"a student (?P<plans>{choice(PLANS)})")
def _student(consultation: Consultation, plans: str) -> None:
    consultation.part("student").update(PLANS[plans])


@_step("given", rf"the child has (?P<plans>{choice(CHILD_PLANS)})")
def _child_has(consultation: Consultation, plans: str) -> None:
    consultation.part("student").update(CHILD_PLANS[plans])


@_step("given", r"the student is called (?P<name>[\w' -]+?)(?: and is in grade (?P<grade>\w+))?")
def _student_name(consultation: Consultation, name: str, grade: str | None) -> None:
    student = consultation.part("student")
    student["name"] = name
    if grade:
        student["grade"] = grade


@_step("given", r"the parent suspects a disability")
def _suspected(consultation: Consultation) -> None:
    consultation.part("student")["disability_suspected"] = True


@_step("given", rf"the last IEP meeting was on {DATE}")
def _last_meeting(consultation: Consultation, date: str) -> None:
    consultation.part("student")["last_iep_meeting"] = date


@_step("given", rf"the last annual review was (?:held )?on {DATE}")
def _annual_review(consultation: Consultation, date: str) -> None:
    consultation.part("student")["last_iep_meeting"] = date


@_step("given", rf"the parent is concerned about (?P<topic>{choice(TOPICS)})")
def _topic(consultation: Consultation, topic: str) -> None:
    consultation.concern()["topic"] = TOPICS[topic]


@_step("given", rf"the school (?P<response>{choice(SCHOOL_RESPONSES)})")
def _school_response(consultation: Consultation, response: str) -> None:
    consultation.concern()["school_response"] = SCHOOL_RESPONSES[response]


@_step("given", rf"the parent (?P<did>{choice(MOVE_BY_DID)})(?: on {DATE})? "
                rf"and (?P<outcome>{choice(OUTCOMES)})")
def _history_entry(consultation: Consultation, did: str, date: str | None, outcome: str) -> None:
    entry = {"move": MOVE_BY_DID[did], "outcome": OUTCOMES[outcome]}
    if date:
        entry["date"] = date
    consultation.case.setdefault("history", []).append(entry)


@_step("given", r"the parent has already made these moves:")
def _history_table(consultation: Consultation, datatable: list[list[str]]) -> None:
    header = [cell.strip().lower() for cell in datatable[0]]
    if "move" not in header or "outcome" not in header:
        fail('The table of moves needs a "move" column and an "outcome" column '
             '(and may have a "date" column).')
    for row in datatable[1:]:
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        outcome = cells["outcome"]
        if outcome.lower() not in OUTCOME_CELLS and outcome not in OUTCOME_CELLS.values():
            near = suggest(outcome.lower(), list(OUTCOME_CELLS))
            fail(f'"{outcome}" is not an outcome the scenarios know'
                 + (f'; did you mean "{near[0]}"?' if near else ".")
                 + ' The list is under "Outcomes" in features/README.md.')
        entry = {"move": move_id(cells["move"]),
                 "outcome": OUTCOME_CELLS.get(outcome.lower(), outcome)}
        if cells.get("date"):
            entry["date"] = cells["date"]
        consultation.case.setdefault("history", []).append(entry)


@_step("given", rf"(?P<meeting>{choice(MEETINGS)}) is scheduled for {DATE}")
def _scheduled(consultation: Consultation, meeting: str, date: str) -> None:
    # A meeting asked for and not yet held is a pending request. The case only takes dates
    # on or before the day of the advice, so the meeting's own date is not sent.
    del date
    consultation.case.setdefault("history", []).append(
        {"move": MEETINGS[meeting], "outcome": "pending"})


@_step("given", r"the school is not following the (?P<plan>IEP|504 plan)"
                rf"(?: since {DATE})?")
def _not_following(consultation: Consultation, plan: str, date: str | None) -> None:
    student = consultation.part("student")
    if plan == "IEP":
        student["has_iep"] = True
    else:
        student.setdefault("has_iep", False)
        student["has_504_plan"] = True
    consultation.concern()["topic"] = "implementation"
    violation = consultation.part("violation")
    violation.update({"alleged": True, "kind": "failure_to_implement"})
    if date:
        violation["date"] = date


@_step("given", rf"the district broke a legal duty(?: on {DATE})?, without saying which")
def _unspecified_violation(consultation: Consultation, date: str | None) -> None:
    violation = consultation.part("violation")
    violation["alleged"] = True
    if date:
        violation["date"] = date


@_step("given", rf"the district evaluated the student on {DATE}")
def _evaluated(consultation: Consultation, date: str) -> None:
    consultation.part("evaluation").update({"completed": True, "date": date})


@_step("given", r"the parent disagrees with the district's evaluation")
def _disagrees(consultation: Consultation) -> None:
    consultation.part("evaluation").update({"completed": True, "parent_disagrees": True})


@_step("given", r"the district found the student not eligible for an IEP")
def _ineligible(consultation: Consultation) -> None:
    consultation.part("evaluation").update({"completed": True, "eligibility_denied": True})


@_step("given", rf"the parent consented to an initial evaluation on {DATE}")
def _consented(consultation: Consultation, date: str) -> None:
    consultation.part("evaluation")["consent_date"] = date


@_step("given", rf"the district (?P<kind>{choice(VIOLATIONS)})(?: on {DATE})?")
def _violation(consultation: Consultation, kind: str, date: str | None) -> None:
    violation = consultation.part("violation")
    violation.update({"alleged": True, "kind": VIOLATIONS[kind]})
    if date:
        violation["date"] = date


@_step("given", r"the parent knew of it the same day")
def _known_same_day(consultation: Consultation) -> None:
    violation = consultation.part("violation")
    violation["known_date"] = violation["date"]


_RECURRING = {"the annual IEP review": ("student", "missed_annual_reviews"),
              "the three-year reevaluation": ("evaluation", "missed_reevaluations")}


@_step("given", rf"(?P<duty>{choice(_RECURRING)}) due on {DATE} was missed")
def _missed(consultation: Consultation, duty: str, date: str) -> None:
    part, name = _RECURRING[duty]
    consultation.part(part).setdefault(name, []).append(date)
    if part == "evaluation":
        consultation.part(part).setdefault("completed", True)


@_step("given", rf"the parent only learned of it on {DATE}")
def _known(consultation: Consultation, date: str) -> None:
    consultation.part("violation")["known_date"] = date


@_step("given", rf"the district gave written notice of that decision on {DATE}")
def _notice(consultation: Consultation, date: str) -> None:
    consultation.part("violation")["notice_date"] = date


@_step("given", rf"the student was referred for an evaluation on {DATE}")
def _referred(consultation: Consultation, date: str) -> None:
    consultation.part("evaluation")["referral_date"] = date


@_step("given", rf"the parents placed the student in a private school on {DATE} and ask "
                r"to be reimbursed")
def _private_placement(consultation: Consultation, date: str) -> None:
    consultation.part("private_placement").update(
        {"reimbursement_sought": True, "start_date": date})


@_step("given", r"the student has been removed from school for (?P<days>\d+) school days? "
                r"this year")
def _removed(consultation: Consultation, days: str) -> None:
    consultation.part("discipline")["days_removed"] = int(days)


@_step("given", r"the district proposes to change the student's placement")
def _placement_change(consultation: Consultation) -> None:
    consultation.concern()["placement_change_proposed"] = True


@_step("given", r"the district proposes to change the student's placement"
                rf"(?: as discipline| in a decision on {DATE}| as discipline in a decision on "
                rf"(?P<when>{ANY_DATE}))")
def _disciplinary_placement_change(consultation: Consultation, date: str | None,
                                   when: str | None) -> None:
    discipline = consultation.part("discipline")
    discipline["change_of_placement_proposed"] = True
    if date or when:
        discipline["decision_date"] = date or when


@_step("given", r"the longest removal was (?P<days>\d+) school days? in a row")
def _consecutive(consultation: Consultation, days: str) -> None:
    consultation.part("discipline")["consecutive_days"] = int(days)


@_step("given", rf"the removal was for (?P<why>{choice(SPECIAL_CIRCUMSTANCES)})")
def _special_circumstances(consultation: Consultation, why: str) -> None:
    consultation.part("discipline")["special_circumstances"] = SPECIAL_CIRCUMSTANCES[why]


@_step("given", r"the manifestation determination found the behaviou?r "
                rf"(?P<result>{choice(MANIFESTATION_RESULTS)})")
def _manifestation(consultation: Consultation, result: str) -> None:
    consultation.part("discipline")["manifestation_result"] = MANIFESTATION_RESULTS[result]


@_step("given", r"the parent disagrees with the "
                r"(?:manifestation determination|disciplinary placement)")
def _disagrees_with_result(consultation: Consultation) -> None:
    consultation.part("discipline")["parent_disagrees_with_result"] = True


@_step("given", r"staff reported a pattern of behaviou?r to a supervisor")
def _staff_reported(consultation: Consultation) -> None:
    consultation.part("discipline")["staff_reported_behavior"] = True


@_step("given", rf"the behaviou?r happened on {DATE}")
def _behavior_date(consultation: Consultation, date: str) -> None:
    consultation.part("discipline")["behavior_date"] = date


@_step("given", rf"(?:an expulsion|a long-term suspension) hearing is set for {DATE}")
def _hearing_date(consultation: Consultation, date: str) -> None:
    consultation.part("discipline")["hearing_date"] = date


@_step("given", rf"the placement change is to take effect on {DATE}")
def _placement_change_date(consultation: Consultation, date: str) -> None:
    concern = consultation.concern()
    concern["placement_change_proposed"] = True
    concern["placement_change_date"] = date


@_step("given", r"the (?:child|student)'s behaviou?r gets in the way of (?:learning|(?:their|"
                r"his|her) learning|other children's learning)")
def _behavior_impedes(consultation: Consultation) -> None:
    consultation.part("student")["behavior_impedes_learning"] = True


@_step("given", r"the parent reports that the school (?:restrained|secluded|restrained and "
                r"secluded) the (?:child|student)")
def _restraint(consultation: Consultation) -> None:
    consultation.part("student")["restraint_or_seclusion"] = True


@_step("given", r"the parent refused consent to an evaluation")
def _consent_refused(consultation: Consultation) -> None:
    consultation.part("evaluation")["consent_refused"] = True


@_step("given", r"the parent refused special education services")
def _services_refused(consultation: Consultation) -> None:
    consultation.part("student")["services_refused"] = True


@_step("given", rf"the (?:child|student) was born on {DATE}")
def _born(consultation: Consultation, date: str) -> None:
    consultation.part("student")["date_of_birth"] = date


@_step("given", r"the (?:child|student) is moving from early intervention(?: \(Part C\))?")
def _early_intervention(consultation: Consultation) -> None:
    consultation.part("student")["from_early_intervention"] = True


@_step("given", rf"the resolution meeting was held on {DATE}"
                r"(?: and ended (?P<outcome>in a signed agreement|without agreement))?")
def _resolution_meeting(consultation: Consultation, date: str, outcome: str | None) -> None:
    meeting = consultation.part("resolution_meeting")
    meeting.update({"held": True, "date": date})
    if outcome:
        meeting["outcome"] = "agreement" if "signed" in outcome else "no_agreement"


@_step("given", rf"the school is closed on (?P<dates>{ANY_DATE}(?:(?:, | and ){ANY_DATE})*)")
def _closures(consultation: Consultation, dates: str) -> None:
    consultation.case.setdefault("school_closures", []).extend(re.findall(ANY_DATE, dates))


# ---------------------------------------------------------------- Given: language


@_step("given", r"the parent needs an? (?:(?P<language>[\w' -]+?) )?interpreter")
def _interpreter(consultation: Consultation, language: str | None) -> None:
    student = consultation.part("student")
    student["needs_interpreter"] = True
    if language:
        student["home_language"] = language


@_step("given", r"the family speaks (?P<language>[\w' -]+?) at home")
def _home_language(consultation: Consultation, language: str) -> None:
    consultation.part("student")["home_language"] = language


# ---------------------------------------------------------------- Given: raw requests


@_step("given", r'the intake form sends "(?P<path>[\w.]+)" as (?P<value>.+)')
def _raw_field(consultation: Consultation, path: str, value: str) -> None:
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        fail(f'The value for "{path}" must be written as JSON: a number (12), text in '
             f'double quotes ("12"), true, false, null, or a list or object.')
    consultation.edits.append((path, parsed))
    for piece in re.findall(r'"([^"]{3,})"', value) or [value]:
        consultation.sent.append(piece)


@_step("given", r'the intake form leaves out "(?P<path>[\w.]+)"')
def _raw_remove(consultation: Consultation, path: str) -> None:
    consultation.edits.append((path, _REMOVE))


@_step("given", r"the intake form sends this instead of a case:")
def _raw_body(consultation: Consultation, docstring: str) -> None:
    consultation.body = docstring.encode()


@_step("given", r"the intake form pads the case with (?P<kb>\d+) kilobytes of blank space")
def _padded(consultation: Consultation, kb: str) -> None:
    consultation.body = consultation.payload() + b" " * (int(kb) * 1024)


# ---------------------------------------------------------------- When


@_step("when", r"the (?:advocate|parent) asks for advice")
def _ask(consultation: Consultation, client: Any) -> None:
    consultation.response = client.post(
        "/v1/advice", content=consultation.payload(),
        headers={"Content-Type": "application/json"},
    )


@_step("when", r'the (?:advocate|parent) asks for the letter to (?P<move>.+)')
def _ask_letter(consultation: Consultation, client: Any, move: str) -> None:
    consultation.letter = client.post(
        f"/v1/letters/{move_id(move)}", content=consultation.payload(),
        headers={"Content-Type": "application/json", "Accept": "text/markdown"},
    )


def _letter_text(consultation: Consultation) -> str:
    response = consultation.letter
    if response is None:
        fail("No letter yet: put 'When the parent asks for the letter to ...' before the "
             "Then steps about the letter.")
    if response.status_code != 200:
        fail("Expected a letter, but " + describe_errors(response.status_code,
                                                          response.json())[4:])
    return response.text


# ---------------------------------------------------------------- Then: the moves


def _recommended(advice: dict[str, Any]) -> list[str]:
    return [rec["move"] for rec in advice["recommendations"]]


def _recommendation(advice: dict[str, Any], move: str) -> dict[str, Any]:
    for rec in advice["recommendations"]:
        if rec["move"] == move:
            return dict(rec)
    fail(f'Expected "{move_name(move)}" to be recommended, but it is not.', advice)


@_step("then", r"the next step is (?P<move>.+)")
def _next(consultation: Consultation, move: str) -> None:
    advice = consultation.advice()
    wanted = move_id(move)
    first = advice.get("next_move")
    if not first or first["move"] != wanted:
        got = f'"{move_name(first["move"])}"' if first else "nothing"
        fail(f'Expected the next step to be "{move_name(wanted)}", but it is {got}.', advice)


@_step("then", r'"(?P<move>[^"]+)" is recommended')
def _is_recommended(consultation: Consultation, move: str) -> None:
    advice = consultation.advice()
    _recommendation(advice, move_id(move))


@_step("then", r'"(?P<move>[^"]+)" is not recommended')
def _not_recommended(consultation: Consultation, move: str) -> None:
    advice = consultation.advice()
    wanted = move_id(move)
    if wanted in _recommended(advice):
        fail(f'Expected "{move_name(wanted)}" not to be recommended, but it is.', advice)


@_step("then", r"these moves are recommended:")
def _all_recommended(consultation: Consultation, datatable: list[list[str]]) -> None:
    advice = consultation.advice()
    missing = [move_name(m) for m in _table_moves(datatable) if m not in _recommended(advice)]
    if missing:
        fail("Expected these moves to be recommended, but they are not: "
             + ", ".join(f'"{m}"' for m in missing) + ".", advice)


@_step("then", r"these moves are not recommended:")
def _none_recommended(consultation: Consultation, datatable: list[list[str]]) -> None:
    advice = consultation.advice()
    present = [move_name(m) for m in _table_moves(datatable) if m in _recommended(advice)]
    if present:
        fail("Expected these moves not to be recommended, but they are: "
             + ", ".join(f'"{m}"' for m in present) + ".", advice)


def _table_moves(datatable: list[list[str]]) -> list[str]:
    rows = [row[0].strip() for row in datatable if row and row[0].strip()]
    if rows and rows[0].lower() == "move":
        rows = rows[1:]
    return [move_id(name) for name in rows]


@_step("then", r'"(?P<first>[^"]+)" is recommended before "(?P<second>[^"]+)"')
def _before(consultation: Consultation, first: str, second: str) -> None:
    advice = consultation.advice()
    a, b = move_id(first), move_id(second)
    order = _recommended(advice)
    for move in (a, b):
        if move not in order:
            fail(f'Expected "{move_name(a)}" before "{move_name(b)}", but '
                 f'"{move_name(move)}" is not recommended at all.', advice)
    if order.index(a) > order.index(b):
        fail(f'Expected "{move_name(a)}" before "{move_name(b)}", but it comes after.', advice)


@_step("then", r'"(?P<move>[^"]+)" is moved up ahead of the usual order')
def _raised(consultation: Consultation, move: str) -> None:
    advice = consultation.advice()
    rec = _recommendation(advice, move_id(move))
    if not rec.get("raised"):
        fail(f'Expected "{move_name(rec["move"])}" to be moved up ahead of the usual order, '
             "but it is not.", advice)


@_step("then", r"nothing is recommended")
def _nothing(consultation: Consultation) -> None:
    advice = consultation.advice()
    if advice["recommendations"]:
        fail("Expected no recommendation at all.", advice)


# ---------------------------------------------------------------- Then: reasons


@_step("then", r'the reason for "(?P<move>[^"]+)" cites "(?P<source>[^"]+)"'
               r'(?: under "(?P<section>[^"]+)")?')
def _reason_cites(consultation: Consultation, move: str, source: str,
                  section: str | None) -> None:
    advice = consultation.advice()
    rec = _recommendation(advice, move_id(move))
    document = seed_file(source)
    for reason in rec["reasons"]:
        src = reason.get("source") or {}
        if document is not None:
            if src.get("document") != document:
                continue
            if section and (src.get("section") or "").strip().lower() != section.strip().lower():
                continue
            return
        if cites(src.get("citation"), source):
            return
    wanted = (f'the article "{seed_title(document)}"' if document else f'"{source}"')
    if section:
        wanted += f', section "{section}"'
    fail(f'Expected a reason for "{move_name(rec["move"])}" citing {wanted}, '
         "but none does.", advice)


@_step("then", r'the reason for "(?P<move>[^"]+)" does not cite "(?P<source>[^"]+)"')
def _reason_does_not_cite(consultation: Consultation, move: str, source: str) -> None:
    advice = consultation.advice()
    rec = _recommendation(advice, move_id(move))
    if any(cites((r.get("source") or {}).get("citation"), source) for r in rec["reasons"]):
        fail(f'Expected no reason for "{move_name(rec["move"])}" to cite "{source}", but '
             "one does.", advice)


def _wording(rec: dict[str, Any]) -> str:
    return " ".join([rec["title"], *rec.get("how", [])])


@_step("then", r'the how-to for "(?P<move>[^"]+)" (?P<neg>does not mention|mentions) '
               r'"(?P<text>[^"]+)"')
def _how_to(consultation: Consultation, move: str, neg: str, text: str) -> None:
    advice = consultation.advice()
    rec = _recommendation(advice, move_id(move))
    found = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", _wording(rec)) is not None
    if found != (neg == "mentions"):
        fail(f'Expected the how-to for "{move_name(rec["move"])}" {"not " if found else ""}'
             f'to mention "{text}":\n  ' + "\n  ".join([rec["title"], *rec.get("how", [])]),
             advice)


@_step("then", r'no recommendation mentions "(?P<text>[^"]+)"')
def _none_mention(consultation: Consultation, text: str) -> None:
    advice = consultation.advice()
    pattern = rf"(?<!\w){re.escape(text)}(?!\w)"
    saying = [move_name(r["move"]) for r in advice["recommendations"]
              if re.search(pattern, _wording(r))]
    if saying:
        fail(f'Expected no title or how-to to mention "{text}", but these do: '
             + ", ".join(f'"{m}"' for m in saying) + ".", advice)


@_step("then", r'the reason for "(?P<move>[^"]+)" says "(?P<text>[^"]+)"')
def _reason_says(consultation: Consultation, move: str, text: str) -> None:
    advice = consultation.advice()
    rec = _recommendation(advice, move_id(move))
    if not any(text in reason["text"] for reason in rec["reasons"]):
        fail(f'Expected a reason for "{move_name(rec["move"])}" saying "{text}", but none '
             "does.", advice)


@_step("then", r'the summary says "(?P<text>[^"]+)"')
def _summary_says(consultation: Consultation, text: str) -> None:
    advice = consultation.advice()
    if text not in (advice.get("summary") or ""):
        fail(f'Expected the summary to say "{text}"; it says: {advice.get("summary")!r}',
             advice)


@_step("then", r'the letter says "(?P<text>[^"]+)"')
def _letter_says(consultation: Consultation, text: str) -> None:
    letter = _letter_text(consultation)
    if text not in letter:
        fail(f'Expected the letter to say "{text}". The letter:\n{letter}')


@_step("then", r'the letter does not say "(?P<text>[^"]+)"')
def _letter_does_not_say(consultation: Consultation, text: str) -> None:
    letter = _letter_text(consultation)
    if text in letter:
        fail(f'Expected the letter not to say "{text}". The letter:\n{letter}')


@_step("then", r"the letter says the step was not recommended for these facts")
def _letter_not_recommended(consultation: Consultation) -> None:
    letter = _letter_text(consultation)
    assert consultation.letter is not None
    if consultation.letter.headers.get("x-escalate-recommended") != "false" \
            or "not recommended for these facts" not in letter:
        fail(f"Expected the letter to say the step was not recommended. The letter:\n{letter}")


@_step("then", r"the letter offers three dates to meet")
def _letter_three_dates(consultation: Consultation) -> None:
    letter = _letter_text(consultation)
    dates = re.findall(r"^\d\. \[[a-z]+ date and time\]$", letter, flags=re.MULTILINE)
    if len(dates) != 3:
        fail(f"Expected three dates to meet, found {len(dates)}. The letter:\n{letter}")


@_step("then", r"every recommendation gives a reason with a source")
def _all_sourced(consultation: Consultation) -> None:
    advice = consultation.advice()
    for rec in advice["recommendations"]:
        reasons = rec.get("reasons") or []
        if not reasons or not all((r.get("source") or {}).get("document")
                                  or (r.get("source") or {}).get("citation") for r in reasons):
            fail(f'"{move_name(rec["move"])}" has a reason without a source.', advice)


@_step("then", r"the advice says it is information, not legal advice")
def _disclaimer(consultation: Consultation) -> None:
    advice = consultation.advice()
    if "not legal advice" not in (advice.get("disclaimer") or "").lower():
        fail("Expected the advice to say it is information, not legal advice.", advice)


@_step("then", r'the advice carries the reference "(?P<ref>[^"]+)"')
def _carries_reference(consultation: Consultation, ref: str) -> None:
    advice = consultation.advice()
    if advice.get("case_id") != ref:
        fail(f'Expected the advice to carry the reference "{ref}", but it carries '
             f'"{advice.get("case_id")}".')


# ---------------------------------------------------------------- Then: deadlines, warnings


@_step("then", rf'the deadline for "(?P<duty>[^"]+)" is {DATE}'
               r"(?:, (?P<days>\d+) days? from today)?")
def _deadline(consultation: Consultation, duty: str, date: str, days: str | None) -> None:
    advice = consultation.advice()
    wanted = duty_move(duty)
    found = [d for d in advice["deadlines"] if d["move"] == wanted]
    for rec in advice["recommendations"]:
        found += [d for d in rec.get("deadlines") or [] if d["move"] == wanted]
    if not found:
        fail(f'Expected a deadline for "{move_name(wanted)}" on {date}, but there is none.',
             advice)
    dated = [d for d in found if d["due"] == date]
    if not dated:
        fail(f'Expected a deadline for "{move_name(wanted)}" on {date}, but its deadlines '
             "fall on " + ", ".join(sorted({d["due"] for d in found})) + ".", advice)
    if days is not None and all(d["days_left"] != int(days) for d in dated):
        fail(f'Expected {days} days left before {date}, but the advice counts '
             f'{dated[0]["days_left"]}.', advice)


@_step("then", r'there is no deadline for "(?P<duty>[^"]+)"')
def _no_deadline(consultation: Consultation, duty: str) -> None:
    advice = consultation.advice()
    wanted = duty_move(duty)
    found = sorted({d["due"] for d in advice["deadlines"] if d["move"] == wanted})
    if found:
        fail(f'Expected no deadline for "{move_name(wanted)}", but there is one on '
             + ", ".join(found) + ".", advice)


def _dated(consultation: Consultation, move: str, date: str) -> dict[str, Any]:
    advice = consultation.advice()
    wanted = move_id(move)
    found = [d for d in advice["deadlines"] if d["move"] == wanted and d["due"] == date]
    if not found:
        fail(f'Expected a deadline for "{move_name(wanted)}" on {date}, but there is none.',
             advice)
    deadline: dict[str, Any] = found[0]
    return deadline


@_step("then", rf'the deadline for "(?P<move>[^"]+)" on {DATE} says "(?P<text>[^"]+)"')
def _deadline_note(consultation: Consultation, move: str, date: str, text: str) -> None:
    deadline = _dated(consultation, move, date)
    if text not in (deadline.get("note") or ""):
        fail(f'Expected the deadline on {date} to say "{text}", but its note reads: '
             f'{deadline.get("note")!r}.', consultation.advice())


@_step("then", rf'the deadline for "(?P<move>[^"]+)" on {DATE} has '
               r"(?P<level>high|medium|low) confidence")
def _deadline_confidence(consultation: Consultation, move: str, date: str,
                         level: str) -> None:
    deadline = _dated(consultation, move, date)
    if deadline.get("confidence") != level:
        fail(f"Expected {level} confidence for the deadline on {date}, but it is "
             f"{deadline.get('confidence')}.", consultation.advice())


@_step("then", r"there is a warning that the limit for reimbursement "
               r"(?P<kind>has closed|is closing)")
def _reimbursement_warning(consultation: Consultation, kind: str) -> None:
    advice = consultation.advice()
    wanted = {"has closed": "reimbursement_limit_closed",
              "is closing": "reimbursement_limit_closing"}[kind]
    if not any(w["kind"] == wanted for w in advice["warnings"]):
        fail(f"Expected a warning that the limit for reimbursement {kind}, but there is "
             "none.", advice)


_KINDS = {"has closed": "window_closed", "is closing": "window_closing",
          "may have closed": "window_may_be_closed"}


@_step("then", r'there is a warning that the window for "(?P<move>[^"]+)" '
               r"(?P<kind>has closed|is closing|may have closed)")
def _warning(consultation: Consultation, move: str, kind: str) -> None:
    advice = consultation.advice()
    wanted = move_id(move)
    if not any(w["move"] == wanted and w["kind"] == _KINDS[kind] for w in advice["warnings"]):
        fail(f'Expected a warning that the window for "{move_name(wanted)}" {kind}, '
             "but there is none.", advice)


@_step("then", r'there is no warning that the window for "(?P<move>[^"]+)" has closed')
def _no_closed_warning(consultation: Consultation, move: str) -> None:
    advice = consultation.advice()
    wanted = move_id(move)
    if any(w["move"] == wanted and w["kind"] == "window_closed" for w in advice["warnings"]):
        fail(f'Expected no warning that the window for "{move_name(wanted)}" has closed, '
             "but there is one.", advice)


def _deadlines_of(advice: dict[str, Any], move: str) -> list[dict[str, Any]]:
    found = [d for d in advice["deadlines"] if d["move"] == move]
    for rec in advice["recommendations"]:
        found += [d for d in rec.get("deadlines") or [] if d["move"] == move]
    return found


@_step("then", rf'the deadline for "(?P<duty>[^"]+)" is {DATE} and is the '
               r"(?P<owner>family|district|state)'s (?:duty|window)")
def _owned_deadline(consultation: Consultation, duty: str, date: str, owner: str) -> None:
    advice = consultation.advice()
    wanted = duty_move(duty)
    dated = [d for d in _deadlines_of(advice, wanted) if d["due"] == date]
    if not dated:
        fail(f'Expected a deadline for "{move_name(wanted)}" on {date}, but there is none.',
             advice)
    if all(d.get("owner", "family") != owner for d in dated):
        fail(f'Expected the deadline for "{move_name(wanted)}" on {date} to be the {owner}\'s, '
             f'but it is the {dated[0].get("owner", "family")}\'s.', advice)


@_step("then", r'the advice says the (?P<owner>district|state) is late with "(?P<duty>[^"]+)"')
def _late(consultation: Consultation, owner: str, duty: str) -> None:
    advice = consultation.advice()
    wanted = duty_move(duty)
    overdue = [d for d in _deadlines_of(advice, wanted)
               if d.get("status") == "overdue" and d.get("owner") == owner]
    warned = [w for w in advice["warnings"]
              if w["move"] == wanted and w["kind"] == "duty_overdue"]
    if not overdue or not warned:
        missing = "overdue deadline" if not overdue else "warning"
        fail(f'Expected the advice to say the {owner} is late with "{duty}", but it has no '
             f"{missing} saying so.", advice)


@_step("then", r'the (?P<owner>district|state) is not yet late with "(?P<duty>[^"]+)"')
def _not_late(consultation: Consultation, owner: str, duty: str) -> None:
    advice = consultation.advice()
    wanted = duty_move(duty)
    running = [d for d in _deadlines_of(advice, wanted)
               if d.get("owner") == owner and d.get("status") != "overdue"]
    late = [w for w in advice["warnings"] if w["move"] == wanted and w["kind"] == "duty_overdue"]
    if not running or late:
        fail(f'Expected "{duty}" to be a duty of the {owner} still running, with its date, '
             "and not overdue.", advice)


@_step("then", r'the warning about "(?P<duty>[^"]+)" says "(?P<text>[^"]+)"')
def _warning_text(consultation: Consultation, duty: str, text: str) -> None:
    advice = consultation.advice()
    wanted = duty_move(duty)
    texts = [w["text"] for w in advice["warnings"] if w["move"] == wanted]
    if not any(text.lower() in t.lower() for t in texts):
        fail(f'Expected a warning about "{move_name(wanted)}" saying "{text}".', advice)


@_step("then", r'there is a warning that names the field "(?P<field>[\w.]+)"')
def _warning_names_field(consultation: Consultation, field: str) -> None:
    advice = consultation.advice()
    if not any(field in w["text"] for w in advice["warnings"]):
        fail(f'Expected a warning that names the field "{field}", but none does.', advice)


@_step("then", r"the advice says it assumed an unspecified violation")
def _assumed(consultation: Consultation) -> None:
    advice = consultation.advice()
    if not any(w["kind"] == "assumption" for w in advice["warnings"]):
        fail("Expected a warning saying the advice assumed an unspecified violation, but "
             "there is none.", advice)


@_step("then", r"there are no warnings")
def _no_warnings(consultation: Consultation) -> None:
    advice = consultation.advice()
    if advice["warnings"]:
        fail("Expected no warnings.", advice)


# ---------------------------------------------------------------- Then: the ladder


def _check_rung(advice: dict[str, Any], move: str, status: str) -> str | None:
    wanted = move_id(move)
    if status not in STATUSES:
        fail(f'"{status}" is not a ladder status; the statuses are '
             + ", ".join(STATUSES) + ".")
    for rung in advice["ladder"]:
        if rung["move"] == wanted:
            if rung["status"] == status:
                return None
            return f'"{move_name(wanted)}" is {rung["status"]}, not {status}'
    return f'"{move_name(wanted)}" is not a rung of the ladder'


@_step("then", rf'the ladder shows "(?P<move>[^"]+)" as (?P<status>{choice(STATUSES)})')
def _rung(consultation: Consultation, move: str, status: str) -> None:
    advice = consultation.advice()
    problem = _check_rung(advice, move, status)
    if problem:
        fail(f"Expected a different ladder: {problem}.", advice)


@_step("then", r"the ladder reads:")
def _ladder(consultation: Consultation, datatable: list[list[str]]) -> None:
    advice = consultation.advice()
    rows = [[c.strip() for c in row] for row in datatable]
    if rows and [c.lower() for c in rows[0]] == ["rung", "status"]:
        rows = rows[1:]
    problems = [p for rung, status in rows if (p := _check_rung(advice, rung, status.lower()))]
    if problems:
        fail("Expected a different ladder: " + "; ".join(problems) + ".", advice)


# ---------------------------------------------------------------- Then: refused requests


def _refusal(consultation: Consultation) -> tuple[int, Any]:
    response = consultation.response
    if response is None:
        fail("No answer yet: put 'When the advocate asks for advice' before the Then steps.")
    if response.status_code == 200:
        fail("Expected the service to refuse the request, but it gave advice.",
             response.json())
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {"detail": response.text}


@_step("then", r'the request is refused because "(?P<path>[\w.]+)" '
               rf"(?P<problem>{choice(PROBLEMS)})")
def _refused_field(consultation: Consultation, path: str, problem: str) -> None:
    status, body = _refusal(consultation)
    errors = body.get("detail") if isinstance(body, dict) else None
    if status == 422 and isinstance(errors, list):
        for err in errors:
            loc = ".".join(str(p) for p in err.get("loc", []) if p != "body")
            if loc == path and err.get("type") in PROBLEMS[problem]:
                return
    fail(f'Expected the request to be refused because "{path}" {problem}.\n\n'
         + describe_errors(status, body))


@_step("then", r"the request is refused because the body is not valid JSON")
def _refused_json(consultation: Consultation) -> None:
    status, body = _refusal(consultation)
    errors = body.get("detail") if isinstance(body, dict) else None
    if status == 422 and isinstance(errors, list) and any(
            e.get("type") == "json_invalid" for e in errors):
        return
    fail("Expected the request to be refused as invalid JSON.\n\n"
         + describe_errors(status, body))


@_step("then", r"the request is refused because it is too large")
def _refused_size(consultation: Consultation) -> None:
    status, body = _refusal(consultation)
    if status != 413:
        fail("Expected the request to be refused as too large (HTTP 413).\n\n"
             + describe_errors(status, body))


@_step("then", r"the error does not repeat what was sent")
def _no_echo(consultation: Consultation) -> None:
    status, body = _refusal(consultation)
    text = json.dumps(body)
    errors = body.get("detail") if isinstance(body, dict) else None
    if isinstance(errors, list) and any("input" in e for e in errors if isinstance(e, dict)):
        fail("The error repeats the value sent (it has an 'input' field).\n\n"
             + describe_errors(status, body))
    for value in consultation.sent:
        if value in text:
            fail(f'The error repeats a value that was sent ("{value}").\n\n'
                 + describe_errors(status, body))


__all__ = ["VOCABULARY", "Consultation", "Phrase", "describe_advice"]


# ---------------------------------------------------------------- Then: explanations (issue 13)
# The questions that would change the advice (POST /v1/advice?explain=true) and why a move
# is not recommended (POST /v1/advice/why-not/{move}). The question phrases ("whether the
# school evaluated the child") are the `whether` phrases of rules/questions.yaml.

_QUESTION = r"(?P<question>(?:whether|what|how|when|who) .+?)"


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _explanation(consultation: Consultation, client: Any) -> dict[str, Any]:
    consultation.advice()  # fails clearly when there is no advice yet
    response = client.post("/v1/advice?explain=true", content=consultation.payload(),
                           headers={"Content-Type": "application/json"})
    explanation = response.json().get("explanation")
    if response.status_code != 200 or not isinstance(explanation, dict):
        fail("Expected the advice with its explanation, but "
             + describe_errors(response.status_code, response.json())[4:])
    return explanation


def _describe_questions(explanation: dict[str, Any]) -> str:
    lines = ["The questions that would change the advice, in order:"]
    for i, question in enumerate(explanation["questions"], 1):
        lines.append(f"  {i}. {question['whether']}")
        lines += [f"       {answer['effect']}" for answer in question["answers"]]
    if not explanation["questions"]:
        lines.append("  (none)")
    return "\n".join(lines)


def _known_question(question: str) -> None:
    from escalate.explain.questions import load_questions
    from escalate.resources import rules_folder  # the built-in rules (not the package: a circle)

    phrases = [q.whether for q in load_questions(rules_folder()).questions.values()]
    if _words(question) not in {_words(p) for p in phrases}:
        near = suggest(question, phrases)
        fail(f'"{question}" is not a question the service asks.'
             + (" Did you mean: " + "; ".join(near) + "?" if near else "")
             + " The questions are listed in rules/questions.yaml ('whether').")


@_step("then", rf"asking {_QUESTION} could change (?P<what>the next step|the advice)")
def _could_change(consultation: Consultation, client: Any, question: str, what: str) -> None:
    _known_question(question)
    explanation = _explanation(consultation, client)
    for found in explanation["questions"]:
        if _words(found["whether"]) == _words(question) and (
                what == "the advice" or any(a["next_move_changes"] for a in found["answers"])):
            return
    fail(f"Expected that asking {question} could change {what}, but it would not.\n\n"
         + _describe_questions(explanation), consultation.advice())


@_step("then", rf"the first question to ask is {_QUESTION}")
def _first_question(consultation: Consultation, client: Any, question: str) -> None:
    _known_question(question)
    explanation = _explanation(consultation, client)
    questions = explanation["questions"]
    if not questions or _words(questions[0]["whether"]) != _words(question):
        fail(f"Expected the first question to be {question}.\n\n"
             + _describe_questions(explanation), consultation.advice())


@_step("then", r'"(?P<move>[^"]+)" is not recommended because "(?P<condition>[^"]+)" '
               r"does not hold")
def _why_not(consultation: Consultation, client: Any, move: str, condition: str) -> None:
    consultation.advice()
    wanted = move_id(move)
    response = client.post(f"/v1/advice/why-not/{wanted}", content=consultation.payload(),
                           headers={"Content-Type": "application/json"})
    report = response.json()
    if response.status_code != 200:
        fail("Expected a why-not report, but "
             + describe_errors(response.status_code, report)[4:])
    if report["recommended"]:
        fail(f'Expected "{move_name(wanted)}" not to be recommended, but it is.',
             consultation.advice())

    def failed(rules: list[dict[str, Any]]) -> list[str]:
        found = []
        for rule in rules:
            for alternative in rule["alternatives"]:
                for check in alternative["failed"]:
                    found.append(check["condition"])
                    found += failed(check["missing_because"])
        return found

    conditions = failed(report["rules"])
    if _words(condition) not in {_words(c) for c in conditions}:
        fail(f'Expected "{condition}" among the conditions that stop '
             f'"{move_name(wanted)}"; they are:\n  ' + "\n  ".join(dict.fromkeys(conditions)))


# ---------------------------------------------------------------- Spanish (issue 14)
# The advice in Spanish (POST /v1/advice?lang=es); Then steps that read text (the summary,
# a reason, a warning) work unchanged on it, with the expected words in Spanish.


@_step("when", r"the (?:advocate|parent) asks for advice in Spanish")
def _ask_spanish(consultation: Consultation, client: Any) -> None:
    consultation.response = client.post(
        "/v1/advice?lang=es", content=consultation.payload(),
        headers={"Content-Type": "application/json"},
    )


@_step("then", r"the advice is in Spanish")
def _in_spanish(consultation: Consultation) -> None:
    advice = consultation.advice()
    assert consultation.response is not None
    if advice.get("language") != "es" \
            or consultation.response.headers.get("content-language") != "es":
        fail("Expected the advice in Spanish (language 'es').", advice)
    if advice.get("fallbacks"):
        fail("Expected every text in Spanish, but these are in English: "
             + ", ".join(advice["fallbacks"]), advice)


@_step("then", r'the next step reads "(?P<title>[^"]+)"')
def _next_reads(consultation: Consultation, title: str) -> None:
    advice = consultation.advice()
    first = (advice.get("next_move") or {}).get("title")
    if first != title:
        fail(f'Expected the next step to read "{title}"; it reads {first!r}.', advice)


@_step("then", r'the advice says "(?P<text>[^"]+)" in its disclaimer')
def _disclaimer_says(consultation: Consultation, text: str) -> None:
    advice = consultation.advice()
    if text not in (advice.get("disclaimer") or ""):
        fail(f'Expected the disclaimer to say "{text}".', advice)


# ---------------------------------------------------------------- explanations in Spanish
# The explanation (POST /v1/advice?explain=true) and the why-not report in the language the
# advice was asked in (issue 14 on issue 13's feature); the expected words are that
# language's. Nothing in either may fall back to English.


def _asked_in(consultation: Consultation) -> str:
    return str(consultation.advice().get("language") or "en")


def _in_language(response: Any, lang: str, what: str) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    if response.status_code != 200:
        fail(f"Expected {what}, but " + describe_errors(response.status_code, body)[4:])
    if response.headers.get("content-language") != lang:
        fail(f"Expected {what} in the language asked for ({lang}).", body)
    if body.get("fallbacks"):
        fail(f"Expected {what} all in {lang}, but these are in English: "
             + ", ".join(body["fallbacks"]), body)
    return body


@_step("then", r'the first question to ask reads "(?P<text>[^"]+)"')
def _first_question_reads(consultation: Consultation, client: Any, text: str) -> None:
    lang = _asked_in(consultation)
    response = client.post(f"/v1/advice?explain=true&lang={lang}",
                           content=consultation.payload(),
                           headers={"Content-Type": "application/json"})
    explanation = _in_language(response, lang, "the advice with its explanation")[
        "explanation"]
    questions = explanation["questions"]
    if not questions or questions[0]["question"] != text:
        fail(f'Expected the first question to read "{text}".\n\n'
             + _describe_questions(explanation), consultation.advice())


@_step("then", r'asked why not "(?P<move>[^"]+)", the service says "(?P<text>[^"]+)"')
def _why_not_says(consultation: Consultation, client: Any, move: str, text: str) -> None:
    lang = _asked_in(consultation)
    wanted = move_id(move)
    response = client.post(f"/v1/advice/why-not/{wanted}?lang={lang}",
                           content=consultation.payload(),
                           headers={"Content-Type": "application/json"})
    report = _in_language(response, lang, "a why-not report")
    said = [report["title"], report["summary"], *(r["because"] for r in report["rules"])]
    if not any(text in s for s in said):
        fail(f'Expected the why-not report for "{move_name(wanted)}" to say "{text}"; it '
             "says:\n  " + "\n  ".join(said))
