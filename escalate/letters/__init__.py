"""Letters ready to send: every move done in writing has a letter template in
``rules/letters/``, filled from the case and from the reasons the move was recommended.

- :mod:`.book`: the templates, loaded and checked at start-up like rules;
- :mod:`.compose`: one case's letter, in Markdown, its blanks filled with the family's
  answers; a draft (blanks left) opens with a note for the parent;
- :mod:`.formats`: Markdown, .docx and tagged PDF.

:class:`~escalate.letters.compose.LetterWriter` holds one rulebook's letters in every
language (built from what it needs: the rulebook, the translations, the advice);
:func:`letters_for` gives the one kept with an advisor. :func:`write_letter` writes one
letter (the call the tests and embedding code use; the CLI and the API go through
:class:`escalate.service.Escalate`); :func:`blanks_of` lists the blanks a case's letter
leaves (for a form to fill). A letter for a move the
advice does not recommend is still written (parents know things the case does not), and
says so while it is a draft. With every blank answered the letter is final in every
format: no brackets, no note. With blanks left, the .md and .docx keep them visible to edit
and the PDF is marked "draft" on every page. A letter in Spanish comes with its English,
one after the other (each on its own page in .docx and PDF). Nothing is logged or kept.
The letters are general information, not legal advice, and say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from escalate.advisor import Advisor, get_advisor
from escalate.letters.book import Blank, LetterBook, load_letters
from escalate.letters.compose import (
    MAX_ANSWER,
    BlankError,
    Letter,
    LetterWriter,
    NoLetterError,
    check_answers,
    compose,
    pair_markdown,
)
from escalate.letters.formats import (
    FORMATS,
    MEDIA_TYPES,
    Format,
    FormatError,
    pdf_problem,
    render,
)
from escalate.models import Case


@dataclass(frozen=True)
class LetterFile:
    """A letter in one format, ready to save or send."""

    letter: Letter
    format: Format
    content: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def filename(self) -> str:
        return f"{self.letter.filename_stem}.{self.format}"

    @property
    def recommended(self) -> bool:
        return self.letter.recommended


def letters_for(advisor: Advisor | None = None, book: LetterBook | None = None
                ) -> LetterWriter:
    """The letters of ``advisor`` (the process-wide advisor by default) in every language,
    built and checked on first use and kept with the advisor. ``book``: its English
    letters, when already loaded."""
    chosen = advisor if advisor is not None else get_advisor()
    return chosen.part("letters", lambda: LetterWriter(
        chosen.rulebook, chosen.locales, chosen.advise, chosen.regulation_names, book))


def _writer(letters: Advisor | LetterWriter | None) -> LetterWriter:
    return letters if isinstance(letters, LetterWriter) else letters_for(letters)


def write_letter(case: Case, move: str, fmt: Format = "md",
                 advisor: Advisor | LetterWriter | None = None, lang: str = "en",
                 blanks: Mapping[str, str] | None = None) -> LetterFile:
    """The letter for ``move`` filled from ``case`` and the answers to its ``blanks`` (by
    name), in ``fmt`` (md, docx or pdf) and in ``lang`` (``letter.lang`` says the language
    it came out in; a translation comes with its English).

    Uses the process-wide advisor's letters unless an advisor (or its letters) is given.
    Raises NoLetterError when the move has no letter template, BlankError on an answer it
    cannot take."""
    writer = _writer(advisor)
    letter = compose(writer, case, move, lang=lang, answers=blanks)
    draft = "" if letter.final else letter.draft_mark
    return LetterFile(letter, fmt, render(pair_markdown(letter, writer), letter.subject, fmt,
                                          letter.lang, draft, letter.langs))


def blanks_of(case: Case, move: str, advisor: Advisor | LetterWriter | None = None,
              lang: str = "en", blanks: Mapping[str, str] | None = None) -> list[Blank]:
    """The blanks ``move``'s letter for ``case`` leaves once ``blanks`` are answered, in
    ``lang`` (a pair's English blanks included), each once."""
    letter = compose(_writer(advisor), case, move, lang=lang, answers=blanks)
    found = {b.name: b for b in letter.left}
    for blank in letter.english.left if letter.english else ():
        found.setdefault(blank.name, blank)
    return list(found.values())


__all__ = ["FORMATS", "MAX_ANSWER", "MEDIA_TYPES", "Blank", "BlankError", "Format",
           "FormatError", "Letter", "LetterBook", "LetterFile", "LetterWriter", "NoLetterError",
           "blanks_of", "check_answers", "compose", "letters_for", "load_letters", "pair_markdown",
           "pdf_problem", "write_letter"]
