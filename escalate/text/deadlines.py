"""The deadlines and clock warnings an advice shows, in its language: the wording of what
:func:`escalate.deadlines.compute` computed.

- A deadline's label is its ``label`` in ``rules/deadlines.yaml`` (``deadline.<id>.label``
  in a translation), with a note on how its unit is counted (school days skip weekends and
  federal holidays, ``text.clocks.day_notes.*``); the state's reimbursement limit has its
  own label (``reimbursement_label`` of the state messages).
- A deadline's note is its sentences, said in order (:func:`escalate.states.clocks.word`).
- A warning is the sentence of its kind: a family window closed, may be closed or closing
  (``text.clocks.window_*``), a duty past its date (the duty's ``overdue`` sentence in
  deadlines.yaml, worded as the duty-holder's lateness), a reimbursement limit closed or
  closing (the state messages).

Every sentence is a template with placeholders in braces, from ``escalate/text/clocks.yaml``,
``rules/deadlines.yaml`` or the state messages, translated in ``rules/locales/<lang>.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from escalate.deadlines import Alert, Clocks, Timed, deadline_spec
from escalate.facts import REIMBURSEMENT_CLOCK
from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH
from escalate.i18n.sources import clock_sentences, flat
from escalate.i18n.words import ENGLISH_WORDS, Words
from escalate.models import AdviceWarning, Deadline, MoveId
from escalate.rulebook import Rulebook, cited
from escalate.states.clocks import say, words_of
from escalate.text.variables import day_count

# The sentences clocks produce, as templates (placeholders in braces), from
# escalate/text/clocks.yaml (translated in rules/locales/<lang>.yaml, ids text.clocks.*).
DAY_NOTES = {key.split(".", 1)[1]: text for key, text in clock_sentences().items()
             if key.startswith("day_notes.")}
WINDOW_SENTENCES = {kind: flat(clock_sentences()[kind])
                    for kind in ("window_closed", "window_closing", "window_may_be_closed")}


def word(clocks: Clocks, rulebook: Rulebook, as_of: dt.date,
         words: Words = ENGLISH_WORDS, names: Mapping[str, str] | None = None
         ) -> tuple[list[Deadline], list[AdviceWarning]]:
    """The case's deadlines and the warnings its clocks call for, in the language of
    ``words`` (each text said in English, and noted, where the language has none);
    ``names``: the regulations' names in that language (the advisor's
    ``regulation_names``), for citations that name a document by its title."""
    named = names if names is not None and words.lang != ENGLISH else None
    return ([_deadline(t, rulebook, words, named) for t in clocks.timed],
            [_warning(a, rulebook, as_of, words, named) for a in clocks.alerts])


def citation_in(citation: str, names: Mapping[str, str] | None) -> str:
    """``citation`` for a reader of another language (``names``: the regulations' names
    in it; None: as written): a document cited by its title alone is named in that
    language (:func:`escalate.rulebook.cited`); numbers stay as written."""
    return citation if names is None else cited(citation, names) or citation


def _deadline(timed: Timed, rulebook: Rulebook, words: Words,
              names: Mapping[str, str] | None) -> Deadline:
    if timed.clock == REIMBURSEMENT_CLOCK:
        label = say("reimbursement_label", words)
    else:
        spec = deadline_spec(rulebook, timed.clock)
        label = words.say(ids.deadline_label(spec.id), spec.label)
        if timed.unit in DAY_NOTES:
            label += words.say(f"text.clocks.day_notes.{timed.unit}", DAY_NOTES[timed.unit])
    return Deadline(move=MoveId(timed.move), label=label, due=timed.due,
                    days_left=timed.days_left,
                    citation=citation_in(timed.citation, names), status=timed.status,
                    owner=timed.owner, confidence=timed.confidence,
                    note=words_of(timed.note, words), clock=timed.clock, start=timed.start)


def _warning(alert: Alert, rulebook: Rulebook, as_of: dt.date, words: Words,
             names: Mapping[str, str] | None) -> AdviceWarning:
    return AdviceWarning(move=MoveId(alert.move), kind=alert.kind,
                         citation=citation_in(alert.citation, names),
                         text=_text(alert, rulebook, as_of, words))


def _text(alert: Alert, rulebook: Rulebook, as_of: dt.date, words: Words) -> str:
    """The sentence of one warning."""
    due, days_left = alert.due, alert.days_left
    if alert.kind == "duty_overdue":
        # a duty past its date: the duty-holder's lateness, never a right the family lost
        spec = deadline_spec(rulebook, alert.clock)
        template = words.say(ids.deadline_overdue(spec.id), spec.overdue or "")
        return " ".join(template.split()).format(
            due=words.date(due), days=words.number(-days_left), as_of=words.date(as_of))
    if alert.kind == "reimbursement_limit_closed":
        return say("reimbursement_closed", words, due=due, days=-days_left, as_of=as_of)
    if alert.kind == "reimbursement_limit_closing":
        return say("reimbursement_closing", words, due=due, days=days_left)
    title = words.say(ids.move_title(alert.move), rulebook.move(alert.move).title)
    step = title[:1].lower() + title[1:]  # "file a civil-rights (OCR) complaint"
    template = words.say(f"text.clocks.{alert.kind}", WINDOW_SENTENCES[alert.kind])
    if alert.kind == "window_closed":
        return template.format(step=step, due=words.date(due),
                               days=day_count(-days_left, words.lang),
                               as_of=words.date(as_of))
    if alert.kind == "window_may_be_closed":
        return template.format(step=step, due=words.date(due))
    return template.format(step=step, due=words.date(due),
                           days=day_count(days_left, words.lang))


def shown(deadlines: Sequence[Deadline], move: str) -> list[Deadline]:
    """The deadlines of one move, as its recommendation lists them."""
    return [d for d in deadlines if d.move.value == move]
