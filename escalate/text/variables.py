"""The template variables: the one list of the case facts a reason, summary or letter
template may use, and the projection of a case onto them.

A template writes ``{{ child }}`` or ``{{ history.request_iep_meeting.on_date }}``; the
names and fields below are all there is, and :mod:`escalate.text.templates` refuses at
start-up any template that uses another. Every variable is always present and never
``None``: a fact the case does not give reads naturally ("your child", an empty date
phrase, ``0``), so no sentence can say "None" or hold empty parentheses.

The context is built only when a template is rendered, and the parts that do not depend
on the case (every move "not tried", every deadline unknown) are built once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from escalate.facts import NO_CONCERN, NO_VIOLATION, NOT_TRIED
from escalate.i18n.formats import ENGLISH, date_text, number_text
from escalate.i18n.languages import PHRASES_FILE as LANGUAGE_PHRASES
from escalate.i18n.languages import file_name, language_folder
from escalate.models import (
    Case,
    Deadline,
    ManifestationResult,
    MoveId,
    Outcome,
    SchoolResponse,
    SpecialCircumstance,
    Topic,
    ViolationKind,
)
from escalate.strict import Problems, load_file
from escalate.text.literal import literal

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")

Voice = Literal["reason", "letter"]


@dataclass(frozen=True)
class Variable:
    """One template variable: what it holds, and its fields (for ``name.field``)."""

    description: str
    fields: Mapping[str, str] | None = None
    by_move: bool = False  # ``name.<move id>.<field>``


_HISTORY_FIELDS = {
    "tried": "true once the move is in the history",
    "date": "the date of its latest entry (YYYY-MM-DD), or empty",
    "on_date": "'on 2026-09-20', or empty when the entry has no date",
    "outcome": "what came of it, e.g. 'ended in refusal', 'went unanswered'",
    "note": "the same, short: 'refused', 'no answer'",
    "status": "the coded outcome: not_tried, pending, resolved, partially_resolved, "
              "refused, no_response",
    "days_ago": "whole days from that date to as_of (0 without a date)",
}
_DEADLINE_FIELDS = {
    "known": "true when the case's dates start this move's clock",
    "due": "the date (YYYY-MM-DD), or empty",
    "on_date": "'on 2027-03-01', or empty",
    "days_left": "days from as_of to the date (0 when unknown; negative once passed)",
    "days": "the same in words: '98 days', '1 day' (empty when unknown)",
    "label": "what the date is, e.g. 'State complaint window closes'",
    "citation": "the rule that sets it, e.g. '34 CFR 300.153(c)'",
}

VARIABLES: Mapping[str, Variable] = {
    "as_of": Variable("the day the advice is for (YYYY-MM-DD)"),
    "state": Variable("the two-letter state code, or empty"),
    "child": Variable("the child's first name, or 'your child' (letters: \"[child's name]\")"),
    "named": Variable("true when the case gives the child's name"),
    "Child": Variable("the same, to start a sentence: 'Jordan' or 'Your child'"),
    "childs": Variable("the possessive: \"Jordan's\" or \"your child's\""),
    "grade": Variable("the child's grade, or empty (letters: '[grade]')"),
    "language": Variable("the family's language when it is not English (the case's "
                         "student.home_language), or empty"),
    "concern": Variable("the concern", {
        "summary": "the parent's own summary, or 'the concern about <topic>'",
        "topic": "what it is about, in words: 'services', 'the evaluation'",
        "response": "the school's answer, read after 'the school': 'proposed something "
                    "else instead'",
        "given": "true when the case has a concern",
        "own_words": "the parent's own summary as given, or empty",
        "school_response": "the coded answer: none_yet, agreed, refused, no_response, ... "
                           "(none without a concern)",
    }),
    "history": Variable("what came of each move the family made, by move id",
                        _HISTORY_FIELDS, by_move=True),
    "refusals": Variable("how many history entries ended in refusal"),
    "timeline": Variable("the dated history, oldest first: a list of entries with "
                         "date, title and note"),
    "deadline": Variable("the first clock the case starts for each move, by move id",
                         _DEADLINE_FIELDS, by_move=True),
    "evaluation": Variable("the district's evaluation", {
        "completed": "true when the district finished one",
        "date": "when (YYYY-MM-DD), or empty",
        "on_date": "'on 2026-05-01', or empty",
        "consent_date": "when the parent signed consent to the initial evaluation, or empty",
        "referral_date": "when the child was referred (the parent's written request), or "
                         "empty",
        "eligibility_denied": "true when the district found the child not eligible",
        "parent_disagrees": "true when the parent disagrees with it",
    }),
    "plan": Variable("the plan the child has now", {
        "iep": "true when the child has an IEP",
        "section_504": "true when the child has a 504 plan and no IEP",
        "none": "true when the child has neither",
    }),
    "placement": Variable("a private placement the parents chose", {
        "reimbursement": "true when the parents ask to be paid back for it",
        "start_date": "the child's first day there, or empty",
    }),
    "record": Variable("letters: the dated history in the parent's voice, oldest first: a "
                       "list of entries with date, did ('I put my concern in writing') and "
                       "came ('I had no answer')"),
    "overdue": Variable("the first duty the district owes that is overdue", {
        "known": "true when one is overdue",
        "duty": "the move that asks for it (compare only; never print it)",
        "clock": "the deadline's id in rules/deadlines.yaml, e.g. 'iep_by_third_birthday' "
                 "(compare only; never print it)",
        "what": "the duty in words, read after 'the district has not': 'completed the "
                "initial evaluation'",
        "due": "the date it fell due",
        "days": "how late, in words: '12 days'",
        "citation": "the rule that sets it",
    }),
    "reimbursement": Variable("the state's limit on a claim to be reimbursed for a private "
                              "placement (Hawaii, New Hampshire)", {
        "known": "true when the case starts that limit",
        "due": "the date (YYYY-MM-DD), or empty",
        "on_date": "'on 2027-03-01', or empty",
        "days": "the days left, in words: '5 days' (empty when unknown)",
        "citation": "the statute that sets it",
    }),
    "violation": Variable("the legal duty the district is said to have broken", {
        "alleged": "true when one is alleged",
        "date": "when it happened, or empty",
        "on_date": "'on 2026-03-01', or empty",
        "kind": "what it was, read after 'by': 'not carrying out the IEP'",
    }),
    "discipline": Variable("removals from school", {
        "days_removed": "school days removed this year (0 if none)",
        "staff_reported": "true when staff told supervisors of a pattern of behaviour",
        "change_proposed": "true when the district proposes to change the placement",
        "manifestation": "true when the manifestation determination found the behaviour "
                         "was a manifestation of the disability",
        "not_manifestation": "true when the manifestation determination found the "
                             "behaviour was not a manifestation of the disability",
        "special": "true when the removal was for a weapon, drugs or a serious bodily "
                   "injury (34 CFR 300.530(g))",
        "decision_date": "when the district decided the removal, or empty",
        "on_decision_date": "'on 2026-11-10', or empty",
        "hearing_date": "the day of the expulsion or long-term suspension hearing, or empty",
        "on_hearing_date": "'on 2026-12-02', or empty",
    }),
    "placement_change": Variable("a placement change the district proposes outside "
                                 "discipline", {
        "date": "the day it is to take effect, or empty",
        "on_date": "'on 2026-12-07', or empty",
    }),
    "resolution": Variable("the resolution meeting after a due process complaint", {
        "date": "when it was held or the agreement signed, or empty",
        "on_date": "'on 2026-11-18', or empty",
    }),
    "length": Variable("the lengths of the district's clocks in force for the case's state "
                       "on as_of (escalate.states.clocks.lengths_in_force); empty where "
                       "the rulebook is not at hand (letters, calendars)", {
        "records": "the time to give access to the records: '45 days', '5 business days'",
        "evaluation": "the time to finish an initial evaluation: '60 days', '90 days'",
        "evaluation_starts": "what that time counts from: 'from the parent's consent', "
                             "'from the referral'",
    }),
}
LENGTH_FIELDS = ("records", "evaluation", "evaluation_starts")
TIMELINE_FIELDS = ("date", "title", "note", "move")


# ---------------------------------------------------------------- phrases

class GlossEntry(BaseModel):
    """One term a family hears in English: ``phrases.yaml``'s ``glosses`` block."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(min_length=1, description="the term as the language says it")
    forms: tuple[str, ...] = Field((),
                             description="other forms that are the same term (a plural)")
    short: str | None = Field(None, description="the acronym schools use on its own, in "
                              "capitals ('IEP'): said in full the first time")
    english: str = Field(min_length=1, description="the English the family hears, given in "
                         "parentheses after the first use")


class _Phrases(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    outcomes: dict[str, str]
    outcome_notes: dict[str, str]
    school_responses: dict[str, str]
    topics: dict[str, str]
    violation_kinds: dict[str, str]
    missing: dict[str, str]
    letter_moves: dict[str, str]
    letter_outcomes: dict[str, str]
    letter_duties: dict[str, str]
    # the family's language as the case names it (in English, lower case) -> its name in
    # this language ("spanish" -> "español"); a name not listed is kept as written
    language_names: dict[str, str] = {}
    # the terms a family hears in English, given once per document (escalate/text/glosses.py)
    glosses: list[GlossEntry] = []


_REQUIRED: Mapping[str, Iterable[str]] = {
    "outcomes": [*(o.value for o in Outcome), NOT_TRIED],
    "outcome_notes": [*(o.value for o in Outcome), NOT_TRIED],
    "school_responses": [*(r.value for r in SchoolResponse), NO_CONCERN],
    "topics": [*(t.value for t in Topic), NO_CONCERN],
    "violation_kinds": [*(k.value for k in ViolationKind), NO_VIOLATION,
                        "failure_to_implement_504"],
    "letter_moves": [m.value for m in MoveId],
    "letter_outcomes": [o.value for o in Outcome],
    "letter_duties": [m.value for m in MoveId],
    "missing": ["child", "child_capitalised", "child_possessive", "letter_child",
                "letter_child_possessive", "letter_grade", "concern_summary", "one_day",
                "days", "on_date", "letter_school", "letter_parent", "possessive"],
}


def phrases_file(lang: str = ENGLISH) -> Path:
    """``phrases.yaml`` (English, beside this module) or the language's own
    (``rules/locales/<lang>/phrases.yaml``, :mod:`escalate.i18n.languages`)."""
    return PHRASES_FILE if lang == ENGLISH else language_folder(lang) / LANGUAGE_PHRASES


def phrases(lang: str = ENGLISH) -> _Phrases:
    """The phrase table of one language, checked: every coded value has its words."""
    return _phrases_at(phrases_file(lang), lang)


def check_phrases(lang: str, folder: Path) -> None:
    """Load the phrase table of ``lang`` in its language folder ``folder`` now;
    RuleFileError naming file, group and key if it is missing or broken."""
    _phrases_at(folder / LANGUAGE_PHRASES, lang)


@lru_cache(maxsize=8)
def _phrases_at(path: Path, lang: str) -> _Phrases:
    name = path.name if lang == ENGLISH else file_name(lang, LANGUAGE_PHRASES)
    problems = Problems()  # the strict loader (escalate/strict.py)
    table = load_file(path, _Phrases, problems, name)
    problems.raise_if_any()
    assert table is not None
    for group, keys in _REQUIRED.items():
        for key in keys:
            if key not in getattr(table, group):
                problems.add(name, "no phrase for this value", group, key)
    problems.raise_if_any()
    return table


# ---------------------------------------------------------------- the context

def _on(date: dt.date | None, lang: str = "en") -> str:
    return phrases(lang).missing["on_date"].format(date=date_text(date, lang)) if date else ""


def day_count(days: int, lang: str = "en") -> str:
    """'1 day', '98 days' (the count's size: a passed date counts the days since); in
    another language, its words and its digits (Babel)."""
    return phrases(lang).missing["one_day" if abs(days) == 1 else "days"].format(
        n=number_text(abs(days), lang))


def _iso(date: dt.date | None, lang: str = "en") -> str:
    return date_text(date, lang) if date else ""


def latest_entries(case: Case) -> dict[str, tuple[dt.date | None, str]]:
    """The latest entry's (date, outcome) of each move, ordered as
    :func:`escalate.facts.latest_outcomes` orders them."""
    keyed = []
    latest = 0
    for index, entry in enumerate(case.history):
        if entry.date:
            latest = max(latest, entry.date.toordinal())
        keyed.append((entry.date.toordinal() if entry.date else latest, index, entry))
    found: dict[str, tuple[dt.date | None, str]] = {}
    for _, _, entry in sorted(keyed, key=lambda item: (item[0], item[1])):
        found[entry.move.value] = (entry.date, entry.outcome.value)
    return found


class Group(SimpleNamespace):
    """A group of template variables, read as ``group.field``."""


class _ByMove(Group):
    """``history`` / ``deadline``: an entry per move id; a move the case says nothing
    about reads as the shared blank entry (built once)."""

    def __init__(self, blank: Group, known: Mapping[str, Group]) -> None:
        super().__init__(**known)
        object.__setattr__(self, "_blank", blank)

    def __getattr__(self, name: str) -> Group:
        if name in _MOVE_IDS:
            blank: Group = self.__dict__["_blank"]
            return blank
        raise AttributeError(name)


_MOVE_IDS = frozenset(m.value for m in MoveId)


@lru_cache(maxsize=4)
def _blanks(lang: str = "en") -> tuple[Group, Group]:
    """A move not tried, a clock not started: the entries shared by every case."""
    words = phrases(lang)
    untried = Group(tried=False, date="", on_date="", outcome=words.outcomes[NOT_TRIED],
                    note=words.outcome_notes[NOT_TRIED], status=NOT_TRIED, days_ago=0)
    unknown = Group(known=False, due="", on_date="", days_left=0, days="", label="",
                    citation="")
    return untried, unknown


class Values(dict[str, Any]):
    """The template variables of one case, each built the first time a template reads it
    (a reason that names only the child never builds the history)."""

    def __init__(self, case: Case, deadlines: Sequence[Deadline], voice: Voice,
                 titles: Mapping[str, str] | None, lang: str = "en",
                 lengths: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self._case, self._deadlines, self._voice, self._titles = case, deadlines, voice, titles
        self._lang = lang
        self._lengths = lengths

    def __contains__(self, key: object) -> bool:
        return key in VARIABLES

    def __missing__(self, key: str) -> Any:
        if key in _NAME_KEYS:
            self.update(self._names())
            return dict.__getitem__(self, key)
        build = _BUILDERS.get(key)
        if build is None:
            raise KeyError(key)
        value = self[key] = build(self)
        return value

    def full(self) -> dict[str, Any]:
        """Every variable, built (a plain dict)."""
        return {name: self[name] for name in VARIABLES}

    def _names(self) -> dict[str, str]:
        missing = phrases(self._lang).missing
        student = self._case.student
        name = student.name.strip() if student.name else ""
        if self._voice == "letter":  # the family's own text, never markup
            name = literal(name)
            child = name or missing["letter_child"]
            grade = literal(student.grade or "")
            return {"child": child, "Child": child,
                    "childs": missing["possessive"].format(name=name) if name
                    else missing["letter_child_possessive"],
                    "grade": grade or missing["letter_grade"]}
        return {"child": name or missing["child"],
                "Child": name or missing["child_capitalised"],
                "childs": missing["possessive"].format(name=name) if name
                else missing["child_possessive"],
                "grade": student.grade or ""}

    def _language(self) -> str:
        language = (self._case.student.home_language or "").strip()
        language = phrases(self._lang).language_names.get(language.lower(), language)
        return literal(language) if self._voice == "letter" else language

    def _named(self) -> bool:
        return bool(self._case.student.name and self._case.student.name.strip())

    def _as_of(self) -> str:
        return date_text(self._case.as_of, self._lang)

    def _state(self) -> str:
        return self._case.state or ""

    def _concern(self) -> Group:
        words = phrases(self._lang)
        concern = self._case.concern
        topic = words.topics[concern.topic.value if concern else NO_CONCERN]
        summary = (concern.summary or "").strip() if concern else ""
        if self._voice == "letter":
            summary = literal(summary)
        code = concern.school_response.value if concern else NO_CONCERN
        return Group(summary=summary or words.missing["concern_summary"].format(topic=topic),
                     topic=topic, response=words.school_responses[code], own_words=summary,
                     given=concern is not None, school_response=code)

    def _history(self) -> Group:
        words = phrases(self._lang)
        case = self._case
        known = {
            move: Group(tried=True, date=_iso(date, self._lang), on_date=_on(date, self._lang),
                        outcome=words.outcomes[outcome], note=words.outcome_notes[outcome],
                        status=outcome, days_ago=(case.as_of - date).days if date else 0)
            for move, (date, outcome) in latest_entries(case).items()}
        return _ByMove(_blanks(self._lang)[0], known)

    def _refusals(self) -> int:
        return sum(1 for e in self._case.history if e.outcome is Outcome.refused)

    def _timeline(self) -> list[Group]:
        words = phrases(self._lang)
        titles = self._titles or {}
        dated = sorted((e for e in self._case.history if e.date),
                       key=lambda e: e.date or self._case.as_of)
        return [Group(date=_iso(e.date, self._lang), move=e.move.value,
                      title=titles.get(e.move.value, e.move.value.replace("_", " ")),
                      note=words.outcome_notes[e.outcome.value]) for e in dated]

    def _record(self) -> list[Group]:
        words = phrases(self._lang)
        dated = sorted((e for e in self._case.history if e.date),
                       key=lambda e: e.date or self._case.as_of)
        return [Group(date=_iso(e.date, self._lang), did=words.letter_moves[e.move.value],
                      came=words.letter_outcomes[e.outcome.value]) for e in dated]

    def _plan(self) -> Group:
        student = self._case.student
        return Group(iep=student.has_iep, section_504=student.has_504_plan and not
                     student.has_iep, none=not (student.has_iep or student.has_504_plan))

    def _placement(self) -> Group:
        placement = self._case.private_placement
        return Group(reimbursement=bool(placement and placement.reimbursement_sought),
                     start_date=_iso(placement.start_date if placement else None, self._lang))

    def _overdue(self) -> Group:
        for item in self._deadlines:
            if item.status == "overdue" and item.owner == "district":
                return Group(known=True, duty=item.move.value, clock=item.clock or "",
                             what=phrases(self._lang).letter_duties[item.move.value],
                             due=_iso(item.due, self._lang),
                             days=day_count(item.days_left, self._lang),
                             citation=item.citation)
        return Group(known=False, duty="", clock="", what="", due="", days="", citation="")

    def _deadline(self) -> Group:
        known: dict[str, Group] = {}
        for item in self._deadlines:
            known.setdefault(item.move.value, Group(
                known=True, due=_iso(item.due, self._lang), on_date=_on(item.due, self._lang),
                days_left=item.days_left, days=day_count(item.days_left, self._lang),
                label=item.label,
                citation=item.citation))
        return _ByMove(_blanks(self._lang)[1], known)

    def _evaluation(self) -> Group:
        evaluation = self._case.evaluation
        date = evaluation.date if evaluation else None
        return Group(completed=bool(evaluation and evaluation.completed),
                     date=_iso(date, self._lang),
                     on_date=_on(date, self._lang),
                     consent_date=_iso(evaluation.consent_date if evaluation else None,
                                       self._lang),
                     referral_date=_iso(evaluation.referral_date if evaluation else None,
                                        self._lang),
                     eligibility_denied=bool(evaluation and evaluation.eligibility_denied),
                     parent_disagrees=bool(evaluation and evaluation.parent_disagrees))

    def _reimbursement(self) -> Group:
        for item in self._deadlines:
            if item.clock == "reimbursement_limit":
                return Group(known=True, due=_iso(item.due, self._lang),
                             on_date=_on(item.due, self._lang),
                             days=day_count(item.days_left, self._lang),
                             citation=item.citation)
        return Group(known=False, due="", on_date="", days="", citation="")

    def _violation(self) -> Group:
        violation = self._case.violation
        alleged = bool(violation and violation.alleged)
        kind = violation.kind.value if violation and alleged and violation.kind \
            else NO_VIOLATION
        date = violation.date if violation else None
        kinds = phrases(self._lang).violation_kinds
        student = self._case.student
        if (self._voice == "letter" and kind == "failure_to_implement"
                and student.has_504_plan and not student.has_iep):
            kind = "failure_to_implement_504"  # a letter names the plan the child has
        return Group(alleged=alleged, date=_iso(date, self._lang), on_date=_on(date, self._lang),
                     kind=kinds[kind])

    def _discipline(self) -> Group:
        discipline = self._case.discipline
        date = discipline.decision_date if discipline else None
        hearing = discipline.hearing_date if discipline else None
        return Group(days_removed=discipline.days_removed if discipline else 0,
                     staff_reported=bool(discipline and discipline.staff_reported_behavior),
                     change_proposed=bool(discipline and
                                          discipline.change_of_placement_proposed),
                     manifestation=bool(discipline and discipline.manifestation_result
                                        == ManifestationResult.manifestation),
                     not_manifestation=bool(discipline and discipline.manifestation_result
                                            == ManifestationResult.not_manifestation),
                     special=bool(discipline and discipline.special_circumstances
                                  != SpecialCircumstance.none),
                     decision_date=_iso(date, self._lang), on_decision_date=_on(date, self._lang),
                     hearing_date=_iso(hearing, self._lang),
                     on_hearing_date=_on(hearing, self._lang))

    def _placement_change(self) -> Group:
        date = self._case.concern.placement_change_date if self._case.concern else None
        return Group(date=_iso(date, self._lang), on_date=_on(date, self._lang))

    def _resolution(self) -> Group:
        meeting = self._case.resolution_meeting
        date = meeting.date if meeting else None
        return Group(date=_iso(date, self._lang), on_date=_on(date, self._lang))

    def _length(self) -> Group:
        lengths = self._lengths or {}
        return Group(**{name: lengths.get(name, "") for name in LENGTH_FIELDS})


_NAME_KEYS = frozenset({"child", "Child", "childs", "grade"})
_BUILDERS: dict[str, Any] = {
    name: getattr(Values, "_" + name) for name in VARIABLES if name not in _NAME_KEYS}


def context(case: Case, deadlines: Sequence[Deadline], voice: Voice = "reason",
            titles: Mapping[str, str] | None = None, lang: str = "en",
            lengths: Mapping[str, str] | None = None) -> Values:
    """The template variables for ``case`` (see :data:`VARIABLES`), built on first read.

    ``voice`` picks the stand-in for a missing name: "your child" in advice, a marked blank
    in a letter. ``titles`` (move id to title) names the moves in ``timeline``. ``lengths``
    are the clocks' lengths in force for the case (``length``), in the language.
    """
    return Values(case, deadlines, voice, titles, lang, lengths)


# ---------------------------------------------------------------- sample cases

def sample_contexts(voice: Voice = "reason", lang: str = "en") -> list[dict[str, Any]]:
    """Contexts every template is test-rendered against at start-up: a case that gives
    nothing but a concern, a child with only a 504 plan and no history, and one that gives
    every fact (every move tried, every clock started). Built once per voice and
    language; each call gets its own dicts."""
    return [dict(values) for values in _sample_contexts(voice, lang)]


@lru_cache(maxsize=16)
def _sample_contexts(voice: Voice, lang: str) -> tuple[dict[str, Any], ...]:
    as_of = dt.date(2026, 11, 23)
    day = dt.date(2026, 9, 1)
    full = Case.model_validate({
        "as_of": as_of, "state": "NC",
        "student": {"name": "Sam", "grade": "4", "has_iep": True,
                    "disability_suspected": True, "last_iep_meeting": day},
        "concern": {"topic": "services", "summary": "asked for a 1:1 aide",
                    "school_response": "refused"},
        "history": [{"move": m.value, "date": day, "outcome": "refused"} for m in MoveId],
        "evaluation": {"completed": True, "date": day, "parent_disagrees": True,
                       "consent_date": day, "referral_date": day},
        "violation": {"alleged": True, "date": day, "kind": "procedural"},
        "discipline": {"days_removed": 12, "change_of_placement_proposed": True,
                       "decision_date": day, "staff_reported_behavior": True,
                       "manifestation_result": "manifestation",
                       "special_circumstances": "weapon"},
        "private_placement": {"reimbursement_sought": True, "start_date": day},
    })
    every_clock = [Deadline(move=m, label="A date", due=as_of, days_left=0,
                            citation="34 CFR 300.1") for m in MoveId]
    every_clock.append(Deadline(move=MoveId("request_evaluation"), label="A duty", due=day,
                                days_left=-83, citation="34 CFR 300.301(c)",
                                status="overdue", owner="district"))
    bare = Case.model_validate({"as_of": as_of,
                                "concern": {"topic": "other", "school_response": "none_yet"}})
    on_504 = Case.model_validate({"as_of": as_of, "student": {"has_504_plan": True},
                                  "concern": {"topic": "implementation",
                                              "school_response": "no_response"}})
    lengths = {"records": "5 business days", "evaluation": "60 days",
               "evaluation_starts": "from the referral"}
    return (context(bare, [], voice, lang=lang).full(),
            context(on_504, [], voice, lang=lang).full(),
            context(full, every_clock, voice, lang=lang, lengths=lengths).full())


# ---------------------------------------------------------------- letters

LETTER_VARIABLES: Mapping[str, Variable] = {
    **VARIABLES,
    "today": Variable("the letter's date: the case's as_of (YYYY-MM-DD)"),
    "school": Variable("the school's name: a marked blank, '[school name]' (the case does "
                       "not hold it)"),
    "parent": Variable("the parent's name: a marked blank, '[your name]'"),
    "letter": Variable("this letter", {
        "move": "the move id",
        "title": "the move's title, e.g. 'Request an Independent Educational Evaluation'",
        "subject": "the subject line (rendered)",
        "to": "the addressee (rendered)",
    }),
    "recommended": Variable("true when the advice recommends this move for the case"),
    "idea_discipline": Variable("true when IDEA's discipline protections apply to the "
                                "child, as the rules decided (an IEP, or the district's "
                                "basis of knowledge, 34 CFR 300.534(b)); false for a child "
                                "with only a 504 plan and no such basis"),
    "instead": Variable("the title of the advice's first move when this one is not "
                        "recommended, or empty"),
    "reasons": Variable("why the move was recommended: a list of sentences (empty when it "
                        "was not)"),
    "sources": Variable("what the letter relies on: a list of entries with title, section "
                        "and citation"),
    "starts": Variable("the clock this letter starts when sent", {
        "known": "true when the letter starts a clock",
        "label": "what must happen, e.g. 'The district must let you see the records'",
        "due": "by when, counted from the letter's date (YYYY-MM-DD)",
        "days": "'45 days'",
        "citation": "the rule that sets it",
    }),
    "body": Variable("the letter's body, rendered (for the layout only)"),
    "postscript": Variable("what follows the signature, rendered, or empty (for the "
                           "layout only)"),
    "blanks": Variable("the marked blanks left in the letter, e.g. '[school name]' (for "
                       "the note)"),
}
