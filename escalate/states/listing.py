"""The coverage listing: every state code a case may give, with the values applied there.

A state with a file lists each value with its citation, effective date, trigger and
confidence; ``federal: true`` values show the federal length. A code with no file (the
outlying territories, the BIE) is listed as not recorded: the federal rules apply.

The notes and the disclaimer are in the language of the :class:`Words` given (ids in
:mod:`escalate.states.messages`); a note with no current translation is said in English,
whole, and listed in ``fallbacks``. Citations and ``checked`` (what was read, quoted as
read) stay as written.
"""

from __future__ import annotations

from typing import get_args

from escalate.i18n.words import ENGLISH_WORDS, Words
from escalate.models import (
    ParentCenterInfo,
    StateCode,
    StateInfo,
    StateReadingInfo,
    StatesListing,
    StateValueInfo,
)
from escalate.models.advice import DISCLAIMER
from escalate.rulebook import Rulebook
from escalate.states.centers import ParentCenter, area_id
from escalate.states.clocks import Amount, Phrase, federal_value, say, state_name
from escalate.states.messages import note_id, place_key, state_note_id
from escalate.states.schema import TOPICS, StateFile

CODES: tuple[str, ...] = get_args(StateCode)


def place_name(rulebook: Rulebook, code: str, words: Words = ENGLISH_WORDS) -> str | None:
    """The name in the language of ``words`` of the place ``code`` stands for: a state with
    a file by its own name, a territory or the BIE in full (``places`` of the state
    messages); None for a code the rules do not know."""
    spec = rulebook.states.get(code)
    if spec is not None:
        return state_name(spec, words)
    place = place_key(code)
    if place is None:
        return None
    name = say(place, words)
    return name[:1].upper() + name[1:]


def _note(words: Words, key: str, english: str | None) -> str | None:
    return words.say(key, " ".join(english.split())) if english else None


def _values(rulebook: Rulebook, spec: StateFile, words: Words) -> list[StateValueInfo]:
    out: list[StateValueInfo] = []
    for topic, (param_name, _, default_trigger) in TOPICS.items():
        for value in spec.topic(topic):
            if value.federal and param_name:
                param = rulebook.parameters[param_name]
                amount, unit = federal_value(param, value.effective), param.unit
            else:
                assert value.value is not None and value.unit is not None
                amount, unit = value.value, value.unit
            out.append(StateValueInfo(
                topic=topic,
                effective=value.effective, federal=value.federal, value=amount, unit=unit,
                starts=value.starts or default_trigger, citation=value.citation,
                confidence=value.confidence, checked=" ".join(value.checked.split()),
                note=_note(words, note_id(spec.code, topic, value.effective), value.note),
                disputed_by=[StateReadingInfo(
                    value=r.value, unit=r.unit, starts=r.starts, effective=r.effective,
                    citation=r.citation, confidence=r.confidence,
                    checked=" ".join(r.checked.split())) for r in value.disputed_by]))
    return out


def _centers(rulebook: Rulebook, code: str, words: Words) -> list[ParentCenterInfo]:
    """The parent centers listed for ``code``, their ``area`` in the language of
    ``words``."""
    listed: tuple[ParentCenter, ...] = rulebook.parent_centers.get(code, ())
    return [ParentCenterInfo(
        name=center.name, kind=center.kind, url=center.url,
        area=_note(words, area_id(code, n), center.area), confidence=center.confidence,
        source=center.source, checked=" ".join(center.checked.split()),
        offered=center.offered) for n, center in enumerate(listed, start=1)]


def state_info(rulebook: Rulebook, code: str, words: Words = ENGLISH_WORDS
               ) -> StateInfo | None:
    """One state's listing, or None for a code escalate does not accept; its notes in the
    language of ``words``."""
    if code not in CODES:
        return None
    words = Words(words.locale)  # this state's own fallbacks
    language = {"language": words.lang,
                "disclaimer": words.say("text.disclaimer", DISCLAIMER)}
    spec = rulebook.states.get(code)
    centers = _centers(rulebook, code, words)
    first = centers[0] if centers else None
    if spec is None:
        return StateInfo(code=code, name=place_name(rulebook, code, words) or code,
                         recorded=False, values=[],
                         parent_center=first, parent_centers=centers, note=None,
                         fallbacks=words.fallbacks(), **language)
    values = _values(rulebook, spec, words)
    note = _note(words, state_note_id(code), spec.note)
    return StateInfo(
        code=code, name=place_name(rulebook, code, words) or code, recorded=True, values=values,
        parent_center=first, parent_centers=centers,
        note=note, fallbacks=words.fallbacks(), **language)


def listing(rulebook: Rulebook, words: Words = ENGLISH_WORDS) -> StatesListing:
    """Every accepted state code, in the order of the case schema, its notes in the
    language of ``words``."""
    found = [state_info(rulebook, code, words) for code in CODES]
    infos = [i for i in found if i is not None]
    return StatesListing(states=infos, rules_version=rulebook.version, language=words.lang,
                         disclaimer=words.say("text.disclaimer", DISCLAIMER),
                         fallbacks=list(dict.fromkeys(f for i in infos for f in i.fallbacks)))


def render(info: StateInfo, words: Words = ENGLISH_WORDS) -> str:
    """One state's listing as text for a terminal, in the language of ``words`` (the lines
    are ``listing.*`` of messages.yaml; citations and names stay as written)."""
    state = {"state": info.name, "code": info.code}
    if not info.recorded:
        return "\n".join([say("listing.not_recorded", words, **state),
                          *_center_lines(info, words)])
    lines = [say("listing.state", words, **state)]
    for v in info.values:
        lines.append("  " + say(
            "listing.value", words, topic=Phrase(f"listing.topics.{v.topic}"),
            amount=Amount(v.value, v.unit), starts=Phrase(f"listing.starts.{v.starts}"),
            rule=Phrase("listing.rule.federal" if v.federal else "listing.rule.state"),
            since=v.effective, confidence=Phrase(f"confidence.{v.confidence}")))
        lines.append(f"      {v.citation}")
        lines.extend("      " + say(
            "listing.disputed", words, amount=Amount(r.value, r.unit), since=r.effective,
            citation=r.citation, confidence=Phrase(f"confidence.{r.confidence}"))
            for r in v.disputed_by)
    lines.extend(_center_lines(info, words))
    return "\n".join(lines)


def _center_lines(info: StateInfo, words: Words) -> list[str]:
    """One line per parent center, with its area when it has one."""
    lines = []
    for center in info.parent_centers:
        key = "listing.center_area" if center.area else "listing.center"
        lines.append("  " + say(
            f"{key}_url" if center.url else key, words, center=center.name,
            area=center.area or "", url=center.url or "",
            confidence=Phrase(f"confidence.{center.confidence}")))
    return lines
