"""State clocks: which length, counted from which event, applies to a case's deadline.

For a deadline whose length is a parameter a state file may override (see
:data:`escalate.states.schema.TOPICS`), :func:`state_clock` picks the state's value in
force and the event it counts from, and says how sure we are:

- a filing window (the due-process limit) takes the value in force on ``as_of``, the day
  the family would file: Texas applies its 2022 change to requests filed on or after
  2022-09-01 (HB 1252, 87th Leg., s. 3; 19 TAC 89.1151(c));
- a district's duty (evaluation, records) takes the value in force when its clock started;
- a clock that counts from the district's written notice or proposal (Alaska AS 14.30.193,
  Wisconsin Stat. 115.80(1)(a)1, Connecticut Gen. Stat. 10-76h) uses
  ``violation.notice_date`` when the case gives it, and otherwise the violation's date,
  saying what it assumed;
- where sources disagree (``disputed_by``), the earliest date is used and the note says
  why (Louisiana: R.S. 17:1946(B) one year vs. the 2024 amendment's two years);
- a medium- or low-confidence value adds "check this against <citation>" and the state's
  Parent Training and Information Center.

:func:`reimbursement_limit` adds the sub-limits for a claim to be reimbursed for a
unilateral private placement (Hawaii HRS 302A-443(a)(2): 180 calendar days; New Hampshire
RSA 186-C:16-b, II: 90 days), which close that claim only, not due process as a whole.

Computing a clock returns data: its notes are sentences not yet said (:class:`Said`, a
sentence of ``messages.yaml`` with its values; :class:`Noted`, a state value's own
``note``). :func:`word` says one in the advice's language
(:class:`escalate.i18n.words.Words`; ids in :mod:`escalate.states.messages`), with dates,
counts and lengths written for that language (Babel); a sentence with no current
translation is said in English, whole, and listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from escalate.days import add_days_skipping_breaks, add_length, units_between
from escalate.i18n.formats import duration_text, plural_category
from escalate.i18n.words import ENGLISH_WORDS, Words
from escalate.models import Case
from escalate.states.messages import message_id, messages, name_id, note_id, place_key
from escalate.states.schema import TOPICS, Confidence, StateFile, StateValue

if TYPE_CHECKING:
    from escalate.rulebook import DeadlineSpec, ParameterSpec, Rulebook

TOPIC_OF_PARAMETER = {param: topic for topic, (param, _, _) in TOPICS.items() if param}


@dataclass(frozen=True)
class Amount:
    """A length put into a sentence: '1 year', '45 school days'."""

    value: int
    unit: str


@dataclass(frozen=True)
class Phrase:
    """Another message of ``messages.yaml`` put into a sentence (``used_known``, ...)."""

    key: str


@dataclass(frozen=True)
class StateName:
    """A state's name put into a sentence ("North Carolina", "Carolina del Norte")."""

    code: str
    english: str


Fill = str | int | dt.date | Amount | Phrase | StateName


@dataclass(frozen=True)
class Said:
    """A sentence of ``messages.yaml`` (``key``) with its values (``fills``), not yet
    said: computing a clock records what its note will say, and the advice's wording
    says it in the reader's language (:func:`word`)."""

    key: str
    fills: tuple[tuple[str, Fill], ...] = ()


@dataclass(frozen=True)
class Noted:
    """A text kept by id in another store (a state value's own ``note``; a clock
    sentence of ``escalate/text/clocks.yaml``), with the dates it puts in, not yet said."""

    id: str
    english: str
    dates: tuple[tuple[str, dt.date], ...] = ()


Sentence = Said | Noted


def said(key: str, **fills: Fill) -> Said:
    """A sentence of ``messages.yaml`` to be said later (see :class:`Said`)."""
    return Said(key, tuple(fills.items()))


def word(sentence: Sentence, words: Words = ENGLISH_WORDS) -> str:
    """``sentence`` said in the language of ``words``."""
    if isinstance(sentence, Said):
        return say(sentence.key, words, **dict(sentence.fills))
    text = words.say(sentence.id, sentence.english)
    if not sentence.dates:
        return text
    return text.format(**{name: words.date(d) for name, d in sentence.dates})


def words_of(sentences: tuple[Sentence, ...], words: Words = ENGLISH_WORDS) -> str | None:
    """A note of several sentences, in the language of ``words``; None when empty."""
    return " ".join(word(s, words) for s in sentences) or None


def _unit_key(amount: int, unit: str, lang: str) -> str:
    """The ``units.<unit>.<plural category>`` message for a unit CLDR has no words for."""
    key = f"units.{unit}.{plural_category(amount, lang)}"
    return key if key in messages() else f"units.{unit}.other"


def _needs(fill: Fill, lang: str) -> list[str]:
    """The ids a filled-in value needs said in ``lang``."""
    if isinstance(fill, Phrase):
        return [message_id(fill.key)]
    if isinstance(fill, Amount) and duration_text(fill.value, fill.unit, lang) is None:
        return [message_id(_unit_key(fill.value, fill.unit, lang))]
    return []


def _render(fill: Fill, words: Words) -> str:
    if isinstance(fill, Phrase):
        return words.say(message_id(fill.key), messages()[fill.key])
    if isinstance(fill, Amount):
        known = duration_text(fill.value, fill.unit, words.lang)
        if known is not None:
            return known
        key = _unit_key(fill.value, fill.unit, words.lang)
        return words.say(message_id(key), messages()[key]).format(
            n=words.number(fill.value))
    if isinstance(fill, dt.date):
        return words.date(fill)
    if isinstance(fill, int):
        return words.number(fill)
    if isinstance(fill, StateName):
        return words.say(name_id(fill.code), fill.english)
    return fill


def say(key: str, words: Words = ENGLISH_WORDS, **fills: Fill) -> str:
    """The message ``key`` of messages.yaml in the language of ``words``, filled in: dates,
    counts and amounts written for that language. A sentence is said whole in one
    language: when it, or a phrase or unit it puts in, has no current translation, all of
    it is said in English and the untranslated ids are listed (``words.fell_back``)."""
    ids = [message_id(key)] + [i for f in fills.values() for i in _needs(f, words.lang)]
    speaker = words
    if not all(words.has(i) for i in ids):
        for i in ids:
            if not words.has(i):
                words.note(i)
        speaker = ENGLISH_WORDS
    text = speaker.say(message_id(key), messages()[key])
    return " ".join(text.format(**{k: _render(f, speaker) for k, f in fills.items()})
                    .split())


def amount_words(amount: int, unit: str, words: Words = ENGLISH_WORDS) -> str:
    """'1 year', '180 days', '45 school days', in the language of ``words``."""
    return _render(Amount(amount, unit), words)


def state_name(spec: StateFile, words: Words = ENGLISH_WORDS) -> str:
    """The state's name in the language of ``words`` ("Carolina del Norte")."""
    return words.say(name_id(spec.code), spec.name)


def _note(spec: StateFile, topic: str, value: StateValue) -> Noted | None:
    """The value's own note (rules/states/XX.yaml), to be said in the advice's language."""
    if not value.note:
        return None
    return Noted(note_id(spec.code, topic, value.effective), " ".join(value.note.split()))


def _closures(case: Case) -> frozenset[dt.date]:
    return frozenset(case.school_closures)


def in_force(values: tuple[StateValue, ...], on: dt.date) -> StateValue | None:
    """The value that took effect last on or before ``on``; None before the first."""
    dated = [v for v in values if v.effective <= on]
    return max(dated, key=lambda v: v.effective) if dated else None


def federal_value(param: ParameterSpec, on: dt.date) -> int:
    """The federal value of ``param`` in force on ``on`` (the earliest before any)."""
    dated = [d for d in param.values if d <= on]
    return param.values[max(dated) if dated else min(param.values)]


@dataclass(frozen=True)
class StateClock:
    """A deadline's state-aware start, due date, authority and honesty note."""

    start: dt.date
    due: dt.date
    unit: str
    citation: str
    confidence: Confidence | None
    note: tuple[Sentence, ...]
    # True when the start is another date of the case standing in for the one the state
    # counts from, which the case does not give (ladder.md section 12).
    assumed: bool = False
    # True when the state counts from an event of its own (a district notice, a referral),
    # so that whether the start was given is the state clock's to say.
    own_start: bool = False


def _start(case: Case, trigger: str, default_trigger: str, default_start: dt.date | None,
           state: StateName, notes: list[Sentence],
           assumed: list[bool] | None = None) -> dt.date | None:
    """The date ``trigger`` names in the case; notes say what was assumed, and
    ``assumed`` (when given) gets True appended when another date stood in."""
    if trigger == default_trigger:
        return default_start
    violation, evaluation = case.violation, case.evaluation

    def given_or_assumed(given: dt.date | None, stand_in: dt.date | None, message: str,
                         **fills: Fill) -> dt.date | None:
        """The date the state counts from when the case gives it, else the nearest date
        it does give, with a note saying so (``message`` of messages.yaml)."""
        if given:
            return given
        if stand_in is not None:
            notes.append(said(message, state=state, date=stand_in, **fills))
            if assumed is not None:
                assumed.append(True)
        return stand_in

    if trigger == "district_notice":
        if violation is None:
            return None
        used = Phrase("used_violation" if violation.date else "used_known")
        return given_or_assumed(violation.notice_date, violation.date or violation.known_date,
                                "assumed_notice", used=used)
    if trigger == "occurrence":
        if violation is None:
            return None
        return given_or_assumed(violation.date, violation.known_date, "assumed_occurrence")
    if trigger == "referral":
        if evaluation is None:
            return None
        return given_or_assumed(evaluation.referral_date, evaluation.consent_date,
                                "assumed_referral")
    if trigger == "unilateral_placement":
        placement = case.private_placement
        return placement.start_date if placement else None
    if trigger == "consent":
        return evaluation.consent_date if evaluation else None
    return default_start


def _consent_wait(case: Case, value: StateValue, unit: str) -> int:
    """The days of ``unit`` from the referral to the parent's consent, when the state's
    clock leaves out the time to obtain consent (``excludes_consent_time``) and the case
    gives both dates; else 0."""
    evaluation = case.evaluation
    if (not value.excludes_consent_time or value.federal or evaluation is None
            or evaluation.referral_date is None or evaluation.consent_date is None):
        return 0
    return units_between(evaluation.referral_date, evaluation.consent_date, unit,
                         _closures(case))


def _honesty(rulebook: Rulebook, code: str, value: StateValue,
             notes: list[Sentence]) -> None:
    """A value we are not sure of: say so, and name who can help check it (the state's
    first verified parent center, "one of" them when it has several)."""
    if value.confidence == "high":
        return
    notes.append(said("check", citation=value.citation,
                      confidence=Phrase(f"confidence.{value.confidence}")))
    offered = [c for c in rulebook.parent_centers.get(code, ()) if c.offered]
    if not offered:
        notes.append(said("no_center"))
        return
    center = offered[0]
    several = sum(c.kind == "pti" for c in offered) > 1
    if center.url:
        notes.append(said("center_url_one_of" if several else "center_url",
                          center=center.name, url=center.url))
    else:
        notes.append(said("center_one_of" if several else "center", center=center.name))


def state_clock(rulebook: Rulebook, case: Case, deadline: DeadlineSpec,
                default_start: dt.date | None) -> StateClock | None:
    """The state-aware clock for ``deadline``, or None when no state applies to it (no
    state in the case, or a parameter no state file overrides): the caller then uses the
    federal parameter as before. ``default_start`` is the date the deadline's own
    ``starts``/``fallback`` give. The note is data (its sentences, not yet said)."""
    topic = TOPIC_OF_PARAMETER.get(deadline.length)
    if topic is None or case.state is None:
        return None
    param = rulebook.parameters[deadline.length]
    _, _, default_trigger = TOPICS[topic]
    spec = rulebook.states.get(case.state)
    notes: list[Sentence] = []
    if spec is None or not spec.topic(topic):
        if default_start is None:
            return None
        on = case.as_of if deadline.closes_move else default_start
        amount = federal_value(param, on)
        # a territory or the BIE named in full (the state messages' places)
        place = place_key(case.state)
        notes.append(said("no_state_data", state=Phrase(place) if place else case.state,
                          citation=param.reference))
        return StateClock(default_start,
                          add_length(default_start, amount, param.unit, _closures(case)),
                          param.unit,
                          param.reference, None, tuple(notes))
    on = case.as_of if deadline.closes_move or default_start is None else default_start
    value = in_force(spec.topic(topic), on)
    if value is None:
        if default_start is None:
            return None
        amount = federal_value(param, on)
        notes.append(said("before_recorded", state=StateName(spec.code, spec.name),
                          citation=param.reference))
        return StateClock(default_start,
                          add_length(default_start, amount, param.unit, _closures(case)),
                          param.unit,
                          param.reference, None, tuple(notes))
    trigger = value.starts or default_trigger
    assumed: list[bool] = []
    name = StateName(spec.code, spec.name)
    start = _start(case, trigger, default_trigger, default_start, name, notes, assumed)
    if start is None:
        return None
    if value.federal:
        amount, unit, citation = federal_value(param, on), param.unit, param.reference
        notes.append(said("federal_default", state=name, citation=param.reference))
    else:
        assert value.value is not None and value.unit is not None
        amount, unit, citation = value.value, value.unit, value.citation
    due = add_length(start, amount, unit, _closures(case))
    waited = _consent_wait(case, value, unit) if trigger == "referral" else 0
    if waited:
        # Connecticut: the days spent obtaining consent do not count (RCSA 10-76d-13(a))
        due = add_length(start, amount + waited, unit, _closures(case))
        notes.append(said("consent_time_excluded", days=Amount(waited, unit)))
    if value.skips_breaks_over_school_days is not None and not value.federal:
        due, skipped = add_days_skipping_breaks(start, amount, _closures(case),
                                                value.skips_breaks_over_school_days)
        notes.append(said("breaks_skipped" if skipped else
                          "breaks_listed_none" if case.school_closures else "breaks_not_listed",
                          days=skipped, school_days=value.skips_breaks_over_school_days))
    for other in value.disputed_by:
        if other.effective > on:
            continue
        other_start = _start(case, other.starts or trigger, default_trigger, default_start,
                             name, notes) or start
        other_due = add_length(other_start, other.value, other.unit, _closures(case))
        notes.append(said("disputed", citation=citation, value=Amount(amount, unit),
                          other_citation=other.citation,
                          other_value=Amount(other.value, other.unit)))
        if other_due < due:
            due, unit, citation = other_due, other.unit, other.citation
    note = _note(spec, topic, value)
    if note:
        notes.append(note)
    _honesty(rulebook, spec.code, value, notes)
    return StateClock(start, due, unit, citation, value.confidence, tuple(notes),
                      assumed=bool(assumed), own_start=trigger != default_trigger)


def _status(days_left: int, closing_days: int) -> Literal["open", "closing", "closed"]:
    return "closed" if days_left < 0 else "closing" if days_left <= closing_days else "open"


@dataclass(frozen=True)
class ReimbursementLimit:
    """A state's limit on a claim for reimbursement, computed for a case: its due date,
    the state of its clock (``open``, ``closing``, ``closed``), and its note's sentences."""

    due: dt.date
    days_left: int
    status: Literal["open", "closing", "closed"]
    citation: str
    confidence: Confidence | None
    note: tuple[Sentence, ...]


def reimbursement_limit(rulebook: Rulebook, case: Case, closing_days: int
                        ) -> ReimbursementLimit | None:
    """The state's limit on a due process claim for reimbursement of a unilateral private
    placement, when the case seeks one (HRS 302A-443(a)(2); RSA 186-C:16-b, II); None
    otherwise. Its ``status`` is the clock's state the rules read as
    ``clock.reimbursement_limit``."""
    placement = case.private_placement
    if (case.state is None or placement is None or not placement.reimbursement_sought
            or placement.start_date is None):
        return None
    spec = rulebook.states.get(case.state)
    if spec is None:
        return None
    value = in_force(spec.reimbursement_limit, case.as_of)
    if value is None or value.value is None or value.unit is None:
        return None
    due = add_length(placement.start_date, value.value, value.unit, _closures(case))
    days_left = (due - case.as_of).days
    notes: list[Sentence] = []
    note = _note(spec, "reimbursement_limit", value)
    if note:
        notes.append(note)
    _honesty(rulebook, spec.code, value, notes)
    return ReimbursementLimit(due, days_left, _status(days_left, closing_days),
                              value.citation, value.confidence, tuple(notes))


# The clocks whose length a reason states (template variable ``length``), by the
# parameter a state file may override.
LENGTH_PARAMETERS = {"records": "records_response_days", "evaluation": "initial_evaluation_days"}


def lengths_in_force(rulebook: Rulebook, case: Case, words: Words = ENGLISH_WORDS
                     ) -> dict[str, str]:
    """The lengths a reason states, in force for the case's state on ``as_of`` (ladder.md
    section 13: a reason never states the federal figure beside a state date): the
    state's own value and unit (California records: 5 business days, Cal. Educ. Code
    56504), else the federal parameter; and the event the evaluation clock counts from."""
    out: dict[str, str] = {}
    spec = rulebook.states.get(case.state) if case.state else None
    for name, param_name in LENGTH_PARAMETERS.items():
        param = rulebook.parameters[param_name]
        amount, unit = federal_value(param, case.as_of), param.unit
        topic = TOPIC_OF_PARAMETER[param_name]
        value = in_force(spec.topic(topic), case.as_of) if spec else None
        if value is not None and not value.federal:
            assert value.value is not None and value.unit is not None
            amount, unit = value.value, value.unit
        out[name] = amount_words(amount, unit, words)
        if name == "evaluation":
            trigger = (value.starts if value is not None and value.starts else
                       TOPICS[topic][2])
            out["evaluation_starts"] = say(f"listing.starts.{trigger}", words)
    return out


def thresholds(rulebook: Rulebook, case: Case) -> dict[str, int]:
    """Every parameter a rule compares a number with, resolved for the case: the value in
    force on ``as_of``, the state's override (``states:`` in parameters.yaml) first. The
    engine reads them as ``threshold.<parameter>`` facts (see escalate.compiler)."""
    out: dict[str, int] = {}
    for name in rulebook.threshold_parameters:
        param = rulebook.parameters[name]
        values: Mapping[dt.date, int] = param.values
        if case.state and case.state in param.states:
            values = param.states[case.state].values
        dated = [d for d in values if d <= case.as_of]
        out[name] = values[max(dated) if dated else min(values)]
    return out
