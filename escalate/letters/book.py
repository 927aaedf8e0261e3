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
        when_cited: false            # true: listed only when the letter as written cites it
    starts:                          # optional: the clock the letter starts
      parameter: records_response_days
      label: The district must let you see the records
    body: |                          # the letter itself: Markdown, a Jinja2 template
      ...
    postscript: |                    # optional: what follows the signature
      ...
    blanks:                          # what the family fills in, by a stable name
      director: {label: "director's name"}        # written "[director's name]" above
      hearing: {label: "hearing or meeting", choices: {hearing: hearing, meeting: meeting}}

**Blanks.** Every "[...]" a letter can print is a declared blank: its ``label`` is the
text in the brackets (in the letter's language; the Spanish labels and choice words are
``letter.<move>.blanks.<name>`` and ``...blanks.<name>.<choice>`` in the locale), and its
name is what the API, the CLI and the page fill (``{"blanks": {"director": "Ms Lee"}}``).
A blank with ``choices`` takes one of its option names and prints that option's word in
the letter's language (a Spanish letter says "madre", never "madre o padre"). The layout
declares the blanks every letter shares (the parent's name and role, the school...). A
bracket in a rendered sample that is no declared blank stops start-up.

**No tool words.** A letter is the family's: a letter text may not print a move id, a
case field name, the intake summary (``concern.summary`` / ``concern.own_words``), the
tool's step titles (``timeline``, ``letter.title``), nor the advice's ``reasons`` and
``instead`` (those are for the note above the letter). The start-up check refuses them,
naming file, move and key.

Every template is checked at start-up exactly as a rule's ``because`` is (syntax, known
variables and fields, sample renders that never read "None"): a problem stops start-up
with the file, the move and the key. See :data:`escalate.text.variables.LETTER_VARIABLES`
for the variables a letter may use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from pydantic import BaseModel, ConfigDict, Field

from escalate.errors import RuleFileError, RuleProblem
from escalate.rulebook import Rulebook, SourceSpec, check_source
from escalate.strict import Problems, read_yaml, validate
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


BLANK_NAME = r"^[a-z][a-z0-9_]{0,39}$"


class BlankSpec(_Strict):
    label: str = Field(min_length=2, max_length=120)
    choices: dict[str, str] | None = None


@dataclass(frozen=True)
class Blank:
    """A blank the family fills: its name, its label in a language (the words shown in
    the brackets) and, for a choice, each option's word in that language."""

    name: str
    label: str
    choices: Mapping[str, str] = field(default_factory=dict)

    @property
    def marked(self) -> str:
        return f"[{self.label}]"


def _blanks(specs: Mapping[str, BlankSpec]) -> dict[str, Blank]:
    return {name: Blank(name, spec.label, dict(spec.choices or {}))
            for name, spec in specs.items()}


class LetterSource(SourceSpec):
    """A source the letter relies on. ``when_cited``: listed in the note only when the
    letter as written for the case cites it (a manifestation letter for a child with only
    a 504 plan cites Section 504, not IDEA's 10 school days)."""

    when_cited: bool = False


class LetterSpec(_Strict):
    move: str
    to: str
    subject: str
    sources: list[LetterSource] = Field(min_length=1)
    starts: StartsSpec | None = None
    body: str = Field(min_length=20)
    postscript: str | None = None
    blanks: dict[str, BlankSpec] = Field(default_factory=dict)


class LayoutSpec(_Strict):
    note: str
    letter: str
    draft: str
    pair: str
    blanks: dict[str, BlankSpec]


@dataclass(frozen=True)
class LetterTemplate:
    """One move's letter, checked and compiled."""

    file: str
    move: str
    to: Text
    subject: Text
    body: Text
    postscript: Text | None
    sources: tuple[LetterSource, ...]
    starts: StartsSpec | None
    lang: str = "en"  # the language of its words
    blanks: Mapping[str, Blank] = field(default_factory=dict)


@dataclass(frozen=True)
class LetterBook:
    """Every letter template of a rules folder, and the shared layout, in one language
    (a letter with no full translation stays in English, with the English layout)."""

    letters: Mapping[str, LetterTemplate]
    note: Text | None
    layout: Text | None
    lang: str = "en"
    shared: Mapping[str, Blank] = field(default_factory=dict)  # the layout's blanks
    draft: str = ""  # the mark of a letter with blanks left
    pair: str = ""  # the line atop a translation sent with its English

    def blanks(self, move: str) -> dict[str, Blank]:
        """Every blank of ``move``'s letter (its own and the layout's), by name."""
        template = self.letters.get(move)
        return {**self.shared, **(template.blanks if template else {})}

    def get(self, move: str) -> LetterTemplate | None:
        return self.letters.get(move)


def _samples() -> list[dict[str, Any]]:
    return letter_samples()


def letter_samples(lang: str = "en") -> list[dict[str, Any]]:
    """The reason samples, plus the letter's own variables in both states."""
    out = []
    missing = phrases(lang).missing
    for i, values in enumerate(sample_contexts("letter", lang)):
        recommended = i % 2 == 0
        out.append({
            **values, "today": values["as_of"], "school": missing["letter_school"],
            "parent": missing["letter_parent"],
            "letter": Group(move="written_concern", title="Put the concern in writing",
                            subject="A subject", to="A person"),
            "recommended": recommended,
            "idea_discipline": not recommended,
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
             samples: list[dict[str, Any]], problems: Problems, *, flow: bool) -> Text | None:
    def report(message: str, name: str) -> None:
        problems.add(file, message, move, key, LETTER_VARIABLES if name else (),
                     near=name.split(".")[0] if name else None)

    return check(source if not flow else " ".join(source.split()), report, samples,
                 LETTER_VARIABLES, flow=flow, environment=LETTER_ENVIRONMENT)


MARKED_BLANK = re.compile(r"(?<!\\)\[([^\[\]]{2,160})\]")
# What only the note may use: the advice's words, the tool's step titles, the intake summary.
_NOTE_ONLY = re.compile(r"\b(?:timeline|reasons|instead|blanks|sources)\b|"
                        r"\bconcern\.(?:summary|own_words)\b|\bletter\.(?:title|move)\b")
_JINJA = re.compile(r"\{[{%](.*?)[}%]\}", re.DOTALL)
SAMPLE_SUMMARY = "asked for a 1:1 aide"  # the intake summary of the full sample case


@lru_cache(maxsize=1)
def _field_names() -> tuple[str, ...]:
    """The case's field names a letter must never print: every snake_case name and every
    dotted path of :class:`escalate.models.Case`."""
    from pydantic import BaseModel as Model

    from escalate.models import Case

    found: set[str] = set()

    def walk(model: type[Model], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            if "_" in name:
                found.add(name)
            if prefix:
                found.add(path)
            inner = info.annotation
            for candidate in getattr(inner, "__args__", (inner,)):
                if isinstance(candidate, type) and issubclass(candidate, Model):
                    walk(candidate, f"{path}.")

    walk(Case, "")
    return tuple(sorted(found, key=len, reverse=True))


@lru_cache(maxsize=8)
def _any_tool_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of ``words`` standing on its own (a quick first look)."""
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def tool_words(text: str, rulebook: Rulebook) -> Iterator[str]:
    """The tool's own words in ``text``: move ids, case field names, step titles, the
    sample intake summary."""
    words = (*(m.id for m in rulebook.moves if "_" in m.id), *_field_names())
    if _any_tool_word(words).search(text):  # else none of them is there
        for word in words:
            if re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", text):
                yield word
    for move in rulebook.moves:
        if move.title in text:
            yield move.title
    if SAMPLE_SUMMARY in text:
        yield SAMPLE_SUMMARY


def check_letter_texts(file: str, move: str | None, texts: Mapping[str, tuple[str, Text]],
                       labels: set[str], rulebook: Rulebook, samples: list[dict[str, Any]],
                       report: Any) -> None:
    """The start-up check of a letter's own texts (``key -> (source, compiled)``): no
    note-only variable, no tool word, every bracket a declared blank. ``report(message,
    key)`` records a problem."""
    for key, (source, text) in texts.items():
        used = _NOTE_ONLY.search(" ".join(_JINJA.findall(source)))
        if used:
            report(f"a letter may not use {used.group(0)!r}: the advice's words, the "
                   "tool's step titles and the intake summary belong in the note; give "
                   "the family a blank for their own words", key)
            continue
        flow = key in ("to", "subject")
        for sample in samples:
            out = text.render(sample, flow=flow)
            words = sorted(set(tool_words(out, rulebook)))
            if words:
                report("a letter may not print the tool's words: " + ", ".join(words), key)
                break
            unknown = sorted({" ".join(m.split()) for m in MARKED_BLANK.findall(out)} - labels)
            if unknown:
                report("undeclared blank " + ", ".join(f"[{u}]" for u in unknown)
                       + ": declare it under 'blanks' (or in layout.yaml) with this label",
                       key)
                break


def load_letters(rulebook: Rulebook) -> LetterBook:
    """Load and check ``<rules>/letters/``. A folder without one has no letters. Raises
    RuleFileError naming the file, the move and the key of every problem."""
    root = Path(rulebook.directory) / LETTERS_DIR
    if not root.is_dir():
        return LetterBook({}, None, None)
    problems = Problems()
    samples = _samples()
    moves = [m.id for m in rulebook.moves]
    letters: dict[str, LetterTemplate] = {}
    note = layout = None
    shared: dict[str, Blank] = {}
    draft = pair = ""
    layout_sources: dict[str, tuple[str, Text]] = {}
    for path in sorted(root.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        name = f"{LETTERS_DIR}/{path.name}"
        before = len(problems)
        raw = read_yaml(path, problems, name)
        if raw is None:
            if len(problems) == before:
                problems.add(name, "is empty")
            continue
        if path.name == LAYOUT_FILE:
            spec_layout = validate(raw, LayoutSpec, name, problems)
            if spec_layout is None:
                continue
            note = _compile(name, None, "note", spec_layout.note, samples, problems,
                            flow=False)
            layout = _compile(name, None, "letter", spec_layout.letter, samples, problems,
                              flow=False)
            _check_names(name, None, spec_layout.blanks, problems)
            shared = _blanks(spec_layout.blanks)
            draft, pair = " ".join(spec_layout.draft.split()), " ".join(
                spec_layout.pair.split())
            if layout is not None:
                layout_sources = {"letter": (spec_layout.letter, layout)}
            continue
        move = raw.get("move") if isinstance(raw, dict) else None
        spec = validate(raw, LetterSpec, name, problems, move if isinstance(move, str) else None)
        if spec is None:
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
            check_source(name, source, rulebook.documents, problems, spec.move)
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
        _check_names(name, spec.move, spec.blanks, problems)
        letters[spec.move] = LetterTemplate(
            file=name, move=spec.move, to=to, subject=subject, body=body,
            postscript=postscript,
            sources=tuple(spec.sources), starts=spec.starts, blanks=_blanks(spec.blanks))
    if letters and (note is None or layout is None) and not problems.problems:
        problems.add(f"{LETTERS_DIR}/{LAYOUT_FILE}", "is missing: every letter needs the "
                     "shared layout")
    shared_labels = {b.label for b in shared.values()}
    for template in letters.values():
        own = {b.label for b in template.blanks.values()}
        for name in sorted(set(template.blanks) & set(shared)):
            problems.add(template.file, f"the blank {name!r} is already a blank of "
                         "layout.yaml: use that one, or another name", template.move,
                         f"blanks.{name}")
        for label in sorted(own & shared_labels):
            problems.add(template.file, f"the label [{label}] is already a blank of "
                         "layout.yaml: use that one", template.move, "blanks")
        own_texts: dict[str, tuple[str, Text]] = {
            "to": (_source(template.to), template.to),
            "subject": (_source(template.subject), template.subject),
            "body": (_source(template.body), template.body)}
        if template.postscript is not None:
            own_texts["postscript"] = (_source(template.postscript), template.postscript)
        check_letter_texts(template.file, template.move, own_texts, own | shared_labels,
                           rulebook, samples,
                           lambda message, key, t=template: problems.add(
                               t.file, message, t.move, key))
    check_letter_texts(f"{LETTERS_DIR}/{LAYOUT_FILE}", None, layout_sources, shared_labels,
                       rulebook, samples, lambda message, key: problems.add(
                           f"{LETTERS_DIR}/{LAYOUT_FILE}", message, None, key))
    if problems.problems:
        raise RuleFileError(problems.problems)
    return LetterBook(letters, note, layout, shared=shared, draft=draft, pair=pair)


def _source(text: Text) -> str:
    return text.source


def _check_names(file: str, move: str | None, specs: Mapping[str, BlankSpec],
                 problems: Problems) -> None:
    seen: dict[str, str] = {}
    for name, spec in specs.items():
        if not re.match(BLANK_NAME, name):
            problems.add(file, f"a blank's name is lower_snake_case: {name!r}", move,
                         f"blanks.{name}")
        if spec.label in seen:
            problems.add(file, f"the label [{spec.label}] is used twice ({seen[spec.label]}"
                         f", {name})", move, f"blanks.{name}")
        seen[spec.label] = name
        if spec.choices is not None and (not spec.choices or any(
                not re.match(BLANK_NAME, c) for c in spec.choices)):
            problems.add(file, "choices name lower_snake_case options, at least one", move,
                         f"blanks.{name}.choices")


def _translated_blanks(blanks: Mapping[str, Blank], prefix: str,
                       locale: Any) -> dict[str, Blank] | None:
    """``blanks`` with their labels and choice words in the locale's language, or None
    when any is missing or stale."""
    out: dict[str, Blank] = {}
    for name, blank in blanks.items():
        label = locale.text(f"{prefix}.blanks.{name}")
        choices = {c: locale.text(f"{prefix}.blanks.{name}.{c}") for c in blank.choices}
        if label is None or any(word is None for word in choices.values()):
            return None
        out[name] = Blank(name, " ".join(label.split()),
                          {c: " ".join(str(w).split()) for c, w in choices.items()})
    return out


def translated(book: LetterBook, locale: Any, rulebook: Rulebook | None = None) -> LetterBook:
    """``book`` in the language of ``locale`` (an :class:`escalate.i18n.locale.Locale`):
    each letter whose every part has a current translation (its blanks' labels and choice
    words included), with the translated layout; a letter missing any part is left in
    English, whole. With ``rulebook``, each translated letter is checked as the English
    ones are (no tool words, every bracket a declared blank in this language): a problem
    raises RuleFileError naming the locale file and the id."""
    note = locale.template("letter.layout.note")
    layout = locale.template("letter.layout.letter")
    draft = locale.text("letter.layout.draft")
    pair = locale.text("letter.layout.pair")
    shared = _translated_blanks(book.shared, "letter.layout", locale)
    if note is None or layout is None or shared is None or draft is None or pair is None:
        return LetterBook(book.letters, book.note, book.layout, "en", book.shared,
                          book.draft, book.pair)
    problems: list[Any] = []
    samples = letter_samples(locale.lang) if rulebook is not None else []
    shared_labels = {b.label for b in shared.values()}
    letters: dict[str, LetterTemplate] = {}
    for move, template in book.letters.items():
        to = locale.template(f"letter.{move}.to")
        subject = locale.template(f"letter.{move}.subject")
        body = locale.template(f"letter.{move}.body")
        postscript = (locale.template(f"letter.{move}.postscript")
                      if template.postscript is not None else None)
        label = (locale.text(f"letter.{move}.starts.label")
                 if template.starts is not None else None)
        blanks = _translated_blanks(template.blanks, f"letter.{move}", locale)
        if to is None or subject is None or body is None or blanks is None or (
                template.postscript is not None and postscript is None) or (
                template.starts is not None and label is None):
            letters[move] = template
            continue
        starts = (StartsSpec(parameter=template.starts.parameter, label=label or "")
                  if template.starts is not None else None)
        letters[move] = LetterTemplate(
            file=template.file, move=move, to=to, subject=subject,
            body=body, postscript=postscript, sources=template.sources,
            starts=starts, lang=locale.lang, blanks=blanks)
        if rulebook is not None:
            texts = {key: (text.source, text) for key, text in (
                ("to", to), ("subject", subject), ("body", body), ("postscript", postscript))
                if text is not None}
            check_letter_texts(
                locale.file, move, texts, shared_labels | {b.label for b in blanks.values()},
                rulebook, samples, lambda message, key, m=move: problems.append(RuleProblem(
                    locale.file, message, f"letter.{m}.{key}", "text")))
    if rulebook is not None:
        check_letter_texts(locale.file, None, {"letter": (layout.source, layout)},
                           shared_labels, rulebook, samples,
                           lambda message, key: problems.append(RuleProblem(
                               locale.file, message, "letter.layout.letter", "text")))
    if problems:
        raise RuleFileError(problems)
    return LetterBook(letters, note, layout, locale.lang, shared, " ".join(draft.split()),
                      " ".join(pair.split()))


__all__ = ["LETTERS_DIR", "Blank", "LetterBook", "LetterSpec", "LetterTemplate",
           "load_letters", "translated"]
