"""The letter templates in ``rules/letters/``, loaded and checked like rules.

One YAML file per move done in writing (``request_iee.yaml`` holds the letter asking for
an Independent Educational Evaluation), plus ``layout.yaml``, the frame every letter
shares: the date and addressee, the parent's note above the letter (why the move was
recommended, or that it was not; the blanks to fill; the clock the letter starts), the
sign-off and the not-legal-advice statement. Adding a letter for a new move is adding a
file; no code changes.

A letter file holds::

    move: request_iee                # a move id from the catalogue
    to: "..."                        # addressee (template)
    subject: "..."                   # subject line (template)
    sources:                         # what the letter relies on, cited in it
      - document: 003_37fd9ab441a04927.txt
        citation: 34 CFR 300.502(b)
    starts:                          # optional: the clock the letter starts
      parameter: records_response_days
      label: The district must let you see the records
    body: |                          # the letter itself: Markdown, a Jinja2 template
      ...
    postscript: |                    # optional: what follows the signature
      ...

Every template is checked at start-up exactly as a rule's ``because`` is (syntax, known
variables and fields, sample renders that never read "None"): a problem stops start-up
with the file, the move and the key. See :data:`escalate.text.variables.LETTER_VARIABLES`
for the variables a letter may use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from escalate.errors import RuleFileError
from escalate.rulebook import Rulebook, SourceSpec, _check_source, _Collector, _read_yaml
from escalate.text.templates import Sandbox, Text, check, lower_first
from escalate.text.variables import LETTER_VARIABLES, Group, phrases, sample_contexts

LETTERS_DIR = "letters"
LAYOUT_FILE = "layout.yaml"

# Letters keep their lines (Markdown); a block tag leaves no blank line behind.
LETTER_ENVIRONMENT = Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)
LETTER_ENVIRONMENT.filters["lower_first"] = lower_first


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StartsSpec(_Strict):
    parameter: str
    label: str


class LetterSpec(_Strict):
    move: str
    to: str
    subject: str
    sources: list[SourceSpec] = Field(min_length=1)
    starts: StartsSpec | None = None
    body: str = Field(min_length=20)
    postscript: str | None = None


class LayoutSpec(_Strict):
    note: str
    letter: str


@dataclass(frozen=True)
class LetterTemplate:
    """One move's letter, checked and compiled."""

    file: str
    move: str
    to: Text
    subject: Text
    body: Text
    postscript: Text | None
    sources: tuple[SourceSpec, ...]
    starts: StartsSpec | None


@dataclass(frozen=True)
class LetterBook:
    """Every letter template of a rules folder, and the shared layout."""

    letters: Mapping[str, LetterTemplate]
    note: Text | None
    layout: Text | None

    def get(self, move: str) -> LetterTemplate | None:
        return self.letters.get(move)


def _samples() -> list[dict[str, Any]]:
    """The reason samples, plus the letter's own variables in both states."""
    out = []
    missing = phrases().missing
    for i, values in enumerate(sample_contexts("letter")):
        recommended = i % 2 == 0
        out.append({
            **values, "today": values["as_of"], "school": missing["letter_school"],
            "parent": missing["letter_parent"],
            "letter": Group(move="written_concern", title="Put the concern in writing",
                            subject="A subject", to="A person"),
            "recommended": recommended,
            "instead": "" if recommended else "Go up the chain of command",
            "reasons": ["A reason."] if recommended else [],
            "sources": [Group(title="IEP Collaboration Techniques", section="A section",
                              citation="34 CFR 300.502(b)")],
            "starts": Group(known=recommended, label="A clock" if recommended else "",
                            due=values["as_of"] if recommended else "",
                            days="45 days" if recommended else "",
                            citation="34 CFR 300.613(a)" if recommended else ""),
            "body": "The body.\n",
            "postscript": "A note." if recommended else "",
            "blanks": ["[school name]"] if recommended else [],
        })
    return out


def _compile(file: str, move: str | None, key: str, source: str,
             samples: list[dict[str, Any]], problems: _Collector, *, flow: bool) -> Text | None:
    def report(message: str, name: str) -> None:
        problems.add(file, message, move, key, LETTER_VARIABLES if name else (),
                     near=name.split(".")[0] if name else None)

    return check(source if not flow else " ".join(source.split()), report, samples,
                 LETTER_VARIABLES, flow=flow, environment=LETTER_ENVIRONMENT)


def load_letters(rulebook: Rulebook) -> LetterBook:
    """Load and check ``<rules>/letters/``. A folder without one has no letters. Raises
    RuleFileError naming the file, the move and the key of every problem."""
    root = Path(rulebook.directory) / LETTERS_DIR
    if not root.is_dir():
        return LetterBook({}, None, None)
    problems = _Collector()
    samples = _samples()
    moves = [m.id for m in rulebook.moves]
    letters: dict[str, LetterTemplate] = {}
    note = layout = None
    for path in sorted(root.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        name = f"{LETTERS_DIR}/{path.name}"
        raw = _read_yaml(path, problems)
        if raw is None:
            problems.add(name, "is empty or not valid YAML")
            continue
        if path.name == LAYOUT_FILE:
            try:
                spec_layout = LayoutSpec.model_validate(raw)
            except ValidationError as error:
                problems.from_validation(name, error, raw, LayoutSpec)
                continue
            note = _compile(name, None, "note", spec_layout.note, samples, problems,
                            flow=False)
            layout = _compile(name, None, "letter", spec_layout.letter, samples, problems,
                              flow=False)
            continue
        try:
            spec = LetterSpec.model_validate(raw)
        except ValidationError as error:
            before = len(problems.problems)
            problems.from_validation(name, error, raw, LetterSpec)
            for problem in problems.problems[before:]:
                problem.rule_id = problem.rule_id or (raw.get("move") if isinstance(raw, dict)
                                                      else None)
            continue
        if spec.move not in moves:
            problems.add(name, f"unknown move {spec.move!r}", spec.move, "move", moves,
                         near=spec.move)
            continue
        if spec.move in letters:
            problems.add(name, f"a second letter for this move (the first is "
                         f"{letters[spec.move].file})", spec.move, "move")
            continue
        for source in spec.sources:
            _check_source(name, source, rulebook.documents, problems, spec.move)
        if spec.starts and spec.starts.parameter not in rulebook.parameters:
            problems.add(name, f"unknown parameter {spec.starts.parameter!r}", spec.move,
                         "starts.parameter", rulebook.parameters, near=spec.starts.parameter)
        texts = [_compile(name, spec.move, key, source, samples, problems, flow=flow)
                 for key, source, flow in (("to", spec.to, True),
                                           ("subject", spec.subject, True),
                                           ("body", spec.body, False))]
        to, subject, body = texts
        postscript = None if spec.postscript is None else _compile(
            name, spec.move, "postscript", spec.postscript, samples, problems, flow=False)
        if to is None or subject is None or body is None or (
                spec.postscript is not None and postscript is None):
            continue
        letters[spec.move] = LetterTemplate(
            file=name, move=spec.move, to=to, subject=subject, body=body,
            postscript=postscript,
            sources=tuple(spec.sources), starts=spec.starts)
    if letters and (note is None or layout is None) and not problems.problems:
        problems.add(f"{LETTERS_DIR}/{LAYOUT_FILE}", "is missing: every letter needs the "
                     "shared layout")
    if problems.problems:
        raise RuleFileError(problems.problems)
    return LetterBook(letters, note, layout)


__all__ = ["LETTERS_DIR", "LetterBook", "LetterSpec", "LetterTemplate",
           "load_letters"]
