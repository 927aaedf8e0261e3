"""The language of a response: ``?lang=`` or the ``Accept-Language`` header.

``lang`` accepts only the languages escalate speaks (``en``, ``es``): anything else is a
422 naming ``lang`` and listing them. ``Accept-Language`` is negotiated
(:mod:`escalate.i18n.negotiate`) and falls back to English without error. The chosen
language is said back in the ``Content-Language`` header (and, for advice, in
``language``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Header, Query

from escalate.service import choose_language as choose

LANG_DESCRIPTION = (
    "The language of the answer: `en` (English, the default) or `es` (Spanish). Without "
    "it the `Accept-Language` header is used (a language escalate does not speak gives "
    "English). Anything the language does not translate yet is said in English, whole, "
    "and listed in `fallbacks`.")


async def chosen_language(
    lang: Annotated[Literal["en", "es"] | None, Query(
        description=LANG_DESCRIPTION, examples=["es"])] = None,
    accept_language: Annotated[str | None, Header(
        description="Used when `lang` is not given, e.g. `es-US,es;q=0.9,en;q=0.5`.",
        examples=["es-US,es;q=0.9"])] = None,
) -> str:
    return choose(lang, accept_language)


LanguageDep = Annotated[str, Depends(chosen_language)]
