"""A letter for one case: the move's template filled from the case and its advice.

:func:`compose` renders the letter as Markdown: a note for the parent first (why the move
was recommended, with its sources, or a plain statement that it was not recommended for
these facts; the blanks left to fill; the clock the letter starts), then the letter. A
fact the case does not give is left as a marked blank such as "[school name]", never
invented. Nothing is logged or kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from escalate.days import add_length
from escalate.deadlines import parameter_value
from escalate.errors import EscalateError
from escalate.i18n.formats import ENGLISH, date_text
from escalate.models import Advice, Case
from escalate.text.variables import Group, context, day_count, phrases

if TYPE_CHECKING:
    from escalate.advisor import Advisor
    from escalate.letters.book import LetterTemplate

_BLANK_LINES = re.compile(r"\n{3,}")
_BLANK = re.compile(r"\[[^\[\]]{2,120}\]")


class NoLetterError(EscalateError):
    """There is no letter template for this move (it is not done in writing)."""

    def __init__(self, move: str, available: list[str]) -> None:
        self.move = move
        self.available = available
        super().__init__(f"no letter for the move {move!r}; letters exist for: "
                         + ", ".join(available))


@dataclass(frozen=True)
class Letter:
    """A filled letter, in Markdown, and what a caller needs to say about it."""

    move: str
    title: str
    subject: str
    recommended: bool
    markdown: str
    blanks: tuple[str, ...]
    as_of: dt.date
    lang: str = ENGLISH  # the language it is written in
    fallbacks: tuple[str, ...] = ()  # ids said in English (the whole letter, if any)

    @property
    def filename_stem(self) -> str:
        return f"letter-{self.move.replace('_', '-')}-{self.as_of.isoformat()}"


def _starts(advisor: Advisor, template: LetterTemplate, case: Case, lang: str) -> Group:
    if template.starts is None:
        return Group(known=False, label="", due="", days="", citation="")
    param = advisor.rulebook.parameters[template.starts.parameter]
    amount, reference = parameter_value(param, case.as_of, case.state)
    due = add_length(case.as_of, amount, param.unit)
    return Group(known=True, label=template.starts.label, due=date_text(due, lang),
                 days=day_count((due - case.as_of).days, lang), citation=reference)


def compose(advisor: Advisor, case: Case, move: str, advice: Advice | None = None,
            lang: str = ENGLISH) -> Letter:
    """The letter for ``move`` filled from ``case``, in ``lang`` (a letter with no full
    translation is written in English, whole, and says so in ``fallbacks``). Raises
    NoLetterError when the move has no letter template."""
    book = advisor.letter_books.get(lang, advisor.letters)
    template = book.get(move)
    fallbacks: tuple[str, ...] = ()
    if template is not None and template.lang != lang:
        book, fallbacks = advisor.letters, (f"letter.{move}",)
        template = book.get(move)
    if template is None or book.note is None or book.layout is None:
        raise NoLetterError(move, sorted(advisor.letters.letters))
    written = template.lang
    if advice is None or advice.language != written:
        advice = advisor.advise(case, written)
    recommendation = next((r for r in advice.recommendations if r.move.value == move), None)
    rulebook = advisor.rulebook
    titles = {m.id: (advisor.locales[written].text(f"move.{m.id}.title") or m.title)
              for m in rulebook.moves}
    missing = phrases(written).missing
    values: dict[str, Any] = context(case, advice.deadlines, "letter", titles,
                                     lang=written).full()
    values.update(
        today=date_text(case.as_of, written), school=missing["letter_school"],
        parent=missing["letter_parent"],
        recommended=recommendation is not None,
        instead=(advice.next_move.title if recommendation is None and advice.next_move
                 else ""),
        reasons=[r.text for r in recommendation.reasons] if recommendation else [],
        sources=[Group(title=rulebook.source_title(s, advisor.regulation_names(written)) or "",
                       section=s.section or "",
                       citation=s.citation or "") for s in template.sources],
        starts=_starts(advisor, template, case, written),
    )
    values["letter"] = Group(move=move, title=titles[move], subject="", to="")
    subject = template.subject.render(values)
    values["letter"] = Group(move=move, title=titles[move], subject=subject,
                             to=template.to.render(values))
    values["body"] = template.body.render(values, flow=False).strip() + "\n"
    values["postscript"] = (template.postscript.render(values, flow=False).strip()
                            if template.postscript else "")
    values["blanks"] = []
    letter = book.layout.render(values, flow=False).strip()
    blanks = tuple(dict.fromkeys(" ".join(b.split()) for b in _BLANK.findall(letter)))
    values["blanks"] = list(blanks)
    note = book.note.render(values, flow=False).strip()
    markdown = _BLANK_LINES.sub("\n\n", f"{note}\n\n{letter}\n")
    return Letter(move=move, title=titles[move], subject=subject,
                  recommended=recommendation is not None, markdown=markdown, blanks=blanks,
                  as_of=case.as_of, lang=written, fallbacks=fallbacks)
