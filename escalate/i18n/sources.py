"""Every English text a translation can replace, by its stable id.

An id names where the English lives, so it survives reordering and rewording:

- ``rule.<rule id>.because``: the reason of a rule (one that recommends a move, or one
  that derives a fact: why-not reports show those);
- ``exception.<name>.because``: the reason an exception adds;
- ``move.<id>.title`` / ``.summary`` / ``.how.<n>`` (n from 1), and
  ``move.<id>.for_plan.<plan>.summary`` / ``.how.<n>`` for a plan's own wording, and
  ``move.<id>.for_situation.<name>.title`` / ``.summary`` / ``.how.<n>`` for the wording
  of a situation a rule names;
- ``deadline.<id>.label`` and ``deadline.<id>.overdue``;
- ``regulation.<citation>.title``: the short name a source citing that regulation shows
  (``regulations`` in ``rules/moves.yaml``; the seed articles keep their own titles);
- ``text.summary``, ``text.calendar.summary`` / ``description``,
  ``text.clocks.window_closed`` / ``window_closing`` / ``day_notes.<unit>``,
  ``text.assumption.<name>``, ``text.disclaimer``, ``text.cli.<key>`` (the labels of
  ``escalate advise``), ``text.explain.<key>`` (the labels of ``escalate why-not`` and
  ``escalate advise --explain``, ``escalate/text/explain.yaml``; ``kind.<kind>`` and
  ``window_state.<state>`` for its words);
- the explanations' texts (``rules/questions.yaml``, :mod:`escalate.explain.questions`):
  ``question.<fact>.ask`` and ``.whether``, ``question.<fact>.answer.<value>`` (a
  question's own answer words), ``question.values.<group>.<value>`` (shared answer words,
  ``<group>`` a fact or ``history.*``), ``question.not_asked.<fact>`` and
  ``question.sentence.<name>`` (the sentences of effects and notes, with their
  ``{placeholders}``); all ``format`` texts;
- ``letter.<move>.to`` / ``.subject`` / ``.body`` / ``.postscript`` / ``.starts.label``
  and ``letter.layout.note`` / ``letter.layout.letter`` (``rules/letters/``): letter
  templates; ``letter.<move>.blanks.<name>`` (and ``.<choice>``) and
  ``letter.layout.blanks.<name>``, ``letter.layout.draft`` / ``.pair``: the blanks' labels
  and choice words and the draft mark, plain sentences; the letter templates are checked
  with the letter variables (``letter`` keeps its text on one line, ``letter_block``
  keeps its lines);
- ``state.messages.<key>``: the state clocks' sentences (``escalate/states/messages.yaml``:
  ``check``, ``disputed``, ``assumed_notice``, ``reimbursement_label``, ...), the words
  they put in (``confidence.<level>``, ``used_violation``, ``used_known``) and the amounts
  Babel has no words for (``units.school_days.one`` / ``.other``, ``units.business_days.*``,
  one per CLDR plural category);
- ``state.<XX>.<topic>.<effective>.note``: the note of one dated value of
  ``rules/states/XX.yaml`` (``state.WI.due_process_limit.2006-10-13.note``,
  ``state.HI.reimbursement_limit.2006-10-13.note``); its statute citations stay as written.

Each source says how its text is checked (:class:`Kind`): a Jinja2 template over the
case's variables (``template``; plain text is a template without markers), the summary
template (``summary``), or a sentence with ``{placeholders}`` (``format``). A translation
is checked the same way as its English. :func:`source_hash` is the short hash a
translation records of the English it was made from, so a changed English shows as stale.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from escalate.i18n import ids
from escalate.models.advice import DISCLAIMER
from escalate.rulebook import Rulebook
from escalate.states.centers import areas
from escalate.states.messages import message_id, messages, state_names, state_notes
from escalate.strict import Problems, read_data, read_yaml

Kind = Literal["template", "summary", "calendar", "format", "letter", "letter_block"]
TEXT_DIR = Path(__file__).resolve().parent.parent / "text"
CLOCKS_FILE = TEXT_DIR / "clocks.yaml"
CALENDAR_FILE = TEXT_DIR / "calendar.yaml"
CLI_FILE = TEXT_DIR / "cli.yaml"
EXPLAIN_FILE = TEXT_DIR / "explain.yaml"
SUMMARY_FILE = TEXT_DIR / "summary.yaml"

# How the advice reads an incomplete case (escalate/advisor.py), by name.
ASSUMPTIONS = {
    "unspecified_violation": (
        "The case says the district broke a legal duty but not which kind, so the advice "
        "reads it as an unspecified violation of IDEA, which a state complaint can raise. "
        "Say which kind (violation.kind) for advice that fits it."),
    "unspecified_504_violation": (
        "The case says the school broke a duty but not which kind; for a child with a 504 "
        "plan and no IEP the advice reads it as a Section 504 matter, which the Office for "
        "Civil Rights can hear. Say which kind (violation.kind) for advice that fits it."),
    # ladder.md sections 9 and 14: fields whose meaning narrowed. An older case that says
    # something there is read as before, and told which field to use.
    "discipline_change_without_removal": (
        "The case says the district proposes a change of placement in its discipline part "
        "(discipline.change_of_placement_proposed), but gives no removal and the concern is "
        "not about discipline. That field is for a change made as discipline. A placement "
        "change outside discipline is concern.placement_change_proposed (with "
        "concern.placement_change_date): give it there for the advice on keeping the "
        "current placement (34 CFR 300.518(a))."),
    "removals_without_longest": (
        "The case gives the school days removed this year (discipline.days_removed) but not "
        "the longest single removal (discipline.consecutive_days). So the advice reads them "
        "as shorter removals, which may be a change of placement. If one removal lasted more "
        "than 10 school days in a row, give discipline.consecutive_days: that is a change of "
        "placement (34 CFR 300.536(a))."),
}


@dataclass(frozen=True)
class SourceText:
    """One English text: its words (whitespace collapsed) and how it is checked."""

    text: str
    kind: Kind = "template"

    @property
    def placeholders(self) -> frozenset[str]:
        """The ``{names}`` of a ``format`` sentence."""
        return frozenset(f for _, f, _, _ in string.Formatter().parse(self.text) if f)


def flat(text: str) -> str:
    return " ".join(text.split())


def source_hash(text: str) -> str:
    """The short sha256 (12 hex digits) of an English text, whitespace collapsed."""
    return hashlib.sha256(flat(text).encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=1)
def clock_sentences() -> dict[str, str]:
    """``text/clocks.yaml`` flattened to ``window_closed``, ``day_notes.school_days``, ..."""
    raw = read_data(CLOCKS_FILE)
    found = {k: v for k, v in raw.items() if isinstance(v, str)}
    found.update({f"day_notes.{k}": v for k, v in raw.get("day_notes", {}).items()})
    return found


@lru_cache(maxsize=1)
def cli_labels() -> dict[str, str]:
    """``text/cli.yaml`` flattened to ``heading``, ``status.open``, ..."""
    raw = read_data(CLI_FILE)
    found = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    found.update({f"status.{k}": str(v) for k, v in raw.get("status", {}).items()})
    return found


@lru_cache(maxsize=1)
def explain_labels() -> dict[str, str]:
    """``text/explain.yaml`` flattened to ``why_not``, ``kind.derived``, ..."""
    raw = read_data(EXPLAIN_FILE)
    found = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    for group in ("kind", "window_state", "family"):
        found.update({f"{group}.{k}": str(v) for k, v in raw.get(group, {}).items()})
    return found


def summary_source() -> str:
    raw = read_data(SUMMARY_FILE)
    return str(raw["summary"])


def english_sources(rulebook: Rulebook) -> dict[str, SourceText]:
    """Every translatable English text of ``rulebook`` and the product, by id."""
    found: dict[str, SourceText] = {}
    for rule in rulebook.rules:
        found[ids.rule_because(rule.id)] = SourceText(flat(rule.because))
    for name, exception in rulebook.exceptions.items():
        found[ids.exception_because(name)] = SourceText(flat(exception.because))
    for move in rulebook.moves:
        found[ids.move_title(move.id)] = SourceText(flat(move.title))
        found[ids.move_summary(move.id)] = SourceText(flat(move.summary))
        for n, step in enumerate(move.how, start=1):
            found[ids.move_how(move.id, n)] = SourceText(flat(step))
        for plan, wording in move.for_plan.items():
            if wording.summary:
                found[ids.move_summary(move.id, plan)] = SourceText(
                    flat(wording.summary))
            for n, step in enumerate(wording.how or [], start=1):
                found[ids.move_how(move.id, n, plan)] = SourceText(flat(step))
        for name, situation in move.for_situation.items():
            if situation.title:
                found[ids.move_situation(move.id, name, "title")] = SourceText(
                    flat(situation.title))
            if situation.summary:
                found[ids.move_situation(move.id, name, "summary")] = SourceText(
                    flat(situation.summary))
            for n, step in enumerate(situation.how or [], start=1):
                found[ids.move_situation(move.id, name, "how", n)] = SourceText(flat(step))
    for citation, name in rulebook.regulations.items():
        found[ids.regulation_title(citation)] = SourceText(flat(name), "format")
    for deadline in rulebook.deadlines:
        found[ids.deadline_label(deadline.id)] = SourceText(flat(deadline.label))
        if deadline.overdue:
            found[ids.deadline_overdue(deadline.id)] = SourceText(flat(deadline.overdue),
                                                                  "format")
    found["text.summary"] = SourceText(flat(summary_source()), "summary")
    calendar = read_data(CALENDAR_FILE)
    for key in ("summary", "description"):
        found[f"text.calendar.{key}"] = SourceText(flat(calendar[key]), "calendar")
    for key, sentence in clock_sentences().items():
        # a day note is appended to a label: its leading space is part of it
        text = sentence if key.startswith("day_notes.") else flat(sentence)
        found[f"text.clocks.{key}"] = SourceText(text, "format")
    for key, label in cli_labels().items():
        found[f"text.cli.{key}"] = SourceText(label, "format")
    for key, label in explain_labels().items():
        found[f"text.explain.{key}"] = SourceText(label, "format")
    found.update(question_sources(rulebook.directory))
    for name, sentence in ASSUMPTIONS.items():
        found[f"text.assumption.{name}"] = SourceText(sentence)
    found["text.disclaimer"] = SourceText(DISCLAIMER)
    for key, sentence in messages().items():
        found[message_id(key)] = SourceText(sentence, "format")
    for key, name in state_names(rulebook.states).items():
        found[key] = SourceText(name, "format")
    for key, note in state_notes(rulebook.states).items():
        found[key] = SourceText(note, "format")  # plain: a translation adds no placeholder
    for key, area in areas(rulebook.parent_centers).items():
        found[key] = SourceText(area, "format")
    found.update(letter_sources(rulebook.directory / "letters"))
    return found


def question_sources(folder: Path) -> dict[str, SourceText]:
    """The texts of ``rules/questions.yaml`` by id, each a ``format`` sentence (the
    question loader validates the file first, naming file, fact and key)."""
    from escalate.explain.questions import load_questions  # explain/ imports i18n/

    return {key: SourceText(flat(text), "format")
            for key, text in load_questions(folder).texts().items()}


def letter_sources(folder: Path) -> dict[str, SourceText]:
    """The letter templates of ``rules/letters/`` by id (read as they are; the letter
    loader checks their shape)."""
    found: dict[str, SourceText] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        raw = read_yaml(path, Problems())  # the letter loader reports an unreadable file
        if not isinstance(raw, dict):
            continue
        if path.stem == "layout":
            for key in ("note", "letter"):
                if isinstance(raw.get(key), str):
                    found[f"letter.layout.{key}"] = SourceText(raw[key], "letter_block")
            for key in ("draft", "pair"):
                if isinstance(raw.get(key), str):
                    found[f"letter.layout.{key}"] = SourceText(flat(raw[key]), "format")
            found.update(_blank_sources("letter.layout", raw.get("blanks")))
            continue
        move = raw.get("move")
        if not isinstance(move, str):
            continue
        for key, kind in (("to", "letter"), ("subject", "letter"), ("body", "letter_block"),
                          ("postscript", "letter_block")):
            if isinstance(raw.get(key), str):
                found[f"letter.{move}.{key}"] = SourceText(
                    flat(raw[key]) if kind == "letter" else raw[key], kind)  # type: ignore[arg-type]
        starts = raw.get("starts")
        if isinstance(starts, dict) and isinstance(starts.get("label"), str):
            found[f"letter.{move}.starts.label"] = SourceText(flat(starts["label"]), "letter")
        found.update(_blank_sources(f"letter.{move}", raw.get("blanks")))
    return found


def _blank_sources(prefix: str, blanks: object) -> dict[str, SourceText]:
    """A letter's blanks: ``<prefix>.blanks.<name>`` (the label shown in brackets) and
    ``<prefix>.blanks.<name>.<choice>`` (each option's word), plain sentences."""
    found: dict[str, SourceText] = {}
    if not isinstance(blanks, dict):
        return found
    for name, spec in blanks.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            continue
        found[f"{prefix}.blanks.{name}"] = SourceText(flat(spec["label"]), "format")
        choices = spec.get("choices")
        if isinstance(choices, dict):
            for choice, word in choices.items():
                if isinstance(word, str):
                    found[f"{prefix}.blanks.{name}.{choice}"] = SourceText(flat(word),
                                                                           "format")
    return found
