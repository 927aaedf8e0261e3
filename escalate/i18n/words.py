"""What one advice says in its language: each text by id, English when there is none.

A :class:`Words` is made per advice. :meth:`Words.say` gives the translation of an id, or
the English text whole when the language has none (missing, or stale since the English
changed), and remembers the id, so the advice can list what it says in English
(``Advice.fallbacks``). A sentence is never mixed: a fallback is always a whole text.

A renderer that lays out one document with a :class:`Words` (the command line's advice and
its explanation, a why-not report) passes each text through :meth:`Words.read` in the
order it shows them: the terms a family hears in English get that English at their first
use in the document and not after (:mod:`escalate.text.glosses`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH, date_text, number_text
from escalate.i18n.locale import Locale
from escalate.models import Source
from escalate.rulebook import regulation_key
from escalate.text.glosses import Reading, glosses_for, reading


class Words:
    """The texts of one language for one advice, recording what fell back to English."""

    def __init__(self, locale: Locale | None = None) -> None:
        self.locale = locale
        self.lang = locale.lang if locale else ENGLISH
        self.fell_back: list[str] = []
        self._reading: Reading | None = None

    def say(self, key: str, english: str) -> str:
        """The text ``key`` in this language; ``english`` (and a note of it) otherwise."""
        if self.lang == ENGLISH or self.locale is None:
            return english
        text = self.locale.text(key)
        if text is None:
            self.fell_back.append(key)
            return english
        return text

    def has(self, key: str) -> bool:
        """Whether this language says ``key`` in its own words (English always does)."""
        return self.lang == ENGLISH or (self.locale is not None
                                        and self.locale.text(key) is not None)

    def read(self, text: str) -> str:
        """``text``, the next text of the document these words lay out, with each term a
        family hears in English glossed at its first use only."""
        if self._reading is None:
            self._reading = reading(self.lang)
        return self._reading(text)

    def plain(self, text: str) -> str:
        """``text`` with no English beside its terms (a label read beside text that gives
        it, such as the page's picture of the ladder)."""
        return glosses_for(self.lang).plain(text)

    def note(self, key: str) -> None:
        """Record that ``key`` was said in English (by a writer that chose it itself)."""
        self.fell_back.append(key)

    def date(self, date: dt.date) -> str:
        return date_text(date, self.lang)

    def number(self, number: int) -> str:
        return number_text(number, self.lang)

    def fallbacks(self) -> list[str]:
        """The ids said in English, each once, in the order met."""
        return list(dict.fromkeys(self.fell_back))


ENGLISH_WORDS = Words()


def untranslated_source(source: Source, regulations: Mapping[str, str],
                        locale: Locale) -> str | None:
    """The id of the regulation name ``source`` shows in English because ``locale`` has no
    current translation of it (``regulation.<citation>.title``); None otherwise (a seed
    article keeps its own title)."""
    if source.document:
        return None
    key = regulation_key(source.citation, regulations)
    if key is None or locale.text(ids.regulation_title(key)) is not None:
        return None
    return ids.regulation_title(key)
