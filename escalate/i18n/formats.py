"""Dates and numbers written for each language escalate speaks (Babel; the languages
are the folders of ``rules/locales``, :mod:`escalate.i18n.languages`).

English keeps the ISO dates (YYYY-MM-DD) its sentences have always carried, so the English
advice does not change; Spanish reads a date the way a Spanish-speaking parent writes it
("1 de marzo de 2027"), with Babel's CLDR data, never a hand-made month table. Lengths in
calendar days, months and years ("1 year", "180 días") are CLDR's unit words too; the
plural category of a count (CLDR's plural rules) picks the form of words Babel lacks.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.units import format_unit

from escalate.i18n.languages import ENGLISH, LANGUAGES

__all__ = ["CLDR_DURATIONS", "ENGLISH", "LANGUAGES", "date_text", "duration_text",
           "long_date", "number_text", "plural_category"]

# Babel's formatting is a pure function of its arguments and costs tens of microseconds a
# call; every advice writes the same few dates, counts and lengths again, so each function
# below remembers its recent answers (bounded, per process).
REMEMBERED = 4096


@lru_cache(maxsize=REMEMBERED)
def date_text(date: dt.date, lang: str = ENGLISH) -> str:
    """A date inside a sentence: ISO in English, Babel's long form otherwise."""
    if lang == ENGLISH:
        return date.isoformat()
    return format_date(date, format="long", locale=lang)


@lru_cache(maxsize=REMEMBERED)
def long_date(date: dt.date, lang: str = ENGLISH) -> str:
    """A date written out, as people read it on a page: "October 14, 2026", "14 de octubre
    de 2026" (Babel's long form, CLDR's words; a language Babel lacks gets English)."""
    try:
        return str(format_date(date, format="long", locale=lang))
    except (UnknownLocaleError, ValueError):
        return str(format_date(date, format="long", locale=ENGLISH))


@lru_cache(maxsize=REMEMBERED)
def number_text(number: int, lang: str = ENGLISH) -> str:
    """A count inside a sentence, with the language's digit grouping."""
    if lang == ENGLISH:
        return str(number)
    return format_decimal(number, locale=lang)


# Lengths CLDR has unit words for, by the unit names of rules/parameters.yaml.
CLDR_DURATIONS = {"days": "duration-day", "months": "duration-month",
                  "years": "duration-year"}


@lru_cache(maxsize=REMEMBERED)
def duration_text(amount: int, unit: str, lang: str = ENGLISH) -> str | None:
    """'1 year', '180 days', '2 años' (Babel); None for a unit CLDR has no words for."""
    measure = CLDR_DURATIONS.get(unit)
    if measure is None:
        return None
    return str(format_unit(amount, measure, length="long", locale=lang))


@lru_cache(maxsize=REMEMBERED)
def plural_category(number: int, lang: str = ENGLISH) -> str:
    """CLDR's plural category of ``number`` in ``lang``: 'one', 'other', 'many', ..."""
    return str(Locale.parse(lang).plural_form(number))
