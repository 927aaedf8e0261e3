"""The languages escalate speaks, and dates and numbers written for each (Babel).

English keeps the ISO dates (YYYY-MM-DD) its sentences have always carried, so the English
advice does not change; Spanish reads a date the way a Spanish-speaking parent writes it
("1 de marzo de 2027"), with Babel's CLDR data, never a hand-made month table.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal

ENGLISH = "en"
LANGUAGES: tuple[str, ...] = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def date_text(date: dt.date, lang: str = ENGLISH) -> str:
    """A date inside a sentence: ISO in English, Babel's long form otherwise."""
    if lang == ENGLISH:
        return date.isoformat()
    return format_date(date, format="long", locale=lang)


def number_text(number: int, lang: str = ENGLISH) -> str:
    """A count inside a sentence, with the language's digit grouping."""
    if lang == ENGLISH:
        return str(number)
    return format_decimal(number, locale=lang)
