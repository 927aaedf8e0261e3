"""Reasons in the case's own words: a rule's ``because``, rendered for one case.

A reason whose ``because`` is plain text is built once, when the rulebook loads, and
shared by every case. A templated one is rendered per case from the template compiled at
load; the case's template variables are built at most once per advice, and only when a
templated reason is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from jinja2.runtime import Context

from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH
from escalate.i18n.locale import Locale
from escalate.i18n.words import ENGLISH_WORDS, Words, untranslated_source
from escalate.models import Case, Deadline, Reason, Source
from escalate.rulebook import Rule, Rulebook, SourceSpec
from escalate.states.clocks import lengths_in_force
from escalate.text.templates import Text, context_for
from escalate.text.variables import context


class _Lengths(Mapping[str, str]):
    """The clocks' lengths for a case (:func:`lengths_in_force`), worked out only when a
    reason's template reads ``length`` (most never do)."""

    def __init__(self, rulebook: Rulebook, case: Case, words: Words) -> None:
        self._args = (rulebook, case, words)
        self._found: dict[str, str] | None = None

    def _lengths(self) -> dict[str, str]:
        if self._found is None:
            self._found = lengths_in_force(*self._args)
        return self._found

    def __getitem__(self, key: str) -> str:
        return self._lengths()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lengths())

    def __len__(self) -> int:
        return len(self._lengths())


class ReasonWriter:
    """The reasons of one rulebook in one language: plain ones built once, templated ones
    per case. In a language other than English, a rule whose reason is not translated
    (or whose translation is stale) gives its English reason, whole, and the advice lists
    its id among its fallbacks; so does a reason whose source names a regulation the
    language has no current name for (``regulation.<citation>.title``)."""

    def __init__(self, rulebook: Rulebook, source: Callable[[SourceSpec], Source],
                 locale: Locale | None = None) -> None:
        self.lang = locale.lang if locale else ENGLISH
        self._fixed: dict[str, Reason] = {}
        self._templated: dict[str, tuple[Text, Source]] = {}
        self._english: dict[str, str] = {}  # key -> locale id, for reasons said in English
        self._english_source: dict[str, str] = {}  # key -> id of its source's English name
        self._regulations = rulebook.regulations
        self.rulebook = rulebook
        self.locale = locale
        for rule in rulebook.rules:
            self._add(rule.id, ids.rule_because(rule.id), rule.text, rule.because,
                      source(rule.source), locale)
        for name, exception in rulebook.exceptions.items():
            self._add("exception:" + name, ids.exception_because(name),
                      rulebook.exception_texts.get(name),
                      " ".join(exception.because.split()), source(exception.source), locale)

    def _add(self, key: str, locale_id: str, text: Text | None, because: str, source: Source,
             locale: Locale | None) -> None:
        if locale is not None and locale.lang != ENGLISH:
            translated = locale.template(locale_id)
            if translated is not None:
                text, because = translated, translated.source
            else:
                self._english[key] = locale_id
            untranslated = untranslated_source(source, self._regulations, locale)
            if untranslated is not None:
                self._english_source[key] = untranslated
        self._put(key, text, because, source)

    def _put(self, key: str, text: Text | None, because: str, source: Source) -> None:
        if text is not None and text.template is not None:
            self._templated[key] = (text, source)
        else:
            self._fixed[key] = Reason(text=because, source=source)

    def for_case(self, case: Case, deadlines: Sequence[Deadline]) -> CaseReasons:
        return CaseReasons(self, case, deadlines)


class CaseReasons:
    """The reasons for one case; the template variables are built on first need."""

    def __init__(self, writer: ReasonWriter, case: Case, deadlines: Sequence[Deadline]) -> None:
        self._writer = writer
        self._case = case
        self._deadlines = deadlines
        self._context: Context | None = None
        self.fell_back: list[str] = []  # locale ids of reasons said in English
        self._english_context: Context | None = None

    @property
    def values(self) -> Context:
        """The case's template variables, in one rendering context for all its reasons."""
        if self._context is None:
            words = Words(self._writer.locale) if self._writer.locale else ENGLISH_WORDS
            self._context = context_for(context(
                self._case, self._deadlines, lang=self._writer.lang,
                lengths=_Lengths(self._writer.rulebook, self._case, words)))
        return self._context

    @property
    def english_values(self) -> Context:
        """The same variables in English, for a reason said in English (a fallback reads
        the case in English too, never half in another language)."""
        if self._writer.lang == ENGLISH:
            return self.values
        if self._english_context is None:
            self._english_context = context_for(context(
                self._case, self._deadlines,
                lengths=_Lengths(self._writer.rulebook, self._case, ENGLISH_WORDS)))
        return self._english_context

    def _reason(self, key: str) -> Reason:
        english = key in self._writer._english
        if english:
            self.fell_back.append(self._writer._english[key])
        if key in self._writer._english_source:
            self.fell_back.append(self._writer._english_source[key])
        fixed = self._writer._fixed.get(key)
        if fixed is not None:
            return fixed
        text, source = self._writer._templated[key]
        return Reason(text=text.render(self.english_values if english else self.values),
                      source=source)

    def rule(self, rule: Rule) -> Reason:
        return self._reason(rule.id)

    def exception(self, name: str) -> Reason:
        return self._reason("exception:" + name)
