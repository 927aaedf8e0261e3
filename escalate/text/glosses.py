"""The English a family will hear at school, given once per document.

A Spanish-speaking parent hears some terms in English at every meeting ("the IEP", "Prior
Written Notice", "stay-put"). The first time such a term appears in a document (an
advice read from the top, a letter, a calendar, an explanation, a why-not report, the
page) it is followed by that English in parentheses, so the parent can name it to the
school; after that it is said plainly. A term a family does not hear in English (a
cognate such as "mediación") gets no English at all.

The terms are data: the ``glosses`` block of the language's ``phrases.yaml`` (English has
none, so an English document is left as it is). Each gives the term, its other forms (a
plural), the acronym schools use on their own ("IEP") and the English to give.

A :class:`Reading` is one document read from the top. Called on each text in reading
order, it makes the first use of each term glossed and every later use plain, whatever
the translation wrote: a term written bare at its first use gains its English, an acronym
used on its own first is said in full ("del IEP" -> "del programa de educación
individualizado (IEP)"), and a gloss repeated later is taken out. So a text need not know
where in a document it will be read, and a renderer that shows the texts in another order
(the command line's top moves only, an explanation printed under its advice) reads them
again with a new :class:`Reading` and gets the same rule.

A term inside a longer one ("debido proceso" in "queja de debido proceso (due process
complaint)") is read as the longer term; its English given there ("due process" inside
"due process complaint") counts as given for the shorter one too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from escalate.i18n.formats import ENGLISH
from escalate.models import Advice, Deadline, Explanation, Recommendation, WhyNot
from escalate.text.variables import GlossEntry, phrases

_OPENING = re.compile(r"(?:^|[.:;!?¿¡«\"(*#>\n-]\s*)$")


def _bare(text: str) -> str:
    """``text`` without case, spaces, hyphens or commas, to compare glosses."""
    return re.sub(r"[\s,-]+", "", text.lower())


def _key(said: str) -> str:
    """A form of a term as the lookup knows it: lower case, one space between words."""
    return " ".join(said.lower().split())


def _spaced(term: str) -> str:
    """``term`` as a pattern where any run of space (a wrapped line) separates words."""
    return r"\s+".join(re.escape(word) for word in term.split())


@dataclass(frozen=True)
class _Term:
    index: int
    entry: GlossEntry
    inside: frozenset[int]  # the shorter terms its forms hold ("debido proceso")


class Glosses:
    """The compiled glosses of one language."""

    def __init__(self, entries: Sequence[GlossEntry]) -> None:
        self.terms = [_Term(i, e, frozenset(
            j for j, other in enumerate(entries) if j != i
            and _bare(other.term) in _bare(" ".join([e.term, *e.forms]))))
            for i, e in enumerate(entries)]
        forms = sorted(((form, term.index) for term in self.terms
                        for form in (term.entry.term, *term.entry.forms)),
                       key=lambda pair: -len(pair[0]))
        # the term said -> its index: a form by its words in lower case, an acronym as is
        self.by_form = {_key(form): index for form, index in forms}
        self.by_short = {term.entry.short: term.index for term in self.terms
                         if term.entry.short}
        # a text holding none of these words holds no term: it is left without a search
        self.anchors = tuple(sorted({max(form.lower().split(), key=len) for form, _ in forms}))
        if not forms:
            self.pattern = None
            return
        # one pattern: a quick look at the first letter, then the forms (longest first,
        # any case, any run of space between words) or the acronyms (in capitals)
        firsts = sorted({c for form, _ in forms for c in (form[0].lower(), form[0].upper())}
                        | {short[0] for short in self.by_short})
        said = "|".join(_spaced(form) for form, _ in forms)
        shorts = "|".join(re.escape(short) for short in
                          sorted(self.by_short, key=len, reverse=True))
        self.pattern = re.compile(
            rf"(?<!\w)(?=[{re.escape(''.join(firsts))}])"
            rf"(?:(?P<term>(?i:{said}))|(?P<short>{shorts or '(?!)'}))"
            r"(?!\w)(?P<paren>\s*\([^()]*\))?")

    def may_hold(self, text: str) -> bool:
        """Whether ``text`` may hold a term: one of its longest words, or an acronym."""
        low = text.lower()
        return (any(word in low for word in self.anchors)
                or any(short in text for short in self.by_short))

    def reading(self) -> Reading:
        return Reading(self)

    def plain(self, text: str) -> str:
        """``text`` without the English beside any term (a picture's short labels, read
        beside a text that gives it)."""
        read = Reading(self)
        read.given.update(term.index for term in self.terms)
        return read(text)


class Reading:
    """One document read from the top: which terms have had their English."""

    def __init__(self, glosses: Glosses) -> None:
        self.glosses = glosses
        self.given: set[int] = set()

    def __call__(self, text: str, keep: Iterable[str] = ()) -> str:
        """``text``, the next text of the document, with each term's English at its first
        use in the document and nowhere after. The parts of ``text`` that are one of
        ``keep`` (the family's own words in a letter) are left exactly as they are."""
        pattern = self.glosses.pattern
        if pattern is None or not text or not self.glosses.may_hold(text):
            return text
        kept = sorted({k for k in keep if k and k.strip()}, key=len, reverse=True)
        if not kept:
            return pattern.sub(lambda match: self._one(match, text), text)
        pieces = re.split("(" + "|".join(re.escape(k) for k in kept) + ")", text)
        return "".join(piece if n % 2 else pattern.sub(
            lambda match, piece=piece: self._one(match, piece), piece)
            for n, piece in enumerate(pieces))

    def all(self, texts: Sequence[str]) -> list[str]:
        return [self(text) for text in texts]

    def _one(self, match: re.Match[str], text: str) -> str:
        acronym = match.group("short")
        said = acronym or match.group("term")
        index = (self.glosses.by_short[acronym] if acronym
                 else self.glosses.by_form[_key(said)])
        term = self.glosses.terms[index]
        paren = match.group("paren") or ""
        glossed = bool(paren) and _gloss_of(term.entry, paren)
        kept = "" if glossed else paren  # a parenthesis that is not the English stays
        if index in self.given:
            return said + kept
        self.given.add(index)
        if acronym:  # an acronym on its own: the term in full, then the acronym
            full = term.entry.term
            if _OPENING.search(text[:match.start()]):
                full = full[:1].upper() + full[1:]
            return f"{full} ({said}){kept}"
        given = paren if glossed else f" ({term.entry.english})"
        # a shorter term inside this one whose English the parenthesis holds is given too
        self.given.update(t.index for t in self.glosses.terms
                          if t.index in term.inside and _gloss_of(t.entry, given))
        return said + (paren if glossed else given + kept)


def _words(text: str) -> set[str]:
    """The words of ``text``, lower case and singular ("complaints" -> "complaint")."""
    return {word[:-1] if word.endswith("s") and len(word) > 3 else word
            for word in re.findall(r"\w+", text.lower())}


def _gloss_of(entry: GlossEntry, paren: str) -> bool:
    """Whether ``paren`` gives the English of ``entry``: one of its comma-separated parts
    is the English, a part of it or the acronym ("(Independent Educational Evaluation,
    IEE)", "(Office for Civil Rights)"); or it is a few English words holding the
    English's words, or held by them ("(expedited due process hearing)", "(expedited)"
    for "expedited hearing"). A parenthesis that only mentions the term ("(o enviar una
    enmienda del IEP)") is not its English."""
    inside = paren.strip()[1:-1]
    parts = {_bare(part).removesuffix("s") for part in inside.split(",") if part.strip()}
    english = {_bare(part).removesuffix("s") for part in entry.english.split(",")}
    if entry.short:
        english.add(_bare(entry.short).removesuffix("s"))
    if parts & english:
        return True
    said, words = _words(inside), _words(entry.english)
    return (inside.isascii() and bool(said) and len(said) <= len(words) + 3
            and (words <= said or said <= words))


_NONE = Glosses(())
_COMPILED: dict[int, tuple[object, Glosses]] = {}  # id of a phrase table -> its glosses


def glosses_for(lang: str) -> Glosses:
    """The glosses of ``lang`` (none in English), compiled once per language's phrase
    table (a table read again, from another rules folder, is compiled again)."""
    if lang == ENGLISH:
        return _NONE
    table = phrases(lang)
    found = _COMPILED.get(id(table))
    if found is None or found[0] is not table:
        found = (table, Glosses(table.glosses))
        _COMPILED[id(table)] = found
    return found[1]


def reading(lang: str) -> Reading:
    """A new document in ``lang``, read from the top."""
    return glosses_for(lang).reading()


# ---------------------------------------------------------------- the documents

def read_advice(advice: Advice, lang: str) -> Advice:
    """``advice`` as one document read from the top, in the order the command line and
    the page show it: the summary, each recommendation (its title, what it is, its
    reasons, how, its dates), the dates, the warnings, the ladders, the disclaimer. The
    explanation, when
    there is one, is its own document (a client may show it on its own)."""
    glosses = glosses_for(lang)
    if glosses.pattern is None:
        return advice
    read = glosses.reading()
    summary = read(advice.summary)
    recommendations = [_recommendation(r, read) for r in advice.recommendations]
    deadlines = [_deadline(d, read) for d in advice.deadlines]
    warnings = [w.model_copy(update={"text": read(w.text)}) for w in advice.warnings]
    ladder = [r.model_copy(update={"title": read(r.title)}) for r in advice.ladder]
    ladder_504 = [r.model_copy(update={"title": read(r.title)})
                  for r in advice.section_504_ladder]
    return advice.model_copy(update={
        "summary": summary, "recommendations": recommendations,
        "next_move": recommendations[0] if recommendations else None,
        "deadlines": deadlines, "warnings": warnings, "ladder": ladder,
        "section_504_ladder": ladder_504, "disclaimer": read(advice.disclaimer),
        "explanation": (read_explanation(advice.explanation, lang)
                        if advice.explanation is not None else None)})


def _recommendation(rec: Recommendation, read: Reading) -> Recommendation:
    return rec.model_copy(update={
        "title": read(rec.title),
        "summary": read(rec.summary) if rec.summary is not None else None,
        "reasons": [r.model_copy(update={"text": read(r.text)}) for r in rec.reasons],
        "how": read.all(rec.how),
        "deadlines": [_deadline(d, read) for d in rec.deadlines]})


def _deadline(deadline: Deadline, read: Reading) -> Deadline:
    return deadline.model_copy(update={
        "label": read(deadline.label),
        "note": read(deadline.note) if deadline.note is not None else None})


def read_explanation(explanation: Explanation, lang: str) -> Explanation:
    """An explanation as one document: each question (the question, its phrase, the answer
    now, what each answer would do), then the notes."""
    glosses = glosses_for(lang)
    if glosses.pattern is None:
        return explanation
    read = glosses.reading()
    questions = []
    for question in explanation.questions:
        text, whether, current = (read(question.question), read(question.whether),
                                  read(question.current_text))
        answers = [a.model_copy(update={"answer_text": read(a.answer_text),
                                        "effect": read(a.effect)})
                   for a in question.answers]
        questions.append(question.model_copy(update={
            "question": text, "whether": whether, "current_text": current,
            "answers": answers}))
    skipped = [s.model_copy(update={"note": read(s.note)}) for s in explanation.skipped]
    return explanation.model_copy(update={"questions": questions, "skipped": skipped,
                                          "note": read(explanation.note)})


def read_why_not(report: WhyNot, lang: str) -> WhyNot:
    """A why-not report as one document: its title, summary and reasons, then the
    questions of its conditions. The rules' own reasons (``because``) are the technical
    section's, each read on its own as its rule gives it."""
    glosses = glosses_for(lang)
    if glosses.pattern is None:
        return report
    read = glosses.reading()
    update: dict[str, object] = {
        "title": read(report.title),
        "next_move_title": (read(report.next_move_title)
                            if report.next_move_title is not None else None),
        "summary": read(report.summary),
        "warnings": [w.model_copy(update={"text": read(w.text)}) for w in report.warnings],
        "reasons": read.all(report.reasons)}
    update["disclaimer"] = read(report.disclaimer)
    return report.model_copy(update=update)
