"""A letter for one case: the move's template filled from the case, its advice and the
family's answers to its blanks.

:func:`compose` renders the letter as Markdown. A fact the case does not give is a marked
blank such as "[school name]", never invented; the family's answers (``answers``, by the
blank's name) replace them, as literal text. A letter with blanks left is a **draft**: a
note for the parent comes first (why the move was recommended, with its sources, or that
it was not; the blanks left; the clock the letter starts). With every blank answered the
letter is **final**: the letter alone, nothing to delete. A letter in another language
than English comes with its English, the same letter paragraph for paragraph (the family
reads one and sends the other). Nothing is logged or kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from escalate.days import add_length
from escalate.deadlines import parameter_value
from escalate.errors import EscalateError
from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH, date_text
from escalate.letters.book import MARKED_BLANK, Blank, LetterBook, load_letters, translated
from escalate.letters.formats import clean_text, join_parts
from escalate.models import Advice, Case
from escalate.rulebook import SourceSpec, cited
from escalate.text.glosses import reading
from escalate.text.literal import literal
from escalate.text.variables import Group, context, day_count, phrases

if TYPE_CHECKING:
    from escalate.i18n.locale import Locale
    from escalate.letters.book import LetterTemplate
    from escalate.rulebook import Rulebook

_BLANK_LINES = re.compile(r"\n{3,}")


MAX_ANSWER = 300  # characters of one answer to a blank


class BlankError(EscalateError):
    """An answer to a blank that the letter does not have, or cannot take."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name[:40]  # a client's key: named, bounded
        self.message = message
        super().__init__(f"blank {self.name!r}: {message}")


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
    left: tuple[Blank, ...] = ()  # the blanks not answered, in the letter's language
    english: Letter | None = None  # the English to send, when this one is a translation
    draft_mark: str = ""  # the mark of a draft, in the letter's language
    letter_only: str = ""  # the letter without the note (what a pair's English shows)

    @property
    def final(self) -> bool:
        """Every blank answered: nothing to fill or delete before sending."""
        return not self.left and (self.english is None or self.english.final)

    @property
    def langs(self) -> tuple[str, ...]:
        """The language of each part: the letter, then its English if it has one."""
        return (self.lang,) if self.english is None else (self.lang, ENGLISH)

    @property
    def filename_stem(self) -> str:
        return f"letter-{self.move.replace('_', '-')}-{self.as_of.isoformat()}"


class LetterWriter:
    """Every letter of one rulebook, in every language, and what filling one needs: the
    rulebook, the translations, the advice (``advise``) and the regulations' short names
    (``regulation_names``), given explicitly. The letters and their translations are
    loaded and checked when it is built: a broken one raises RuleFileError naming file,
    id and key (start-up and ``escalate rules check`` build one)."""

    def __init__(self, rulebook: Rulebook, locales: Mapping[str, Locale],
                 advise: Callable[[Case, str], Advice],
                 regulation_names: Callable[[str], Mapping[str, str]],
                 book: LetterBook | None = None) -> None:
        """``book``: the English letters, when already loaded (start-up loads them before
        the translations, so that a broken letter is reported as itself)."""
        self.rulebook = rulebook
        self.locales = locales
        self.advise = advise
        self.regulation_names = regulation_names
        self.letters: LetterBook = load_letters(rulebook) if book is None else book
        self.letter_books: dict[str, LetterBook] = {
            lang: self.letters if lang == ENGLISH else translated(self.letters, locale,
                                                                   rulebook)
            for lang, locale in locales.items()}

    def get(self, move: str) -> LetterTemplate | None:
        """The English template of ``move``'s letter (None: the move has no letter)."""
        return self.letters.get(move)

    @property
    def moves(self) -> list[str]:
        """The moves that have a letter, sorted."""
        return sorted(self.letters.letters)


def _starts(writer: LetterWriter, template: LetterTemplate, case: Case, lang: str) -> Group:
    if template.starts is None:
        return Group(known=False, label="", due="", days="", citation="")
    param = writer.rulebook.parameters[template.starts.parameter]
    amount, reference = parameter_value(param, case.as_of, case.state)
    due = add_length(case.as_of, amount, param.unit)
    return Group(known=True, label=template.starts.label, due=date_text(due, lang),
                 days=day_count((due - case.as_of).days, lang), citation=reference)


def check_answers(writer: LetterWriter, move: str,
                  answers: Mapping[str, str] | None) -> dict[str, str]:
    """The answers to ``move``'s blanks, cleaned (an empty answer is no answer). Raises
    BlankError naming a blank the letter does not have, a choice it does not offer, or an
    answer longer than :data:`MAX_ANSWER`."""
    known = writer.letters.blanks(move)
    out: dict[str, str] = {}
    for name, value in (answers or {}).items():
        blank = known.get(name)
        if blank is None:
            raise BlankError(name, "this letter has no such blank; its blanks: "
                             + ", ".join(sorted(known)))
        if not isinstance(value, str):
            raise BlankError(name, "must be a string")
        text = " ".join(clean_text(value).split())
        if len(text) > MAX_ANSWER:
            raise BlankError(name, f"is longer than {MAX_ANSWER} characters")
        if text and blank.choices and text not in blank.choices:
            raise BlankError(name, "must be one of: " + ", ".join(blank.choices))
        if text:
            out[name] = text
    return out


def _fill(text: str, blanks: Mapping[str, Blank],
          answers: Mapping[str, str]) -> tuple[str, list[Blank]]:
    """``text`` with each answered "[label]" replaced by its answer (a choice by its word),
    and the blanks left."""
    by_label = {b.label: b for b in blanks.values()}
    left: dict[str, Blank] = {}

    def replace(match: re.Match[str]) -> str:
        blank = by_label.get(" ".join(match.group(1).split()))
        if blank is None:
            return match.group(0)
        answer = answers.get(blank.name)
        if answer is None:
            left[blank.name] = blank
            for word in blank.choices.values():  # a blank inside a choice, asked with it
                for inner in MARKED_BLANK.findall(word):
                    found = by_label.get(" ".join(inner.split()))
                    if found is not None and found.name not in answers:
                        left.setdefault(found.name, found)
            return match.group(0)
        return blank.choices[answer] if blank.choices else literal(answer)

    return MARKED_BLANK.sub(replace, text), list(left.values())


# the fact the rules derive when IDEA's discipline protections apply (an IEP, or a basis
# of knowledge, 34 CFR 300.534(b)): rules/00_derived_facts.yaml
IDEA_DISCIPLINE = "district_knew_of_disability"


def compose(writer: LetterWriter, case: Case, move: str, advice: Advice | None = None,
            lang: str = ENGLISH, answers: Mapping[str, str] | None = None) -> Letter:
    """The letter for ``move`` filled from ``case`` and the family's ``answers`` to its
    blanks, in ``lang``, with its English when ``lang`` is another language (a letter with
    no full translation is written in English, whole, and says so in ``fallbacks``).
    Raises NoLetterError when the move has no letter template, BlankError on an answer it
    cannot take."""
    filled = check_answers(writer, move, answers)
    letter = _compose(writer, case, move, advice, lang, filled)
    if letter.lang == ENGLISH:
        return letter
    english = _compose(writer, case, move, None, ENGLISH, filled)
    return dataclasses.replace(letter, english=english)


def _compose(writer: LetterWriter, case: Case, move: str, advice: Advice | None,
             lang: str, answers: Mapping[str, str]) -> Letter:
    book = writer.letter_books.get(lang, writer.letters)
    template = book.get(move)
    fallbacks: tuple[str, ...] = ()
    if template is not None and template.lang != lang:
        book, fallbacks = writer.letters, (f"letter.{move}",)
        template = book.get(move)
    if template is None or book.note is None or book.layout is None:
        raise NoLetterError(move, writer.moves)
    written = template.lang
    if advice is None or advice.language != written:
        advice = writer.advise(case, written)
    recommendation = next((r for r in advice.recommendations if r.move.value == move), None)
    rulebook = writer.rulebook
    titles = {m.id: (writer.locales[written].text(ids.move_title(m.id)) or m.title)
              for m in rulebook.moves}
    # the move's title in the situation the advice worded it for (its rules name it: a
    # behaviour plan with the child's return only after a manifestation finding)
    spec = rulebook.move(move)
    situation = (spec.situation(rule.wording for rule in rulebook.rules
                                if rule.id in recommendation.rules)
                 if recommendation is not None else None)
    own_title = spec.for_situation[situation].title if situation is not None else None
    if situation is not None and own_title:
        titles[move] = (writer.locales[written].text(
            ids.move_situation(move, situation, "title")) or own_title)
    missing = phrases(written).missing
    values: dict[str, Any] = context(case, advice.deadlines, "letter", titles,
                                     lang=written).full()
    values.update(
        today=date_text(case.as_of, written), school=missing["letter_school"],
        parent=missing["letter_parent"],
        recommended=recommendation is not None,
        # the rules' decision (rules/00_derived_facts.yaml), never the letter's own
        idea_discipline=IDEA_DISCIPLINE in advice.trace.facts_derived,
        instead=(advice.next_move.title if recommendation is None and advice.next_move
                 else ""),
        reasons=[literal(r.text) for r in recommendation.reasons] if recommendation else [],
        sources=[Group(title=rulebook.source_title(s, writer.regulation_names(written)) or "",
                       section=s.section or "",
                       citation=((s.citation if written == ENGLISH else
                                  cited(s.citation, writer.regulation_names(written)))
                                 or "")) for s in template.sources],
        starts=_starts(writer, template, case, written),
    )
    values["letter"] = Group(move=move, title=titles[move], subject="", to="")
    subject = template.subject.render(values)
    values["letter"] = Group(move=move, title=titles[move], subject=subject,
                             to=template.to.render(values))
    values["body"] = template.body.render(values, flow=False).strip() + "\n"
    # a source cited only in some cases is listed only where the letter cites it
    values["sources"] = [group for group, source in zip(values["sources"], template.sources,
                                                        strict=True)
                         if not source.when_cited or _cites(values["body"], source)]
    values["postscript"] = (template.postscript.render(values, flow=False).strip()
                            if template.postscript else "")
    values["blanks"] = []
    letter, _ = _fill(book.layout.render(values, flow=False).strip(),
                      book.blanks(move), answers)
    letter, left = _fill(letter, book.blanks(move), answers)  # blanks inside a choice
    subject, _ = _fill(subject, book.blanks(move), answers)
    values["blanks"] = [b.marked for b in left]
    # the letter is one document, the note another (the letter is sent on its own): each
    # term a family hears in English has it at its first use (escalate/text/glosses.py),
    # the family's own words left as typed, and the blanks too (an answered blank goes,
    # with whatever English it held), and the sources' titles (documents, by their names)
    family = [*_family_words(case, answers), *(b.marked for b in book.blanks(move).values()),
              *(text for source in values["sources"]
                for text in (source.title, source.section, source.citation))]
    letter = reading(written)(letter, family)
    subject = reading(written)(subject, family)
    letter_only = _BLANK_LINES.sub("\n\n", f"{letter}\n")
    markdown = letter_only
    if left:  # a draft: the note first, for the parent
        note = reading(written)(book.note.render(values, flow=False).strip(), family)
        markdown = _BLANK_LINES.sub("\n\n", f"{note}\n\n{letter}\n")
    return Letter(move=move, title=titles[move], subject=subject,
                  recommended=recommendation is not None, markdown=markdown,
                  blanks=tuple(b.marked for b in left), as_of=case.as_of, lang=written,
                  fallbacks=fallbacks, left=tuple(left), draft_mark=book.draft,
                  letter_only=letter_only)


def _cites(body: str, source: SourceSpec) -> bool:
    """Whether ``body`` cites ``source``: its citation's number ("300.530(e)"), as the
    letters write it after "34 CFR" or in a list of sections."""
    number = (source.citation or "").removeprefix("34 CFR ").strip()
    return bool(number) and number in body


def _family_words(case: Case, answers: Mapping[str, str]) -> list[str]:
    """What the family typed that a letter may quote, as typed and as the letter writes it."""
    typed = [case.student.name if case.student else None,
             case.concern.summary if case.concern else None, *answers.values()]
    return [form for text in typed if text for form in (text, literal(text))]


def pair_markdown(letter: Letter, writer: LetterWriter) -> str:
    """The Markdown of ``letter`` with its English after it, when it has one: the
    translation opens with a line saying it is for reading and the English is sent."""
    if letter.english is None:
        return letter.markdown
    pair = writer.letter_books[letter.lang].pair
    return join_parts([f"*{literal(pair)}*\n\n{letter.markdown}", letter.english.letter_only])
