"""Letters ready to send: every move done in writing has a letter template in
``rules/letters/``, filled from the case and from the reasons the move was recommended.

- :mod:`.book`: the templates, loaded and checked at start-up like rules;
- :mod:`.compose`: one case's letter, in Markdown, with a note for the parent;
- :mod:`.formats`: Markdown, .docx and tagged PDF.

:func:`write_letter` is the one call the CLI, the API and the tests use. A letter for a
move the advice does not recommend is still written (parents know things the case does
not), and says so. Nothing is logged or kept. The letters are general information, not
legal advice, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from escalate.letters.book import LetterBook, load_letters
from escalate.letters.compose import Letter, NoLetterError, compose
from escalate.letters.formats import (
    FORMATS,
    MEDIA_TYPES,
    Format,
    FormatError,
    pdf_problem,
    render,
)
from escalate.models import Case

if TYPE_CHECKING:
    from escalate.advisor import Advisor


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


def write_letter(case: Case, move: str, fmt: Format = "md",
                 advisor: Advisor | None = None, lang: str = "en") -> LetterFile:
    """The letter for ``move`` filled from ``case``, in ``fmt`` (md, docx or pdf) and in
    ``lang`` (``letter.lang`` says the language it came out in).

    Uses the process-wide advisor unless one is given. Raises NoLetterError when the
    move has no letter template."""
    from escalate.advisor import get_advisor

    chosen = advisor if advisor is not None else get_advisor()
    letter = compose(chosen, case, move, lang=lang)
    return LetterFile(letter, fmt, render(letter.markdown, letter.subject, fmt, letter.lang))


__all__ = ["FORMATS", "MEDIA_TYPES", "Format", "FormatError", "Letter", "LetterBook",
           "LetterFile", "NoLetterError", "load_letters", "pdf_problem", "write_letter"]
